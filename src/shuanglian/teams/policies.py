"""Who may appoint and end grid team posts, record training and issue kits (teams.manage, in its subtree), and keep
the lecturer group (teams.manage_lecturers). Scope comes from the grants (access.roles)."""
from django.utils.translation import gettext as _

from shuanglian.access.roles import MANAGE_LECTURERS, MANAGE_TEAMS
from shuanglian.access.scope import has_capability, scope_for
from shuanglian.core.exceptions import PermissionDenied


def require_manage_grid(actor, grid) -> None:
    if actor is not None and not has_capability(actor, MANAGE_TEAMS, grid):
        raise PermissionDenied(_("You may not manage the team of %(grid)s.") % {"grid": grid.name})


def require_manage(actor, membership) -> None:
    if actor is not None and not scope_for(actor, MANAGE_TEAMS).covers_record(membership):
        raise PermissionDenied(_("You may not manage this team."))


def require_manage_lecturers(actor, department=None) -> None:
    if actor is not None and not has_capability(actor, MANAGE_LECTURERS, department.division if department else None):
        raise PermissionDenied(_("You may not keep the lecturer group."))


def require_record_training(actor, township) -> None:
    if actor is not None and not has_capability(actor, MANAGE_TEAMS, township):
        raise PermissionDenied(_("You may not record the training of %(township)s.") % {"township": township.name})
