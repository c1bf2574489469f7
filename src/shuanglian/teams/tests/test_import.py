"""`shuanglian import-team-members`: the archives' bad-row rules on team lists. Real files (.csv in UTF-8
and GB18030, .xlsx), the real command: every invalid row listed as file:line: field: reason, nothing
written by default, --dry-run, --skip-invalid with a rejects file, duplicate promoters (in the file and
against the database), a recorded phone is the same member, one audit event."""
import datetime as dt
import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from shuanglian.core.models import AuditEvent
from shuanglian.teams import services
from shuanglian.teams.models import Member, Membership

HEADER = "网格编码,姓名,联系电话,角色,类别,工作单位,是否事业单位/公职,任职日期"


def write_csv(path, lines, encoding="utf-8"):
    path.write_bytes(("\n".join([HEADER, *lines]) + "\n").encode(encoding))
    return path


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import-team-members", str(path), *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def good(district):
    g1, g2, g3 = district.grid.code, district.grid2.code, district.grid3.code
    return [f"{g1},王大明,13912345678,促进员,五老人员,,否,2010-03-01",
            f"{g1},李医生,139-0000-0001,志愿者,医生,区人民医院,是,2010-03-01",
            f"{g3},李医生,13900000001,志愿者,医生,区人民医院,是,2010-03-01",  # one person, two grids
            f"{g2},张乡贤,13900000002,promoter,notable,,,"]


def test_a_good_file_is_written_in_one_go(tmp_path, district, good):
    code, out, err = run(write_csv(tmp_path / "team.csv", good))
    assert (code, err) == (0, ""), err
    assert "4 rows, 4 valid, 0 invalid" in out and "written" in out
    assert Membership.objects.count() == 4 and Member.objects.count() == 3
    doctor = Member.objects.get(name="李医生")
    assert doctor.from_public_institution and doctor.employer == "区人民医院" and doctor.category == "doctor"
    assert set(doctor.memberships.values_list("grid_id", flat=True)) == {district.grid.pk, district.grid3.pk}
    assert Membership.objects.get(member__name="王大明").started_on == dt.date(2010, 3, 1)
    assert Membership.objects.get(member__name="张乡贤").role == "promoter"
    event = AuditEvent.objects.get(action="teams.import")
    assert event.after["file"] == "team.csv" and event.after["promoters"] == 2
    assert "13912345678" not in str(event.after)


def test_any_bad_row_writes_nothing_and_lists_every_one(tmp_path, district, good):
    g1, g2 = district.grid.code, district.grid2.code
    bad = [*good,
           "330803999999999,甲,13900000011,志愿者,医生,,,",  # line 6: unknown grid
           f"{g2},乙,1390000,志愿者,医生,,,",  # line 7: bad phone
           f"{g2},丙,13900000013,队长,医生,,,",  # line 8: unknown role
           f"{g2},丁,13900000014,志愿者,厨师,,,",  # line 9: unknown category
           f"{g1},戊,13900000015,促进员,村民代表,,,",  # line 10: second promoter in the file
           f"{g1},李医生,13900000001,志愿者,医生,,,",  # line 11: duplicate row
           f"{g2},己,13900000016,志愿者,医生,,也许,2010-13-01"]  # line 12: bad yes/no and date
    code, out, err = run(write_csv(tmp_path / "team.csv", bad))
    assert code == 1 and "nothing written" in out
    lines = err.strip().splitlines()
    assert lines == [
        "team.csv:6: 网格编码: unknown grid code 330803999999999",
        "team.csv:7: 联系电话: not an 11-digit mobile number: 1390000",
        "team.csv:8: 角色: unknown role 队长 (促进员 or 志愿者)",
        "team.csv:9: 类别: unknown category 厨师",
        f"team.csv:10: 角色: a second promoter for grid {g1} (the first is on line 2)",
        "team.csv:11: 联系电话: the same person is on line 3 for this grid",
        "team.csv:12: 是否事业单位/公职: not 是 or 否: 也许",
        "team.csv:12: 任职日期: not a date (YYYY-MM-DD): 2010-13-01",
    ]
    assert not Membership.objects.exists() and not Member.objects.exists()
    assert not AuditEvent.objects.filter(action="teams.import").exists()


def test_dry_run_writes_nothing(tmp_path, district, good):
    code, out, err = run(write_csv(tmp_path / "team.csv", good), "--dry-run")
    assert code == 0 and "4 valid" in out and "nothing written" in out
    assert not Membership.objects.exists()


