"""The public pages: the service guide (searchable, printable, no login, constant queries) and the status
lookup page (status and promised date only; wrong guesses throttled as in the API)."""
import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuanglian.services import public, services

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
