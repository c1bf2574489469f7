"""The posted grid card: the promoter's phone in full (a public posting), volunteers without phones, the
supervision phone; a print page and PDFs with Chinese text in an embedded font, one card per grid or a
village's cards in one file; audited; printing is for managers, out of scope is 404."""
import datetime as dt
import io

import pytest
from pypdf import PdfReader

from shuanglian.core.models import AuditEvent
from shuanglian.organizations.services import organization_create
from shuanglian.teams import services

D = dt.date(2010, 3, 1)


@pytest.fixture
def team(district):
    put = services.membership_appoint
    put(actor=None, grid=district.grid, role="promoter", name="王大明", phone="13912345678",
        category="five_elders", started_on=D)
    put(actor=None, grid=district.grid, role="volunteer", name="李医生", phone="13900000001",
        category="doctor", from_public_institution=True, started_on=D)
    put(actor=None, grid=district.grid2, role="volunteer", name="张乡贤", phone="13900000002",
        category="notable", started_on=D)
    organization_create(actor=None, division=district.township, name="樟潭街道双连办", kind="office",
                        function="shuanglian_office", phone="0570-3012345")


def login(client, user, persona_password):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert client.login(username=user.username, password=persona_password)
    return client


def pdf_text(content: bytes) -> tuple[str, int]:
    pages = PdfReader(io.BytesIO(content)).pages
    return "".join("".join(page.extract_text().split()) for page in pages), len(pages)


def test_the_card_shows_the_promoter_phone_in_full_and_no_volunteer_phone(client, district, personas,
                                                                         persona_password, team):
    page = login(client, personas.village_cadre, persona_password).get(f"/teams/grids/{district.grid.code}/card/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "第一网格" in html and district.grid.code in html and "樟潭街道" in html and "樟潭社区" in html
    assert "王大明" in html and "13912345678" in html  # posted publicly: reachable promoter
    assert "李医生" in html and "doctor" in html
    assert "13900000001" not in html and "139****0001" not in html  # volunteers' phones are not printed
    assert "0570-3012345" in html  # supervision phone
    assert "no-store" in page["Cache-Control"]
    event = AuditEvent.objects.get(action="teams.cards_generate")
    assert event.after["grids"] == [district.grid.code] and event.after["output"] == "html"
    assert "13912345678" not in str(event.after)
    # the roster, the API and the other pages still mask it
    roster = client.get(f"/teams/grids/{district.grid.code}/").content.decode()
    assert "13912345678" not in roster and "139****5678" in roster


def test_the_pdf_holds_the_chinese_text(client, district, personas, persona_password, team):
    response = login(client, personas.township_cadre, persona_password).get(
        f"/teams/grids/{district.grid.code}/card/pdf/", {"size": "A4"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text, pages = pdf_text(response.content)
    assert pages == 1
    assert "第一网格" in text and "王大明" in text and "13912345678" in text and "李医生" in text
    assert "13900000001" not in text
    box = PdfReader(io.BytesIO(response.content)).pages[0].mediabox
    assert round(float(box.width)) == 595  # A4 portrait, in points


def test_a_village_s_cards_in_one_pdf(client, district, personas, persona_password, team):
    response = login(client, personas.village_cadre, persona_password).get(
        f"/teams/villages/{district.village.code}/cards/pdf/")
    assert response.status_code == 200
    text, pages = pdf_text(response.content)
    assert pages == 2  # one card per grid: 第一网格 and 第二网格 (no promoter yet)
    assert "第二网格" in text and "张乡贤" in text and "13900000002" not in text
    event = AuditEvent.objects.get(action="teams.cards_generate")
    assert event.after["grids"] == [district.grid.code, district.grid2.code]
    assert round(float(PdfReader(io.BytesIO(response.content)).pages[0].mediabox.width)) == 420  # A5


def test_who_may_print(client, district, personas, persona_password, team):
    url = f"/teams/grids/{district.grid.code}/card/"
    assert login(client, personas.nobody, persona_password).get(url).status_code == 403
    assert login(client, personas.promoter, persona_password).get(url).status_code == 403  # views, does not manage
    assert login(client, personas.outsider, persona_password).get(url).status_code == 404
    assert login(client, personas.village_cadre, persona_password).get(
        f"/teams/grids/{district.grid4.code}/card/").status_code == 404
    assert login(client, personas.village_cadre, persona_password).get(
        f"/teams/villages/{district.grid.code}/cards/pdf/").status_code == 404  # not a village
    assert not AuditEvent.objects.filter(action="teams.cards_generate").exists()
