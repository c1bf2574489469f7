"""`shuanglian import-divisions`: the national lists load in one transaction; bad input writes nothing."""
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from shuanglian.core.models import AuditEvent
from shuanglian.divisions.models import Division, DivisionVersion

NATIONAL = Path(__file__).resolve().parents[5] / "shared" / "data" / "divisions"
FILES = ["provinces.csv", "cities.csv", "areas.csv", "streets.csv"]


def national_copy(tmp_path) -> list[Path]:
    if not NATIONAL.exists():
        message = f"national lists not found at {NATIONAL} (shared/ beside the project)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message)
        pytest.skip(message)
    paths = []
    for name in FILES:
        shutil.copy(NATIONAL / name, tmp_path / name)
        paths.append(tmp_path / name)
    return paths


def run_import(*paths) -> tuple[int, str, str]:
    import io

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import-divisions", *map(str, paths), stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def counts():
    return Division.objects.count(), DivisionVersion.objects.count(), AuditEvent.objects.count()


@pytest.mark.django_db
def test_national_lists_import_and_reimport(tmp_path):
    paths = national_copy(tmp_path)
    code, out, _ = run_import(*paths, "--effective", "2022-10-31")
    assert code == 0, out
    by_level = dict(Division.objects.current().values_list("level").annotate(n=__import__("django").db.models.Count("id")))
    assert by_level == {"province": 31, "city": 342, "county": 2978, "township": 41352}
    quzhou = Division.objects.get(code="330803")
    assert quzhou.name == "衢江区" and quzhou.parent.name == "衢州市" and quzhou.parent.parent.name == "浙江省"
    kinds = dict(Division.objects.current().within(quzhou).filter(level="township").values_list("name", "kind"))
    assert len(kinds) == 20
    assert (kinds["樟潭街道"], kinds["上方镇"], kinds["灰坪乡"]) == ("street", "town", "township")

    before = counts()
    code, out, _ = run_import(*paths)
    assert code == 0 and "created 0, renamed 0, unchanged 44703" in out
    after = counts()
    assert after[:2] == before[:2] and after[2] == before[2] + 1  # one import event, no new rows

    streets = tmp_path / "streets.csv"
    streets.write_text(streets.read_text(encoding="utf-8").replace('"樟潭街道"', '"樟潭新街道"'), encoding="utf-8")
    extra = tmp_path / "extra.csv"
    extra.write_text('code,name,areaCode\n330803399,"新设乡",330803\n', encoding="utf-8")
    code, out, _ = run_import(*paths, extra)
    assert code == 0 and "created 1, renamed 1" in out
    zhangtan = Division.objects.get(code="330803001")
    assert zhangtan.name == "樟潭新街道"
    history = list(zhangtan.versions.values_list("name", "valid_from", "valid_to"))
    assert [h[0] for h in history] == ["樟潭街道", "樟潭新街道"]
    assert str(history[0][1]) == "2022-10-31" and history[0][2] == history[1][1]
    assert Division.objects.get(code="330803399").kind == "township"


BAD_CASES = {
    "malformed code": ('code,name\n33,"浙江省"\n3308x,"衢州市"\n', "bad.csv:3: malformed code '3308x'"),
    "code of the wrong length": ('code,name\n33,"浙江省"\n33080,"衢州市"\n', "bad.csv:3: malformed code '33080'"),
    "missing parent": ('code,name,provinceCode\n9901,"无省之市",99\n', "bad.csv:2: parent 99 of 9901 is in neither"),
    "same code, two names": ('code,name\n33,"浙江省"\n33,"浙江"\n', "bad.csv:3: code 33 is '浙江' here but '浙江省' at bad.csv:2"),
    "unknown column": ('code,name,population\n33,"浙江省",1\n', "bad.csv:1: unknown column(s) population"),
    "parent column disagrees": ('code,name,provinceCode\n33,"浙江省",\n3308,"衢州市",34\n',
                                "bad.csv:3: provinceCode 34 does not match code 3308"),
    "missing name": ('code,name\n33,\n', "bad.csv:2: code 33 has no name"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD_CASES)
def test_bad_input_is_refused_whole_with_file_line_and_reason(tmp_path, case):
    text, expected = BAD_CASES[case]
    good = tmp_path / "good.csv"
    good.write_text('code,name\n11,"北京市"\n12,"天津市"\n', encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(text, encoding="utf-8")
    before = counts()
    code, _, err = run_import(good, bad)
    assert code == 1
    assert expected in err, err
    assert "nothing was written" in err
    assert counts() == before


@pytest.mark.django_db
def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    bad = tmp_path / "gbk.csv"
    bad.write_bytes('code,name\n33,"浙江省"\n'.encode("gb18030"))
    before = counts()
    code, _, err = run_import(bad)
    assert code == 1
    assert "gbk.csv:2: the file is not UTF-8" in err
    assert counts() == before


@pytest.mark.django_db
def test_every_problem_is_listed_not_just_the_first(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text('code,name\n1,"甲"\n22,"乙"\n333,"丙"\n', encoding="utf-8")
    code, _, err = run_import(bad)
    assert code == 1
    assert "bad.csv:2:" in err and "bad.csv:4:" in err and "bad.csv:3:" not in err
