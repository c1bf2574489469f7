from django.utils.translation import gettext as _

from shuanglian.access.roles import MANAGE_ORGANIZATIONS
from shuanglian.access.scope import has_capability
from shuanglian.core.exceptions import PermissionDenied


def require_manage(actor, division) -> None:
    if actor is not None and not has_capability(actor, MANAGE_ORGANIZATIONS, division):
        raise PermissionDenied(_("You may not manage organizations at %(division)s.") % {"division": division})
