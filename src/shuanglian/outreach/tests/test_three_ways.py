"""The contact-day and visit pages and endpoints three ways: a township's contact day is its cadres' to keep;
visits are seen from their grid up."""
import datetime as dt

from django.urls import reverse

from shuanglian.archives.services import household_register
from shuanglian.core import clock
from shuanglian.outreach import services
from shuanglian.testing.views import Case, three_ways

DAYS = "/api/v1/contact-days/"
VISITS = "/api/v1/visits/"


def _last_month() -> tuple[int, int]:
    first = clock.today().replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month


def _ten(w):
    """Last month's contact days (past, so they may be kept): the 樟潭 10th, as the app's `march` fixture."""
    year, month = _last_month()
    plan = services.contact_days_plan(actor=w.personas.county_office, division=w.district.county, year=year, month=month,
                                townships=True)
    return next(d for d in plan.days if d.division_id == w.district.township.pk)


def _ten_with_attendee(w):
    ten = _ten(w)
    return services.contact_day_attendee_add(actor=w.personas.township_cadre, contact_day=ten,
                                       user=w.personas.village_cadre)


def _visit(w):
    household = household_register(actor=None, grid=w.district.grid, number="001")
    return services.visit_record(actor=w.personas.promoter, household=household, visited_on=clock.today(),
                               notes="走访")


def _day_post(path, data, make=_ten, ok=(201,)):
    # The village cadre reads the township's day but does not keep it (403).
    return Case(lambda w: f"{DAYS}{w.made.pk}/{path}", api=True, method="post", data=data, make=make,
                permitted="township_cadre", denied="village_cadre", ok=ok)


CASES = {
    "outreach:contact-calendar": Case(lambda w: reverse("outreach:contact-calendar") + "?month={}-{:02d}".format(*_last_month()),
                                     permitted="township_cadre", make=_ten,
                                     hidden=lambda r, w: reverse("outreach:contact-day", args=[w.made.pk])
                                     not in r.content.decode()),
    "outreach:contact-day": Case(lambda w: reverse("outreach:contact-day", args=[w.made.pk]),
                                permitted="township_cadre", make=_ten),
    "outreach:contact-visits": Case(lambda w: reverse("outreach:contact-visits") + f"?household={w.made.household_id}",
                                   permitted="promoter", make=_visit),
    "outreach:contact-coverage": Case(lambda w: reverse("outreach:contact-coverage") + f"?within={w.district.village.code}",
                                     permitted="village_cadre", make=_visit),
    "api-contact-day-list": Case(lambda w: DAYS, api=True, permitted="township_cadre", make=_ten,
                                 hidden=lambda r, w: w.made.pk not in [d["id"] for d in r.json()["results"]]),
    "api-contact-day-detail": Case(lambda w: f"{DAYS}{w.made.pk}/", api=True, permitted="township_cadre",
                                   make=_ten),
    # The township plans its month; a village cadre sees the township but may not plan it. A division is public
    # reference data (the national lists), so planning one out of scope is refused naming it (403), as planning
    # at one's own county is, rather than read as missing.
    "api-contact-day-plan": Case(lambda w: f"{DAYS}plan/", api=True, method="post",
                                 data=lambda w: {"division": w.district.township.code, "year": 2027, "month": 4},
                                 permitted="township_cadre", denied="village_cadre", ok=(200, 201),
                                 outsider_status=(403,)),
    # A rule of the calendar any signed-in user may ask about: no capability, no record.
    "api-contact-day-meeting-allowed": Case(lambda w: f"{DAYS}meeting-allowed/?level=township&date=2010-03-10",
                                            api=True, permitted="promoter", denied=None, outsider=None),
    "api-contact-day-attendees": _day_post("attendees/", lambda w: {"user": w.personas.village_cadre.pk}),
    "api-contact-day-attendance": Case(lambda w: f"{DAYS}{w.made.contact_day_id}/attendance/", api=True,
                                       method="post", data=lambda w: {"attendee": w.made.pk, "attended": True},
                                       make=_ten_with_attendee, permitted="township_cadre",
                                       denied="village_cadre"),
    "api-contact-day-visits": _day_post("visits/", lambda w: {"village": w.district.village2.code,
                                                              "visitors": "张书记", "households_visited": 9}),
    # Whoever may report at the grid raises a matter on the day (the village cadre too); the auditor, who
    # reads the day, reports nothing (403).
    "api-contact-day-matters": Case(lambda w: f"{DAYS}{w.made.pk}/matters/", api=True, method="post",
                                    data=lambda w: {"grid": w.district.grid.code, "type": "demand",
                                                    "title": "路灯不亮"},
                                    make=_ten, permitted="township_cadre", denied="auditor", ok=(201,)),
    "api-contact-day-hold": _day_post("hold/", lambda w: {"summary": "研究解决村级上报事项3件"}, ok=(200,)),
    "api-visit-list": Case(lambda w: VISITS, api=True, permitted="promoter", make=_visit,
                           hidden=lambda r, w: r.json()["count"] == 0),
    "api-visit-detail": Case(lambda w: f"{VISITS}{w.made.pk}/", api=True, permitted="promoter", make=_visit),
    # The auditor reads visits but raises nothing (403).
    "api-visit-matters": Case(lambda w: f"{VISITS}{w.made.pk}/matters/", api=True, method="post",
                              data=lambda w: {"type": "hazard", "title": "电线私拉乱接"}, permitted="promoter",
                              denied="auditor", ok=(201,), make=_visit),
    "api-visit-coverage": Case(lambda w: f"{VISITS}coverage/?within={w.district.village.code}", api=True,
                               permitted="village_cadre", make=_visit),
}

test_three_ways = three_ways(CASES)
