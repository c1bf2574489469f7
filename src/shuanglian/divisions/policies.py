"""Who may change the tree. A system actor (None: commands and jobs) may; users need RESTRUCTURE there."""
from django.utils.translation import gettext as _

from shuanglian.core.capabilities import has_capability, scope_for
from shuanglian.core.exceptions import PermissionDenied
from shuanglian.core.typing import Actor

from .capabilities import RESTRUCTURE, VIEW_DIVISIONS
from .models import Division


def may_view(actor: Actor, division: Division) -> bool:
    return actor is None or scope_for(actor, VIEW_DIVISIONS).covers(division)


def may_restructure(actor: Actor, division: Division) -> bool:
    return actor is None or has_capability(actor, RESTRUCTURE, division)


def require_restructure(actor: Actor, division: Division) -> None:
    if not may_restructure(actor, division):
        raise PermissionDenied(_("You may not restructure %(division)s.") % {"division": division})
