"""Security headers (issue 13, controls): a Content-Security-Policy without inline script, Permissions-Policy,
and HTTPS only (redirect and HSTS) when SECURE_COOKIES is on."""
import re
import runpy
from pathlib import Path

import shuanglian

SETTINGS = Path(shuanglian.__file__).parent / "config" / "settings.py"


def test_pages_carry_a_policy_without_inline_script(client, personas):
    client.force_login(personas.promoter)
    response = client.get("/", follow=True)
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert script_src.split() == ["'self'"] and "frame-ancestors 'none'" in policy
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_template_has_inline_script_or_handlers():
    """What the policy would block: <script> with a body, on*= attributes, javascript: links."""
    root = Path(shuanglian.__file__).parent
    offenders = []
    for path in root.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+\s*=", text) \
                or "javascript:" in text:
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


def test_https_only_when_secure_cookies_is_on(monkeypatch):
    monkeypatch.delenv("SECURE_COOKIES", raising=False)
    plain = runpy.run_path(str(SETTINGS))
    assert not plain["SECURE_SSL_REDIRECT"] and plain["SECURE_HSTS_SECONDS"] == 0
    monkeypatch.setenv("SECURE_COOKIES", "1")
    secure = runpy.run_path(str(SETTINGS))
    assert secure["SECURE_SSL_REDIRECT"] and secure["SECURE_HSTS_SECONDS"] >= 31536000
    assert secure["SESSION_COOKIE_SECURE"] and secure["CSRF_COOKIE_SECURE"]


def test_https_redirect_and_hsts_are_sent(client, settings):
    settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS = True, 31536000
    assert client.get("/accounts/login/").status_code == 301
    assert client.get("/accounts/login/", secure=True)["Strict-Transport-Security"] == "max-age=31536000"
