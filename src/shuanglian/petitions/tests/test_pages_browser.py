"""A township petition officer on a phone (360 px): registers a group visit on the intake form and lands on
the petition's page with its clock, every page within the screen's width."""
import re

import pytest

from shuanglian.core import clock
from shuanglian.petitions.models import Petition

from .fixtures import officer_at

pytestmark = pytest.mark.browser


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_intake_on_a_phone(district, persona_password, live_server, transactional_db, browser_page):
    officer = officer_at(district.township, "zhangtan_petitions")
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", officer.username)
    page.fill("input[name=password]", persona_password)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(f"{live_server.url}/petitions/new/")
    assert fits(page)
    page.select_option("select[name=division]", str(district.village.pk))
    page.select_option("select[name=channel]", "visit")
    page.fill("input[name=received_on]", clock.today().isoformat())
    page.fill("input[name=summary]", "要求解决拖欠工资")
    page.fill("input[name=petitioner_name]", "郑九")
    page.fill("input[name=person_times]", "12")
    page.fill("textarea[name=representatives]", "郑九\n郑十")
    assert fits(page)
    page.click("main form button[type=submit]")
    petition_url = re.compile(r"/petitions/\d+/$")
    page.wait_for_url(petition_url)
    assert fits(page)
    petition = Petition.objects.get()
    assert petition.person_times == 12 and petition.number in page.locator("main").inner_text()
