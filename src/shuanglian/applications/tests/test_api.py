"""The service API: public points and catalog, applications with one POST per step (409 for an illegal one),
scope as 404, constant queries per list, statistics, and the public status lookup with its throttle."""
import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from shuanglian.applications import public, services

from .conftest import SH

APPS = "/api/v1/applications/"


@pytest.fixture
def now(time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=SH), tick=False)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _create(api, user, net, point=None, item=None):
    return api.as_(user).post(APPS, {"item": (item or net.hukou).pk, "point": (point or net.center).pk,
                                     "applicant_name": "王大明", "applicant_phone": "13912345678"}, format="json")


def test_points_and_catalog_are_public(net, district):
    client = APIClient()
    r = client.get("/api/v1/service-points/?kind=center")
    assert r.status_code == 200
    names = [p["name"] for p in r.json()["results"]]
    assert names == ["樟潭街道便民服务中心", "上方镇便民服务中心"]
    r = client.get(f"/api/v1/service-points/?kind=agent_point&within={district.township.code}")
    body = r.json()["results"]
    assert [p["name"] for p in body] == ["樟潭社区代办点"]
    assert body[0]["staff"] == [{"name": "代办员", "position": "代办员", "photo": "", "full_time": True}]
    assert body[0]["center_name"] == "樟潭街道便民服务中心"
    assert client.get(f"/api/v1/service-points/?within={district.township2.code}").json()["count"] == 1
    r = client.get("/api/v1/service-items/?q=户口")
    assert [i["code"] for i in r.json()["results"]] == ["HJ-01"]
    item = r.json()["results"][0]
    assert (item["legal_days"], item["promised_days"], item["materials"]) == (20, 5, ["户口簿", "身份证"])
    assert client.post("/api/v1/service-items/", {}, format="json").status_code == 401
    # The items each point accepts: an agent point not the center-only ones.
    codes = [i["code"] for i in client.get(f"/api/v1/service-items/?point={net.agent.pk}").json()["results"]]
    assert codes == ["HJ-01", "MZ-01"]
    codes = [i["code"] for i in client.get(f"/api/v1/service-items/?point={net.center.pk}").json()["results"]]
    assert codes == ["HJ-01", "MZ-01", "ZJ-01"]


def _count(client, url, expected_count=None) -> int:
    connection.queries_log.clear()  # a full log (9000 rows) would make every capture read 0
    with CaptureQueriesContext(connection) as queries:
        body = client.get(url).json()
    if expected_count is not None:
        assert body["count"] == expected_count
    return len(queries)


def test_lists_run_constant_queries(net, personas, api, now):
    for _i in range(3):
        _create(api, personas.service_staff, net)
    client = APIClient()
    few = _count(client, "/api/v1/service-points/", 3)
    services.service_point_create(actor=personas.county_office, division=net.agent.division.parent.children.exclude(
        pk=net.agent.division_id).first(), kind="agent_point", name="樟树潭村代办点")
    assert _count(client, "/api/v1/service-points/", 4) == few > 0
    api.as_(personas.service_staff)
    few = _count(api, APPS, 3)
    _create(api, personas.service_staff, net)
    assert _count(api, APPS, 4) == few > 0


def test_the_county_office_edits_the_catalog(net, personas, api):
    r = api.as_(personas.county_office).post("/api/v1/service-items/", {
        "code": "SB-01", "name": "城乡居民养老保险参保登记", "department": personas.police.pk, "legal_days": 10,
        "promised_days": 12, "materials": ["身份证"]}, format="json")
    assert r.status_code == 400 and "promised_days" in r.json()["details"]
    r = api.as_(personas.county_office).post("/api/v1/service-items/", {
        "code": "SB-01", "name": "城乡居民养老保险参保登记", "department": personas.police.pk, "legal_days": 10,
        "promised_days": 3, "materials": ["身份证"]}, format="json")
    assert r.status_code == 201, r.json()
    r = api.as_(personas.county_office).patch(f"/api/v1/service-items/{r.json()['id']}/", {"promised_days": 2},
                                              format="json")
    assert r.status_code == 200 and r.json()["promised_days"] == 2
    r = api.as_(personas.service_staff).patch(f"/api/v1/service-items/{net.hukou.pk}/", {"promised_days": 2},
                                              format="json")
    assert r.status_code == 403


