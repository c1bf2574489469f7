"""Contact-day pages: the month calendar, one contact day (ticks, visit logs, matters, holding), household
visits and coverage; each three ways (no permission, permitted, out of scope), the lists with a constant
number of queries, and a phone-width check in Chromium."""
import datetime as dt
import re
import zoneinfo

import pytest
from django.urls import reverse

from shuanglian.archives.services import household_register
from shuanglian.matters.models import Matter
from shuanglian.outreach import services
from shuanglian.outreach.models import ContactDay, ContactDayAttendee, ContactDayVisit, Visit

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
CALENDAR = "/matters/contact-days/"
VISITS = "/matters/contact-days/visits/"
COVERAGE = "/matters/contact-days/coverage/"
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "main"}


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(dt.datetime(2010, 3, 25, 9, 0, tzinfo=SH), tick=False)
    return time_machine


@pytest.fixture
def march(district, personas, clock):
    plan = services.contact_days_plan(actor=personas.county_office, division=district.county, year=2010, month=3,
                                townships=True)
    days = {d.division_id: d for d in plan.days}
    return {"twenty": days[district.county.pk], "ten": days[district.township.pk],
            "ten2": days[district.township2.pk]}


@pytest.fixture
def homes(district, clock):
    return {name: [household_register(actor=None, grid=getattr(district, name), number=f"{i:03d}")
                   for i in range(1, n + 1)] for name, n in (("grid", 3), ("grid2", 2), ("grid4", 1))}


def day_url(day):
    return reverse("outreach:contact-day", kwargs={"pk": day.pk})


def test_the_routes():
    assert reverse("outreach:contact-calendar") == CALENDAR
    assert reverse("outreach:contact-day", kwargs={"pk": 7}) == "/matters/contact-days/7/"
    assert reverse("outreach:contact-visits") == VISITS and reverse("outreach:contact-coverage") == COVERAGE


# ---------------------------------------------------------------- three ways


def test_signed_out_and_without_permission(client, personas, march):
    for url in (CALENDAR, day_url(march["ten"]), VISITS, COVERAGE):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    client.force_login(personas.nobody)
    for url in (CALENDAR, day_url(march["ten"]), VISITS, COVERAGE):
        assert client.get(url).status_code == 403, url


def test_out_of_scope_reads_as_404(client, personas, march, homes):
    client.force_login(personas.outsider)
    assert client.get(day_url(march["ten"])).status_code == 404
    assert client.get(f"{VISITS}?household={homes['grid'][0].pk}").status_code == 404
    assert client.get(f"{COVERAGE}?within=330803").status_code == 404
    assert client.post(day_url(march["ten"]), {"op": "hold", "hold-summary": "x"}).status_code == 404
    client.force_login(personas.township_cadre)
    assert client.get(day_url(march["ten2"])).status_code == 404


# ---------------------------------------------------------------- the calendar


def test_the_calendar_marks_the_month(client, personas, march):
    client.force_login(personas.county_office)
    response = client.get(f"{CALENDAR}?month=2010-03")
    assert response.status_code == 200
    days = response.context["days"]
    assert [(d.date.day, d.division.name) for d in days] == [(10, "樟潭街道"), (10, "上方镇"), (20, "衢江区")]
    cells = {c.date: c for week in response.context["weeks"] for c in week if c.in_month}
    assert cells[dt.date(2010, 3, 10)].no_meeting == ["township"] and len(cells[dt.date(2010, 3, 10)].days) == 2
    assert cells[dt.date(2010, 3, 20)].no_meeting == ["county"]
    html = response.content.decode()
    assert day_url(march["twenty"]) in html and "Plan" in html
    assert "keeps its date" in html  # 20 March 2010 is a Saturday
    client.force_login(personas.township_cadre)
    response = client.get(f"{CALENDAR}?month=2010-03")
    assert {d.pk for d in response.context["days"]} == {march["ten"].pk, march["twenty"].pk}
    client.force_login(personas.promoter)
    response = client.get(f"{CALENDAR}?month=2010-03")
    assert response.context["plan_form"] is None and "plan-division" not in response.content.decode()
    assert client.post(f"{CALENDAR}?month=2010-04", {"plan-division": "330803001"}).status_code == 403


def test_planning_from_the_calendar(client, district, personas, clock):
    client.force_login(personas.township_cadre)
    response = client.post(f"{CALENDAR}?month=2010-04", {"plan-division": district.township.code}, **HTMX)
    assert response.status_code == 200 and response["HX-Location"]
    assert ContactDay.objects.get().date == dt.date(2010, 4, 10)
    page = client.get(f"{CALENDAR}?month=2010-04")
    assert "1 contact day(s) planned" in page.content.decode()
    # a division the cadre may not plan for is not even offered
    response = client.post(f"{CALENDAR}?month=2010-04", {"plan-division": district.county.code})
    assert response.status_code == 422 and ContactDay.objects.count() == 1


