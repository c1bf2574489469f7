"""The import's bulk path: what it writes is what the model layer reads back, with awkward text, and the
same when the indexes are set aside for the load (forced here with a threshold of one row), and when
the ID numbers and phones are sealed in a helper process (forced the same way, in chunks of two)."""
import csv
import datetime as dt
import json

import pytest
from django.db import connection

from shuanglian.archives import importing
from shuanglian.archives.importing import import_households
from shuanglian.archives.models import Household, HouseholdTag, HouseholdVersion, Person
from shuanglian.archives.services import completeness
from shuanglian.core import idnumber, pii
from shuanglian.core.sealing import SealAhead

HEADER = ["户号", "网格编码", "姓名", "身份证号", "与户主关系", "联系电话", "地址", "民族", "文化程度", "职业",
          "技能特长", "家庭年收入", "标签"]
# Everything COPY's text format treats specially, and what CSV quotes.
AWKWARD = 'a\\b\tc\nd\re "q", \\N'


def pid(seq, birth=dt.date(1965, 3, 12)):
    return idnumber.make("330803", birth, seq)


def rows_for(district):
    g1, g3 = district.grid.code, district.grid3.code
    return [
        ["001", g1, "王大明", pid(11), "户主", "+86 139-1234-5678", "樟潭社区1号", "汉族", "初中", "农民", "", "36,000",
         "低保户"],
        ["001", g1, "李" + AWKWARD, pid(22, dt.date(1968, 7, 15)), "妻子", "", "", "", "小学", "", AWKWARD, "", ""],
        ["002", g1, "赵四", pid(31, dt.date(1950, 1, 1)), "户主", "0570-8123456", AWKWARD, "", "", "", "", "",
         "独居老人、五保户"],
        [AWKWARD[:5], g3, "周五", pid(41, dt.date(1980, 2, 2)), "head", "", "樟树潭村1号", "", "高中", "", "", "52000",
         ""],
    ]


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def indexes_and_keys():
    tables = ["archives_household", "archives_person", "archives_householdtag", "archives_householdversion"]
    found = set()
    for table in tables:
        found |= {name for name, _ in importing._secondary_indexes(table)}
        if connection.vendor == "postgresql":
            found |= {name for name, _ in importing._foreign_keys(table)}
    return found


@pytest.fixture(params=[False, True], ids=["indexes-kept", "indexes-set-aside"])
def set_aside(request, monkeypatch):
    if request.param:
        monkeypatch.setattr(importing, "BULK_INDEX_REBUILD", 1)
    return request.param


@pytest.fixture(params=[False, True], ids=["sealed-in-process", "sealed-in-helper"])
def sealed_in_helper(request, monkeypatch):
    if request.param:
        monkeypatch.setattr(importing, "SEAL_IN_HELPER_FROM", 1)
        monkeypatch.setattr(SealAhead, "CHUNK", 2)  # several chunks, the last one short
    return request.param


