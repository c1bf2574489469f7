"""Who may appoint and end grid team posts, record training and issue kits (teams.manage, in its subtree), and keep
the lecturer group (teams.manage_lecturers). Scope comes from the grants (access.roles)."""
from django.utils.translation import gettext as _

from shuanglian.access.roles import MANAGE_LECTURERS, MANAGE_TEAMS, VIEW_TEAMS
from shuanglian.access.scope import has_capability, scope_for
from shuanglian.core.exceptions import PermissionDenied


def may_view_division(user, division) -> bool:
    """Whether the division is under the user's teams.view grants (its teams, cards and rosters)."""
    return scope_for(user, VIEW_TEAMS).covers(division)


def may_manage_division(user, division) -> bool:
    return scope_for(user, MANAGE_TEAMS).covers(division)


def may_manage_post(user, membership) -> bool:
    return scope_for(user, MANAGE_TEAMS).covers_record(membership)


def may_manage_somewhere(user) -> bool:
    """Whether the user manages any team (the import and assignment forms)."""
    return not scope_for(user, MANAGE_TEAMS).empty


def require_manage_grid(actor, grid) -> None:
    if actor is not None and not has_capability(actor, MANAGE_TEAMS, grid):
        raise PermissionDenied(_("You may not manage the team of %(grid)s.") % {"grid": grid.name})


def require_manage(actor, membership) -> None:
    if actor is not None and not may_manage_post(actor, membership):
        raise PermissionDenied(_("You may not manage this team."))


def require_manage_lecturers(actor, department=None) -> None:
    if actor is not None and not has_capability(actor, MANAGE_LECTURERS, department.division if department else None):
        raise PermissionDenied(_("You may not keep the lecturer group."))


def may_record_training(user, township) -> bool:
    return has_capability(user, MANAGE_TEAMS, township)


def require_record_training(actor, township) -> None:
    if actor is not None and not may_record_training(actor, township):
        raise PermissionDenied(_("You may not record the training of %(township)s.") % {"township": township.name})
