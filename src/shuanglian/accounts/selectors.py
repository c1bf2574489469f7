from django.db.models import Prefetch, Q, QuerySet

from shuanglian.access.roles import MANAGE_USERS, VIEW_USERS
from shuanglian.access.scope import scope_for
from shuanglian.core.exceptions import NotFound

from .models import Grant, PendingGrant, User


def _user_scope_q(user) -> Q | None:
    manage, view = scope_for(user, MANAGE_USERS), scope_for(user, VIEW_USERS)
    if manage.everything or view.everything:
        return Q()
    if manage.empty and view.empty:
        return None
    return manage.division_q("division__") | view.division_q("division__")


def user_list_visible_to(user) -> QuerySet[User]:
    q = _user_scope_q(user)
    if q is None:
        return User.objects.none()
    active = Prefetch("grants", queryset=Grant.objects.filter(revoked_at__isnull=True)
                      .select_related("division", "organization"), to_attr="active_grants")
    return User.objects.filter(q).select_related("division").prefetch_related(active).order_by("username")


def user_get_for_user(user, pk: int) -> User:
    found = user_list_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(f"No user {pk} that you may see.")
    return found


def grant_list_visible_to(user) -> QuerySet[Grant]:
    q = _user_scope_q(user)
    if q is None:
        return Grant.objects.none()
    users = User.objects.filter(q).values("pk")
    return (Grant.objects.filter(user__in=users)
            .select_related("user", "division", "organization", "granted_by").order_by("-granted_at", "-pk"))


def grant_get_for_user(user, pk: int) -> Grant:
    found = grant_list_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(f"No grant {pk} that you may see.")
    return found


def pending_grant_list_visible_to(user) -> QuerySet[PendingGrant]:
    """Grants awaiting a second administrator, for the accounts the user may see; the open ones first."""
    q = _user_scope_q(user)
    if q is None:
        return PendingGrant.objects.none()
    users = User.objects.filter(q).values("pk")
    return (PendingGrant.objects.filter(user__in=users)
            .select_related("user", "division", "organization", "requested_by", "decided_by")
            .order_by("-requested_at", "-pk"))


def pending_grant_get_for_user(user, pk: int) -> PendingGrant:
    found = pending_grant_list_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(f"No pending grant {pk} that you may see.")
    return found