def test_the_calendar_runs_constant_queries(client, district, personas, march, django_assert_max_num_queries):
    client.force_login(personas.county_office)
    client.get(f"{CALENDAR}?month=2010-02")
    with django_assert_max_num_queries(12) as empty:
        client.get(f"{CALENDAR}?month=2010-02")
    for day in march.values():
        for n in range(4):
            services.contact_day_attendee_add(actor=personas.county_office, contact_day=day, name=f"人{n}", attended=True)
    with django_assert_max_num_queries(len(empty.captured_queries)):
        response = client.get(f"{CALENDAR}?month=2010-03")
    assert [d.attended_count for d in response.context["days"]] == [4, 4, 4]


# ---------------------------------------------------------------- one contact day


def test_a_township_cadre_keeps_the_10th(client, district, personas, march, homes):
    client.force_login(personas.township_cadre)
    url = day_url(march["ten"])
    page = client.get(url)
    assert page.status_code == 200
    assert [o["op"] for o in page.context["operations"]] == ["attendee", "visit", "matter", "hold"]
    assert "township cadres are in the villages" in page.content.decode()
    response = client.post(url, {"op": "attendee", "attendee-name": "张书记", "attendee-role": "cadre"}, **HTMX)
    assert response.status_code == 200 and response["HX-Location"]
    attendee = ContactDayAttendee.objects.get()
    client.post(url, {"op": "attendance", "attendance-attendee": attendee.pk, "attendance-attended": "on"})
    attendee.refresh_from_db()
    assert attendee.attended
    client.post(url, {"op": "visit", "visit-village": district.village2.code, "visit-visitors": "张书记",
                      "visit-households_visited": "7", "visit-notes": "走访"})
    assert ContactDayVisit.objects.get().village == district.village2
    client.post(url, {"op": "matter", "matter-grid": district.grid.code, "matter-type": "demand",
                      "matter-title": "路灯不亮"})
    matter = Matter.objects.get()
    assert matter.contact_day_id == march["ten"].pk and matter.source == "contact_day"
    client.post(url, {"op": "hold", "hold-summary": "走访2个村"})
    march["ten"].refresh_from_db()
    assert march["ten"].held and march["ten"].summary == "走访2个村"
    html = client.get(url).content.decode()
    assert "路灯不亮" in html and "张书记" in html and "走访2个村" in html


def test_a_refused_step_shows_its_message_on_the_form(client, district, personas, march):
    client.force_login(personas.township_cadre)
    url = day_url(march["ten"])
    response = client.post(url, {"op": "visit", "visit-village": district.village.code, "visit-visitors": ""},
                           **HTMX)
    assert response.status_code == 422 and 'id="op-visit"' in response.content.decode()
    response = client.post(url, {"op": "matter", "matter-grid": "330803100201001", "matter-type": "demand",
                                 "matter-title": "x"}, **HTMX)  # a grid of another township is not offered
    assert response.status_code == 422 and "valid choice" in response.content.decode()
    assert not Matter.objects.exists()
    client.post(url, {"op": "attendee", "attendee-name": "张书记", "attendee-role": "cadre"}, **HTMX)
    response = client.post(url, {"op": "attendee", "attendee-name": "张书记", "attendee-role": "cadre"}, **HTMX)
    assert response.status_code == 422 and "already listed" in response.content.decode()  # the service's refusal
    assert ContactDayAttendee.objects.count() == 1


def test_ticking_attendance_before_the_day_is_refused_in_the_messages(client, district, personas, clock):
    april = services.contact_days_plan(actor=personas.township_cadre, division=district.township, year=2010,
                                 month=4).days[0]
    attendee = services.contact_day_attendee_add(actor=personas.township_cadre, contact_day=april, name="张书记")
    client.force_login(personas.township_cadre)
    page = client.get(day_url(april))
    assert not page.context["may_tick"] and "Mark present" not in page.content.decode()
    response = client.post(day_url(april), {"op": "attendance", "attendance-attendee": attendee.pk,
                                            "attendance-attended": "on"}, **HTMX)
    assert response.status_code == 422 and response["HX-Retarget"] == "#flash"
    assert "has not come yet" in response.content.decode()
    attendee.refresh_from_db()
    assert not attendee.attended


def test_readers_see_the_day_without_its_forms(client, district, personas, march):
    client.force_login(personas.village_cadre)
    page = client.get(day_url(march["ten"]))
    assert page.status_code == 200 and [o["op"] for o in page.context["operations"]] == ["matter"]
    assert client.post(day_url(march["ten"]), {"op": "hold", "hold-summary": "x"}).status_code == 403
    client.force_login(personas.department_member)
    page = client.get(day_url(march["twenty"]))
    assert page.status_code == 200 and page.context["operations"] == []
    assert [r["role"] for r in page.context["legal"]] == ["police", "judge", "lawyer"]


def test_the_detail_page_runs_constant_queries(client, district, personas, march, django_assert_max_num_queries):
    client.force_login(personas.county_office)
    url = day_url(march["twenty"])
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for n in range(6):
        services.contact_day_attendee_add(actor=personas.county_office, contact_day=march["twenty"], name=f"人{n}",
                                    role="police" if n % 2 else "department", organization=personas.police)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


