"""The contact-day demo builder on the small test district: a year of 10ths and 20ths, held, with their
attendance and visit logs, and household visits that make the coverage figures look lived in."""
import datetime as dt
import zoneinfo
from collections import Counter

import pytest

from shuanglian.archives.services import household_register
from shuanglian.core.models import AuditEvent
from shuanglian.demo.builders import outreach
from shuanglian.demo.context import DemoContext
from shuanglian.divisions.models import Division
from shuanglian.organizations.choices import Function, OrganizationKind
from shuanglian.organizations.services import organization_create
from shuanglian.outreach import selectors
from shuanglian.outreach.choices import ContactDayKind
from shuanglian.outreach.models import ContactDay, ContactDayAttendee, ContactDayVisit, Visit

SH = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def ctx(district, personas, time_machine):
    time_machine.move_to(dt.datetime(2011, 1, 15, 9, 0, tzinfo=SH), tick=False)
    county = district.county
    current = Division.objects.current().within(county)
    context = DemoContext(seed=7, log=lambda text: None)
    context.county = county
    context.townships = {d.code: d for d in current.filter(level="township")}
    context.villages = {d.code: d for d in current.filter(level="village")}
    context.grids = {d.code: d for d in current.filter(level="grid")}
    context.departments = {Function.PUBLIC_SECURITY: personas.police}
    for name, function in (("区人民法院", Function.COURT), ("区司法局", Function.JUSTICE),
                           ("区民政局", Function.CIVIL_AFFAIRS), ("区民情沟通日办公室", Function.CONTACT_DAY_OFFICE)):
        context.departments[function] = organization_create(actor=None, division=county, name=name,
                                                            kind=OrganizationKind.DEPARTMENT, function=function)
    context.users = {u.username: u for u in (personas.township_cadre, personas.county_office, personas.promoter,
                                             personas.department_member)}
    for grid in context.grids.values():
        for n in range(1, 21):
            household_register(actor=None, grid=grid, number=f"{n:03d}")
    return context


def test_a_year_of_contact_days_and_visits(district, personas, ctx):
    days = outreach.build(ctx, year=2010)
    # 12 months x (2 townships' 10ths + the county's 20th), keyed by (division code, date).
    assert len(days) == 36 and ContactDay.objects.count() == 36
    assert days[(district.township.code, dt.date(2010, 3, 10))].kind == ContactDayKind.TOWNSHIP_VILLAGE
    assert days[(district.county.code, dt.date(2010, 3, 20))].kind == ContactDayKind.COUNTY_TOWNSHIP
    assert all(d.pk and d.held and d.summary for d in days.values())
    assert ctx.data["matters.contact_days.2010"] is days

    twenties = ContactDay.objects.filter(kind=ContactDayKind.COUNTY_TOWNSHIP)
    for day in twenties:
        roles = Counter(day.attendees.values_list("role", flat=True))
        assert roles["police"] == roles["judge"] == roles["lawyer"] == 1 and roles["leader"] == 2
        assert roles["department"] >= 4
    police = ContactDayAttendee.objects.filter(role="police")
    assert set(police.values_list("user", flat=True)) == {personas.department_member.pk}  # the demo's police user
    tens = ContactDay.objects.filter(kind=ContactDayKind.TOWNSHIP_VILLAGE, division=district.township)
    assert all(d.attendees.filter(user=personas.township_cadre).exists() for d in tens)
    for visit in ContactDayVisit.objects.select_related("contact_day", "village"):
        assert visit.village.parent_id == visit.contact_day.division_id and visit.households_visited > 0

    # Household visits: scope columns from the household, dates in 2010, about one a quarter each.
    assert not Visit.objects.exclude(visited_on__year=2010).exists()
    sample = Visit.objects.select_related("household").first()
    assert (sample.grid_id, sample.village_id, sample.township_id, sample.county_id, sample.division_id) == (
        sample.household.grid_id, sample.household.village_id, sample.household.township_id,
        sample.household.county_id, sample.household.grid_id)
    assert Visit.objects.filter(visitor=personas.promoter).exists()  # the grid's promoter, in their grid
    assert not Visit.objects.filter(visitor=personas.promoter).exclude(grid=district.grid).exists()
    total = selectors.visit_coverage_total(None, within=district.county, on=dt.date(2010, 12, 31))
    assert total["households"] == 80
    assert 0.7 < total["share_quarter"] < 0.97 and 0.15 < total["share_month"] < 0.6
    assert AuditEvent.objects.filter(action="matters.contact_demo").count() == 1


def test_building_again_adds_nothing(district, personas, ctx):
    first = outreach.build(ctx, year=2010)
    counts = (ContactDay.objects.count(), ContactDayAttendee.objects.count(), Visit.objects.count())
    again = outreach.build(ctx, year=2010)
    assert {k: d.pk for k, d in again.items()} == {k: d.pk for k, d in first.items()}
    assert (ContactDay.objects.count(), ContactDayAttendee.objects.count(), Visit.objects.count()) == counts
