"""Who may manage which accounts. An administrator manages users whose home division lies in their
subtree, and grants roles only at divisions (or organizations serving divisions) in it."""
from django.utils.translation import gettext as _

from shuanglian.access.roles import MANAGE_USERS
from shuanglian.access.scope import scope_for
from shuanglian.core.exceptions import PermissionDenied


def may_manage_user(actor, user) -> bool:
    if actor is None:
        return True
    scope = scope_for(actor, MANAGE_USERS)
    if scope.everything:
        return True
    if user.pk == actor.pk or user.division_id is None or user.is_superuser:
        return False
    return scope.covers(user.division)


def may_manage_users_somewhere(actor) -> bool:
    return actor is None or not scope_for(actor, MANAGE_USERS).empty


def require_manage_user(actor, user) -> None:
    if not may_manage_user(actor, user):
        raise PermissionDenied(_("You may not manage the account %(user)s.") % {"user": user.username})


def require_manage_division(actor, division) -> None:
    if actor is None:
        return
    if division is None or not scope_for(actor, MANAGE_USERS).covers(division):
        raise PermissionDenied(_("You may not manage accounts at %(division)s.") % {"division": division})


def may_revoke_token(actor, token) -> bool:
    """The owner revokes their own tokens; an administrator those of the accounts they manage."""
    return actor is None or actor.pk == token.user_id or may_manage_user(actor, token.user)