def test_accept_at_an_agent_point_forward_handle_reply(net, personas, api, now):
    r = _create(api, net.agent_staff, net, point=net.agent)
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["receipt_no"].startswith("2026-") and body["promised_date"] == "2026-03-09"
    assert body["applicant_phone"] == "139****5678" and "13912345678" not in r.content.decode()
    assert body["allowed_actions"] == ["forward", "request_materials", "refuse", "return"]
    url = f"{APPS}{body['id']}/actions/"
    r = api.as_(net.agent_staff).post(url + "handle/", {}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "illegal_transition"
    assert api.as_(net.agent_staff).post(url + "accept/", {}, format="json").status_code == 409
    assert api.as_(net.agent_staff).post(url + "fly/", {}, format="json").status_code == 404
    r = api.as_(net.agent_staff).post(url + "forward/", {}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "forwarded"
    r = api.as_(personas.service_staff).post(url + "request_materials/", {"missing": ["户口簿原件", "迁入证明"]},
                                             format="json")
    assert r.status_code == 200 and r.json()["missing_materials"] == ["户口簿原件", "迁入证明"]
    r = api.as_(personas.service_staff).post(url + "materials_received/", {}, format="json")
    assert r.json()["status"] == "forwarded"
    r = api.as_(personas.service_staff).post(url + "handle/", {}, format="json")
    assert r.json()["status"] == "handling" and r.json()["department_name"] == "衢江区公安分局"
    r = api.as_(personas.department_member).post(url + "reply/", {"result": "已办结", "notified_by": "phone",
                                                                  "satisfaction": "satisfied"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "replied" and r.json()["on_time"] is True
    assert [t["action"] for t in r.json()["timeline"]] == [
        "accept", "forward", "request_materials", "materials_received", "handle", "reply"]


def test_scope_reads_as_404_and_refusal_needs_a_reason(net, personas, api, now):
    r = _create(api, personas.service_staff, net)
    pk = r.json()["id"]
    assert api.as_(net.agent_staff).get(f"{APPS}{pk}/").status_code == 404
    assert api.as_(personas.outsider).get(f"{APPS}{pk}/").status_code == 404
    assert api.as_(personas.department_member).get(f"{APPS}{pk}/").status_code == 404
    assert api.as_(personas.township_cadre).get(f"{APPS}{pk}/").status_code == 200
    assert api.as_(personas.township_cadre).post(f"{APPS}{pk}/actions/handle/", {}, format="json").status_code == 403
    assert _create(api, net.agent_staff, net).status_code == 403
    r = api.as_(personas.service_staff).post(f"{APPS}{pk}/actions/refuse/", {}, format="json")
    assert r.status_code == 400 and "reason" in r.json()["details"]
    assert APIClient().get(APPS).status_code == 401


def test_stats(net, personas, api, district, now):
    _create(api, personas.service_staff, net)
    r = api.as_(personas.county_office).get(f"/api/v1/stats/services/?within={district.county.code}")
    assert r.status_code == 200
    body = r.json()
    assert (body["centers"], body["agent_points"], body["staff"], body["applications"]) == (2, 1, 3, 1)
    assert body["by_status"]["accepted"] == 1 and body["on_time_rate"] is None
    assert api.as_(personas.outsider).get(
        f"/api/v1/stats/services/?within={district.county.code}").status_code == 404


def _lookup(client, receipt, digits, ip="10.0.0.1"):
    return client.get(f"/api/v1/public/applications/{receipt}/?phone_last4={digits}", REMOTE_ADDR=ip)


def test_the_public_lookup_answers_status_and_promised_date_only(net, personas, api, now):
    receipt = _create(api, personas.service_staff, net).json()["receipt_no"]
    r = _lookup(APIClient(), receipt, "5678")
    assert r.status_code == 200
    assert r.json() == {"status": "accepted", "promised_date": "2026-03-09"}
    text = r.content.decode()
    for secret in ("王大明", "5678", "139", "户口", "樟潭", "公安"):
        assert secret not in text
    wrong = _lookup(APIClient(), receipt, "1234")
    unknown = _lookup(APIClient(), "2026-ZZZZ-ZZZZ", "5678")
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()  # which part was wrong is not disclosed
    assert _lookup(APIClient(), receipt, "56x8").status_code == 400


def test_wrong_guesses_are_throttled_per_receipt_and_per_client(net, personas, api, now):
    receipt = _create(api, personas.service_staff, net).json()["receipt_no"]
    other = _create(api, personas.service_staff, net).json()["receipt_no"]
    client = APIClient()
    # Per receipt: guesses from many clients count together; then even the right digits get 429.
    for i in range(public.LIMIT_PER_RECEIPT):
        assert _lookup(client, receipt, f"{i:04d}", ip=f"10.0.1.{i}").status_code == 404
    r = _lookup(client, receipt, "5678", ip="10.0.2.1")
    assert r.status_code == 429 and r.json()["code"] == "throttled"
    assert _lookup(client, other, "5678", ip="10.0.2.1").status_code == 200  # another receipt is not blocked
    # Per client: one client guessing across receipts.
    cache.clear()
    for i in range(public.LIMIT_PER_CLIENT):
        assert _lookup(client, f"2026-AAAA-{1000 + i}", "0000", ip="10.0.3.3").status_code == 404
    assert _lookup(client, other, "5678", ip="10.0.3.3").status_code == 429
    assert _lookup(client, other, "5678", ip="10.0.3.4").status_code == 200


def test_the_lock_slows_guessing_but_never_refuses_the_right_answer_for_good(net, personas, api, time_machine):
    """Finding 13: past the limit each wrong guess locks the receipt for a doubling delay; attempts refused
    during a lock do not lengthen it, so the citizen's right digits answer once it passes."""
    t0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SH)
    time_machine.move_to(t0, tick=False)
    receipt = _create(api, personas.service_staff, net).json()["receipt_no"]
    for i in range(public.LIMIT_PER_RECEIPT):
        assert _lookup(APIClient(), receipt, f"{i:04d}", ip=f"10.0.6.{i}").status_code == 404
    refused = _lookup(APIClient(), receipt, "5678", ip="10.0.7.1")
    assert refused.status_code == 429 and refused.json()["details"]["retry_after"] == public.LOCK_BASE_SECONDS
    for i in range(30):  # someone keeps trying during the lock
        assert _lookup(APIClient(), receipt, f"{i:04d}", ip=f"10.0.8.{i}").status_code == 429
    time_machine.move_to(t0 + dt.timedelta(seconds=public.LOCK_BASE_SECONDS + 1), tick=False)
    assert _lookup(APIClient(), receipt, "0042", ip="10.0.9.1").status_code == 404  # one more wrong guess...
    t1 = t0 + dt.timedelta(seconds=public.LOCK_BASE_SECONDS + 1)
    time_machine.move_to(t1 + dt.timedelta(seconds=public.LOCK_BASE_SECONDS + 1), tick=False)
    assert _lookup(APIClient(), receipt, "5678", ip="10.0.9.2").status_code == 429  # ...doubles the lock
    time_machine.move_to(t1 + dt.timedelta(seconds=2 * public.LOCK_BASE_SECONDS + 1), tick=False)
    assert _lookup(APIClient(), receipt, "5678", ip="10.0.9.2").status_code == 200
    assert public.lock_seconds(100, public.LIMIT_PER_RECEIPT) == public.LOCK_MAX_SECONDS


def test_behind_a_trusted_proxy_each_citizen_has_an_own_count(net, personas, api, settings, now):
    settings.TRUSTED_PROXIES = ["10.10.0.0/16"]
    receipt = _create(api, personas.service_staff, net).json()["receipt_no"]
    other = _create(api, personas.service_staff, net).json()["receipt_no"]
    client = APIClient()
    for i in range(public.LIMIT_PER_CLIENT):  # one citizen guessing across receipts, through the proxy
        r = client.get(f"/api/v1/public/applications/2026-AAAA-{1000 + i}/?phone_last4=0000",
                       REMOTE_ADDR="10.10.0.5", HTTP_X_FORWARDED_FOR="203.0.113.7")
        assert r.status_code == 404
    through_proxy = {"REMOTE_ADDR": "10.10.0.5", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    assert client.get(f"/api/v1/public/applications/{other}/?phone_last4=5678", **through_proxy).status_code == 429
    # Another citizen behind the same proxy is not locked out with them.
    assert client.get(f"/api/v1/public/applications/{receipt}/?phone_last4=5678", REMOTE_ADDR="10.10.0.5",
                      HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200
    # Not from a trusted proxy, the header is the client's own word and is not believed.
    assert client.get(f"/api/v1/public/applications/{other}/?phone_last4=5678", REMOTE_ADDR="203.0.113.7",
                      HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


def test_supervision_board_and_monthly_over_the_api(net, personas, api, district, now):
    _create(api, personas.service_staff, net)
    r = api.as_(personas.county_office).get(f"{APPS}supervision-board/?within={district.county.code}")
    assert r.status_code == 200
    assert r.json() == [{"id": net.center.pk, "name": "樟潭街道便民服务中心", "open": 1, "overdue": 0, "near_due": 0}]
    assert api.get(f"{APPS}supervision-board/?by=planet").status_code == 400
    r = api.get(f"{APPS}monthly/?year=2026&month=3")
    assert r.status_code == 200 and r.json() == []
    assert api.get(f"{APPS}monthly/?year=2026").status_code == 400


def test_a_complaint_over_the_api(net, personas, api, now):
    pk = _create(api, personas.service_staff, net).json()["id"]
    r = api.as_(personas.township_cadre).post(f"{APPS}{pk}/complaints/", {"text": "等了很久"}, format="json")
    assert r.status_code == 201 and r.json()["recorded_by"] == "township_cadre"
    r = api.as_(personas.service_staff).get(f"{APPS}{pk}/")
    assert [c["text"] for c in r.json()["complaints"]] == ["等了很久"]
    assert api.as_(personas.outsider).post(f"{APPS}{pk}/complaints/", {"text": "x"}, format="json").status_code == 404
