"""/api/v1/contact-days/ and /api/v1/visits/: no-meeting days, plans, attendance, visit logs, matters
raised, holding, household visits and coverage; scoped (out of scope is 404), errors as {code, message,
details}, constant queries on the lists."""
import datetime as dt
import zoneinfo

import pytest

from shuanglian.archives.services import household_register
from shuanglian.matters.models import Matter
from shuanglian.outreach import services
from shuanglian.outreach.models import ContactDay, Visit

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
DAYS = "/api/v1/contact-days/"
VISITS = "/api/v1/visits/"


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


def is_error(response, status, code=None):
    body = response.json()
    assert response.status_code == status, body
    assert set(body) == {"code", "message", "details"}
    if code:
        assert body["code"] == code, body
    return body


# ---------------------------------------------------------------- no-meeting days


def test_meeting_allowed(api, personas, clock):
    client = api.as_(personas.promoter)
    body = client.get(f"{DAYS}meeting-allowed/", {"level": "township", "date": "2010-03-10"}).json()
    assert body["allowed"] is False and "township–village contact day" in body["reason"]
    assert body["level"] == "township" and body["date"] == "2010-03-10"
    body = client.get(f"{DAYS}meeting-allowed/", {"level": "county", "date": "2010-03-20"}).json()
    assert body["allowed"] is False and "county–township contact day" in body["reason"]
    body = client.get(f"{DAYS}meeting-allowed/", {"level": "county", "date": "2010-03-10"}).json()
    assert body["allowed"] is True and body["reason"]
    is_error(client.get(f"{DAYS}meeting-allowed/", {"level": "township", "date": "10 March"}), 400, "invalid")
    is_error(client.get(f"{DAYS}meeting-allowed/", {"level": "moon", "date": "2010-03-10"}), 400, "invalid")


def test_meeting_allowed_needs_a_login(api, db):
    is_error(api.get(f"{DAYS}meeting-allowed/", {"level": "township", "date": "2010-03-10"}), 401)


# ---------------------------------------------------------------- plans and the list


def test_plan_a_month_over_the_api(api, district, personas, clock):
    client = api.as_(personas.township_cadre)
    response = client.post(f"{DAYS}plan/", {"division": district.township.code, "year": 2010, "month": 4},
                           format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [(d["kind"], d["date"], d["division"]["code"]) for d in body["days"]] == [
        ("township_village", "2010-04-10", district.township.code)]
    assert body["created"] == [body["days"][0]["id"]] and body["days"][0]["working_day"] is False
    assert body["notes"] and body["expected_legal_liaison"] == []
    again = client.post(f"{DAYS}plan/", {"division": district.township.code, "year": 2010, "month": 4},
                        format="json")
    assert again.status_code == 200 and again.json()["created"] == []
    is_error(client.post(f"{DAYS}plan/", {"division": district.county.code, "year": 2010, "month": 4},
                         format="json"), 403, "permission_denied")
    is_error(client.post(f"{DAYS}plan/", {"division": district.township.code, "year": 2010, "month": 0},
                         format="json"), 400, "invalid")
    office = api.as_(personas.county_office)
    body = office.post(f"{DAYS}plan/", {"division": district.county.code, "year": 2010, "month": 5,
                                        "townships": True}, format="json").json()
    assert len(body["days"]) == 3 and body["expected_legal_liaison"] == ["police", "judge", "lawyer"]


def test_the_list_filters_and_is_scoped(api, district, personas, march):
    office = api.as_(personas.county_office)
    body = office.get(DAYS, {"month": "2010-03"}).json()
    assert body["count"] == 3
    row = next(r for r in body["results"] if r["id"] == march["twenty"].pk)
    assert row["working_day"] is False and row["attendee_count"] == 0 and row["held"] is False
    assert office.get(DAYS, {"kind": "county_township"}).json()["count"] == 1
    assert office.get(DAYS, {"within": district.township2.code}).json()["results"][0]["id"] == march["ten2"].pk
    assert office.get(DAYS, {"month": "2010-04"}).json()["count"] == 0
    cadre = api.as_(personas.township_cadre)
    assert {r["id"] for r in cadre.get(DAYS).json()["results"]} == {march["ten"].pk, march["twenty"].pk}
    is_error(cadre.get(f"{DAYS}{march['ten2'].pk}/"), 404, "not_found")
    outsider = api.as_(personas.outsider)
    assert outsider.get(DAYS).json()["count"] == 0
    is_error(outsider.get(f"{DAYS}{march['ten'].pk}/"), 404)
    is_error(outsider.post(f"{DAYS}{march['ten'].pk}/hold/", {"summary": "x"}, format="json"), 404)


def test_the_list_runs_constant_queries(api, district, personas, march, django_assert_max_num_queries):
    for month in range(4, 9):
        services.contact_days_plan(actor=personas.county_office, division=district.county, year=2010, month=month,
                             townships=True)
    client = api.as_(personas.county_office)
    client.get(DAYS, {"page_size": 2})  # warm up: the token and the user
    with django_assert_max_num_queries(8) as small:
        assert len(client.get(DAYS, {"page_size": 2}).json()["results"]) == 2
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(DAYS, {"page_size": 50}).json()["results"]) == 18


