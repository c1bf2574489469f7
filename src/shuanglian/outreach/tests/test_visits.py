"""Household visits: recording (scoped, not in the future), matters raised at a visit, who sees which
visits, and coverage per grid, village and township on a small district."""
import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuanglian.archives.services import household_register
from shuanglian.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from shuanglian.core.models import AuditEvent
from shuanglian.matters.choices import Source
from shuanglian.outreach import filtersets, selectors, services
from shuanglian.outreach.models import Visit

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2010, 5, 20)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(dt.datetime(2010, 5, 20, 15, 0, tzinfo=SH), tick=False)
    return time_machine


@pytest.fixture
def homes(district, clock):
    """Households: 4 in the promoter's grid, 2 in grid2 (same village), 3 in grid3 (village2), 1 in
    grid4 (the other township), 1 in the other county."""
    made = {}
    for grid, n in (("grid", 4), ("grid2", 2), ("grid3", 3), ("grid4", 1), ("outside_grid", 1)):
        made[grid] = [household_register(actor=None, grid=getattr(district, grid), number=f"{i:03d}",
                                         address=f"{grid}-{i}") for i in range(1, n + 1)]
    return made


def test_a_promoter_records_a_visit_in_their_grid(district, personas, homes):
    household = homes["grid"][0]
    visit = services.visit_record(actor=personas.promoter, household=household, visited_on=dt.date(2010, 5, 18),
                                notes="了解生产生活情况")
    assert (visit.grid, visit.village, visit.township, visit.county) == (
        district.grid, district.village, district.township, district.county)
    assert visit.division == district.grid and visit.visitor == personas.promoter
    assert visit.visitor_names == "promoter"  # the actor's name when none is given
    assert AuditEvent.objects.filter(action="matters.visit_record", object_id=str(visit.pk)).exists()


def test_visits_are_not_recorded_outside_ones_area_or_in_the_future(district, personas, homes):
    with pytest.raises(PermissionDenied):
        services.visit_record(actor=personas.promoter, household=homes["grid2"][0], visited_on=TODAY)
    with pytest.raises(PermissionDenied):
        services.visit_record(actor=personas.outsider, household=homes["grid"][0], visited_on=TODAY)
    with pytest.raises(PermissionDenied):  # auditors read, never write
        services.visit_record(actor=personas.auditor, household=homes["grid"][0], visited_on=TODAY)
    with pytest.raises(ValidationFailed) as exc:
        services.visit_record(actor=personas.promoter, household=homes["grid"][0], visited_on=TODAY + dt.timedelta(1))
    assert exc.value.code == "future_date"
    services.visit_record(actor=personas.volunteer, household=homes["grid"][0], visited_on=TODAY)  # today is fine
    assert Visit.objects.count() == 1


def test_a_visit_raises_a_matter(district, personas, homes):
    household = homes["grid"][1]
    visit = services.visit_record(actor=personas.promoter, household=household, visited_on=TODAY)
    matter = services.visit_matter_raise(actor=personas.promoter, visit=visit, type="demand", title="屋顶漏雨",
                                       description="老人独居，屋顶漏雨")
    assert (matter.source, matter.visit, matter.household, matter.grid) == (Source.VISIT, visit, household,
                                                                            district.grid)
    assert list(selectors.visit_matters(personas.promoter, visit)) == [matter]
    assert list(selectors.visit_matters(personas.outsider, visit)) == []


def test_who_sees_which_visits(district, personas, homes):
    for grid, actor in (("grid", personas.promoter), ("grid2", personas.village_cadre),
                        ("grid3", personas.township_cadre), ("grid4", personas.county_office)):
        services.visit_record(actor=actor, household=homes[grid][0], visited_on=TODAY)

    def grids(user):
        return {v.grid_id for v in selectors.visit_list_visible_to(user)}

    assert grids(personas.promoter) == {district.grid.pk}
    assert grids(personas.volunteer) == {district.grid.pk}
    assert grids(personas.village_cadre) == {district.grid.pk, district.grid2.pk}
    assert grids(personas.township_cadre) == {district.grid.pk, district.grid2.pk, district.grid3.pk}
    assert grids(personas.county_office) == grids(personas.auditor) == {district.grid.pk, district.grid2.pk,
                                                                          district.grid3.pk, district.grid4.pk}
    assert grids(personas.outsider) == grids(personas.nobody) == grids(personas.department_member) == set()
    other = Visit.objects.get(grid=district.grid2)
    with pytest.raises(NotFound):
        selectors.visit_get_for_user(personas.promoter, other.pk)
    with pytest.raises(NotFound):
        selectors.household_for_visit(personas.outsider, homes["grid"][0].pk)


