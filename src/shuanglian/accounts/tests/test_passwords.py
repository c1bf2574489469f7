"""The password lifecycle: change (page and API), forced change after an administrator chose the password,
expiry, reuse history and strength. The demo's and the test world's accounts are not forced to change."""
import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from shuanglian.accounts.models import User
from shuanglian.accounts.services import user_create, user_set_password
from shuanglian.core import clock
from shuanglian.core.models import AuditEvent
from shuanglian.testing.personas import PASSWORD

LOGIN, CHANGE = reverse("accounts:login"), reverse("accounts:password_change")
TOKEN, API_CHANGE = "/api/v1/auth/token/", "/api/v1/auth/password/"
NEW, NEWER = "Qujiang-Harmony-2010!", "Zhangtan-Spring-2026#"


@pytest.fixture(autouse=True)
def english_pages(client):
    # The pages' messages are asserted in their English source; the Chinese test asks for Chinese.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def token_for(api, username, password):
    return api.post(TOKEN, {"username": username, "password": password}, format="json")


def change_by_api(api, username, old, new):
    return api.post(API_CHANGE, {"username": username, "old_password": old, "new_password": new}, format="json")


def test_the_world_and_the_demo_accounts_are_not_forced_to_change(client, personas, district):
    # Accounts the system creates (the test world, the demo builder: actor None) keep their password.
    assert not User.objects.filter(must_change_password=True).exists()
    response = client.post(LOGIN, {"username": "promoter", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] != CHANGE and response.status_code == 200


def test_an_account_the_administrator_creates_must_change_at_first_sign_in_on_the_web(client, personas, district):
    client.force_login(personas.township_admin)
    client.post(reverse("accounts:user_create"), {"username": "newbie", "division": district.village.code,
                                                  "password": NEW, "password_confirm": NEW})
    client.logout()
    response = client.post(LOGIN, {"username": "newbie", "password": NEW}, follow=True)
    assert response.redirect_chain[-1][0] == CHANGE
    assert "set by an administrator" in response.content.decode()
    # Any other page sends them back to the change page until they change it (htmx: the whole page).
    assert client.get(reverse("divisions:browse"))["Location"] == CHANGE
    assert client.get(reverse("divisions:browse"), HTTP_HX_REQUEST="true")["HX-Redirect"] == CHANGE
    form = {"old_password": NEW, "new_password": NEWER, "new_password_confirm": NEWER}
    response = client.post(CHANGE, form, follow=True)
    assert "Your password is changed." in response.content.decode()
    assert client.get(reverse("divisions:browse")).status_code == 200  # still signed in, free to go
    newbie = User.objects.get(username="newbie")
    assert newbie.check_password(NEWER) and not newbie.must_change_password
    assert AuditEvent.objects.filter(action="user.set_password", actor=newbie).get().after == {
        "by": "self", "must_change": False}


def test_the_token_endpoint_refuses_until_the_change_by_the_api(api, personas, district):
    user_create(actor=personas.township_admin, username="newbie", password=NEW, division=district.village)
    response = token_for(api, "newbie", NEW)
    body = response.json()
    assert response.status_code == 403 and body["code"] == "password_change_required"
    assert set(body) == {"code", "message", "details"} and body["details"] == {"reason": "required"}
    assert change_by_api(api, "newbie", "wrong", NEWER).status_code == 400
    assert change_by_api(api, "newbie", NEW, NEWER).status_code == 204
    assert token_for(api, "newbie", NEW).status_code == 400
    assert token_for(api, "newbie", NEWER).status_code == 200


def test_wrong_old_passwords_on_the_change_endpoint_lock_the_account(api, personas):
    for _ in range(5):
        response = change_by_api(api, "promoter", "wrong", NEW)
    assert response.status_code == 403 and response.json()["code"] == "account_locked"
    assert change_by_api(api, "promoter", PASSWORD, NEW).status_code == 403


def test_an_administrators_reset_forces_a_change_and_lifts_a_lock(client, api, personas, settings):
    settings.LOGIN_LOCKOUT_FAILURES = 1
    token_for(api, "promoter", "wrong")
    client.force_login(personas.township_admin)
    url = reverse("accounts:user_detail", kwargs={"pk": personas.promoter.pk})
    assert "Locked until" in client.get(url).content.decode()
    response = client.post(url, {"action": "password", "password-password": NEW, "password-password_confirm": NEW},
                           follow=True)
    assert "must be changed at the next sign-in" in response.content.decode()
    response = token_for(api, "promoter", NEW)
    assert response.status_code == 403 and response.json()["code"] == "password_change_required"
    # The API reset does the same.
    api.as_(personas.township_admin)
    assert api.post(f"/api/v1/users/{personas.volunteer.pk}/password/", {"password": NEW},
                    format="json").status_code == 204
    api.credentials()
    assert token_for(api, "volunteer", NEW).json()["code"] == "password_change_required"
    # Someone outside the administrator's subtree cannot be reset.
    api.as_(personas.township_admin)
    assert api.post(f"/api/v1/users/{personas.outsider.pk}/password/", {"password": NEW},
                    format="json").status_code == 404


def test_passwords_expire(client, api, personas, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    with time_machine.travel(clock.now() + dt.timedelta(days=91), tick=False):
        response = token_for(api, "promoter", PASSWORD)
        assert response.status_code == 403 and response.json()["details"] == {"reason": "expired"}
        client.force_login(personas.promoter)
        response = client.get(reverse("divisions:browse"), follow=True)
        assert response.redirect_chain[-1][0] == CHANGE and "more than 90 days old" in response.content.decode()
        assert change_by_api(api, "promoter", PASSWORD, NEW).status_code == 204
        assert token_for(api, "promoter", NEW).status_code == 200
    settings.PASSWORD_MAX_AGE_DAYS = 0
    with time_machine.travel(clock.now() + dt.timedelta(days=1000), tick=False):
        assert token_for(api, "promoter", NEW).status_code == 200


def test_the_last_passwords_may_not_come_back(api, personas, settings):
    settings.PASSWORD_HISTORY = 2
    assert change_by_api(api, "promoter", PASSWORD, NEW).status_code == 204
    response = change_by_api(api, "promoter", NEW, PASSWORD)
    assert response.status_code == 400 and response.json()["code"] == "password_reused"
    assert change_by_api(api, "promoter", NEW, NEWER).status_code == 204
    # Two back is out of a history of two.
    assert change_by_api(api, "promoter", NEWER, PASSWORD).status_code == 204


@pytest.mark.parametrize("weak", ["Ab1!xyz", "abcdefghijk", "abcdefgh123"])
def test_weak_new_passwords_are_refused_with_the_reason(api, personas, weak):
    response = change_by_api(api, "promoter", PASSWORD, weak)
    assert response.status_code == 400 and response.json()["code"] == "weak_password"
    assert response.json()["message"]


def test_the_strength_rule_is_configurable(personas, settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
        {"NAME": "shuanglian.accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 4}}]
    from shuanglian.core.exceptions import ValidationFailed

    with pytest.raises(ValidationFailed, match="4 of"):
        user_set_password(actor=None, user=personas.promoter, password="Abcdefgh1234")
    user_set_password(actor=None, user=personas.promoter, password="Abcdefgh123!")


def test_the_change_page_shows_errors_on_the_form(client, personas):
    client.force_login(personas.promoter)
    page = client.post(CHANGE, {"old_password": "wrong", "new_password": NEW, "new_password_confirm": NEW})
    assert page.status_code == 422 and page.context["form"].non_field_errors()
    personas.promoter.refresh_from_db()
    assert personas.promoter.check_password(PASSWORD)
    page = client.post(CHANGE, {"old_password": PASSWORD, "new_password": NEW, "new_password_confirm": "other"})
    assert page.status_code == 422 and "The two passwords differ." in page.content.decode()
