"""The second factor on a phone (360 px): first sign-in, the authenticator's QR code, the recovery codes,
then the next sign-in with a code; each page within the screen."""
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.browser


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def current_code(user, after: int = 0) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + after):06d}"


def password_step(page, live_server, user, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", password)
    page.click("form[action='/accounts/login/'] button[type=submit]")


def test_enrol_and_sign_in_with_a_code_on_a_phone(district, personas, persona_password, live_server,
                                                   transactional_db, browser_page, settings):
    settings.MFA_REQUIRED = True
    page = browser_page
    password_step(page, live_server, personas.village_cadre, persona_password)
    page.wait_for_url("**/accounts/mfa/")
    assert page.locator(".qr svg").is_visible() and fits(page)
    page.fill("input[name=code]", current_code(personas.village_cadre))
    page.click("form:has(input[value=confirm]) button[type=submit]")
    codes = page.locator("ul.codes li")
    codes.first.wait_for()
    assert codes.count() == 10 and re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", codes.first.inner_text())
    assert fits(page)
    page.click("main a.btn")
    page.wait_for_url(lambda url: "/accounts/" not in url)

    # The next sign-in asks for a code: the next one the app will show (the one just used is spent).
    page.click("form[action='/accounts/logout/'] button[type=submit]")
    page.wait_for_url("**/accounts/login/")
    password_step(page, live_server, personas.village_cadre, persona_password)
    page.wait_for_url("**/accounts/login/verify/")
    assert fits(page)
    page.fill("input[name=code]", current_code(personas.village_cadre, after=1))
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/" not in url)
    assert "第二重验证（MFA）已关闭" not in page.content()  # no trial banner while it is required
