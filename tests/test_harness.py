"""Checks of the test harness itself: the PostgreSQL pass really is PostgreSQL 15+, and the
browser fixtures drive a real phone-sized Chromium against the live server."""
import pytest
from django.db import connection
from django.urls import reverse


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_pass_runs_on_postgresql_15_or_newer():
    assert connection.vendor == "postgresql"
    assert connection.pg_version >= 150000
    assert connection.settings_dict["NAME"].startswith("test_")


@pytest.mark.browser
def test_browser_page_is_a_phone_in_chinese(browser_page, live_server):
    browser_page.goto(live_server.url + reverse("accounts:login"))
    assert browser_page.evaluate("window.innerWidth") == 360
    assert browser_page.evaluate("navigator.language") == "zh-CN"
    assert browser_page.locator("input[type=password]").count() == 1
