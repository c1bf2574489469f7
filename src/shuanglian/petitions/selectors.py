"""Reads of petitions, scoped: the subtree one's grants cover (petition office and cadres), what is routed to
one's unit, and what names one as handling officer. Out of scope reads as 404."""
from __future__ import annotations

from django.db.models import Q, QuerySet

from shuanglian.access.roles import HANDLE_PETITIONS, VIEW_PETITIONS
from shuanglian.access.scope import scope_for
from shuanglian.core.scoped import get_visible
from shuanglian.divisions.filtersets import visibility_q as scoped_visibility_q

from .models import BacklogCase, Petition, Transition


def visibility_q(user) -> Q | None:
    """The filter for petitions the user may see; None when they may see none."""
    if user is None:
        return Q()
    views = scope_for(user, VIEW_PETITIONS, via_organizations=False)
    office = scope_for(user, HANDLE_PETITIONS, via_organizations=False)
    orgs = scope_for(user, HANDLE_PETITIONS).organization_ids
    extra = Q(handler_id=user.pk) if getattr(user, "pk", None) else Q(pk__in=[])
    if orgs:
        extra |= Q(handling_organization_id__in=sorted(orgs))
    return scoped_visibility_q(views, office, extra=extra)


def petition_list_visible_to(user) -> QuerySet[Petition]:
    q = visibility_q(user)
    if q is None:
        return Petition.objects.none()
    return Petition.objects.filter(q).select_related("subject", "township", "handling_organization", "handler")


def petition_get_for_user(user, pk) -> Petition:
    return get_visible(petition_list_visible_to(user).select_related("county", "division", "person"), pk,
                       what="petition")


def petition_timeline(petition: Petition) -> QuerySet[Transition]:
    return petition.transitions.select_related("actor").order_by("at", "id")


def backlog_list_visible_to(user) -> QuerySet[BacklogCase]:
    if user is None:
        return BacklogCase.objects.all()
    q = scoped_visibility_q(scope_for(user, VIEW_PETITIONS, via_organizations=False),
                            scope_for(user, HANDLE_PETITIONS, via_organizations=False))
    return BacklogCase.objects.none() if q is None else BacklogCase.objects.filter(q).select_related("township")


def may_see_statistics_of(user, division) -> bool:
    """Statistics of a subtree: for whoever sees petitions there (no identities are in them)."""
    if user is None:
        return True
    return (scope_for(user, VIEW_PETITIONS, via_organizations=False).covers(division)
            or scope_for(user, HANDLE_PETITIONS, via_organizations=False).covers(division))
