"""Service staff on a phone (360 px): accept at the counter, find the application in the queue, handle it and
reply, every page within the screen's width."""
import re

import pytest

from shuanglian.applications.models import Application

pytestmark = pytest.mark.browser


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def signed_in(page, live_server, user, password):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", password)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def test_accept_at_the_counter_then_reply_from_the_queue_on_a_phone(net, personas, persona_password, live_server,
                                                                     transactional_db, browser_page):
    page = signed_in(browser_page, live_server, personas.service_staff, persona_password)

    page.goto(f"{live_server.url}/services/counter/")
    page.wait_for_url(re.compile(rf"/services/counter/{net.center.pk}/$"))
    page.select_option("select[name=item]", str(net.hukou.pk))
    page.fill("input[name=applicant_name]", "王大明")
    page.fill("input[name=applicant_phone]", "13912345678")
    assert fits(page)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/services/applications/\d+/receipt/$"))
    receipt = Application.objects.get().receipt_no
    assert receipt in page.locator("main").inner_text()

    # The queue, from the navigation: the new application is there, opened by its receipt number.
    page.locator("header nav a[href='/services/queue/']").click()
    page.wait_for_url(re.compile(r"/services/queue/$"))
    row = page.locator("main table tbody tr", has_text="王大明")
    row.wait_for()
    assert fits(page)
    row.locator("a", has_text=receipt).click()
    page.wait_for_url(re.compile(r"/services/applications/\d+/$"))
    page.wait_for_selector("main h1:text-is('户口迁移')")
    assert "139****5678" in page.locator("main").inner_text()
    assert fits(page)

    # Handle (the item's department, by me), then reply: each form swaps in, the page follows.
    page.click("#action-handle button[type=submit]")
    page.wait_for_selector("#action-reply")
    page.fill("#action-reply textarea[name='reply-result']", "已办结，户口已迁入")
    page.select_option("#action-reply select[name='reply-notified_by']", "phone")
    page.select_option("#action-reply select[name='reply-satisfaction']", "satisfied")
    assert fits(page)
    page.click("#action-reply button[type=submit]")
    page.wait_for_selector("main .facts dd:has-text('已办结，户口已迁入')")
    assert page.locator("#action-reply").count() == 0
    assert fits(page)
    app = Application.objects.get()
    assert (app.status, app.notified_by, app.satisfaction) == ("replied", "phone", "satisfied")
    assert [t.action for t in app.transitions.all()] == ["accept", "handle", "reply"]


def test_the_county_office_edits_the_catalog_and_reads_supervision_on_a_phone(
        net, personas, persona_password, live_server, transactional_db, browser_page):
    page = signed_in(browser_page, live_server, personas.county_office, persona_password)

    page.goto(f"{live_server.url}/services/items/")
    page.locator("main table a", has_text="户口迁移").click()
    page.wait_for_url(re.compile(rf"/services/items/{net.hukou.pk}/$"))
    assert fits(page)
    page.fill("input[name=promised_days]", "30")  # longer than the legal 20
    page.click("#item-form button[type=submit]")
    page.wait_for_selector(".field.has-error input[name=promised_days]")
    assert fits(page)
    net.hukou.refresh_from_db()
    assert net.hukou.promised_days == 5
    page.fill("input[name=promised_days]", "3")
    page.click("#item-form button[type=submit]")
    page.wait_for_url(re.compile(r"/services/items/$"))
    net.hukou.refresh_from_db()
    assert net.hukou.promised_days == 3

    page.goto(f"{live_server.url}/services/supervision/?by=department")
    page.wait_for_selector("main h1")
    assert fits(page)
