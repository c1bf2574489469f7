from django.utils.translation import gettext as _

from shuanglian.accounts.roles import MANAGE_ORGANIZATIONS
from shuanglian.core.exceptions import PermissionDenied
from shuanglian.core.permissions import has_capability


def require_manage(actor, division) -> None:
    if actor is not None and not has_capability(actor, MANAGE_ORGANIZATIONS, division):
        raise PermissionDenied(_("You may not manage organizations at %(division)s.") % {"division": division})
