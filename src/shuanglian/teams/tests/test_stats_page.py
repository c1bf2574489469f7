"""/teams/stats/: the figures of GET /api/v1/stats/teams/ (same selector, same scope), a chart of the
categories, a within= picker; three ways (no permission, permitted, out of scope); constant queries."""
import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuanglian.teams import services

D = dt.date(2010, 3, 1)
URL = "/teams/stats/"


@pytest.fixture
def teams(district):
    def put(grid, role, name, phone, category, public=False):
        services.membership_appoint(actor=None, grid=grid, role=role, name=name, phone=phone, category=category,
                                    from_public_institution=public, started_on=D)

    put(district.grid, "promoter", "王大明", "13912345678", "five_elders")
    put(district.grid, "volunteer", "李医生", "13900000001", "doctor", True)
    put(district.grid3, "volunteer", "李医生", "13900000001", "doctor", True)
    put(district.grid2, "volunteer", "张乡贤", "13900000002", "notable")
    put(district.grid4, "volunteer", "陈老师", "13900000003", "teacher", True)


def login(client, user, persona_password):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert client.login(username=user.username, password=persona_password)
    return client


def figures(html: str) -> dict:
    found = dict(re.findall(r'data-figure="(\w+)">([^<]*)<', html))
    return {k: (None if v == "—" else float(v) if "." in v else int(v)) for k, v in found.items()}


@pytest.mark.parametrize("persona,within", [("county_office", None), ("county_office", "village"),
                                            ("village_cadre", None), ("township_cadre", "township")])
def test_the_page_shows_the_figures_of_the_api(client, api, district, personas, persona_password, teams,
                                               persona, within):
    user = getattr(personas, persona)
    params = {"within": getattr(district, within).code} if within else {}
    page = login(client, user, persona_password).get(URL, params)
    assert page.status_code == 200
    body = api.as_(user).get("/api/v1/stats/teams/", params).json()
    html = page.content.decode()
    assert figures(html) == {k: body[k] for k in ("promoters", "volunteers", "public_volunteers", "public_share",
                                                  "grids_without_promoter")}
    chart = html.split('id="category-chart"')[1].split("</svg>")[0]
    table = html.split('id="team-categories"')[1].split("</table>")[0]
    for label, count in (("doctor", body["categories"]["doctor"]), ("teacher", body["categories"]["teacher"])):
        assert re.search(rf">{label}</td><td class=\"num\"[^>]*>{count}<", table)
        assert f">{label}</text>" in chart


def test_three_ways(client, district, personas, persona_password, teams):
    assert login(client, personas.nobody, persona_password).get(URL).status_code == 403
    assert login(client, personas.village_cadre, persona_password).get(
        URL, {"within": district.township2.code}).status_code == 404
    assert login(client, personas.outsider, persona_password).get(
        URL, {"within": district.village.code}).status_code == 404
    page = login(client, personas.village_cadre, persona_password).get(URL)
    options = re.findall(r'<option value="(\d+)"', page.content.decode())
    assert options == [district.village.code]  # the picker offers what the user may see


def test_queries_do_not_grow_with_the_divisions_or_members(client, district, personas, persona_password, teams):
    client = login(client, personas.county_office, persona_password)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    for i in range(10):
        services.membership_appoint(actor=None, grid=district.grid2, role="volunteer", name=f"v{i}",
                                    phone=f"1380000000{i}", category="other", started_on=D)
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL, {"within": district.township.code}).status_code == 200
    assert len(many) <= len(few) + 1  # the within division itself