# ---------------------------------------------------------------- household visits


def test_a_promoter_records_a_visit_and_raises_a_matter(client, district, personas, homes):
    client.force_login(personas.promoter)
    household = homes["grid"][0]
    url = f"{VISITS}?household={household.pk}"
    page = client.get(url)
    assert page.status_code == 200 and page.context["record_form"] is not None
    response = client.post(url, {"op": "visit", "visit-visited_on": "2010-03-24", "visit-notes": "走访"}, **HTMX)
    assert response.status_code == 200 and response["HX-Location"]
    visit = Visit.objects.get()
    assert (visit.household, visit.visited_on, visit.visitor) == (household, dt.date(2010, 3, 24), personas.promoter)
    response = client.post(url, {"op": "visit", "visit-visited_on": "2010-03-30"}, **HTMX)
    assert response.status_code == 422 and "has not come" in response.content.decode()
    client.post(url, {"op": "matter", "visit": visit.pk, f"m{visit.pk}-type": "demand",
                      f"m{visit.pk}-title": "屋顶漏雨"})
    assert Matter.objects.get().visit == visit
    page = client.get(url)
    assert [v.matter_count for v in page.context["page_obj"]] == [1]
    # Another grid's household: out of scope.
    assert client.get(f"{VISITS}?household={homes['grid2'][0].pk}").status_code == 404


def test_an_auditor_reads_visits_but_records_none(client, personas, homes):
    services.visit_record(actor=None, household=homes["grid"][0], visited_on=dt.date(2010, 3, 1))
    client.force_login(personas.auditor)
    url = f"{VISITS}?household={homes['grid'][0].pk}"
    page = client.get(url)
    assert page.status_code == 200 and page.context["record_form"] is None
    assert client.post(url, {"op": "visit", "visit-visited_on": "2010-03-24"}).status_code == 403


def test_the_visit_list_runs_constant_queries(client, district, personas, homes, django_assert_max_num_queries):
    client.force_login(personas.township_cadre)
    services.visit_record(actor=None, household=homes["grid"][0], visited_on=dt.date(2010, 3, 1))
    client.get(VISITS)
    with django_assert_max_num_queries(12) as one:
        client.get(VISITS)
    for household in homes["grid"] + homes["grid2"]:
        for day in range(1, 8):
            services.visit_record(actor=None, household=household, visited_on=dt.date(2010, 3, day))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(VISITS)
    assert len(response.context["page_obj"]) == 36


# ---------------------------------------------------------------- coverage


def test_coverage_pages(client, district, personas, homes, django_assert_max_num_queries):
    for household, day in ((homes["grid"][0], dt.date(2010, 3, 2)), (homes["grid2"][0], dt.date(2010, 2, 2)),
                           (homes["grid4"][0], dt.date(2010, 3, 5))):
        services.visit_record(actor=None, household=household, visited_on=day)
    client.force_login(personas.county_office)
    page = client.get(COVERAGE)
    assert page.context["within"] == district.county and page.context["level"] == "township"
    assert page.context["total"]["households"] == 6 and page.context["total"]["visited_month"] == 2
    assert [(r["name"], r["visited_quarter"]) for r in page.context["rows"]] == [("樟潭街道", 2), ("上方镇", 1)]
    with django_assert_max_num_queries(10):
        page = client.get(f"{COVERAGE}?within={district.township.code}&on=2010-03-25")
    assert page.context["level"] == "village" and [r["households"] for r in page.context["rows"]] == [5]
    assert [a.code for a in page.context["ancestors"]] == [district.county.code]
    page = client.get(f"{COVERAGE}?within={district.village.code}")
    assert page.context["level"] == "grid" and not page.context["drill"]
    client.force_login(personas.promoter)
    page = client.get(COVERAGE)
    assert page.context["within"] == district.grid and page.context["level"] is None
    assert page.context["ancestors"] == []
    assert client.get(f"{COVERAGE}?within={district.village.code}").status_code == 404


# ---------------------------------------------------------------- a phone


@pytest.mark.browser
def test_the_calendar_and_a_contact_day_fit_a_phone(district, personas, persona_password, live_server,
                                                     transactional_db, browser_page):
    # No frozen clock: the browser's cookies live in real time. March 2010 is in the past.
    plan = services.contact_days_plan(actor=None, division=district.county, year=2010, month=3, townships=True)
    ten = next(d for d in plan.days if d.division_id == district.township.pk)
    for name in ("张书记", "李镇长", "王主任"):
        services.contact_day_attendee_add(actor=None, contact_day=ten, name=name, attended=True)
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", personas.township_cadre.username)
    page.fill("input[name=password]", persona_password)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}{CALENDAR}?month=2010-03")
    page.wait_for_selector("main table.stack")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("#main table.stack a", has_text=district.township.name).click()
    page.wait_for_url(re.compile(rf"/matters/contact-days/{ten.pk}/$"))
    page.wait_for_selector("#attendance")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("#details-visit summary").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("#op-visit button[type=submit]").click()  # nobody named: the form comes back with the error
    page.wait_for_selector("#op-visit .error")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
