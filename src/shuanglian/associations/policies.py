"""Who may appoint and end posts and record meetings: associations.manage over the division the association
serves (a village cadre their village's association, a township cadre the township's and its villages')."""
from django.utils.translation import gettext as _

from shuanglian.access.roles import MANAGE_ASSOCIATIONS
from shuanglian.access.scope import has_capability
from shuanglian.core.exceptions import PermissionDenied


def may_manage(actor, association) -> bool:
    return actor is None or has_capability(actor, MANAGE_ASSOCIATIONS, association.division)


def require_manage(actor, association) -> None:
    if not may_manage(actor, association):
        raise PermissionDenied(_("You may not manage %(association)s.") % {"association": association.name})
