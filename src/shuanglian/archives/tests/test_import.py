"""Importing village archives: every bad row named; all or nothing; dry run; skip-invalid; re-import merges."""
import csv
import io

from django.core.management import call_command
from django.utils import translation

from shuanglian.archives.models import Household, HouseholdTag, HouseholdVersion, Person
from shuanglian.core import idnumber
from shuanglian.core.models import AuditEvent

HEADER = ["户号", "网格编码", "姓名", "身份证号", "与户主关系", "联系电话", "地址", "文化程度", "家庭年收入", "标签"]


def pid(seq, birth="19650312"):
    import datetime as dt

    return idnumber.make("330803", dt.date(int(birth[:4]), int(birth[4:6]), int(birth[6:])), seq)


def rows_for(district):
    g1, g2 = district.grid.code, district.grid3.code
    return [
        ["001", g1, "王大明", pid(11), "户主", "13912345678", "樟潭社区1号", "初中", "36000", "低保户"],
        ["001", g1, "李秀英", pid(22, "19680715"), "配偶", "", "", "小学", "", ""],
        ["002", g1, "赵四", pid(31, "19500101"), "户主", "0570-8123456", "樟潭社区2号", "", "", "独居老人,五保户"],
        ["001", g2, "周五", pid(41, "19800202"), "户主", "", "樟树潭村1号", "高中", "52,000", ""],
    ]


