"""The division tree over /api/v1/divisions/: who sees which part, filters, and restructuring."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuanglian.core.models import AuditEvent
from shuanglian.divisions.models import Division
from shuanglian.divisions.services import division_create

URL = "/api/v1/divisions/"


def url(division_or_code, action=""):
    code = getattr(division_or_code, "code", division_or_code)
    return f"{URL}{code}/{action + '/' if action else ''}"


def codes(response):
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["results"]}


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == code and body["message"]
    return body


# --- reads: scope ---------------------------------------------------------------------------------


def test_township_cadre_lists_the_township_subtree_only(api, district, personas):
    d = district
    got = codes(api.as_(personas.township_cadre).get(URL))
    assert got == {d.township.code, d.village.code, d.village2.code, d.grid.code, d.grid2.code, d.grid3.code}


def test_promoter_sees_only_their_grid(api, district, personas):
    client = api.as_(personas.promoter)
    assert codes(client.get(URL)) == {district.grid.code}
    assert_error(client.get(url(district.grid2)), 404, "not_found")
    assert_error(client.get(url(district.village)), 404, "not_found")


def test_outsider_gets_404_on_a_village_of_another_county(api, district, personas):
    client = api.as_(personas.outsider)
    body = assert_error(client.get(url(district.village)), 404, "not_found")
    assert "樟潭" not in body["message"]  # the answer does not disclose the name
    assert district.village.code not in codes(client.get(URL))
    assert client.get(url(district.outside_village)).status_code == 200


def test_an_account_without_grants_sees_nothing(api, district, personas):
    assert codes(api.as_(personas.nobody).get(URL)) == set()


def test_anonymous_is_401_in_the_error_shape(api, district):
    assert_error(api.get(URL), 401, "not_authenticated")


def test_list_fields(api, district, personas):
    rows = api.as_(personas.county_office).get(URL, {"parent": district.village.code}).json()["results"]
    assert rows[0] == {"code": district.grid.code, "name": "第一网格", "level": "grid", "kind": "",
                       "parent": district.village.code, "planned_households": 40, "valid_from": "2001-01-01",
                       "retired_on": None}


# --- reads: filters -------------------------------------------------------------------------------


@pytest.mark.parametrize("params, expected", [
    ({"level": "grid"}, {"grid", "grid2", "grid3", "grid4"}),
    ({"level": "village", "kind": "community"}, {"village"}),
    ({"level": "village", "kind": "village"}, {"village2", "village3"}),
    ({"parent": "330803001001"}, {"grid", "grid2"}),
    ({"within": "330803100"}, {"township2", "village3", "grid4"}),
    ({"within": "330803001", "level": "village"}, {"village", "village2"}),
    ({"q": "樟潭"}, {"township", "village"}),
    ({"q": "上方"}, {"township2", "village3"}),
    ({"q": "3308031"}, {"township2", "village3", "grid4"}),
])
def test_filters(api, district, personas, params, expected):
    got = codes(api.as_(personas.county_office).get(URL, params))
    assert got == {getattr(district, name).code for name in expected}


def test_filters_stay_within_scope(api, district, personas):
    client = api.as_(personas.township_cadre)
    assert codes(client.get(URL, {"within": district.county.code, "level": "grid"})) == {
        district.grid.code, district.grid2.code, district.grid3.code}
    assert codes(client.get(URL, {"parent": district.village3.code})) == set()


def test_a_bad_filter_value_is_400(api, district, personas):
    body = assert_error(api.as_(personas.county_office).get(URL, {"level": "planet"}), 400, "invalid")
    assert "level" in body["details"]


# --- reads: detail --------------------------------------------------------------------------------


def test_detail_has_ancestors_and_child_counts(api, district, personas):
    client = api.as_(personas.township_cadre)
    grid = client.get(url(district.grid)).json()
    assert [(a["code"], a["level"]) for a in grid["ancestors"]] == [
        ("33", "province"), ("3308", "city"), ("330803", "county"), ("330803001", "township"),
        ("330803001001", "village")]
    assert grid["ancestors"][3]["name"] == "樟潭街道" and grid["child_counts"] == {}
    township = client.get(url(district.township)).json()
    assert township["child_counts"] == {"village": 2, "grid": 3}
    assert township["parent"] == district.county.code and township["kind"] == "street"


# --- writes: restructuring ------------------------------------------------------------------------


def test_county_office_renames_and_it_is_audited(api, district, personas):
    response = api.as_(personas.county_office).post(
        url(district.village2, "rename"), {"name": "樟树潭新村", "effective_on": "2020-01-01"}, format="json",
        HTTP_X_REQUEST_ID="req-rename-1")  # a client's own id is not taken (only a trusted proxy's)
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "樟树潭新村"
    event = AuditEvent.objects.get(action="division.rename")
    assert event.actor == personas.county_office and event.object_id == str(district.village2.pk)
    assert event.channel == "api" and event.request_id == response["X-Request-ID"] != "req-rename-1"
    assert event.before["name"] == "樟树潭村" and event.after["name"] == "樟树潭新村"


def test_promoter_may_not_restructure_their_own_grid(api, district, personas):
    client = api.as_(personas.promoter)
    assert_error(client.post(url(district.grid, "rename"), {"name": "x"}, format="json"), 403, "permission_denied")
    assert_error(client.post(url(district.grid, "retire"), {}, format="json"), 403, "permission_denied")
    assert not AuditEvent.objects.filter(action__startswith="division.", actor=personas.promoter).exists()


def test_outsider_restructuring_reads_as_not_found(api, district, personas):
    client = api.as_(personas.outsider)
    assert_error(client.post(url(district.village, "rename"), {"name": "x"}, format="json"), 404, "not_found")
    assert_error(client.post(url(district.outside_village, "merge"), {"sources": [district.village.code]},
                             format="json"), 404, "not_found")
    district.village.refresh_from_db()
    assert district.village.name == "樟潭社区" and district.village.retired_on is None


def test_auditor_writes_nothing(api, district, personas):
    client = api.as_(personas.auditor)
    assert client.get(url(district.village)).status_code == 200
    assert_error(client.post(url(district.village, "rename"), {"name": "x"}, format="json"), 403,
                 "permission_denied")
    assert_error(client.post(url(district.village, "children"), {"name": "x"}, format="json"), 403,
                 "permission_denied")


def test_merge_moves_grids_under_the_target_and_retires_the_sources(api, district, personas):
    d = district
    client = api.as_(personas.county_office)
    response = client.post(url(d.village, "merge"), {"sources": [d.village2.code], "effective_on": "2020-06-01",
                                                     "reason": "村规模调整"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["child_counts"] == {"grid": 3}
    grids = client.get(URL, {"parent": d.village.code}).json()["results"]
    assert len(grids) == 3 and all(g["code"].startswith(d.village.code) for g in grids)
    assert d.grid3.code not in {g["code"] for g in grids}  # it took a new code under the target
    source = client.get(url(d.village2)).json()
    assert source["retired_on"] == "2020-06-01" and source["successor"] == d.village.code
    assert d.village2.code not in codes(client.get(URL))  # lists show current divisions
    event = AuditEvent.objects.get(action="division.village_merge")
    assert event.after["reason"] == "村规模调整" and event.after["grids_moved"][0]["from"] == d.grid3.code
    # Merging it again: the source is retired.
    assert_error(client.post(url(d.village, "merge"), {"sources": [d.village2.code]}, format="json"), 409, "retired")


def test_township_cadre_cannot_merge_a_village_they_cannot_see(api, district, personas):
    response = api.as_(personas.township_cadre).post(
        url(district.village, "merge"), {"sources": [district.village3.code]}, format="json")
    assert_error(response, 404, "not_found")
    assert Division.objects.get(pk=district.village3.pk).retired_on is None


def test_move_a_grid(api, district, personas):
    d = district
    client = api.as_(personas.township_cadre)
    response = client.post(url(d.grid2, "move"), {"village": d.village2.code, "reason": "便于管理"}, format="json")
    assert response.status_code == 200, response.content
    moved = response.json()
    assert moved["parent"] == d.village2.code and moved["code"].startswith(d.village2.code)
    assert moved["ancestors"][-1]["code"] == d.village2.code
    assert AuditEvent.objects.filter(action="division.grid_move", object_id=str(d.grid2.pk)).exists()
    assert_error(client.post(url(d.grid, "move"), {"village": d.village3.code}, format="json"), 404, "not_found")
    assert_error(client.post(url(moved["code"], "move"), {"village": d.village2.code}, format="json"), 400,
                 "no_change")


def test_split_a_grid(api, district, personas):
    response = api.as_(personas.county_office).post(
        url(district.grid, "split"), {"names": ["东片", "西片"], "planned_households": [20, 25, 30]}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["grid"]["code"] == district.grid.code and body["grid"]["planned_households"] == 20
    assert [(g["name"], g["planned_households"], g["parent"]) for g in body["new_grids"]] == [
        ("东片", 25, district.village.code), ("西片", 30, district.village.code)]
    assert AuditEvent.objects.filter(action="division.grid_split").count() == 1


def test_create_a_child(api, district, personas):
    client = api.as_(personas.township_cadre)
    response = client.post(url(district.village2, "children"), {"name": "第二网格", "planned_households": 38},
                           format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == district.village2.code + "002" and body["level"] == "grid"
    assert body["planned_households"] == 38
    assert AuditEvent.objects.filter(action="division.create", actor=personas.township_cadre).exists()


def test_create_errors(api, district, personas):
    client = api.as_(personas.county_office)
    body = assert_error(client.post(url(district.village, "children"), {}, format="json"), 400, "invalid")
    assert "name" in body["details"]
    assert_error(client.post(url(district.village, "children"), {"name": "x", "code": district.grid.code},
                             format="json"), 409, "code_in_use")
    assert_error(client.post(url(district.grid, "children"), {"name": "x"}, format="json"), 400, "invalid_parent")
    assert_error(client.post(url(district.village, "children"), {"name": "x", "effective_on": "2999-01-01"},
                             format="json"), 400, "effective_in_future")
    assert_error(client.post(url(district.township, "children"), {"name": "x", "kind": "street"},
                             format="json"), 400, "invalid_kind")


def test_retire(api, district, personas):
    client = api.as_(personas.county_office)
    response = client.post(url(district.grid4, "retire"), {"effective_on": "2021-03-01", "reason": "撤销"},
                           format="json")
    assert response.status_code == 200 and response.json()["retired_on"] == "2021-03-01"
    assert AuditEvent.objects.get(action="division.retire").after["reason"] == "撤销"
    assert_error(client.post(url(district.village, "retire"), {}, format="json"), 409, "has_children")


# --- query counts ---------------------------------------------------------------------------------


def _queries(client, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.json()["results"])


def test_list_runs_a_constant_number_of_queries(api, district, personas):
    for i in range(12):
        division_create(actor=None, parent=district.village2, name=f"网格{i}", planned_households=30)
    client = api.as_(personas.county_office)
    small, n_small = _queries(client, {"page_size": 5})
    large, n_large = _queries(client, {"page_size": 50})
    assert (n_small, n_large) == (5, 22)  # the county, 2 townships, 3 villages, 4 + 12 grids
    assert small == large
    filtered, _ = _queries(client, {"page_size": 50, "parent": district.village2.code, "q": "网格"})
    assert filtered == large
