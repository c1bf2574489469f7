"""Contact days and visits: who sees which, the counts of a day, and visit coverage.

Cadres keep in regular contact with every household (the three-people programme's second part); the
coverage selectors say how many of the active households of each grid, village and township were
visited this month and this quarter. Each level is ONE grouped query over the households' scope
columns, with an indexed EXISTS probe into the visits of each household.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuanglian.access.roles import RECORD_VISITS, VIEW_ASSIGNED_MATTERS, VIEW_MATTERS
from shuanglian.access.scope import scope_for
from shuanglian.archives.models import Household
from shuanglian.core import clock
from shuanglian.core.exceptions import NotFound, ValidationFailed
from shuanglian.core.scoped import get_visible
from shuanglian.divisions.choices import Level as DivisionLevel
from shuanglian.divisions.filtersets import SCOPE_COLUMN_LEVELS, within_q
from shuanglian.divisions.filtersets import visibility_q as scoped_visibility_q
from shuanglian.divisions.models import Division
from shuanglian.divisions.scope import Scope
from shuanglian.matters.choices import OPEN_STATUSES, Level
from shuanglian.matters.models import Matter
from shuanglian.matters.selectors import matter_list_visible_to

from .choices import LEGAL_LIAISON_ROLES, AttendeeRole, ContactDayKind
from .models import ContactDay, ContactDayAttendee, ContactDayVisit, Visit
from .schedule import expected_legal_liaison

# The levels a coverage table is drawn for, below the division asked about.
COVERAGE_LEVELS = (DivisionLevel.TOWNSHIP, DivisionLevel.VILLAGE, DivisionLevel.GRID)


def _ancestor_ids(codes: list[str]) -> list[int]:
    """Ids of the current county and township divisions above (or at) these codes."""
    wanted = {code[:n] for code in codes for n in (6, 9) if len(code) >= n}
    if not wanted:
        return []
    return list(Division.objects.current().filter(code__in=wanted,
                                                  level__in=[DivisionLevel.COUNTY, DivisionLevel.TOWNSHIP])
                .values_list("pk", flat=True))


def contact_day_visibility_q(user) -> Q | None:
    """Contact days a user may see; None for none.

    - those in the subtree their matter grants cover (a township cadre: the township's 10ths; the
      county office: every day of the county);
    - those of the divisions above them (a village cadre sees the 10th of the township whose cadres
      come to the village, and the county's 20th; a township cadre sees the 20th it escalates to);
    - those of the division an organization of theirs serves (a county department's member sees the
      20th their department attends).
    """
    if user is None:
        return Q()
    divisions: Scope = scope_for(user, VIEW_MATTERS, via_organizations=False)
    if divisions.everything:
        return Q()
    served = scope_for(user, VIEW_ASSIGNED_MATTERS)
    ancestors = _ancestor_ids(divisions.codes)
    served_ids = [served.ids[c] for c in served.codes]
    above = sorted({*ancestors, *served_ids})
    return scoped_visibility_q(divisions, extra=Q(division_id__in=above) if above else None)


def _count(model, **filters):
    rows = (model.objects.filter(contact_day=OuterRef("pk"), **filters).order_by()
            .values("contact_day").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def with_counts(queryset: QuerySet[ContactDay]) -> QuerySet[ContactDay]:
    """Attendees listed and present, visits logged, households they saw and matters raised: subqueries,
    so one query for any number of days."""
    households = (ContactDayVisit.objects.filter(contact_day=OuterRef("pk")).order_by().values("contact_day")
                  .annotate(n=Sum("households_visited")).values("n"))
    return queryset.annotate(
        attendee_count=_count(ContactDayAttendee), attended_count=_count(ContactDayAttendee, attended=True),
        legal_attended_count=_count(ContactDayAttendee, attended=True, role__in=LEGAL_LIAISON_ROLES),
        visit_count=_count(ContactDayVisit), matter_count=_count(Matter),
        households_visited=Coalesce(Subquery(households, output_field=IntegerField()), Value(0)))


def contact_day_list_visible_to(user) -> QuerySet[ContactDay]:
    q = contact_day_visibility_q(user)
    if q is None:
        return ContactDay.objects.none()
    return ContactDay.objects.filter(q).select_related("division").order_by("-date", "division__code_key")


def contact_day_get_for_user(user, pk) -> ContactDay:
    return get_visible(contact_day_list_visible_to(user).select_related("division__parent", "county"), pk,
                       what="contact day")


def contact_day_attendees(day: ContactDay) -> QuerySet[ContactDayAttendee]:
    return day.attendees.select_related("organization").order_by("role", "name", "pk")


def contact_day_visits(day: ContactDay) -> QuerySet[ContactDayVisit]:
    return day.visits.select_related("village").order_by("village__code", "pk")


def contact_day_matters(user, day: ContactDay) -> QuerySet[Matter]:
    """The matters of a contact day that the user may see: those raised there or sent to it (a township
    escalating to the county links the matter to the next 20th); and, on a county-township day not yet
    held, every open matter held at the county level of its county, which is the 20th's agenda."""

    q = Q(contact_day=day)
    if day.kind == ContactDayKind.COUNTY_TOWNSHIP and not day.held:
        q |= Q(level=Level.COUNTY, county_id=day.county_id, status__in=OPEN_STATUSES)
    return matter_list_visible_to(user).filter(q).order_by("reported_at", "pk")


def legal_liaison(day: ContactDay, attendees) -> list[dict]:
    """For a county-township day: each legal liaison role expected, who is listed and whether they came."""
    rows = []
    for role in expected_legal_liaison(day):
        listed = [a for a in attendees if a.role == role]
        rows.append({"role": role, "label": AttendeeRole(role).label, "listed": listed,
                     "attended": any(a.attended for a in listed)})
    return rows


def contact_days_in_month(user, year: int, month: int, *, within: Division | None = None) -> QuerySet[ContactDay]:
    """The month's contact days the user may see (optionally within a division), with their counts."""
    first = dt.date(year, month, 1)
    after = dt.date(year + month // 12, month % 12 + 1, 1)
    qs = contact_day_list_visible_to(user).filter(date__gte=first, date__lt=after)
    if within is not None:
        qs = qs.filter(within_q(within))
    return with_counts(qs).order_by("date", "division__code_key")


def next_county_contact_day(county_id: int, on: dt.date) -> ContactDay | None:
    """The county's next 20th-of-the-month contact day on or after `on`, if one is planned: where a matter
    sent up to the county goes on the agenda."""
    return (ContactDay.objects.filter(division_id=county_id, kind=ContactDayKind.COUNTY_TOWNSHIP, date__gte=on)
            .order_by("date").first())


def visit_scope(user) -> tuple[Scope, Scope] | None:
    """Those who record visits and those who see matters see the visits of their subtree."""
    if user is None:
        return None
    return (scope_for(user, RECORD_VISITS, via_organizations=False),
            scope_for(user, VIEW_MATTERS, via_organizations=False))


def visit_visibility_q(user) -> Q | None:
    scopes = visit_scope(user)
    return Q() if scopes is None else scoped_visibility_q(*scopes)


def covers(user, division: Division) -> bool:
    scopes = visit_scope(user)
    return scopes is None or any(s.covers(division) for s in scopes)


def visit_list_visible_to(user) -> QuerySet[Visit]:
    q = visit_visibility_q(user)
    if q is None:
        return Visit.objects.none()
    return (Visit.objects.filter(q).select_related("household", "grid", "village", "township", "visitor")
            .order_by("-visited_on", "-id"))


def visit_get_for_user(user, pk) -> Visit:
    return get_visible(visit_list_visible_to(user), pk, what="visit")


def household_for_visit(user, pk) -> Household:
    """A household the user may see visits of (404 otherwise); whether they may record one is the service's."""
    q = visit_visibility_q(user)
    found = None
    if q is not None:
        found = Household.objects.filter(q, is_active=True, pk=pk).select_related("grid").first()
    if found is None:
        raise NotFound(f"No household {pk} that you may see.")
    return found


def visit_matters(user, visit: Visit) -> QuerySet[Matter]:

    return matter_list_visible_to(user).filter(visit=visit).order_by("reported_at", "pk")


# ---------------------------------------------------------------- coverage

PERIODS = {"month": gettext_lazy("this month"), "quarter": gettext_lazy("this quarter")}


@dataclass(frozen=True)
class Window:
    """From the first day of the month (or quarter) holding `on`, through `on`."""

    period: str
    start: dt.date
    end: dt.date


def window(period: str, on: dt.date) -> Window:
    if period == "month":
        return Window(period, on.replace(day=1), on)
    if period == "quarter":
        return Window(period, dt.date(on.year, 3 * ((on.month - 1) // 3) + 1, 1), on)
    raise ValidationFailed(_("The period is month or quarter."), details={"period": [period]})


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _visited(win: Window):
    return Exists(Visit.objects.filter(household_id=OuterRef("pk"), visited_on__gte=win.start,
                                       visited_on__lte=win.end))


def _households(user, within: Division):
    """Active households under `within` that the user may see (by the scope columns)."""
    q = visit_visibility_q(user)
    qs = Household.objects.filter(is_active=True)
    if q is None:
        return qs.none()
    return qs.filter(q).filter(within_q(within))


def _row(r: dict, prefix: str = "") -> dict:
    households, month, quarter = r["households"], r["visited_month"], r["visited_quarter"]
    return {"households": households, "visited_month": month, "visited_quarter": quarter,
            "share_month": _share(month, households), "share_quarter": _share(quarter, households)}


def visit_coverage(user, *, within: Division, level: str, on: dt.date | None = None) -> list[dict]:
    """Per division of `level` under `within`: active households, how many were visited this month and
    this quarter (up to `on`, default today), and the shares. ONE grouped query."""
    if level not in COVERAGE_LEVELS:
        raise ValidationFailed(_("Coverage is given per township, village or grid."), details={"level": [level]})
    on = on or clock.today()
    month, quarter = window("month", on), window("quarter", on)
    rows = (_households(user, within).filter(**{f"{level}__isnull": False})
            .values(f"{level}_id", f"{level}__code", f"{level}__name")
            .annotate(households=Count("pk"), visited_month=Count("pk", filter=Q(_visited(month))),
                      visited_quarter=Count("pk", filter=Q(_visited(quarter))))
            .order_by(f"{level}__code"))
    return [{"id": r[f"{level}_id"], "code": r[f"{level}__code"], "name": r[f"{level}__name"], **_row(r)}
            for r in rows]


def visit_coverage_total(user, *, within: Division, on: dt.date | None = None) -> dict:
    """The same figures for the whole of `within` (one query)."""
    on = on or clock.today()
    month, quarter = window("month", on), window("quarter", on)
    r = _households(user, within).aggregate(households=Count("pk"),
                                            visited_month=Count("pk", filter=Q(_visited(month))),
                                            visited_quarter=Count("pk", filter=Q(_visited(quarter))))
    return {"id": within.pk, "code": within.code, "name": within.name, **_row(r)}


def coverage_levels(within: Division) -> list[str]:
    """The coverage levels below a division (a county: townships, villages, grids; a grid: none)."""
    order = list(SCOPE_COLUMN_LEVELS)
    if within.level not in order:
        return list(COVERAGE_LEVELS)
    return [lv for lv in COVERAGE_LEVELS if order.index(lv) > order.index(within.level)]


def coverage_within(user, code: str | None) -> Division:
    """The division a coverage report is for: the one named (which the user's visit scope must cover,
    else 404), or the user's own area when they work in one."""
    if code:
        division = Division.objects.current().filter(code=str(code).strip()).first()
        if division is None or not covers(user, division):
            raise NotFound(f"No division {code} that you may see.")
        return division
    scopes = visit_scope(user)
    roots = sorted({(c, s.ids[c]) for s in scopes or () for c in s.codes}) if scopes else []
    if scopes is not None and any(s.everything for s in scopes):
        raise ValidationFailed(_("Name the division (within=code)."), details={"within": [_("Required.")]})
    if len(roots) != 1:
        raise ValidationFailed(_("Name the division (within=code)."), details={"within": [_("Required.")]})
    return Division.objects.get(pk=roots[0][1])
