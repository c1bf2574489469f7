"""Reads of matters, scoped: the subtree one's division grants cover, plus what one's organization holds."""
from __future__ import annotations

from django.db.models import Count, Model, Q, QuerySet

from shuanglian.access.roles import SUPERVISE_MATTERS, VIEW_ASSIGNED_MATTERS, VIEW_MATTERS
from shuanglian.access.scope import scope_for
from shuanglian.accounts.models import Grant
from shuanglian.archives.models import Household, Person
from shuanglian.archives.selectors import household_list_visible_to
from shuanglian.core.exceptions import ValidationFailed
from shuanglian.core.scoped import get_visible
from shuanglian.divisions.filtersets import visibility_q as scoped_visibility_q
from shuanglian.divisions.filtersets import within_q
from shuanglian.divisions.models import Division
from shuanglian.organizations.models import Organization

from . import policies
from .choices import OPEN_STATUSES, Level, Status
from .links import links
from .models import Matter, Transition
from .recipients import HANDLER_ROLES


def visibility_q(user) -> Q | None:
    """The filter for matters the user may see; None when they may see none."""
    if user is None:
        return Q()
    divisions = scope_for(user, VIEW_MATTERS, via_organizations=False)
    if divisions.everything:
        return Q()
    orgs = scope_for(user, VIEW_ASSIGNED_MATTERS).organization_ids | scope_for(user, VIEW_MATTERS).organization_ids
    return scoped_visibility_q(divisions, extra=Q(holder_organization_id__in=sorted(orgs)) if orgs else None)


def matter_divisions(user) -> QuerySet[Division]:
    """The divisions where the user sees matters by a grant there (a list filter's area menu offers these)."""
    scope = scope_for(user, VIEW_MATTERS, via_organizations=False)
    return Division.objects.none() if scope.empty else Division.objects.filter(scope.division_q())


def matter_list_visible_to(user) -> QuerySet[Matter]:
    q = visibility_q(user)
    if q is None:
        return Matter.objects.none()
    return (Matter.objects.filter(q)
            .select_related("category", "grid", "village", "township", "county", "holder_user", "holder_organization"))


def matter_get_for_user(user, pk) -> Matter:
    return get_visible(matter_list_visible_to(user).select_related("county", "household", "contact_day"), pk,
                       what="matter")


def report_links_for_user(user, *, grid: Division, household: int | None = None, persons: list[int] = (),
                          contact_day: int | None = None, visit: int | None = None,
                          ) -> tuple[Household | None, list[Person], Model | None, Model | None]:
    """The records a new matter names by id, each read through the user's scope (the household among those in
    the grid they may see, as the page's form does); one they may not see is refused naming its field."""
    found_household = None
    if household:
        found_household = get_visible(household_list_visible_to(user).filter(grid=grid), household,
                                      what="household in that grid", field="household")
    found_persons = list(Person.objects.filter(pk__in=persons, household=found_household)) if found_household else []
    if len(found_persons) != len(set(persons)):
        raise ValidationFailed("Persons must be members of the household.", details={"persons": list(persons)})
    found_day = get_visible(links().contact_days_visible_to(user), contact_day, what="contact day",
                            field="contact_day") if contact_day else None
    found_visit = get_visible(links().visits_visible_to(user).filter(household__grid=grid), visit,
                              what="visit in that grid", field="visit") if visit else None
    return found_household, found_persons, found_day, found_visit


def matter_timeline(matter: Matter) -> QuerySet[Transition]:
    return matter.transitions.select_related("actor").order_by("at", "id")


def supervision_board(user, *, within=None) -> list[dict]:
    """Yellow and red matters per township in the user's supervision scope: the 督办 board."""
    scope = scope_for(user, SUPERVISE_MATTERS, via_organizations=False) if user is not None else None
    rows = Matter.objects.filter(status__in=OPEN_STATUSES).exclude(status=Status.SUSPENDED).exclude(
        deadline_state="ok")
    if scope is not None and not scope.everything:
        if scope.empty:
            return []
        rows = rows.filter(scope.record_q())
    if within is not None:
        rows = rows.filter(within_q(within))
    counts = (rows.values("township_id", "township__name", "township__code")
              .annotate(yellow=Count("pk", filter=Q(deadline_state="yellow")),
                        red=Count("pk", filter=Q(deadline_state="red")))
              .order_by("-red", "-yellow", "township__code"))
    return list(counts)


def assignable_users(matter) -> list[tuple[int, str]]:
    """People who may handle the matter where it is held: handling grants at the holding division or
    above it (nearest first), or the holding department's members. One query."""
    grants = Grant.objects.filter(revoked_at__isnull=True, role__in=HANDLER_ROLES, user__is_active=True)
    if matter.level == Level.DEPARTMENT:
        grants = grants.filter(organization_id=matter.holder_organization_id)
    else:
        division = policies.holding_division(matter)
        if division is None:
            return []
        grants = grants.filter(division__code__in=[*division.ancestor_codes(), division.code],
                               division__retired_on__isnull=True)
    seen, found = set(), []
    for g in grants.select_related("user", "division", "organization").order_by("-division__code_key",
                                                                                 "user__username"):
        if g.user_id in seen:
            continue
        seen.add(g.user_id)
        where = g.organization.name if g.organization_id else g.division.name
        found.append((g.user_id, f"{g.user.display_name} · {where} · {g.get_role_display()}"))
    return found


def serving_organizations(matter, *, kind: str | None = None) -> list[tuple[int, str]]:
    """Active organizations serving where the matter is: at its county or one of its divisions below (the
    township's service center, the village's agent point, the county's departments). One query."""
    where = matter.grid or matter.division  # the grid as it is now (restructuring moves the scope columns)
    if matter.county_id is None or where is None:
        return []
    codes = [*where.ancestor_codes(), where.code]
    rows = Organization.objects.filter(is_active=True, division__code__in=codes,
                                       division__code__startswith=matter.county.code)
    if kind:
        rows = rows.filter(kind=kind)
    return [(o.pk, f"{o.name}") for o in rows.select_related("division").order_by("-division__code_key", "name")]