def test_what_is_written_reads_back(district, tmp_path, set_aside, sealed_in_helper):
    schema = indexes_and_keys()
    source = write_csv(tmp_path / "a.csv", rows_for(district))
    result = import_households(source, actor=None)
    assert result.ok and result.written, result.errors
    assert (result.households_created, result.persons_created) == (3, 4)
    assert indexes_and_keys() == schema

    li = Person.objects.get(name="李" + AWKWARD)
    assert li.skills == AWKWARD and li.relation_to_head == "spouse" and li.sex == "female"
    assert li.birth_date == dt.date(1968, 7, 15) and li.phone.reveal() == "" and li.phone_hash == ""
    assert li.id_number.reveal() == pid(22, dt.date(1968, 7, 15))
    wang = Person.objects.get(name="王大明")
    assert wang.phone.reveal() == "13912345678" and wang.phone_hash == pii.blind_index("phone", "13912345678")
    assert wang.id_number_hash == pii.blind_index("id_number", pid(11))
    assert (wang.ethnicity, wang.education, wang.occupation, wang.residence_status) == ("汉族", "初中", "农民",
                                                                                      "registered")
    assert (wang.division, wang.grid, wang.village, wang.township, wang.county) == (
        district.grid, district.grid, district.village, district.township, district.grid.parent.parent.parent)
    assert wang.created_at == wang.updated_at and wang.is_active
    with connection.cursor() as cur:  # the ciphertexts decrypt as stored
        cur.execute("SELECT id_number, phone FROM archives_person WHERE id = %s", [wang.pk])
        raw_id, raw_phone = cur.fetchone()
    assert pii.decrypt(raw_id) == pid(11) and pii.decrypt(raw_phone) == "13912345678"

    zhao = Household.objects.get(number="002")
    assert zhao.address == AWKWARD and zhao.annual_income is None
    assert {t.code for t in zhao.tag_list()} == {"elderly_alone", "five_guarantee"}
    odd = Household.objects.get(grid=district.grid3)
    assert odd.number == AWKWARD[:5] and odd.annual_income == 52000
    for household in Household.objects.all():
        assert household.completeness == completeness(household), household.number
        version = HouseholdVersion.objects.get(household=household)
        assert version.action == "import" and version.actor is None and version.actor_label == "system"
        lines = ", ".join(str(n) for n, cells in importing.read_table(source)[1]  # line numbers count the
                          if (cells[0], cells[1]) == (household.number, household.grid.code))  # newlines in cells
        assert version.changes == {"file": "a.csv", "lines": lines}
        assert json.dumps(version.changes, ensure_ascii=False)  # a JSON object, not a string


def test_reimport_with_indexes_set_aside_merges(district, tmp_path, set_aside, sealed_in_helper):
    import_households(write_csv(tmp_path / "a.csv", rows_for(district)), actor=None)
    rows = rows_for(district)
    rows[0][5] = "13800001111"
    rows[0][4], rows[1][4] = "配偶", "户主"  # the head changes
    rows[3][0] = "009"  # 周五 moves to a new household
    rows.append(["010", district.grid.code, "新人", pid(51), "户主", "", "", "", "", "", "", "", "困难户"])
    schema = indexes_and_keys()
    result = import_households(write_csv(tmp_path / "b.csv", rows), actor=None)
    assert result.ok, result.errors
    assert (result.households_created, result.households_updated) == (2, 2)
    assert (result.persons_created, result.persons_updated) == (1, 4)
    assert indexes_and_keys() == schema
    assert Person.objects.count() == 5 and Household.objects.count() == 5
    assert Person.objects.get(name="王大明").relation_to_head == "spouse"
    assert Person.objects.get(name="李" + AWKWARD).relation_to_head == "head"
    assert Person.objects.get(name="王大明").phone.reveal() == "13800001111"
    assert Person.objects.get(name="周五").household.number == "009"
    assert HouseholdTag.objects.filter(household__number="010").count() == 1
    for household in Household.objects.all():
        assert household.completeness == completeness(household), household.number


def test_a_refused_import_leaves_no_helper_behind(district, tmp_path, monkeypatch):
    from shuanglian.core import sealing

    started = []

    class Recorded(sealing.subprocess.Popen):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            started.append(self)

    monkeypatch.setattr(sealing.subprocess, "Popen", Recorded)
    monkeypatch.setattr(importing, "SEAL_IN_HELPER_FROM", 1)
    monkeypatch.setattr(SealAhead, "CHUNK", 1)
    rows = rows_for(district)
    rows[2][3] = rows[2][3][:17] + ("0" if rows[2][3][17] != "0" else "1")  # a typo in the check character
    result = import_households(write_csv(tmp_path / "a.csv", rows), actor=None)
    assert not result.ok and not result.written and Person.objects.count() == 0
    assert len(started) == 1 and started[0].poll() is not None  # the helper ran, and is gone
