"""A village cadre on a phone (360 px): finds the village's association, appoints a member and records a
meeting, every page within the screen's width."""
import re

import pytest

from shuanglian.associations.models import AssociationPost, Meeting

pytestmark = pytest.mark.browser


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_appoint_and_record_a_meeting_on_a_phone(associations, personas, persona_password, live_server,
                                                 transactional_db, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", personas.village_cadre.username)
    page.fill("input[name=password]", persona_password)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(f"{live_server.url}/associations/")
    page.locator("main table a", has_text="樟潭社区和谐平安促进会").click()
    page.wait_for_url(re.compile(rf"/associations/{associations['village'].pk}/$"))
    assert fits(page)
    page.click("details:has(form[action$='/appoint/']) > summary")
    page.select_option("select[name=post]", "president")
    page.fill("input[name=name]", "王会长")
    page.fill("input[name=phone]", "13912345678")
    page.fill("input[name=started_on]", "2010-01-01")
    assert fits(page)
    page.click("form[action$='/appoint/'] button[type=submit]")
    page.wait_for_selector("main td:has-text('王会长')")
    assert "139****5678" in page.locator("main").inner_text()
    assert fits(page)

    page.click("details:has(form[action$='/meetings/new/']) > summary")
    page.fill("input[name=held_on]", "2010-03-15")
    page.fill("input[name=topic]", "一季度矛盾纠纷排查")
    page.check("input[name=attendees]")
    page.fill("textarea[name=decisions]", "排查三户\n下月回访")
    assert fits(page)
    page.click("form[action$='/meetings/new/'] button[type=submit]")
    page.wait_for_selector("main h3:has-text('一季度矛盾纠纷排查')")
    assert fits(page)
    meeting = Meeting.objects.get()
    assert meeting.attendee_count == 1 and meeting.decisions == ["排查三户", "下月回访"]
    assert AssociationPost.objects.get().member.name == "王会长"
