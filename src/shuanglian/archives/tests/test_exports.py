"""Village book and household file: Chinese renders with an embedded CJK font, PII masked unless revealed
with a reason (audited), no PII columns for volunteers, out of scope is 404. The village book is made by
an export job (run inline here; the job itself is tested in test_export_jobs.py)."""
import io
import re
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, include, path, reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from shuanglian.archives import exports, services
from shuanglian.config import urls as project_urls
from shuanglian.core.idnumber import check_character
from shuanglian.core.models import AuditEvent

# The project's URLs, plus the exports if the project does not include them yet.
urlpatterns = list(project_urls.urlpatterns)
try:
    reverse("archive_exports:village_book", args=["1"], urlconf=project_urls)
except NoReverseMatch:
    urlpatterns.append(path("archives/export/", include("shuanglian.archives.export_urls")))
pytestmark = pytest.mark.urls(__name__)


def _id(first17: str) -> str:
    return first17 + check_character(first17)


HEAD_ID, SPOUSE_ID, OTHER_ID = _id("33080319650312001"), _id("33080319680715002"), _id("33080319700101003")
HEAD_PHONE = "13912345678"
MASKED_HEAD_ID = HEAD_ID[:6] + "*" * 8 + HEAD_ID[-4:]
MASKED_PHONE = "139****5678"
PLAINTEXT = (HEAD_ID, SPOUSE_ID, OTHER_ID, HEAD_PHONE)


@pytest.fixture
def village(district, personas):
    """樟潭社区: two households in its first grid, one in its second; a relation across them."""
    keeper = personas.archive_keeper
    hh1 = services.household_register(actor=keeper, grid=district.grid, number="001", address="樟潭社区1号",
                                      annual_income="36000", tags=["low_income", "party_member"])
    head = services.person_add(actor=keeper, household=hh1, name="王大明", relation_to_head="head",
                               id_number=HEAD_ID, phone=HEAD_PHONE, education="初中", occupation="农民",
                               skills="泥瓦匠")
    services.person_add(actor=keeper, household=hh1, name="李秀英", relation_to_head="spouse", id_number=SPOUSE_ID,
                        skills="=1+2")
    services.person_update(actor=keeper, person=head, phone="13912345678", occupation="务工")
    services.household_register(actor=keeper, grid=district.grid, number="002", address="樟潭社区2号")
    hh3 = services.household_register(actor=keeper, grid=district.grid2, number="101", address="樟潭社区9号")
    other = services.person_add(actor=keeper, household=hh3, name="张建国", relation_to_head="head",
                                id_number=OTHER_ID)
    services.relation_add(actor=keeper, person=head, other=other, kind="relative", note="表兄弟")
    return hh1


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _pdf_fonts(content: bytes) -> list[tuple[str, bool]]:
    """(BaseFont, has an embedded font program) for each font the pages use."""
    found = []
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found.append((str(font["/BaseFont"]), embedded))
    return found


def _xlsx_values(content: bytes) -> list[list]:
    book = load_workbook(io.BytesIO(content))
    return [[c.value for c in row] for sheet in book.worksheets for row in sheet.iter_rows()]


@pytest.fixture
def client(client):
    """Pages in English (the source strings), whatever the catalog says."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture(autouse=True)
def _jobs_inline(settings, tmp_path):
    settings.SHUANGLIAN_TASKS = "inline"
    settings.VAR_DIR = tmp_path


def _get(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(f"archive_exports:{name}", args=args))


def _village_book(client, user, code, fmt="pdf", reason=None):
    """Ask for the village book as `user` (the job runs inline), then download it: the download's response."""
    client.force_login(user)
    if reason is None:
        response = client.post(reverse("archive_exports:village_book", args=[code]), {"format": fmt})
    else:
        response = client.post(reverse("archive_exports:village_book_reveal", args=[code]),
                               {"format": fmt, "reason": reason})
    if response.status_code != 302:
        return response
    page = client.get(response["Location"])
    assert page.status_code == 200 and page.context["available"], page.content.decode()[:2000]
    return Downloaded(client.post(reverse("archive_exports:export_job_download", args=[page.context["job"].pk])))


