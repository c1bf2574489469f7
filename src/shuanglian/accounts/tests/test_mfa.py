"""The second factor (issue 13, "controls to add"): TOTP and one-time recovery codes, required for
administrators, auditors and the roles that may reveal personal information, at web sign-in and at token
issue; MFA_REQUIRED=0 turns it off, with a banner on every page."""
import datetime as dt
import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from shuanglian.access.roles import Role
from shuanglian.accounts import mfa
from shuanglian.accounts.models import ApiToken, RecoveryCode
from shuanglian.accounts.tokens import hash_secret, token_issue
from shuanglian.core.models import AuditEvent
from shuanglian.testing.personas import PASSWORD

TOKEN = "/api/v1/auth/token/"
START = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def mfa_on(settings, time_machine, client):
    settings.MFA_REQUIRED = True
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # messages asserted in their English source
    time_machine.move_to(START, tick=False)
    return time_machine


def code_for(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def next_step(clock, n=1):
    """Move to a later 30-second step: a TOTP code is accepted once (django-otp refuses a replay)."""
    clock.shift(dt.timedelta(seconds=30 * n))


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    device = mfa.enrolment_start(user=user)
    codes = mfa.enrolment_confirm(user=user, code=code_for(device))
    return device, codes


def sign_in(client, username, next_url=""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data)


def signed_in(client) -> bool:
    return client.get(reverse("accounts:token_list")).status_code == 200


def test_who_needs_a_second_factor(district, personas, settings):
    # Administrators, auditors and every role holding the reveal capability; nobody else.
    assert mfa.MFA_ROLES == {Role.ADMIN, Role.AUDITOR, Role.GRID_PROMOTER, Role.VILLAGE_CADRE,
                             Role.ARCHIVE_KEEPER, Role.TOWNSHIP_CADRE}
    settings.MFA_REQUIRED = True
    needs = {name for name in ("promoter", "volunteer", "village_cadre", "archive_keeper", "township_cadre",
                               "county_office", "department_member", "service_staff", "auditor", "admin",
                               "township_admin", "nobody")
             if mfa.required_for(getattr(personas, name))}
    assert needs == {"promoter", "village_cadre", "archive_keeper", "township_cadre", "auditor", "admin",
                     "township_admin"}
    settings.MFA_REQUIRED = False
    assert not mfa.required_for(personas.admin)


def test_first_sign_in_enrols_an_authenticator_and_shows_recovery_codes_once(client, district, personas, mfa_on):
    response = sign_in(client, "auditor", next_url=reverse("accounts:user_list"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:mfa_enrol")
    assert not signed_in(client)  # the password alone signs nobody in
    page = client.get(reverse("accounts:mfa_enrol"))
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "otpauth://totp/" in html
    assert "no-store" in page["Cache-Control"]
    device = TOTPDevice.objects.get(user=personas.auditor, confirmed=False)
    assert mfa.secret_text(device) in html
    wrong = client.post(reverse("accounts:mfa_enrol"), {"action": "confirm", "code": "000000"})
    assert "That code is not right" in wrong.content.decode() and not signed_in(client)
    next_step(mfa_on, 3)  # past django-otp's pause after a wrong code
    done = client.post(reverse("accounts:mfa_enrol"), {"action": "confirm", "code": code_for(device)})
    codes = re.findall(r"<li><code>([A-Z0-9]{5}-[A-Z0-9]{5})</code></li>", done.content.decode())
    assert len(codes) == 10 and "no-store" in done["Cache-Control"]
    assert reverse("accounts:user_list") in done.content.decode()  # "continue" goes where they were going
    assert signed_in(client)
    # Only hashes are kept.
    stored = " ".join(RecoveryCode.objects.filter(user=personas.auditor).values_list("code_hash", flat=True))
    assert not any(code in stored or code.replace("-", "") in stored for code in codes)
    assert AuditEvent.objects.filter(action="mfa.enrol", object_id=str(personas.auditor.pk)).exists()


def test_sign_in_asks_the_code_after_the_password(client, district, personas, mfa_on):
    device, codes = enrol(personas.township_cadre)
    next_step(mfa_on)
    response = sign_in(client, "township_cadre", next_url=reverse("accounts:token_list"))
    assert response["Location"] == reverse("accounts:mfa_verify") and not signed_in(client)
    wrong = client.post(reverse("accounts:mfa_verify"), {"code": "123456"})
    assert wrong.status_code == 200 and "not right" in wrong.content.decode() and not signed_in(client)
    failed = AuditEvent.objects.filter(action="mfa.fail").latest("seq")
    assert failed.actor == personas.township_cadre and "123456" not in str(failed.after)
    next_step(mfa_on, 3)
    right = client.post(reverse("accounts:mfa_verify"), {"code": code_for(device)})
    assert right.status_code == 302 and right["Location"] == reverse("accounts:token_list")
    assert signed_in(client)


def test_a_recovery_code_works_once(client, district, personas, mfa_on):
    _device, codes = enrol(personas.admin)
    sign_in(client, "admin")
    response = client.post(reverse("accounts:mfa_verify"), {"code": codes[0].lower()})
    assert response.status_code == 302 and signed_in(client)
    client.logout()
    sign_in(client, "admin")
    again = client.post(reverse("accounts:mfa_verify"), {"code": codes[0]})
    assert again.status_code == 200 and not signed_in(client)
    assert mfa.recovery_codes_left(personas.admin) == 9


def test_the_code_step_times_out(client, district, personas, mfa_on):
    device, _codes = enrol(personas.admin)
    sign_in(client, "admin")
    mfa_on.shift(dt.timedelta(minutes=6))
    response = client.post(reverse("accounts:mfa_verify"), {"code": code_for(device)})
    assert response["Location"] == reverse("accounts:login") and not signed_in(client)


def test_an_account_that_needs_none_signs_in_with_its_password(client, district, personas, mfa_on):
    response = sign_in(client, "volunteer")
    assert response.status_code == 302 and signed_in(client)


def test_the_token_endpoint_asks_the_second_factor(api, district, personas, mfa_on):
    body = {"username": "admin", "password": PASSWORD}
    not_enrolled = api.post(TOKEN, body, format="json")
    assert not_enrolled.status_code == 403 and not_enrolled.json()["code"] == "mfa_required"
    assert not_enrolled.json()["details"]["enrolled"] is False
    device, _codes = enrol(personas.admin)
    next_step(mfa_on)
    missing = api.post(TOKEN, body, format="json")
    assert missing.status_code == 403 and missing.json()["code"] == "mfa_required"
    wrong = api.post(TOKEN, {**body, "otp": "000000"}, format="json")
    assert wrong.status_code == 403 and wrong.json()["code"] == "mfa_required"
    next_step(mfa_on, 3)
    right = api.post(TOKEN, {**body, "otp": code_for(device)}, format="json")
    assert right.status_code == 200, right.content
    secret = right.json()["token"]
    assert ApiToken.objects.get(key_hash=hash_secret(secret)).second_factor
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get("/api/v1/users/").status_code == 200
    # Accounts that need none get a token with the password alone, as before.
    api.credentials()
    assert api.post(TOKEN, {"username": "volunteer", "password": PASSWORD}, format="json").status_code == 200


def test_a_token_issued_without_the_second_factor_is_refused_while_it_is_required(api, district, personas,
                                                                                  settings):
    _token, secret = token_issue(actor=None, user=personas.auditor)  # as a token from before the upgrade
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get("/api/v1/users/").status_code == 200  # MFA off: it works
    settings.MFA_REQUIRED = True
    response = api.get("/api/v1/users/")
    assert response.status_code == 401 and "second factor" in response.json()["message"]


def test_a_session_without_the_second_factor_is_ended(client, district, personas, mfa_on):
    """A role that needs it granted while signed in (or MFA turned on over old sessions)."""
    client.force_login(personas.admin)
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert not signed_in(client)


def test_trial_mode_shows_a_banner_on_every_page(client, district, personas, settings):
    settings.MFA_REQUIRED = False
    banner = "the second factor (MFA) is turned off"
    assert banner in client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.force_login(personas.township_cadre)
    assert banner in client.get(reverse("divisions:browse"), HTTP_ACCEPT_LANGUAGE="en", follow=True).content.decode()
    settings.MFA_REQUIRED = True
    assert banner not in client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_an_administrator_resets_a_lost_second_factor(client, district, personas, mfa_on):
    enrol(personas.promoter)
    page = reverse("accounts:user_tokens", args=[personas.promoter.pk])
    client.force_login(personas.outsider)  # another county's cadre: not theirs to reset
    assert client.post(page, {"action": "mfa_reset"}).status_code in (302, 403, 404)
    assert mfa.is_enrolled(personas.promoter)
    client.logout()
    _device, _codes = enrol(personas.township_admin)
    next_step(mfa_on)
    sign_in(client, "township_admin")
    client.post(reverse("accounts:mfa_verify"), {"code": code_for(_device)})
    assert "An authenticator is set up" in client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert client.post(page, {"action": "mfa_reset"}).status_code == 302
    client.logout()
    assert not mfa.is_enrolled(personas.promoter) and mfa.recovery_codes_left(personas.promoter) == 0
    assert sign_in(client, "promoter")["Location"] == reverse("accounts:mfa_enrol")
