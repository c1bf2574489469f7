"""The API as a phone client uses it: a meeting recorded with its quorum text, a decision's steps with the
409 naming the missing step, bad input named by field, and the statistics' exact shape."""
# ruff: noqa: F811  (pytest fixtures imported from helpers)
from shuanglian.village_affairs import services

from .helpers import TODAY, clock, meeting  # noqa: F401

MEETINGS, DECISIONS = "/api/v1/village-meetings/", "/api/v1/village-decisions/"


def test_a_cadre_records_a_meeting_and_sees_its_quorum(api, personas, district, clock):
    client = api.as_(personas.village_cadre)
    r = client.post(MEETINGS, {"village": district.village.code, "kind": "representatives", "title": "代表会议",
                               "held_on": TODAY.isoformat(), "present": 32, "eligible": 45,
                               "motions": [{"text": "同意出租", "votes_for": 20}]}, format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["quorum_text"] == "32 of 45 present: quorum needs 30 — reached"
    assert body["motions"][0]["passed"] is True
    r = client.post(MEETINGS, {"village": district.village2.code, "kind": "joint", "title": "x",
                               "held_on": TODAY.isoformat(), "present": 3, "eligible": 5}, format="json")
    assert r.status_code == 400 and "village" in r.json()["details"]  # not their village: named


def test_steps_over_the_api_refuse_a_skip_with_409_naming_the_step(api, personas, district, clock):
    client = api.as_(personas.village_cadre)
    r = client.post(DECISIONS, {"village": district.village.code, "title": "集体资产处置",
                                "category": "collective_assets"}, format="json")
    assert r.status_code == 201
    pk = r.json()["id"]
    assert [s["name"] for s in r.json()["steps"]] == ["动议", "审议", "报审", "民决", "告知"]
    r = client.post(f"{DECISIONS}{pk}/step/", {"action": "deliberation"}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "illegal_transition"
    assert "动议 (motion)" in r.json()["message"]
    assert client.post(f"{DECISIONS}{pk}/step/", {"action": "motion", "text": "党支部提议"},
                       format="json").status_code == 200
    joint = meeting(personas.village_cadre, district.village, "joint", present=7, eligible=9, votes_for=5)
    r = client.post(f"{DECISIONS}{pk}/step/", {"action": "deliberation", "meeting": joint.pk,
                                               "motion": joint.motions.get().pk}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "deliberation"
    assert [t["action"] for t in r.json()["timeline"]] == ["motion", "deliberation"]


def test_stats_api_shape(api, personas, district, clock):
    meeting(personas.village_cadre, district.village, "joint", present=7, eligible=9, votes_for=5)
    services.decision_propose(actor=personas.village_cadre, village=district.village, title="A", category="lease")
    r = api.as_(personas.county_office).get(f"/api/v1/stats/village-affairs/?year=2010&within={district.county.code}")
    assert r.status_code == 200
    body = r.json()
    assert {k: body[k] for k in ("joint_meetings", "representatives_meetings", "decisions_voted",
                                 "decisions_complete", "disclosure_on_time_rate")} == {
        "joint_meetings": 1, "representatives_meetings": 0, "decisions_voted": 0, "decisions_complete": 0,
        "disclosure_on_time_rate": None}
    assert api.as_(personas.outsider).get(
        f"/api/v1/stats/village-affairs/?within={district.county.code}").status_code == 404


def test_bodies_with_their_warnings_and_a_pledge_reviewed_by_the_township(api, personas, district, clock):
    cadre = api.as_(personas.village_cadre)
    url = f"/api/v1/village-bodies/{district.village.code}/"
    for i in range(2):
        r = cadre.post(f"{url}posts/", {"body": "committee", "post": "member", "name": f"委员{i}",
                                        "held_from": "2008-03-01"}, format="json")
        assert r.status_code == 201
    body = r.json()
    assert "The villagers' committee has 2 members; the law asks for 3 to 7." in body["warnings"]
    assert "The villagers' committee has no woman member." in body["warnings"]
    assert body["minimum"] == 30 and body["posts"][0]["held_from"] == "2008-03-01"
    r = cadre.post(f"{url}representatives/", {"name": "代表", "households": 16, "held_from": "2008-03-01"},
                   format="json")
    assert r.status_code == 400 and "households" in r.json()["details"]
    post_id = body["posts"][0]["id"]
    r = cadre.post(f"{url}pledges/", {"post": post_id, "kind": "resignation", "text": "不胜任自愿辞职",
                                      "signed_on": TODAY.isoformat()}, format="json")
    pledge_id = r.json()["posts"][0]["pledges"][0]["id"]
    township = api.as_(personas.township_cadre)
    r = township.post(f"{url}pledges/{pledge_id}/review/", {"opinion": "return"}, format="json")
    assert r.status_code == 400 and "note" in r.json()["details"]
    r = township.post(f"{url}pledges/{pledge_id}/review/", {"opinion": "approve"}, format="json")
    assert r.json()["posts"][0]["pledges"][0]["review_opinion"] == "approve"