class Downloaded:
    """A streamed download read whole: status, headers and content, like a plain response."""

    def __init__(self, response):
        assert response.status_code == 200 and response.streaming, response.status_code
        self.status_code, self.headers = response.status_code, response.headers
        self.content = b"".join(response.streaming_content)

    def __getitem__(self, name):
        return self.headers[name]


def test_village_book_pdf_renders_chinese_masked_with_an_embedded_cjk_font(client, village, personas, district):
    response = _village_book(client, personas.archive_keeper, district.village.code)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=") and "filename*=UTF-8''" in disposition
    assert "%E6%A8%9F%E6%BD%AD" in disposition  # 樟潭, percent-encoded UTF-8
    text = _pdf_text(response.content)
    for expected in ("王大明", "李秀英", "张建国", "浙江省衢州市衢江区樟潭街道樟潭社区", "330803001001",
                     MASKED_HEAD_ID, MASKED_PHONE, "低保户", "泥瓦匠"):
        assert expected in text
    assert not any(secret in text for secret in PLAINTEXT)
    assert re.search(r"\b1 / 1\b", text)  # page numbers
    family = exports.font_family_name(exports.cjk_fonts()["normal"]).replace(" ", "-")
    fonts = _pdf_fonts(response.content)
    assert fonts and all(embedded for _name, embedded in fonts)
    assert all(name.split("+")[-1].startswith(family) for name, _embedded in fonts), fonts
    event = AuditEvent.objects.get(action="archives.export")
    assert event.actor == personas.archive_keeper and event.object_id == str(district.village.pk)
    assert event.after == {"export": "village_book", "format": "pdf", "village": "330803001001",
                           "households": 3, "persons": 3, "pii": "masked"}


def test_a_font_collection_gives_its_simplified_chinese_face():
    """Noto's .ttc starts with the Japanese face; Chinese documents need the SC glyph forms."""
    if not Path(exports.DEFAULT_CJK_FONT).is_file():
        pytest.skip(f"{exports.DEFAULT_CJK_FONT} is not installed")
    fonts = exports.cjk_fonts()
    assert exports.font_family_name(fonts["normal"]) == "Noto Sans CJK SC"
    assert exports.font_family_name(fonts["bold"]) == "Noto Sans CJK SC"


def test_village_book_xlsx_is_masked_with_a_frozen_bold_header(client, village, personas, district):
    response = _village_book(client, personas.archive_keeper, district.village.code, "xlsx")
    assert response.status_code == 200 and ".xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["网格", "户号", "地址"] and "身份证号" in header and "联系电话" in header
    assert all(c.font.bold for c in sheet[1]) and sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["J"].width > 15
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    head = next(r for r in rows if r["姓名"] == "王大明")
    assert head["身份证号"] == MASKED_HEAD_ID and head["联系电话"] == MASKED_PHONE
    assert head["家庭年收入"] == 36000 and "低保户" in head["标签"]
    assert next(r for r in rows if r["户号"] == "002")["姓名"] is None  # a household without members
    spouse_skills = next(row for row in sheet.iter_rows(min_row=2) if row[header.index("姓名")].value == "李秀英")
    skills = spouse_skills[header.index("技能特长")]
    assert skills.data_type == "s" and skills.value == "'=1+2"  # text, never a formula
    flat = str(_xlsx_values(response.content))
    assert not any(secret in flat for secret in PLAINTEXT)


def test_volunteer_export_has_no_id_phone_or_income_columns(client, village, personas, district):
    response = _village_book(client, personas.volunteer, district.village.code, "xlsx")
    header = _xlsx_values(response.content)[0]
    assert "姓名" in header and not {"身份证号", "联系电话", "家庭年收入"} & set(header)
    flat = str(_xlsx_values(response.content))
    assert "王大明" in flat and "张建国" not in flat  # only the volunteer's grid
    assert "低保户" not in flat and "党员户" in flat  # sensitive tags hidden
    text = _pdf_text(_village_book(client, personas.volunteer, district.village.code).content)
    assert "王大明" in text and "第一网格" in text
    assert "ID number" not in text and "****" not in text and "36,000" not in text
    assert AuditEvent.objects.filter(action="archives.export", after__pii="omitted").count() == 2


