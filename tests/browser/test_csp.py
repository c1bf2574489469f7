"""Under the Content-Security-Policy (issue 13): pages raise no policy violation, and the print buttons,
whose inline onclick handlers moved to app.js, still print."""
import pytest

pytestmark = pytest.mark.browser


def _violations(page) -> list[str]:
    found: list[str] = []
    page.on("console", lambda msg: found.append(msg.text) if "Content Security Policy" in msg.text else None)
    return found


def test_pages_run_under_the_policy_and_print_buttons_print(district, personas, persona_password, live_server,
                                                            transactional_db, browser_page):
    page = browser_page
    violations = _violations(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", personas.village_cadre.username)
    page.fill("input[name=password]", persona_password)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    for path in ("/services/guide/", f"/teams/grids/{district.grid.code}/card/", "/api/v1/docs/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        if path != "/api/v1/docs/":
            # (a statement list ending in a function would be called by evaluate: end it in null)
            page.evaluate("window.printed = 0; window.print = function () { window.printed += 1; }; null")
            page.click("button[data-print]")
            assert page.evaluate("window.printed") == 1, path
    assert page.locator("#swagger-ui").count() == 1
    page.wait_for_selector("#swagger-ui .info")  # the docs' start-up script ran (served as a file)
    assert violations == []
