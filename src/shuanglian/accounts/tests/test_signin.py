"""Login protection: an account locks after repeated wrong passwords, a failing address slows down, and
every sign-in, failure, lock, sign-out and token issue is in the audit trail. Through the page and the API."""
import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from shuanglian.core import clock
from shuanglian.core.models import AuditEvent
from shuanglian.testing.personas import PASSWORD

LOGIN, TOKEN = reverse("accounts:login"), "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def english_pages(client):
    # The pages' messages are asserted in their English source; the Chinese test asks for Chinese.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def frozen():
    with time_machine.travel(clock.now(), tick=False) as traveller:
        yield traveller


def actions(**filters) -> list[str]:
    return list(AuditEvent.objects.filter(**filters).order_by("seq").values_list("action", flat=True))


def test_five_wrong_passwords_lock_the_account_on_the_login_page(client, personas, frozen):
    for _ in range(4):
        page = client.post(LOGIN, {"username": "township_cadre", "password": "wrong"})
        assert page.status_code == 200 and "locked" not in page.content.decode()
    page = client.post(LOGIN, {"username": "township_cadre", "password": "wrong"})
    until = clock.now() + dt.timedelta(minutes=30)
    text = page.content.decode()
    assert "This account is locked" in text and f"{until.astimezone(dt.timezone(dt.timedelta(hours=8))):%H:%M}" in text
    # The right password is refused until then, and the refusal says so again.
    page = client.post(LOGIN, {"username": "township_cadre", "password": PASSWORD})
    assert page.status_code == 200 and "This account is locked" in page.content.decode()
    assert not page.context["user"].is_authenticated
    frozen.shift(dt.timedelta(minutes=31))
    page = client.post(LOGIN, {"username": "township_cadre", "password": PASSWORD})
    assert page.status_code == 302
    personas.township_cadre.refresh_from_db()
    assert personas.township_cadre.failed_logins == 0 and personas.township_cadre.locked_until is None
    assert actions(object_id=str(personas.township_cadre.pk), action__startswith="auth.") == [
        *["auth.login_failed"] * 5, "auth.lockout", "auth.login_refused", "auth.login"]


def test_the_lock_message_is_in_chinese(client, personas, settings):
    settings.LOGIN_LOCKOUT_FAILURES = 1
    page = client.post(LOGIN, {"username": "promoter", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "账号已被锁定" in page.content.decode()


def test_a_right_password_between_failures_starts_the_count_again(client, personas):
    for _ in range(4):
        client.post(LOGIN, {"username": "promoter", "password": "wrong"})
    assert client.post(LOGIN, {"username": "promoter", "password": PASSWORD}).status_code == 302
    client.logout()
    for _ in range(4):
        client.post(LOGIN, {"username": "promoter", "password": "wrong"})
    assert client.post(LOGIN, {"username": "promoter", "password": PASSWORD}).status_code == 302


def test_the_token_endpoint_locks_too_and_says_until_when(api, personas, frozen):
    for _ in range(4):
        assert api.post(TOKEN, {"username": "auditor", "password": "wrong"}, format="json").status_code == 400
    response = api.post(TOKEN, {"username": "auditor", "password": "wrong"}, format="json")
    body = response.json()
    assert response.status_code == 403 and body["code"] == "account_locked"
    assert "locked" in body["message"] and dt.datetime.fromisoformat(body["details"]["locked_until"]) == (
        clock.now() + dt.timedelta(minutes=30))
    response = api.post(TOKEN, {"username": "auditor", "password": PASSWORD}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "account_locked"
    frozen.shift(dt.timedelta(minutes=31))
    response = api.post(TOKEN, {"username": "auditor", "password": PASSWORD}, format="json")
    assert response.status_code == 200 and response.json()["token"]
    assert actions(object_id=str(personas.auditor.pk), action__startswith="auth.")[-1] == "auth.login"
    assert AuditEvent.objects.filter(action="token.issue", actor=personas.auditor).exists()  # accounts.tokens


def test_lockout_settings_are_honoured(api, personas, settings, frozen):
    settings.LOGIN_LOCKOUT_FAILURES, settings.LOGIN_LOCKOUT_MINUTES = 2, 5
    api.post(TOKEN, {"username": "auditor", "password": "wrong"}, format="json")
    response = api.post(TOKEN, {"username": "auditor", "password": "wrong"}, format="json")
    assert response.status_code == 403
    personas.auditor.refresh_from_db()
    assert personas.auditor.locked_until == clock.now() + dt.timedelta(minutes=5)


def test_a_failing_address_waits_longer_after_each_failure(api, personas, settings, frozen):
    settings.LOGIN_ADDRESS_FREE_FAILURES = 3
    for name in ("a", "b", "c"):  # any usernames: one address guessing many accounts
        assert api.post(TOKEN, {"username": name, "password": "x"}, format="json").status_code == 400
    assert api.post(TOKEN, {"username": "d", "password": "x"}, format="json").status_code == 400
    # The fourth failure is past the free ones: the next try waits a second, even with the right password.
    response = api.post(TOKEN, {"username": "promoter", "password": PASSWORD}, format="json")
    assert response.status_code == 429 and response.json()["code"] == "too_many_attempts"
    assert response.json()["details"]["retry_after"] >= 1
    frozen.shift(dt.timedelta(seconds=2))
    assert api.post(TOKEN, {"username": "e", "password": "x"}, format="json").status_code == 400
    frozen.shift(dt.timedelta(seconds=1))  # the fifth failure doubled the wait to two seconds
    assert api.post(TOKEN, {"username": "promoter", "password": PASSWORD}, format="json").status_code == 429
    frozen.shift(dt.timedelta(seconds=2))
    assert api.post(TOKEN, {"username": "promoter", "password": PASSWORD}, format="json").status_code == 200
    # The web login shares the counter and says it in words.
    page = api.post(LOGIN, {"username": "f", "password": "x"})
    assert page.status_code == 200
    page = api.post(LOGIN, {"username": "promoter", "password": PASSWORD})
    assert "Wait" in page.content.decode()


def test_unknown_usernames_are_audited_without_the_password(client, district):
    client.post(LOGIN, {"username": "nosuchuser", "password": "Secret-Guess-1"})
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.after == {"username": "nosuchuser", "known": False}
    assert "Secret-Guess-1" not in str(event.after) + event.object_repr


def test_sign_in_and_sign_out_are_audited(client, personas):
    client.post(LOGIN, {"username": "village_cadre", "password": PASSWORD})
    client.post(reverse("accounts:logout"))
    assert actions(actor=personas.village_cadre) == ["auth.login", "auth.logout"]
    login = AuditEvent.objects.get(action="auth.login")
    assert login.channel == "web" and login.ip == "127.0.0.1"
