"""A township cadre on a phone drills down the tree: township -> village -> grid, by htmx swaps."""
import re

import pytest

pytestmark = pytest.mark.browser


def test_township_cadre_drills_down_to_a_grid_on_a_phone(district, personas, persona_password, live_server,
                                                         transactional_db, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", personas.township_cadre.username)
    page.fill("input[name=password]", persona_password)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_url(re.compile(rf"/divisions/{district.township.code}/$"))
    assert page.locator("main h1").inner_text() == "樟潭街道"

    # Mark this document: if the marker survives, the drill-down swapped the panel instead of reloading.
    page.evaluate("window.__sameDocument = true")

    page.locator("#main table a", has_text="樟潭社区").click()
    page.wait_for_url(re.compile(rf"/divisions/{district.village.code}/$"))
    page.wait_for_selector("main h1:text-is('樟潭社区')")

    page.locator("#main table a", has_text="第一网格").click()
    page.wait_for_url(re.compile(rf"/divisions/{district.grid.code}/$"))
    page.wait_for_selector("main h1:text-is('第一网格')")

    crumbs = page.locator("main .crumbs li").all_inner_texts()
    assert [c.strip() for c in crumbs] == ["浙江省", "衢州市", "衢江区", "樟潭街道", "樟潭社区", "第一网格"]
    assert page.title().startswith("第一网格")
    assert page.evaluate("window.__sameDocument") is True
    # Nothing is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # Back goes to the village again (the pushed history entry).
    page.go_back()
    page.wait_for_selector("main h1:text-is('樟潭社区')")
