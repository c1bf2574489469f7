"""Who may change the tree. A system actor (None: commands and jobs) may; users need RESTRUCTURE there."""
from django.utils.translation import gettext as _

from shuanglian.access.roles import RESTRUCTURE
from shuanglian.access.scope import has_capability
from shuanglian.core.exceptions import PermissionDenied


def may_restructure(actor, division) -> bool:
    return actor is None or has_capability(actor, RESTRUCTURE, division)


def require_restructure(actor, division) -> None:
    if not may_restructure(actor, division):
        raise PermissionDenied(_("You may not restructure %(division)s.") % {"division": division})
