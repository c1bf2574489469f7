"""Matters over /api/v1/: the form from a phone, one POST per action with 409 for an illegal one, scope as
404, filters, constant queries per list, the time-limit table, the calendar and the inbox."""
import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shuanglian.matters import services
from shuanglian.matters.models import Matter

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
MATTERS = "/api/v1/matters/"


@pytest.fixture
def now(time_machine):
    time_machine.move_to(dt.datetime(2010, 3, 1, 9, 0, tzinfo=SH), tick=False)


def _post(api, user, data):
    return api.as_(user).post(MATTERS, data, format="json")


def test_a_promoter_records_a_matter_and_moves_it(api, district, personas, now):
    services.ensure_default_categories()
    r = _post(api, personas.promoter, {"grid": district.grid.code, "type": "dispute", "category": "neighbour",
                                       "source": "visit", "title": "宅基地边界纠纷", "raised_by_name": "王大明",
                                       "raised_by_phone": "13912345678"})
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["status"] == "reported" and body["level"] == "grid" and body["category"] == "neighbour"
    assert body["raised_by_phone"] == "139****5678"
    assert "13912345678" not in r.content.decode()
    assert body["allowed_actions"] == ["accept", "escalate", "suspend"]
    assert [t["action"] for t in body["timeline"]] == ["report"]
    url = f"{MATTERS}{body['id']}/actions/"
    r = api.as_(personas.promoter).post(url + "resolve/", {"result": "x"}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "illegal_transition"
    assert r.json()["details"]["allowed"] == ["accept", "escalate", "suspend"]
    r = api.as_(personas.promoter).post(url + "accept/", {}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    r = api.as_(personas.promoter).post(url + "escalate/", {}, format="json")
    assert r.status_code == 400 and "reason" in r.json()["details"]
    r = api.as_(personas.promoter).post(url + "escalate/", {"reason": "需村委协调"}, format="json")
    assert r.status_code == 200 and r.json()["level"] == "village" and r.json()["allowed_actions"] == []
    # The promoter still sees it (it is their grid's), but may no longer act on it.
    r = api.as_(personas.promoter).post(url + "accept/", {}, format="json")
    assert r.status_code == 403
    r = api.as_(personas.promoter).post(url + "fly/", {}, format="json")
    assert r.status_code == 404


def test_a_volunteer_sees_no_phone_and_an_outsider_sees_nothing(api, district, personas, now):
    m = services.matter_report(actor=personas.promoter, grid=district.grid, type="demand", source="phone",
                               title="低保申请咨询", raised_by_phone="13912345678")
    r = api.as_(personas.volunteer).get(f"{MATTERS}{m.pk}/")
    assert r.status_code == 200 and r.json()["raised_by_phone"] is None
    assert api.as_(personas.outsider).get(f"{MATTERS}{m.pk}/").status_code == 404
    assert api.as_(personas.outsider).post(f"{MATTERS}{m.pk}/actions/accept/", {}).status_code == 404
    r = _post(api, personas.outsider, {"grid": district.grid.code, "type": "demand", "source": "visit", "title": "x"})
    assert r.status_code == 404  # the grid is not theirs to see


def test_lists_filter_and_run_a_constant_number_of_queries(api, district, personas, now):
    for i in range(3):
        services.matter_report(actor=personas.village_cadre, grid=district.grid2, type="hazard", source="walk_in",
                               title=f"隐患{i}")
    services.matter_report(actor=personas.promoter, grid=district.grid, type="demand", source="visit", title="需求")
    client = api.as_(personas.township_cadre)
    assert client.get(MATTERS).json()["count"] == 4
    assert client.get(MATTERS, {"type": "hazard"}).json()["count"] == 3
    assert client.get(MATTERS, {"within": district.grid.code}).json()["count"] == 1
    assert client.get(MATTERS, {"within": district.grid2.code, "status": "reported"}).json()["count"] == 3
    assert client.get(MATTERS, {"deadline_state": "red"}).json()["count"] == 0
    with CaptureQueriesContext(connection) as small:
        client.get(MATTERS, {"page_size": 2})
    for i in range(10):
        services.matter_report(actor=personas.township_cadre, grid=district.grid3, type="other", source="online",
                               title=f"其他{i}")
    with CaptureQueriesContext(connection) as large:
        assert len(client.get(MATTERS, {"page_size": 50}).json()["results"]) == 14
    assert 0 < len(large) == len(small), [q["sql"][:150] for q in large.captured_queries]


def test_the_supervision_board_counts_yellow_and_red_per_township(api, district, personas, now):
    from shuanglian.core.deadlines import sweep
    from shuanglian.matters.deadlines import CLOCK

    for _ in range(2):
        services.matter_report(actor=personas.promoter, grid=district.grid, type="demand", source="visit", title="x")
    services.matter_report(actor=personas.county_office, grid=district.grid4, type="demand", source="visit",
                           title="y")
    sweep(CLOCK, at=dt.datetime(2010, 3, 5, 9, 0, tzinfo=SH))
    rows = api.as_(personas.county_office).get(f"{MATTERS}supervision-board/").json()
    assert [(r["township_name"], r["red"]) for r in rows] == [("樟潭街道", 2), ("莲花镇", 1)] or len(rows) == 2
    assert sum(r["red"] for r in rows) == 3
    rows = api.as_(personas.township_cadre).get(f"{MATTERS}supervision-board/").json()
    assert [(r["township"], r["red"]) for r in rows] == [(district.township.code, 2)]
    assert api.as_(personas.promoter).get(f"{MATTERS}supervision-board/").json() == []


def test_the_county_office_edits_time_limits_and_others_may_not(api, district, personas, now):
    table = api.as_(personas.promoter).get("/api/v1/matters/time-limits/").json()
    assert len(table) == 5 * 5 * 3
    cell = {"level": "grid", "type": "demand", "stage": "handle", "amount": 4, "unit": "working_days",
            "warn_before": 1}
    assert api.as_(personas.township_cadre).put("/api/v1/matters/time-limits/", cell, format="json").status_code == 403
    r = api.as_(personas.county_office).put("/api/v1/matters/time-limits/", {**cell, "warn_before": 4}, format="json")
    assert r.status_code == 400
    assert api.as_(personas.county_office).put("/api/v1/matters/time-limits/", cell, format="json").status_code == 200
    m = services.matter_report(actor=personas.promoter, grid=district.grid, type="demand", source="visit", title="x")
    m = services.transition(actor=personas.promoter, matter=m, action="accept")
    # 4 working days from Mon 1 Mar 2010: Fri 5 Mar.
    assert m.deadline_at == dt.datetime(2010, 3, 5, 23, 59, 59, tzinfo=SH)


def test_the_calendar_shows_a_year_and_the_county_office_corrects_a_day(api, district, personas, now):
    days = api.as_(personas.promoter).get("/api/v1/calendar/", {"year": 2010}).json()
    assert {"date": "2010-02-20", "working": True, "name": "make-up working day", "custom": False} in days
    assert sum(1 for d in days if not d["working"]) == 3 + 7 + 3 + 3 + 3 + 3 + 7
    r = api.as_(personas.promoter).put("/api/v1/calendar/", {"date": "2010-03-02", "working": False}, format="json")
    assert r.status_code == 403
    r = api.as_(personas.county_office).put("/api/v1/calendar/", {"date": "2010-03-02", "working": False,
                                                                   "name": "台风停工"}, format="json")
    assert r.status_code == 200
    m = services.matter_report(actor=personas.promoter, grid=district.grid, type="demand", source="visit", title="x")
    assert m.deadline_at == dt.datetime(2010, 3, 4, 23, 59, 59, tzinfo=SH)  # 2 Mar no longer counts


def test_the_inbox_counts_unread_and_marks_read(api, district, personas, now):
    m = services.matter_report(actor=personas.village_cadre, grid=district.grid, type="demand", source="visit",
                               title="x")
    client = api.as_(personas.promoter)
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 1}
    items = client.get("/api/v1/notifications/").json()["results"]
    assert items[0]["url"] == f"/matters/{m.pk}/" == reverse("matters:detail", kwargs={"pk": m.pk})
    assert not items[0]["read"]
    assert client.post("/api/v1/notifications/mark-read/", {}, format="json").json() == {"marked": 1}
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 0}
    assert api.as_(personas.village_cadre).get("/api/v1/notifications/").json()["count"] == 0
    assert Matter.objects.count() == 1


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


