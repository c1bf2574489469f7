"""Root conftest: shared fixtures, the `postgres` and `browser` markers, headless Chromium.

- Tests marked `postgres` need a real PostgreSQL; they skip on SQLite (`make test-pg` runs them).
- Tests marked `browser` (or using the `browser`/`browser_page` fixtures) drive Debian's Chromium
  through Playwright. Without Chromium they skip with a message saying what to install; under
  CI=true a missing Chromium is an error instead, so CI can never pass without them.
"""
import os
import shutil
from pathlib import Path

import pytest

pytest_plugins = ["shuanglian.testing.fixtures"]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
PHONE_VIEWPORT = {"width": 360, "height": 740}


def _under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def chromium_path() -> str | None:
    """$CHROMIUM if set, else Debian's /usr/bin/chromium (or a chromium on PATH)."""
    configured = os.environ.get("CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


MISSING_CHROMIUM = (
    "Chromium not found (looked at $CHROMIUM, /usr/bin/chromium, PATH): "
    "install it with `apt-get install -y chromium fonts-noto-cjk`, or set CHROMIUM=/path/to/chromium"
)


def _database_vendor() -> str:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    return "postgresql" if "postgresql" in engine else engine.rsplit(".", 1)[-1]


def _missing_browser() -> None:
    """Skip (locally) or fail (under CI) a test that needs Chromium when there is none."""
    if _under_ci():
        pytest.fail(f"CI=true and browser tests are required: {MISSING_CHROMIUM}", pytrace=False)
    pytest.skip(MISSING_CHROMIUM)


def pytest_collection_modifyitems(config, items):
    vendor = _database_vendor()
    if vendor != "postgresql":
        skip_pg = pytest.mark.skip(
            reason=f"needs PostgreSQL (this run uses {vendor}); `make test-pg` runs it"
        )
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip_pg)
    # A test using the browser fixtures is a browser test even if it forgot the marker, so that
    # `-m "not browser"` (the PostgreSQL pass) leaves it out.
    for item in items:
        if {"browser", "browser_page"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


def pytest_runtest_setup(item):
    if item.get_closest_marker("browser") and chromium_path() is None:
        _missing_browser()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium per test session (per xdist worker), driven by Playwright."""
    executable = chromium_path()
    if executable is None:
        _missing_browser()
    # Playwright's sync API runs an asyncio loop in this thread; Django refuses ORM calls while a
    # loop is running unless told that this (single-threaded test) use is safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def browser_page(browser):
    """A fresh page in a phone-sized (360x740), Chinese-locale browser context."""
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
