"""Reads of matters, scoped: the subtree one's division grants cover, plus what one's organization holds."""
from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from shuanglian.accounts.roles import SUPERVISE_MATTERS, VIEW_ASSIGNED_MATTERS, VIEW_MATTERS
from shuanglian.core.exceptions import NotFound
from shuanglian.core.permissions import scope_for

from .choices import OPEN_STATUSES, Status
from .models import Matter, Transition


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
