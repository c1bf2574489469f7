"""The public pages: the service guide (searchable, printable, no login, constant queries) and the status
lookup page (status and promised date only; wrong guesses throttled as in the API)."""
import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuanglian.applications import public, services

from .conftest import at


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_guide_is_public_and_searchable(client, net, personas):
    r = client.get("/services/guide/")
    assert r.status_code == 200
    page = r.content.decode()
    for text in ("户口迁移", "户口簿", "最低生活保障申请", "樟潭街道便民服务中心", "service_staff (窗口)", "樟潭社区代办点",
                 "周一至周五"):
        assert text in page
    page = client.get("/services/guide/?q=户口").content.decode()
    assert "户口迁移" in page and "最低生活保障申请" not in page


def test_the_guide_runs_constant_queries(client, net, personas, district):
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as few:
        client.get("/services/guide/")
    services.service_point_create(actor=personas.county_office, division=district.village2, kind="agent_point",
                                  name="樟树潭村代办点")
    services.staff_post(actor=personas.county_office, point=net.center, name="窗口二", position="窗口")
    services.service_item_create(actor=personas.county_office, code="MZ-02", name="残疾人证办理",
                                 department=net.civil, legal_days=20, promised_days=10)
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as more:
        page = client.get("/services/guide/").content.decode()
    assert "樟树潭村代办点" in page and "窗口二" in page and "残疾人证办理" in page
    assert len(more) == len(few) > 0


def test_the_status_page(client, net, personas):
    app = services.application_accept(actor=personas.service_staff, item=net.hukou, point=net.center,
                                      applicant_name="王大明", applicant_phone="13912345678", at=at(2026, 3, 2, 9))
    url = "/services/status/"
    r = client.post(url, {"receipt": app.receipt_no, "phone_last4": "5678"}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    page = r.content.decode()
    assert "accepted" in page and "2026-03-09" in page
    for secret in ("王大明", "5678", "户口迁移"):
        assert secret not in page
    for i in range(public.LIMIT_PER_RECEIPT):
        assert client.post(url, {"receipt": app.receipt_no, "phone_last4": f"{i:04d}"}).status_code == 404
    assert client.post(url, {"receipt": app.receipt_no, "phone_last4": "5678"}).status_code == 429
    assert client.get(url).status_code == 200
    assert isinstance(app.promised_date, dt.date)


def test_the_counter_three_ways(client, net, personas, persona_password):
    url = f"/services/counter/{net.center.pk}/"
    assert client.get(url).status_code == 302  # to the login page
    client.login(username=personas.promoter.username, password=persona_password)
    assert client.get(url).status_code == 403  # accepts nowhere
    client.login(username=net.agent_staff.username, password=persona_password)
    assert client.get(url).status_code == 404  # another point
    assert client.get("/services/counter/").url == f"/services/counter/{net.agent.pk}/"
    page = client.get(f"/services/counter/{net.agent.pk}/").content.decode()
    assert "户口迁移" in page and "农村建房审批" not in page  # center-only items are not offered
    client.login(username=personas.service_staff.username, password=persona_password)
    r = client.post(url, {"item": net.hukou.pk, "applicant_name": "王大明", "applicant_phone": "13912345678"})
    assert r.status_code == 302
    r = client.get(r.url)
    page = r.content.decode()
    assert r.status_code == 200 and "王大明" in page and "13912345678" not in page
    receipt_url = r.request["PATH_INFO"]
    assert "王大明" in client.get(url).content.decode()  # in the queue
    r = client.post(url, {"item": net.hukou.pk, "applicant_name": "", "applicant_phone": "x"})
    assert r.status_code == 422
    client.login(username=net.agent_staff.username, password=persona_password)
    assert client.get(receipt_url).status_code == 404