def test_household_file_has_members_relations_and_history(client, village, personas):
    response = _get(client, personas.archive_keeper, "household_file_pdf", village.pk)
    assert response.status_code == 200
    text = _pdf_text(response.content)
    for expected in ("001", "王大明", "李秀英", MASKED_HEAD_ID, "张建国", "表兄弟", "Member added",
                     "Member changed", "archive_keeper", "occupation: 农民 → 务工", "36,000.00"):
        assert expected in text
    assert not any(secret in text for secret in PLAINTEXT)
    book = load_workbook(io.BytesIO(_get(client, personas.archive_keeper, "household_file_xlsx",
                                         village.pk).content))
    assert book.sheetnames == ["001", "社会关系", "变更记录"]
    assert book["社会关系"]["C2"].value == "张建国"
    # The promoter serves only the first grid: the relative in the second grid is not named.
    text = _pdf_text(_get(client, personas.promoter, "household_file_pdf", village.pk).content)
    assert "张建国" not in text and "(outside your area)" in text


def test_revealed_export_needs_a_reason_and_the_permission_and_is_audited(client, village, personas, district):
    url = reverse("archive_exports:village_book_reveal", args=[district.village.code])
    for user in (personas.volunteer, personas.county_office):  # may see the village, may not reveal
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"reason": "核实身份", "format": "pdf"}).status_code == 403
    client.force_login(personas.archive_keeper)
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": " ", "format": "xlsx"})
    assert response.status_code == 422 and not AuditEvent.objects.filter(action__startswith="archives.export")
    response = _village_book(client, personas.archive_keeper, district.village.code, "xlsx", reason="低保年审入户核对")
    assert response.status_code == 200
    flat = str(_xlsx_values(response.content))
    assert HEAD_ID in flat and HEAD_PHONE in flat and OTHER_ID in flat
    event = AuditEvent.objects.get(action__startswith="archives.export")
    assert event.action == "archives.export_revealed" and event.actor == personas.archive_keeper
    assert event.after["reason"] == "低保年审入户核对" and event.after["persons"] == 3
    assert event.after["village"] == "330803001001" and event.after["pii"] == "revealed"


def test_revealed_pdf_holds_the_plaintext_and_says_who_and_why(client, village, personas):
    client.force_login(personas.promoter)
    response = client.post(reverse("archive_exports:household_file_reveal", args=[village.pk]),
                           {"reason": "办理医保", "format": "pdf"})
    assert response.status_code == 200
    text = _pdf_text(response.content)
    assert HEAD_ID in text and HEAD_PHONE in text and "办理医保" in text and "promoter" in text
    event = AuditEvent.objects.get(action="archives.export_revealed")
    assert event.after["household"] == "001" and event.after["persons"] == 2


def test_out_of_scope_reads_as_not_found(client, village, personas, district):
    assert _get(client, personas.outsider, "village_book", district.village.code).status_code == 404
    assert _village_book(client, personas.outsider, district.village.code).status_code == 404
    assert _get(client, personas.outsider, "household_file_xlsx", village.pk).status_code == 404
    assert _get(client, personas.outsider, "household_file_reveal", village.pk).status_code == 404
    assert _village_book(client, personas.promoter, district.village2.code, "xlsx").status_code == 404
    assert _get(client, personas.promoter, "village_book", district.grid.code).status_code == 404  # not a village
    assert not AuditEvent.objects.filter(action__startswith="archives.export")
    client.logout()
    response = client.get(reverse("archive_exports:village_book", args=[district.village.code]))
    assert response.status_code == 302


def test_without_a_cjk_font_the_message_names_the_package(client, village, personas, district, settings,
                                                          monkeypatch):
    settings.EXPORT_CJK_FONT = "/nonexistent/font.ttc"
    from shuanglian.core import pdf

    monkeypatch.setattr(pdf, "_fontconfig_files", lambda style: [])
    response = _village_book(client, personas.archive_keeper, district.village.code)
    assert response.status_code == 503
    assert "fonts-noto-cjk" in response.content.decode()
    assert not AuditEvent.objects.filter(action__startswith="archives.export")
