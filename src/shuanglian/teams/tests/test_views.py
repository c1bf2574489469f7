"""The roster page of a grid and the coverage page, each three ways: no permission, permitted, out of scope."""
import datetime as dt

import pytest

from shuanglian.teams import services

D = dt.date(2010, 3, 1)


@pytest.fixture
def team(district):
    promoter = services.membership_appoint(actor=None, grid=district.grid, role="promoter", name="王大明",
                                           phone="13912345678", category="five_elders", started_on=D)
    services.membership_appoint(actor=None, grid=district.grid, role="volunteer", name="李医生",
                                phone="13900000001", category="doctor", from_public_institution=True, started_on=D)
    old = services.membership_appoint(actor=None, grid=district.grid, role="volunteer", name="张旧",
                                      category="notable", started_on=D)
    services.membership_end(actor=None, membership=old, ended_on=dt.date(2011, 1, 1), reason="moved away")
    return promoter


def login(client, user, persona_password):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # assertions read the English source strings
    assert client.login(username=user.username, password=persona_password)
    return client


def test_roster(client, district, personas, persona_password, team):
    url = f"/teams/grids/{district.grid.code}/"
    assert login(client, personas.nobody, persona_password).get(url).status_code == 403
    page = login(client, personas.promoter, persona_password).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "王大明" in html and "李医生" in html and "139****5678" in html and "13912345678" not in html
    assert "张旧" in html and "moved away" in html  # history
    assert login(client, personas.promoter, persona_password).get(
        f"/teams/grids/{district.grid2.code}/").status_code == 404
    assert login(client, personas.outsider, persona_password).get(url).status_code == 404
    assert login(client, personas.village_cadre, persona_password).get(
        f"/teams/grids/{district.village.code}/").status_code == 404  # not a grid
    empty = login(client, personas.village_cadre, persona_password).get(f"/teams/grids/{district.grid2.code}/")
    assert "This grid has no promoter." in empty.content.decode()


def test_coverage(client, district, personas, persona_password, team):
    assert login(client, personas.nobody, persona_password).get("/teams/").status_code == 403
    page = login(client, personas.village_cadre, persona_password).get("/teams/")
    assert page.status_code == 200
    html = page.content.decode()
    assert district.grid2.name in html  # no promoter there
    assert login(client, personas.village_cadre, persona_password).get(
        "/teams/", {"within": district.township2.code}).status_code == 404
    page = login(client, personas.county_office, persona_password).get("/teams/", {"within": district.village.code})
    assert page.status_code == 200
    assert login(client, personas.outsider, persona_password).get(
        "/teams/", {"within": district.village.code}).status_code == 404
