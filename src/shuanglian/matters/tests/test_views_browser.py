"""A grid promoter on a phone (360 px) files a matter with a photo from the form and finds it in the list."""
import re

import pytest

from shuanglian.matters import services
from shuanglian.matters.tests.test_views import png

pytestmark = pytest.mark.browser


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_promoter_files_a_matter_on_a_phone_and_sees_it_in_the_list(
        district, personas, persona_password, live_server, transactional_db, browser_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    services.ensure_default_categories()
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", personas.promoter.username)
    page.fill("input[name=password]", persona_password)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(f"{live_server.url}/matters/new/")
    # The promoter serves one grid: it is chosen already, not asked.
    assert page.locator("input[type=hidden][name=grid]").get_attribute("value") == district.grid.code
    assert fits(page)

    # The type is a big button; choosing it narrows the category menu to that type (htmx swap).
    page.locator("label:has(input[name=type][value=dispute])").click()
    # The menu drawn before the swap may hold every type's categories: wait for the hazard one to go.
    page.wait_for_selector("#category-field select option[value=fire]", state="detached")
    page.wait_for_selector("#category-field select option[value=family]", state="attached")
    page.select_option("#category-field select", "family")
    page.fill("input[name=title]", "赡养老人纠纷")
    page.fill("textarea[name=description]", "兄弟三人分担赡养费有争议")
    page.fill("input[name=raised_by_name]", "王大明")
    page.fill("input[name=raised_by_phone]", "13912345678")
    page.set_input_files("input[name=attachments]",
                         files=[{"name": "现场.png", "mimeType": "image/png", "buffer": png(4, 4)}])
    assert fits(page)
    page.click("#matter-form button[type=submit]")

    page.wait_for_url(re.compile(r"/matters/\d+/$"))
    assert page.locator("main h1").inner_text() == "赡养老人纠纷"
    assert page.locator("main .gallery img").count() == 1
    assert "139****5678" in page.locator("main").inner_text()
    assert fits(page)

    page.locator("main .subnav a[href='/matters/']").click()
    page.wait_for_url(re.compile(r"/matters/$"))
    row = page.locator("main table tbody tr", has_text="赡养老人纠纷")
    row.wait_for()
    assert row.count() == 1
    assert fits(page)
