"""A promoter searches a person by ID number on a phone: the number travels in a POST body and never
stands in the address bar; a search by name lands on the list's GET address."""
import datetime as dt
import re

import pytest

from shuanglian.archives import services
from shuanglian.core import idnumber

pytestmark = pytest.mark.browser

ID_NUMBER = idnumber.make("330803", dt.date(1965, 3, 12), 11)


def test_an_id_number_search_keeps_the_number_out_of_the_address(district, personas, persona_password,
                                                                 live_server, transactional_db, browser_page):
    household = services.household_register(actor=None, grid=district.grid, number="001", address="樟潭社区1号")
    services.person_add(actor=None, household=household, name="王大明", relation_to_head="head", id_number=ID_NUMBER)
    services.person_add(actor=None, household=household, name="李秀英", relation_to_head="spouse")
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", personas.promoter.username)
    page.fill("input[name=password]", persona_password)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/archives/")
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.fill("input[name=id_number]", ID_NUMBER)
    with page.expect_response(lambda response: response.request.method == "POST"):
        page.click("form[role=search] button[type=submit]")
    page.wait_for_function("document.querySelectorAll('#main td.primary').length === 1")
    assert page.locator("#main td.primary a").inner_text() == "王大明"
    assert all(ID_NUMBER not in url for url in requests) and ID_NUMBER not in page.url
    page.fill("input[name=id_number]", "")
    page.fill("input[name=name]", "李")
    with page.expect_response(lambda response: "name=" in response.url):
        page.click("form[role=search] button[type=submit]")
    page.wait_for_function("document.querySelectorAll('#main td.primary').length === 1")
    assert page.locator("#main td.primary a").inner_text() == "李秀英"
    assert any(re.search(r"/archives/\?name=", url) for url in requests)
