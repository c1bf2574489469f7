"""Grid team pages on a phone (360 px): the statistics with their chart, the posted card, the units' staff
page where the county office spreads a unit's staff over a village's grids; each within the screen."""
import datetime as dt

import pytest

from shuanglian.teams import services
from shuanglian.teams.models import Membership
from shuanglian.teams.services import staff

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


def test_statistics_card_and_staff_on_a_phone(district, personas, persona_password, live_server, transactional_db,
                                              browser_page):
    services.membership_appoint(actor=None, grid=district.grid, role="promoter", name="王大明",
                                phone="13912345678", category="five_elders", started_on=dt.date(2010, 3, 1))
    staff.staff_submit(actor=None, organization=personas.police,
                       rows=[{"name": "警员甲", "phone": "13900000801", "category": "民警"}])
    page = signed_in(browser_page, live_server, personas.county_office, persona_password)

    page.goto(f"{live_server.url}/teams/stats/")
    page.select_option("select[name=within]", district.township.code)
    page.click("main form.filters button[type=submit]")
    page.wait_for_url(lambda url: f"within={district.township.code}" in url)
    assert page.locator("[data-figure=promoters]").inner_text() == "1"
    assert page.locator("#category-chart rect").count() == 13
    assert fits(page)

    page.goto(f"{live_server.url}/teams/grids/{district.grid.code}/card/")
    assert "13912345678" in page.locator("article.grid-card").inner_text()
    assert fits(page)

    page.goto(f"{live_server.url}/teams/staff/")
    assert "警员甲" in page.locator("#staff-waiting").inner_text()
    page.select_option("select[name=within]", district.village.code)
    assert fits(page)
    page.click("form:has(input[value=assign]) button[type=submit]")
    page.wait_for_selector("#staff-outcome")
    assert "警员甲" in page.locator("#staff-outcome").inner_text()
    assert Membership.objects.filter(member__name="警员甲", ended_on__isnull=True).count() == 1
    assert fits(page)
