"""Who may manage which accounts. An administrator manages users whose home division lies in their
subtree, and grants roles only at divisions (or organizations serving divisions) in it."""
from django.utils.translation import gettext as _

from shuanglian.access.roles import CAPABILITIES, MANAGE_USERS, REVEAL_PII, Role
from shuanglian.access.scope import active_grants, scope_for
from shuanglian.core.exceptions import PermissionDenied


def role_reveals_pii(role: str) -> bool:
    """Grants of these roles alert the auditors, or wait for a second administrator (GRANT_APPROVAL)."""
    return REVEAL_PII in CAPABILITIES.get(role, ())


def is_auditor(user) -> bool:
    return any(g.role == Role.AUDITOR for g in active_grants(user))


def may_manage_user(actor, user) -> bool:
    """Administrators manage the accounts of their subtree, except their own, superusers' and auditors':
    an auditor's account is changed only by the system (a command on the server), so the administrator
    whose work the auditor checks cannot disable, reset or regrant them."""
    if actor is None:
        return True
    if user.pk is not None and is_auditor(user):
        return False
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
