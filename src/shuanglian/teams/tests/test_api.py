"""/api/v1/team-members/ and /api/v1/stats/teams/: scope per persona (out of scope reads as 404), the 409
for a second promoter, ending a post, filters, masking, and a constant number of queries per page."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuanglian.teams import services
from shuanglian.teams.models import Membership

URL = "/api/v1/team-members/"
STATS = "/api/v1/stats/teams/"
D = dt.date(2010, 3, 1)


@pytest.fixture
def teams(district, personas):
    def put(grid, role, name, phone, category, public=False):
        return services.membership_appoint(actor=None, grid=grid, role=role, name=name, phone=phone,
                                           category=category, from_public_institution=public, started_on=D)

    return {
        "promoter": put(district.grid, "promoter", "王大明", "13912345678", "five_elders"),
        "doctor": put(district.grid, "volunteer", "李医生", "13900000001", "doctor", True),
        "doctor2": put(district.grid3, "volunteer", "李医生", "13900000001", "doctor", True),
        "notable": put(district.grid2, "volunteer", "张乡贤", "13900000002", "notable"),
        "far": put(district.grid4, "volunteer", "陈老师", "13900000003", "teacher", True),
        "outside": put(district.outside_grid, "promoter", "赵外", "13900000004", "safety_activist"),
    }


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_list_is_scoped_and_masked(api, personas, teams):
    rows = api.as_(personas.village_cadre).get(URL)
    assert ids(rows) == {teams["promoter"].pk, teams["doctor"].pk, teams["notable"].pk}
    first = next(r for r in rows.json()["results"] if r["id"] == teams["promoter"].pk)
    assert first["phone"] == "139****5678" and first["role"] == "promoter" and first["is_current"]
    assert "13912345678" not in rows.content.decode()
    assert ids(api.as_(personas.promoter).get(URL)) == {teams["promoter"].pk, teams["doctor"].pk}
    assert ids(api.as_(personas.outsider).get(URL)) == {teams["outside"].pk}
    assert api.as_(personas.nobody).get(URL).json()["results"] == []
    assert api.as_(personas.outsider).get(f"{URL}{teams['promoter'].pk}/").status_code == 404
    assert api.as_(personas.village_cadre).get(f"{URL}{teams['far'].pk}/").status_code == 404


def test_filters(api, district, personas, teams):
    client = api.as_(personas.county_office)
    assert ids(client.get(URL, {"grid": district.grid.code})) == {teams["promoter"].pk, teams["doctor"].pk}
    assert ids(client.get(URL, {"within": district.township.code, "role": "volunteer"})) == {
        teams["doctor"].pk, teams["doctor2"].pk, teams["notable"].pk}
    assert ids(client.get(URL, {"category": "doctor"})) == {teams["doctor"].pk, teams["doctor2"].pk}
    assert client.get(URL, {"role": "boss"}).status_code == 400


def test_create_second_promoter_is_409_naming_the_holder(api, district, personas, teams):
    client = api.as_(personas.village_cadre)
    body = {"grid": district.grid.code, "role": "promoter", "name": "李四", "phone": "13700000000",
            "category": "safety_activist"}
    response = client.post(URL, body, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "promoter_taken" and "王大明" in response.json()["message"]
    response = client.post(URL, {**body, "grid": district.grid2.code}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["grid"] == district.grid2.code and response.json()["phone"] == "137****0000"


def test_create_and_end_need_manage_in_scope(api, district, personas, teams):
    body = {"grid": district.grid.code, "role": "volunteer", "name": "周", "category": "other"}
    assert api.as_(personas.promoter).post(URL, body, format="json").status_code == 403
    assert api.as_(personas.outsider).post(URL, body, format="json").status_code == 404  # grid out of scope
    assert api.as_(personas.village_cadre).post(URL, {**body, "grid": district.grid4.code},
                                                format="json").status_code == 404
    end = f"{URL}{teams['promoter'].pk}/end/"
    assert api.as_(personas.promoter).post(end, {}, format="json").status_code == 403
    assert api.as_(personas.outsider).post(end, {}, format="json").status_code == 404
    response = api.as_(personas.village_cadre).post(end, {"ended_on": "2012-05-01", "reason": "moved"},
                                                    format="json")
    assert response.status_code == 200, response.content
    assert response.json()["ended_on"] == "2012-05-01" and response.json()["is_current"] is False
    assert api.as_(personas.village_cadre).post(end, {}, format="json").status_code == 409
    assert Membership.objects.filter(pk=teams["promoter"].pk).exists()  # history kept
    current = api.as_(personas.village_cadre).get(URL, {"grid": district.grid.code, "current": "true"})
    assert ids(current) == {teams["doctor"].pk}


def test_stats(api, district, personas, teams):
    stats = api.as_(personas.county_office).get(STATS)
    assert stats.status_code == 200
    body = stats.json()
    assert body["promoters"] == 1 and body["volunteers"] == 3 and body["public_share"] == 0.667
    assert body["categories"]["doctor"] == 1 and body["categories"]["five_elders"] == 1
    village = api.as_(personas.county_office).get(STATS, {"within": district.village.code}).json()
    assert (village["promoters"], village["volunteers"], village["grids_without_promoter"]) == (1, 2, 1)
    assert api.as_(personas.village_cadre).get(STATS, {"within": district.township2.code}).status_code == 404
    assert api.as_(personas.outsider).get(STATS).json()["promoters"] == 1


def test_list_queries_do_not_grow_with_the_page(api, district, personas, teams):
    client = api.as_(personas.county_office)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for i in range(10):
        services.membership_appoint(actor=None, grid=district.grid2, role="volunteer", name=f"v{i}",
                                    phone=f"1380000000{i}", category="other", started_on=D)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(URL).json()["results"]) == 15
    assert len(many) == len(few)


def test_coverage(api, district, personas, teams):
    client = api.as_(personas.county_office)
    body = client.get("/api/v1/team-coverage/", {"within": district.village.code, "size": 3}).json()
    assert [g["code"] for g in body["without_promoter"]] == [district.grid2.code]
    assert {g["code"]: g["team_size"] for g in body["below_size"]} == {district.grid.code: 2, district.grid2.code: 1}
    assert body["in_too_many_grids"] == []
    body = client.get("/api/v1/team-coverage/", {"limit": 1}).json()
    assert [(m["name"], m["grids"]) for m in body["in_too_many_grids"]] == [("李医生", 2)]
    assert api.as_(personas.village_cadre).get("/api/v1/team-coverage/", {"within": district.township2.code}
                                               ).status_code == 404
    assert api.as_(personas.village_cadre).get("/api/v1/team-coverage/", {"limit": 1}).json()[
        "in_too_many_grids"] == []  # sees one of 李医生's grids only