def test_filters(district, personas, homes):
    office = personas.county_office
    services.visit_record(actor=office, household=homes["grid"][0], visited_on=dt.date(2010, 4, 2))
    services.visit_record(actor=office, household=homes["grid"][1], visited_on=dt.date(2010, 5, 2))
    services.visit_record(actor=office, household=homes["grid4"][0], visited_on=dt.date(2010, 5, 3))
    qs = selectors.visit_list_visible_to(office)

    def f(**params):
        return {v.household.address for v in filtersets.VisitFilterSet(params, queryset=qs).qs}

    assert f(month="2010-05") == {"grid-2", "grid4-1"}
    assert f(within=district.township.code) == {"grid-1", "grid-2"}
    assert f(grid=district.grid4.code) == {"grid4-1"}
    assert f(household=str(homes["grid"][0].pk)) == {"grid-1"}
    assert f(month="May") == set()


# ---------------------------------------------------------------- coverage


@pytest.fixture
def visited(district, personas, homes):
    """Visits in the quarter April-June 2010, seen on 20 May: grid 4/4 households this quarter, 2 this month;
    grid2 1/2 this quarter (in April), 0 this month; grid3 0/3; grid4 1/1 this month."""
    office = personas.county_office
    g = homes["grid"]
    for household, day in ((g[0], dt.date(2010, 5, 3)), (g[0], dt.date(2010, 5, 19)), (g[1], dt.date(2010, 5, 20)),
                           (g[2], dt.date(2010, 4, 1)), (g[3], dt.date(2010, 4, 30)),
                           (homes["grid2"][0], dt.date(2010, 4, 15)),
                           (homes["grid3"][0], dt.date(2010, 3, 31)),  # last quarter: does not count
                           (homes["grid4"][0], dt.date(2010, 5, 1))):
        services.visit_record(actor=office, household=household, visited_on=day)
    services.visit_record(actor=None, household=homes["outside_grid"][0], visited_on=dt.date(2010, 5, 2))


def test_coverage_per_grid_village_and_township(district, personas, visited):
    office = personas.county_office
    per_grid = {r["code"]: r for r in selectors.visit_coverage(office, within=district.county, level="grid")}
    assert {code: (r["households"], r["visited_month"], r["visited_quarter"]) for code, r in per_grid.items()} == {
        district.grid.code: (4, 2, 4), district.grid2.code: (2, 0, 1), district.grid3.code: (3, 0, 0),
        district.grid4.code: (1, 1, 1)}
    assert per_grid[district.grid.code]["share_month"] == 0.5 and per_grid[district.grid.code]["share_quarter"] == 1.0
    per_village = {r["code"]: r for r in selectors.visit_coverage(office, within=district.county, level="village")}
    assert (per_village[district.village.code]["households"], per_village[district.village.code]["visited_quarter"]) \
        == (6, 5)
    per_township = {r["code"]: r for r in selectors.visit_coverage(office, within=district.county, level="township")}
    t1 = per_township[district.township.code]
    assert (t1["households"], t1["visited_month"], t1["visited_quarter"], t1["share_quarter"]) == (9, 2, 5, 0.5556)
    total = selectors.visit_coverage_total(office, within=district.county)
    assert (total["households"], total["visited_month"], total["visited_quarter"]) == (10, 3, 6)


def test_coverage_as_of_another_day_and_an_inactive_household(district, personas, homes, visited):
    office = personas.county_office
    april = selectors.visit_coverage_total(office, within=district.county, on=dt.date(2010, 4, 30))
    assert (april["visited_month"], april["visited_quarter"]) == (3, 3)  # g[2], g[3] (30 April), grid2
    homes["grid"][3].is_active = False
    homes["grid"][3].save(update_fields=["is_active"])
    total = selectors.visit_coverage_total(office, within=district.county)
    assert (total["households"], total["visited_quarter"]) == (9, 5)


def test_coverage_is_one_query_per_level(district, personas, visited):
    office = personas.county_office
    office.__dict__.pop("_scope_cache", None)
    selectors.visit_coverage(office, within=district.county, level="grid")  # warm the user's grant cache
    for level in ("township", "village", "grid"):
        with CaptureQueriesContext(connection) as queries:
            selectors.visit_coverage(office, within=district.county, level=level)
        assert len(queries.captured_queries) == 1, level


def test_coverage_is_scoped(district, personas, visited):
    promoter = personas.promoter
    # The village cadre sees the village's two grids; the promoter only their own grid's total.
    rows = selectors.visit_coverage(personas.village_cadre, within=district.village, level="grid")
    assert [(r["code"], r["households"]) for r in rows] == [(district.grid.code, 4), (district.grid2.code, 2)]
    assert selectors.visit_coverage_total(promoter, within=district.grid)["households"] == 4
    assert selectors.coverage_within(promoter, None) == district.grid  # the promoter's own area
    with pytest.raises(NotFound):
        selectors.coverage_within(promoter, district.village.code)
    with pytest.raises(NotFound):
        selectors.coverage_within(personas.outsider, district.county.code)
    assert selectors.coverage_levels(district.county) == ["township", "village", "grid"]
    assert selectors.coverage_levels(district.village) == ["grid"] and selectors.coverage_levels(district.grid) == []
    with pytest.raises(ValidationFailed):
        selectors.visit_coverage(promoter, within=district.grid, level="county")
