"""Who may appoint and end grid team posts. Scope comes from the grants (accounts.roles: teams.manage)."""
from django.utils.translation import gettext as _

from shuanglian.accounts.roles import MANAGE_TEAMS
from shuanglian.core.exceptions import PermissionDenied
from shuanglian.core.permissions import has_capability, scope_for


def require_manage_grid(actor, grid) -> None:
    if actor is not None and not has_capability(actor, MANAGE_TEAMS, grid):
        raise PermissionDenied(_("You may not manage the team of %(grid)s.") % {"grid": grid.name})


def require_manage(actor, membership) -> None:
    if actor is not None and not scope_for(actor, MANAGE_TEAMS).covers_record(membership):
        raise PermissionDenied(_("You may not manage this team."))