# ---------------------------------------------------------------- one day: attendance, visits, matters, holding


def test_keep_a_contact_day_over_the_api(api, district, personas, march):
    office = api.as_(personas.county_office)
    twenty = f"{DAYS}{march['twenty'].pk}/"
    police = office.post(f"{twenty}attendees/", {"user": personas.department_member.pk, "role": "police",
                                                 "organization": personas.police.pk}, format="json")
    assert police.status_code == 201 and police.json()["name"] == "department_member"
    assert police.json()["organization"] == personas.police.name
    is_error(office.post(f"{twenty}attendees/", {"user": personas.department_member.pk}, format="json"), 409,
             "already_listed")
    is_error(office.post(f"{twenty}attendees/", {"user": 999999}, format="json"), 400)
    marked = office.post(f"{twenty}attendance/", {"attendee": police.json()["id"], "attended": True}, format="json")
    assert marked.status_code == 200 and marked.json()["attended"] is True
    is_error(office.post(f"{twenty}attendance/", {"attendee": 999999}, format="json"), 404)
    is_error(office.post(f"{twenty}visits/", {"village": district.village.code, "visitors": "张"}, format="json"),
             400, "wrong_kind")
    held = office.post(f"{twenty}hold/", {"summary": "研究解决乡镇上报事项5件"}, format="json")
    assert held.status_code == 200 and held.json()["held"] is True
    detail = office.get(twenty).json()
    assert detail["summary"] == "研究解决乡镇上报事项5件" and detail["attended_count"] == 1
    assert detail["legal_liaison"] == [{"role": "police", "listed": 1, "attended": True},
                                       {"role": "judge", "listed": 0, "attended": False},
                                       {"role": "lawyer", "listed": 0, "attended": False}]
    assert "the county holds no meetings" in detail["no_meeting"]


def test_the_10th_visits_and_matters_over_the_api(api, district, personas, march, homes):
    cadre = api.as_(personas.township_cadre)
    ten = f"{DAYS}{march['ten'].pk}/"
    visit = cadre.post(f"{ten}visits/", {"village": district.village2.code, "visitors": "张书记",
                                         "households_visited": 9, "notes": "走访"}, format="json")
    assert visit.status_code == 201 and visit.json()["village"]["code"] == district.village2.code
    is_error(cadre.post(f"{ten}visits/", {"village": district.village3.code, "visitors": "张"}, format="json"), 400)
    matter = cadre.post(f"{ten}matters/", {"grid": district.grid.code, "type": "demand", "title": "路灯不亮",
                                           "household": homes["grid"][0].pk, "raised_by_name": "王大伯",
                                           "raised_by_phone": "13912345678"}, format="json")
    assert matter.status_code == 201, matter.json()
    assert matter.json()["source"] == "contact_day" and "raised_by_phone" not in matter.json()
    assert Matter.objects.get(pk=matter.json()["id"]).contact_day_id == march["ten"].pk
    is_error(cadre.post(f"{ten}matters/", {"grid": district.grid4.code, "type": "demand", "title": "x"},
                        format="json"), 400)
    detail = cadre.get(ten).json()
    assert [v["households_visited"] for v in detail["visits"]] == [9]
    assert [m["title"] for m in detail["matters"]] == ["路灯不亮"] and "13912345678" not in str(detail)
    assert detail["legal_liaison"] == [] and detail["matter_count"] == 1
    # Others may read the day, not keep it.
    is_error(api.as_(personas.village_cadre).post(f"{ten}hold/", {"summary": "x"}, format="json"), 403)


# ---------------------------------------------------------------- household visits


