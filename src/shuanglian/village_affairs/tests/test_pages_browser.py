"""A village cadre on a phone (360 px): the meeting form shows the quorum as the counts are typed, the meeting is
recorded, and the matter's timeline and the board fit the screen."""
import re

import pytest

from shuanglian.village_affairs import services

pytestmark = pytest.mark.browser


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_cadre_records_a_meeting_on_a_phone_and_sees_the_quorum_live(personas, district, persona_password,
                                                                      live_server, transactional_db, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", personas.village_cadre.username)
    page.fill("input[name=password]", persona_password)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(f"{live_server.url}/village-affairs/meetings/new/")
    page.select_option("select[name=village]", str(district.village.pk))
    page.select_option("select[name=kind]", "representatives")
    page.fill("input[name=title]", "村民代表会议")
    page.fill("input[name=held_on]", "2010-06-01")
    page.fill("input[name=eligible]", "45")
    page.fill("input[name=present]", "32")
    page.locator("#quorum", has_text="应到45人，实到32人：法定人数30人——已达到").wait_for()
    page.fill("input[name=present]", "29")
    page.locator("#quorum", has_text="未达到").wait_for()
    assert fits(page)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/village-affairs/meetings/\d+/$"))
    assert "应到45人，实到29人" in page.locator("main").inner_text()
    assert fits(page)

    decision = services.decision_propose(actor=personas.village_cadre, village=district.village, title="村道硬化工程",
                                         category="public_welfare")
    page.goto(f"{live_server.url}/village-affairs/decisions/{decision.pk}/")
    assert "动议" in page.locator("main").inner_text()
    assert fits(page)
    page.goto(f"{live_server.url}/village-affairs/board/{district.village.code}/")
    assert fits(page)
