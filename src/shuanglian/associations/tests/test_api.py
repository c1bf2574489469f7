"""/api/v1/associations/: scope per persona (out of scope reads as 404), kind and within filters, the detail
with officers and meetings, appointing (409 naming the president), ending, meetings with their validation
messages, masking, constant queries per page, the schema."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuanglian.associations import services

from .conftest import D

URL = "/api/v1/associations/"


@pytest.fixture
def staffed(associations):
    def put(key, post, name, phone=""):
        return services.post_appoint(actor=None, association=associations[key], post=post, name=name, phone=phone,
                                     started_on=D)

    return {"president": put("village", "president", "王会长", "13912345678"),
            "secretary": put("village", "secretary", "李秘书", "13900000001"),
            "member": put("village", "member", "张会员"),
            "general": put("general", "president", "赵总会长", "13900000002")}


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == code
    return body


def test_list_is_scoped(api, personas, associations, staffed):
    a = associations
    township = {a["general"].pk, a["village"].pk, a["village2"].pk}
    assert ids(api.as_(personas.township_cadre).get(URL)) == township
    everything = ids(api.as_(personas.county_office).get(URL))
    assert township | {a["general2"].pk, a["village3"].pk} == everything  # not 柯城区's
    # a village sees its own and the general association above it; a promoter the same
    assert ids(api.as_(personas.village_cadre).get(URL)) == {a["general"].pk, a["village"].pk}
    assert ids(api.as_(personas.promoter).get(URL)) == {a["general"].pk, a["village"].pk}
    assert ids(api.as_(personas.outsider).get(URL)) == {a["outside"].pk}
    assert api.as_(personas.nobody).get(URL).json()["results"] == []
    assert api.as_(personas.department_member).get(URL).json()["results"] == []  # no associations.view
    assert api.as_(personas.village_cadre).get(f"{URL}{a['village2'].pk}/").status_code == 404
    assert api.as_(personas.outsider).get(f"{URL}{a['village'].pk}/posts/").status_code == 404
    assert api.as_(personas.county_office).get(f"{URL}{personas.police.pk}/").status_code == 404  # not one


def test_filters_and_row(api, district, personas, associations, staffed):
    client = api.as_(personas.county_office)
    assert ids(client.get(URL, {"kind": "general"})) == {associations["general"].pk, associations["general2"].pk}
    assert ids(client.get(URL, {"kind": "promotion", "within": district.township.code})) == {
        associations["village"].pk, associations["village2"].pk}
    assert ids(client.get(URL, {"within": district.village3.code})) == {associations["village3"].pk}
    assert_error(client.get(URL, {"kind": "club"}), 400, "invalid")
    row = next(r for r in client.get(URL).json()["results"] if r["id"] == associations["village"].pk)
    assert row == {"id": associations["village"].pk, "name": "樟潭社区和谐平安促进会", "kind": "promotion",
                   "division": district.village.code, "division_name": "樟潭社区",
                   "parent": associations["general"].pk, "president": "王会长", "people": 3, "last_meeting": None}


def test_detail_appoint_end_and_meetings(api, personas, associations, staffed):
    a = associations["village"]
    client = api.as_(personas.village_cadre)
    body = client.get(f"{URL}{a.pk}/").json()
    assert [(o["post"], o["name"], o["phone"]) for o in body["officers"]] == [
        ("president", "王会长", "139****5678"), ("secretary", "李秘书", "139****0001")]
    assert body["members_count"] == 1 and body["recent_meetings"] == []
    assert "13912345678" not in client.get(f"{URL}{a.pk}/posts/").content.decode()

    refused = assert_error(client.post(f"{URL}{a.pk}/posts/", {"post": "president", "name": "李四"}, format="json"),
                           409, "president_taken")
    assert "王会长" in refused["message"] and refused["details"]["holder"] == staffed["president"].pk
    ended = client.post(f"{URL}{a.pk}/posts/{staffed['president'].pk}/end/", {"reason": "换届"}, format="json")
    assert ended.status_code == 200 and ended.json()["is_current"] is False and ended.json()["end_reason"] == "换届"
    created = client.post(f"{URL}{a.pk}/posts/", {"post": "president", "name": "李四", "phone": "13700000000"},
                          format="json")
    assert created.status_code == 201, created.content
    assert created.json()["phone"] == "137****0000" and created.json()["post"] == "president"
    assert ids(client.get(f"{URL}{a.pk}/posts/", {"current": "false"})) == {staffed["president"].pk}
    assert len(client.get(f"{URL}{a.pk}/posts/").json()["results"]) == 4

    meeting = client.post(f"{URL}{a.pk}/meetings/", {
        "held_on": "2010-03-15", "topic": "一季度排查", "attendee_count": 9,
        "attendees": [staffed["secretary"].member_id], "minutes": "会议记录", "decisions": ["排查三户"]}, format="json")
    assert meeting.status_code == 201, meeting.content
    assert meeting.json()["attendees"] == [{"id": staffed["secretary"].member_id, "name": "李秘书"}]
    assert client.get(f"{URL}{a.pk}/").json()["recent_meetings"][0]["topic"] == "一季度排查"
    assert client.get(URL, {"within": a.division.code}).json()["results"][0]["last_meeting"] == "2010-03-15"


def test_write_refusals(api, personas, associations, staffed):
    a = associations["village"]
    general = associations["general"]
    cadre = api.as_(personas.village_cadre)
    assert_error(cadre.post(f"{URL}{general.pk}/posts/", {"post": "member", "name": "李"}, format="json"),
                 403, "permission_denied")  # visible, not theirs to manage
    assert_error(api.as_(personas.promoter).post(f"{URL}{a.pk}/meetings/", {"held_on": "2010-03-15", "topic": "t",
                                                                            "attendee_count": 3}, format="json"),
                 403, "permission_denied")
    cadre = api.as_(personas.village_cadre)  # one client: as_() switches who it is
    bad = assert_error(cadre.post(f"{URL}{a.pk}/posts/", {"post": "chairman"}, format="json"), 400, "invalid")
    assert set(bad["details"]) == {"post", "name"}
    bad = assert_error(cadre.post(f"{URL}{a.pk}/posts/", {"post": "member", "name": "李", "phone": "123"},
                                  format="json"), 400, "invalid")
    assert "11-digit" in bad["message"] and bad["details"] == {"phone": "invalid"}
    bad = assert_error(cadre.post(f"{URL}{a.pk}/meetings/", {"held_on": "2010-03-15", "topic": "t",
                                                             "attendees": [staffed["general"].member_id]},
                                  format="json"), 400, "invalid")
    assert "held no post in 樟潭社区和谐平安促进会 on 2010-03-15" in bad["message"]
    assert bad["details"] == {"attendees": [staffed["general"].member_id]}
    bad = assert_error(cadre.post(f"{URL}{a.pk}/meetings/", {"topic": "t", "attendee_count": -1}, format="json"),
                       400, "invalid")
    assert set(bad["details"]) == {"held_on", "attendee_count"}
    assert_error(cadre.post(f"{URL}{a.pk}/posts/{staffed['general'].pk}/end/", {}, format="json"), 404, "not_found")
    cadre.post(f"{URL}{a.pk}/posts/{staffed['member'].pk}/end/", {}, format="json")
    assert_error(cadre.post(f"{URL}{a.pk}/posts/{staffed['member'].pk}/end/", {}, format="json"), 409,
                 "already_ended")


def test_list_queries_do_not_grow_with_the_page(api, personas, associations, staffed):
    client = api.as_(personas.county_office)
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"page_size": 1})
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(URL).json()["results"]) == 5
    assert len(many) == len(few)
    a = associations["village"]
    for i in range(4):
        services.meeting_record(actor=None, association=a, held_on=D, topic=f"t{i}",
                                attendees=[staffed["member"].member_id, staffed["secretary"].member_id])
    with CaptureQueriesContext(connection) as few:
        client.get(f"{URL}{a.pk}/meetings/", {"page_size": 1})
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(f"{URL}{a.pk}/meetings/").json()["results"]) == 4
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as detail:
        assert len(client.get(f"{URL}{a.pk}/").json()["recent_meetings"]) == 4
    assert len(detail) <= 8


def test_schema_lists_the_association_endpoints(openapi_schema):
    schema = openapi_schema
    paths = schema["paths"]
    assert {"/api/v1/associations/", "/api/v1/associations/{id}/", "/api/v1/associations/{id}/posts/",
            "/api/v1/associations/{id}/posts/{post_id}/end/", "/api/v1/associations/{id}/meetings/"} <= set(paths)
    assert paths["/api/v1/associations/{id}/posts/"]["post"]["responses"]["409"]
    params = {p["name"] for p in paths["/api/v1/associations/"]["get"]["parameters"]}
    assert {"kind", "within", "q", "page"} <= params
    assert schema["components"]["schemas"]["AssociationKindEnum"]["enum"] == ["general", "promotion"]
