"""A session ends after SESSION_IDLE_MINUTES without a request, besides its absolute age."""
import datetime as dt

import time_machine
from django.urls import reverse

from shuanglian.config import settings as production
from shuanglian.core import clock
from shuanglian.core.models import AuditEvent

BROWSE = reverse("organizations:list")


def test_an_idle_session_ends_and_a_busy_one_lives_on(client, personas, settings):
    settings.SESSION_IDLE_MINUTES = 30
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with time_machine.travel(clock.now(), tick=False) as traveller:
        client.force_login(personas.promoter)
        assert client.get(BROWSE).status_code == 200
        for _ in range(3):  # 29 minutes between requests, 87 in all: never idle long enough
            traveller.shift(dt.timedelta(minutes=29))
            assert client.get(BROWSE).status_code == 200
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get(BROWSE, follow=True)
        assert response.redirect_chain[0][0].startswith(reverse("accounts:login"))
        assert "after 30 minutes without activity" in response.content.decode()
        assert client.get(BROWSE).status_code == 302  # signed out for good, not just this once
    event = AuditEvent.objects.get(action="auth.logout")
    assert event.actor == personas.promoter and event.after == {"reason": "idle"}


def test_the_api_over_a_session_answers_401_when_idle(client, personas, settings):
    settings.SESSION_IDLE_MINUTES = 5
    with time_machine.travel(clock.now(), tick=False) as traveller:
        client.force_login(personas.promoter)
        assert client.get("/api/v1/divisions/").status_code == 200
        traveller.shift(dt.timedelta(minutes=6))
        response = client.get("/api/v1/divisions/")
        assert response.status_code == 401 and response.json()["details"] == {"reason": "idle"}


def test_idle_logout_can_be_turned_off(client, personas, settings):
    settings.SESSION_IDLE_MINUTES = 0
    with time_machine.travel(clock.now(), tick=False) as traveller:
        client.force_login(personas.promoter)
        client.get(BROWSE)
        traveller.shift(dt.timedelta(hours=7))
        assert client.get(BROWSE).status_code == 200


def test_the_production_defaults():
    assert production.SESSION_IDLE_MINUTES == 30 and production.PASSWORD_MAX_AGE_DAYS == 90
    assert production.LOGIN_LOCKOUT_FAILURES == 5 and production.GRANT_APPROVAL == "alert"
    assert "shuanglian.accounts.middleware.IdleLogoutMiddleware" in production.MIDDLEWARE