def write_csv(path, rows, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        with translation.override("en"):
            call_command("import-households", *map(str, args), stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def state():
    return (Household.objects.count(), Person.objects.count(), HouseholdTag.objects.count(),
            HouseholdVersion.objects.count(), AuditEvent.objects.count())


def test_a_good_file_imports_households_persons_tags(district, tmp_path):
    code, out, err = run(write_csv(tmp_path / "a.csv", rows_for(district)))
    assert code == 0, err
    assert Household.objects.count() == 3 and Person.objects.count() == 4
    wang = Person.objects.get(name="王大明")
    assert wang.relation_to_head == "head" and wang.sex == "male" and str(wang.birth_date) == "1965-03-12"
    assert wang.phone.reveal() == "13912345678" and str(wang.phone) == "139****5678"
    hh = wang.household
    assert (hh.grid, hh.village, hh.township) == (district.grid, district.village, district.township)
    assert str(hh.annual_income) == "36000.00" and {t.code for t in hh.tag_list()} == {"low_income"}
    assert Household.objects.get(number="001", grid=district.grid3).annual_income == 52000
    assert {t.code for t in Household.objects.get(number="002").tag_list()} == {
        "elderly_alone", "five_guarantee"}
    assert HouseholdVersion.objects.filter(action="import").count() == 3
    event = AuditEvent.objects.get(action="archives.import")
    assert event.after["persons_created"] == 4 and "13912345678" not in str(event.after)


def test_gb18030_files_are_read(district, tmp_path):
    code, _, err = run(write_csv(tmp_path / "gbk.csv", rows_for(district), encoding="gb18030"))
    assert code == 0, err
    assert Person.objects.filter(name="李秀英").exists()


def test_xlsx_files_are_read(district, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows_for(district):
        sheet.append(row)
    book.save(tmp_path / "a.xlsx")
    code, _, err = run(tmp_path / "a.xlsx")
    assert code == 0, err
    assert Person.objects.count() == 4


def bad_rows(district):
    rows = rows_for(district)
    rows[1][3] = rows[1][3][:17] + ("0" if rows[1][3][17] != "0" else "1")  # line 3: check character
    rows.append(["003", district.grid.code, "钱六", "330803650312001", "户主", "", "", "", "", ""])  # 6: legacy
    rows.append(["004", district.grid.code, "孙七", "330803" + "19650230" + "0013", "户主", "", "", "", "", ""])
    rows.append(["005", "330803001001999", "吴八", pid(51), "户主", "", "", "", "", ""])  # 8: unknown grid
    rows.append(["006", district.grid.code, "郑九", pid(11), "户主", "", "", "", "", ""])  # 9: duplicate of line 2
    rows.append(["007", district.grid.code, "冯十", pid(61), "子", "", "", "", "", ""])  # 10: no head
    return rows


EXPECTED = {
    3: "check character",
    6: "15-digit legacy",
    7: "not a real date",
    8: "unknown grid code 330803001001999",
    9: "the same ID number is on line 2",
    10: "has no head",
}


def test_invalid_rows_are_all_named_and_nothing_is_written(district, tmp_path):
    before = state()
    code, _, err = run(write_csv(tmp_path / "bad.csv", bad_rows(district)))
    assert code == 1
    for line, reason in EXPECTED.items():
        assert any(x.startswith(f"bad.csv:line {line}:") and reason in x for x in err.splitlines()), (line, err)
    assert state() == before


def test_dry_run_reports_and_writes_nothing(district, tmp_path):
    before = state()
    code, out, err = run(write_csv(tmp_path / "bad.csv", bad_rows(district)), "--dry-run")
    assert code == 1 and "check character" in err and "nothing written" in out
    code, out, _ = run(write_csv(tmp_path / "good.csv", rows_for(district)), "--dry-run")
    assert code == 0 and "4 valid" in out
    assert state() == before


def test_skip_invalid_writes_valid_households_and_the_rejects_file(district, tmp_path):
    source = write_csv(tmp_path / "bad.csv", bad_rows(district))
    code, out, _ = run(source, "--skip-invalid", "--rejects", tmp_path / "rejects.csv")
    assert code == 0
    # Household 001 of grid 1 has a bad row (line 3): the whole household is held back with it.
    assert set(Household.objects.values_list("number", flat=True)) == {"002", "001"}
    assert not Person.objects.filter(name__in=["王大明", "李秀英"]).exists()
    with open(tmp_path / "rejects.csv", encoding="utf-8-sig") as fh:
        rejected = {int(r["行号"]): r["原因"] for r in csv.DictReader(fh)}
    assert set(rejected) == {2, 3, 6, 7, 8, 9, 10}
    assert "check character" in rejected[3] and "invalid row" in rejected[2]


def test_reimport_updates_and_never_duplicates(district, tmp_path):
    run(write_csv(tmp_path / "a.csv", rows_for(district)))
    rows = rows_for(district)
    rows[0][7] = "高中"  # education changed
    rows[0][5] = "13800001111"
    rows[3][0] = "009"  # 周五 moves to a new household number in grid 3
    code, out, err = run(write_csv(tmp_path / "b.csv", rows))
    assert code == 0, err
    assert Person.objects.count() == 4
    wang = Person.objects.get(name="王大明")
    assert wang.education == "高中" and wang.phone.reveal() == "13800001111"
    assert Person.objects.get(name="周五").household.number == "009"
    assert "persons 0 created, 4 updated" in out
    from shuanglian.archives.services import completeness

    for household in Household.objects.all():  # the set-based recompute agrees with the service's rule
        assert household.completeness == completeness(household), household.number


def test_field_lengths_are_enforced_with_line_and_column(district, tmp_path):
    """Finding 11: a name longer than its column was stored (SQLite does not check lengths)."""
    rows = rows_for(district)
    rows[1][2] = "李" * 51
    rows[2][6] = "路" * 201
    code, out, err = run(write_csv(tmp_path / "long.csv", rows))
    assert code != 0 and Person.objects.count() == 0
    assert "long.csv:line 3: 姓名: 51 characters, at most 50" in err
    assert "long.csv:line 4: 地址: 201 characters, at most 200" in err


def test_a_cell_past_the_reading_limit_is_refused_with_where(district, tmp_path):
    rows = rows_for(district)
    rows[0][2] = "王" * 32_767
    code, out, err = run(write_csv(tmp_path / "huge.csv", rows))
    assert code != 0 and Person.objects.count() == 0
    assert "line 2: column 3: 32767 characters" in err