def test_a_photo_is_attached_from_a_phone_and_served_only_in_scope(api, client, district, personas, now, settings,
                                                                  tmp_path, persona_password):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    m = services.matter_report(actor=personas.promoter, grid=district.grid, type="hazard", source="visit",
                               title="电线裸露")
    url = f"{MATTERS}{m.pk}/attachments/"
    r = api.as_(personas.promoter).post(url, {"file": SimpleUploadedFile("现场.png", PNG)}, format="multipart")
    assert r.status_code == 201, r.json()
    assert r.json()["content_type"] == "image/png" and r.json()["name"] == "现场.png"
    r = api.as_(personas.promoter).post(url, {"file": SimpleUploadedFile("x.png", b"MZ not an image")},
                                        format="multipart", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "not a photo" in r.json()["message"]
    detail = api.as_(personas.promoter).get(f"{MATTERS}{m.pk}/").json()
    (photo,) = detail["attachments"]
    client.login(username="promoter", password=persona_password)
    assert client.get(photo["url"]).status_code == 200
    client.login(username="outsider", password=persona_password)
    assert client.get(photo["url"]).status_code == 404
    assert api.as_(personas.outsider).post(url, {"file": SimpleUploadedFile("y.png", PNG)},
                                           format="multipart").status_code == 404