def test_record_and_list_household_visits(api, district, personas, homes, clock):
    promoter = api.as_(personas.promoter)
    household = homes["grid"][0]
    created = promoter.post(VISITS, {"household": household.pk, "visited_on": "2010-03-24", "notes": "走访"},
                            format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["household_number"], body["grid"], body["visitor_names"], body["matters"]) == (
        "001", district.grid.code, "promoter", [])
    today = promoter.post(VISITS, {"household": homes["grid"][1].pk}, format="json").json()
    assert today["visited_on"] == "2010-03-25"
    is_error(promoter.post(VISITS, {"household": homes["grid"][0].pk, "visited_on": "2010-03-26"}, format="json"),
             400, "future_date")
    is_error(promoter.post(VISITS, {"household": homes["grid2"][0].pk}, format="json"), 404)  # not their grid
    is_error(api.as_(personas.auditor).post(VISITS, {"household": household.pk}, format="json"), 403)
    promoter = api.as_(personas.promoter)  # one client: as_() switches who it is
    matter = promoter.post(f"{VISITS}{body['id']}/matters/", {"type": "hazard", "title": "电线私拉乱接"},
                           format="json")
    assert matter.status_code == 201 and matter.json()["source"] == "visit"
    detail = promoter.get(f"{VISITS}{body['id']}/").json()
    assert [m["title"] for m in detail["matters"]] == ["电线私拉乱接"] and detail["matter_count"] == 1
    listed = promoter.get(VISITS, {"household": household.pk}).json()
    assert [v["id"] for v in listed["results"]] == [body["id"]]
    assert promoter.get(VISITS, {"month": "2010-03"}).json()["count"] == 2
    assert promoter.get(VISITS, {"grid": district.grid2.code}).json()["count"] == 0
    is_error(api.as_(personas.outsider).get(f"{VISITS}{body['id']}/"), 404)
    assert api.as_(personas.outsider).get(VISITS).json()["count"] == 0


def test_visit_list_runs_constant_queries(api, district, personas, homes, django_assert_max_num_queries):
    for household in homes["grid"] + homes["grid2"]:
        for day in (1, 2):
            services.visit_record(actor=personas.county_office, household=household, visited_on=dt.date(2010, 3, day))
    client = api.as_(personas.county_office)
    client.get(VISITS, {"page_size": 2})
    with django_assert_max_num_queries(8) as small:
        assert len(client.get(VISITS, {"page_size": 2}).json()["results"]) == 2
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(VISITS, {"page_size": 50}).json()["results"]) == 10


def test_coverage_over_the_api(api, district, personas, homes):
    office = personas.county_office
    for household, day in ((homes["grid"][0], dt.date(2010, 3, 2)), (homes["grid"][1], dt.date(2010, 1, 20)),
                           (homes["grid4"][0], dt.date(2010, 3, 5))):
        services.visit_record(actor=office, household=household, visited_on=day)
    client = api.as_(office)
    body = client.get(f"{VISITS}coverage/", {"within": district.county.code, "on": "2010-03-25"}).json()
    assert (body["within"]["code"], body["period"], body["start"], body["end"]) == (
        district.county.code, "month", "2010-03-01", "2010-03-25")
    assert body["total"] == {"code": district.county.code, "name": district.county.name, "households": 6,
                             "visited": 2, "share": 0.3333}
    assert [lv["level"] for lv in body["levels"]] == ["township", "village", "grid"]
    quarter = client.get(f"{VISITS}coverage/", {"within": district.township.code, "on": "2010-03-25",
                                                "period": "quarter", "level": "grid"}).json()
    assert quarter["start"] == "2010-01-01"
    assert [(r["code"], r["households"], r["visited"]) for r in quarter["levels"][0]["rows"]] == [
        (district.grid.code, 3, 2), (district.grid2.code, 2, 0)]
    is_error(client.get(f"{VISITS}coverage/", {"within": district.county.code, "period": "year"}), 400)
    is_error(client.get(f"{VISITS}coverage/", {"within": district.grid.code, "level": "village"}), 400)
    promoter = api.as_(personas.promoter).get(f"{VISITS}coverage/", {"on": "2010-03-25"}).json()
    assert promoter["within"]["code"] == district.grid.code and promoter["total"]["households"] == 3
    is_error(api.as_(personas.outsider).get(f"{VISITS}coverage/", {"within": district.county.code}), 404)
    assert Visit.objects.count() == 3 and ContactDay.objects.count() == 0
