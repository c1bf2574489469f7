"""Reads of matters, scoped: the subtree one's division grants cover, plus what one's organization holds."""
from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from shuanglian.access.roles import SUPERVISE_MATTERS, VIEW_ASSIGNED_MATTERS, VIEW_MATTERS
from shuanglian.access.scope import scope_for
from shuanglian.accounts.models import Grant
from shuanglian.core.exceptions import NotFound
from shuanglian.organizations.models import Organization

from . import policies
from .choices import OPEN_STATUSES, Level, Status
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
    if not divisions.codes and not orgs:
        return None
    q = divisions.record_q() if divisions.codes else Q(pk__in=[])
    if orgs:
        q |= Q(holder_organization_id__in=sorted(orgs))
    return q


def matter_list_visible_to(user) -> QuerySet[Matter]:
    q = visibility_q(user)
    if q is None:
        return Matter.objects.none()
    return (Matter.objects.filter(q)
            .select_related("category", "grid", "village", "township", "county", "holder_user", "holder_organization"))


def matter_get_for_user(user, pk) -> Matter:
    try:
        return matter_list_visible_to(user).select_related("county", "household", "contact_day").get(pk=pk)
    except (Matter.DoesNotExist, ValueError, TypeError):
        raise NotFound("matter not found") from None


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
        rows = rows.filter(**{f"{within.level}_id": within.pk})
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