def test_skip_invalid_writes_the_valid_rows_and_the_rejects(tmp_path, district, good):
    rows = [*good, f"{district.grid.code},戊,13900000015,促进员,村民代表,,,"]
    source = write_csv(tmp_path / "team.csv", rows)
    code, out, err = run(source, "--skip-invalid")
    assert code == 0 and "written" in out and "1 rejected rows" in out
    assert Membership.objects.count() == 4 and not Member.objects.filter(name="戊").exists()
    rejects = (tmp_path / "team.csv.rejects.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rejects[0].startswith("行号,网格编码") and rejects[0].endswith(",原因")
    assert rejects[1].startswith("6,") and "second promoter" in rejects[1]


def test_a_promoter_already_recorded_and_a_recorded_phone(tmp_path, district, good):
    services.membership_appoint(actor=None, grid=district.grid, role="promoter", name="赵老", phone="13700000000",
                                category="five_elders", started_on=dt.date(2009, 1, 1))
    services.membership_appoint(actor=None, grid=district.grid3, role="volunteer", name="李医生",
                                phone="13900000001", category="doctor", started_on=dt.date(2009, 1, 1))
    code, out, err = run(write_csv(tmp_path / "team.csv", good))
    assert code == 1
    assert f"team.csv:2: 角色: grid {district.grid.code} already has a promoter: 赵老" in err
    assert f"team.csv:4: 姓名: already serves on the team of grid {district.grid3.code}" in err
    code, out, err = run(write_csv(tmp_path / "team2.csv", good[1:2]))  # 李医生 joins grid 1: the same member
    assert code == 0, err
    assert Member.objects.filter(name="李医生").count() == 1
    assert Membership.objects.filter(member__name="李医生", ended_on__isnull=True).count() == 2
    code, out, err = run(write_csv(tmp_path / "team3.csv", [f"{district.grid2.code},别人,13900000001,志愿者,医生,,,"]))
    assert "recorded for a team member with another name" in err and "李医生" not in err


def test_gb18030_and_xlsx(tmp_path, district, good):
    code, out, err = run(write_csv(tmp_path / "gb.csv", good[:1], encoding="gb18030"))
    assert code == 0, err
    assert Member.objects.get().name == "王大明"
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append([int(district.grid2.code), "张乡贤", 13900000002, "志愿者", "乡贤", "", "否", dt.datetime(2011, 5, 1)])
    book.save(tmp_path / "team.xlsx")
    code, out, err = run(tmp_path / "team.xlsx")
    assert code == 0, err
    assert Membership.objects.get(member__name="张乡贤").started_on == dt.date(2011, 5, 1)


def test_scope_of_the_importer(tmp_path, district, personas, good):
    code, out, err = run(write_csv(tmp_path / "team.csv", good), "--actor", personas.village_cadre.username)
    assert code == 1 and f"team.csv:4: 网格编码: unknown grid code {district.grid3.code}" in err  # another village
    code, out, err = run(write_csv(tmp_path / "team.csv", good), "--actor", personas.township_cadre.username)
    assert code == 0, err


def test_missing_column(tmp_path, district):
    path = tmp_path / "team.csv"
    path.write_text("网格编码,姓名\n330803001001001,王\n", encoding="utf-8")
    code, out, err = run(path)
    assert code == 1 and "team.csv:1: missing column(s): 联系电话, 角色, 类别" in err


def login(client, user, persona_password):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert client.login(username=user.username, password=persona_password)
    return client


def test_upload_page_and_template(client, tmp_path, district, personas, persona_password, good, settings,
                                  django_capture_on_commit_callbacks):
    settings.SHUANGLIAN_TASKS, settings.VAR_DIR = "inline", tmp_path
    assert login(client, personas.promoter, persona_password).get("/teams/import/").status_code == 403
    client = login(client, personas.township_cadre, persona_password)
    template = client.get("/teams/import/template/", {"format": "csv"})
    assert template.status_code == 200 and template.content.decode("utf-8-sig").startswith(HEADER)
    assert client.get("/teams/import/template/")["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = [*good, f"{district.grid.code},戊,13900000015,促进员,村民代表,,,"]
    source = write_csv(tmp_path / "team.csv", rows, encoding="gb18030")
    with open(source, "rb") as fh, django_capture_on_commit_callbacks(execute=True):  # the job runs on commit
        posted = client.post("/teams/import/", {"file": fh})
    page = client.get(posted["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nothing was written." in html and "second promoter" in html and "<td data-label=\"Line\">6</td>" in html
    assert not Membership.objects.exists()
    with open(source, "rb") as fh, django_capture_on_commit_callbacks(execute=True):
        posted = client.post("/teams/import/", {"file": fh, "skip_invalid": "on"})
    page = client.get(posted["Location"])
    assert page.status_code == 200 and "Written: 2 promoters, 2 volunteers." in page.content.decode()
    assert Membership.objects.count() == 4
    assert "team.csv" in client.get("/teams/import/").content.decode()  # the recent imports


def test_names_and_employers_longer_than_their_columns_are_refused(tmp_path, district, good):
    """Issue 13, finding 11: SQLite stored any length."""
    g1 = district.grid.code
    code, out, err = run(write_csv(tmp_path / "team.csv", [*good, f"{g1},{'甲' * 51},13900000021,志愿者,医生,{'单' * 101},,"]))
    assert code == 1 and Member.objects.count() == 0
    assert "team.csv:6: 姓名: 51 characters, at most 50" in err and "team.csv:6: 工作单位: 101 characters, at most 100" in err
