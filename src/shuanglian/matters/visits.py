"""Household visits (走访): a grid team's visit to a household, the matters raised there, and coverage.

Cadres keep in regular contact with every household (the three-people programme's second part); the
coverage selectors say how many of the active households of each grid, village and township were
visited this month and this quarter. Each level is ONE grouped query over the households' scope
columns, with an indexed EXISTS probe into the visits of each household.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import django_filters as filters
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuanglian.access.roles import RECORD_VISITS, VIEW_MATTERS
from shuanglian.access.scope import scope_for
from shuanglian.archives.models import Household
from shuanglian.core import audit, clock
from shuanglian.core.exceptions import NotFound, ValidationFailed, full_clean
from shuanglian.core.filtersets import FilterSet
from shuanglian.core.scoped import get_visible
from shuanglian.divisions.choices import Level as DivisionLevel
from shuanglian.divisions.filtersets import SCOPE_COLUMN_LEVELS, WithinFilter, within_q
from shuanglian.divisions.filtersets import visibility_q as scoped_visibility_q
from shuanglian.divisions.models import Division
from shuanglian.divisions.scope import Scope

from . import policies
from .choices import Source
from .models import Matter, Visit

MAX_NAMES = 200
MAX_NOTES = 5000
# The levels a coverage table is drawn for, below the division asked about.
COVERAGE_LEVELS = (DivisionLevel.TOWNSHIP, DivisionLevel.VILLAGE, DivisionLevel.GRID)


# ---------------------------------------------------------------- writes


def _snapshot(visit: Visit) -> dict:
    return {"household": visit.household.number, "grid": visit.grid.code if visit.grid_id else None,
            "visited_on": visit.visited_on.isoformat(), "visitor_names": visit.visitor_names}


@transaction.atomic
def visit_record(*, actor, household: Household, visited_on: dt.date, notes: str = "",
                 visitor_names: str = "") -> Visit:
    """Record a visit to a household, attached to the household's grid. Needs matters.record_visits where
    the household is (403); the date may not lie in the future."""
    if household is None or not household.is_active:
        raise ValidationFailed(_("Choose a household on the archives."), details={"household": [_("Required.")]})
    policies.require_record_visit(actor, household)
    if not isinstance(visited_on, dt.date) or isinstance(visited_on, dt.datetime):
        raise ValidationFailed(_("Give the date of the visit."), details={"visited_on": [str(visited_on)]})
    if visited_on > clock.today():
        raise ValidationFailed(_("A visit cannot be recorded for a day that has not come (%(date)s).")
                               % {"date": date_format(visited_on)}, code="future_date",
                               details={"visited_on": [_("Not in the future.")]})
    if household.grid_id is None:
        raise ValidationFailed(_("Household %(number)s is not in a grid.") % {"number": household.number},
                               details={"household": [household.pk]})
    names = (visitor_names or "").strip() or (actor.display_name if getattr(actor, "pk", None) else "")
    if len(names) > MAX_NAMES:
        raise ValidationFailed(_("The visitors' names are too long (at most %(n)d characters).") % {"n": MAX_NAMES},
                               details={"visitor_names": [_("Too long.")]})
    notes = (notes or "").strip()
    if len(notes) > MAX_NOTES:
        raise ValidationFailed(_("The notes are too long (at most %(n)d characters).") % {"n": MAX_NOTES},
                               details={"notes": [_("Too long.")]})
    visit = Visit(household=household, visited_on=visited_on, notes=notes, visitor_names=names,
                  visitor=actor if getattr(actor, "pk", None) else None)
    visit.attach_to(household.grid)
    full_clean(visit)
    visit.save()
    audit.record(actor=actor, action="matters.visit_record", obj=visit, object_repr=f"{household.number}",
                 after=_snapshot(visit))
    return visit


def visit_matter_raise(*, actor, visit: Visit, type: str, title: str, description: str = "", category=None,
                       persons=(), raised_by_name: str = "", raised_by_phone: str = "") -> Matter:
    """A matter the household raised at a visit: recorded at the household's grid, source "visit",
    linked to the visit. The matter service decides who may report it there (403)."""
    from .services import matter_report  # the matter workflow's one entry

    household = visit.household
    return matter_report(actor=actor, grid=household.grid, type=type, source=Source.VISIT, title=title,
                         description=description, category=category, household=household, persons=persons,
                         raised_by_name=raised_by_name, raised_by_phone=raised_by_phone, visit=visit)


# ---------------------------------------------------------------- reads


def visit_scope(user) -> tuple[Scope, Scope] | None:
    """Those who record visits and those who see matters see the visits of their subtree."""
    if user is None:
        return None
    return (scope_for(user, RECORD_VISITS, via_organizations=False),
            scope_for(user, VIEW_MATTERS, via_organizations=False))


def visibility_q(user) -> Q | None:
    scopes = visit_scope(user)
    return Q() if scopes is None else scoped_visibility_q(*scopes)


def covers(user, division: Division) -> bool:
    scopes = visit_scope(user)
    return scopes is None or any(s.covers(division) for s in scopes)


def visit_list_visible_to(user) -> QuerySet[Visit]:
    q = visibility_q(user)
    if q is None:
        return Visit.objects.none()
    return (Visit.objects.filter(q).select_related("household", "grid", "village", "township", "visitor")
            .order_by("-visited_on", "-id"))


def visit_get_for_user(user, pk) -> Visit:
    return get_visible(visit_list_visible_to(user), pk, what="visit")


def household_for_visit(user, pk) -> Household:
    """A household the user may see visits of (404 otherwise); whether they may record one is the service's."""
    q = visibility_q(user)
    found = None
    if q is not None:
        found = Household.objects.filter(q, is_active=True, pk=pk).select_related("grid").first()
    if found is None:
        raise NotFound(f"No household {pk} that you may see.")
    return found


def visit_matters(user, visit: Visit) -> QuerySet[Matter]:
    from .selectors import matter_list_visible_to

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
    q = visibility_q(user)
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


# ---------------------------------------------------------------- filtering (API and pages)


class VisitFilterSet(FilterSet):
    household = filters.NumberFilter(field_name="household_id")
    grid = filters.CharFilter(field_name="grid__code", label="grid code")
    within = WithinFilter()
    month = filters.CharFilter(method="filter_month", label="month (YYYY-MM)")

    class Meta:
        model = Visit
        fields = ["household"]

    def filter_month(self, queryset, name, value):
        from .contact_days import parse_month

        found = parse_month(value)
        if found is None:
            return queryset.none()
        year, month = found
        return queryset.filter(visited_on__gte=dt.date(year, month, 1),
                               visited_on__lt=dt.date(year + month // 12, month % 12 + 1, 1))
