"""Who may plan contact days (where they hold the planning capability) and record visits (in the grids
they serve). Seeing contact days and visits follows seeing matters: see contact_days and visits."""
from django.utils.translation import gettext as _

from shuanglian.access.roles import PLAN_CONTACT_DAYS, RECORD_VISITS
from shuanglian.access.scope import has_capability, scope_for
from shuanglian.core.exceptions import PermissionDenied


def require_plan_contact_days(user, division) -> None:
    if not may_plan_contact_days(user, division):
        raise PermissionDenied(_("You may not plan contact days for %(division)s.") % {"division": division})


def require_record_visit(user, household) -> None:
    if not may_record_visit(user, household):
        raise PermissionDenied(_("You may not record visits to this household."))


def may_plan_contact_days(user, division) -> bool:
    return user is None or has_capability(user, PLAN_CONTACT_DAYS, division)


def may_record_visit(user, household) -> bool:
    return user is None or scope_for(user, RECORD_VISITS, via_organizations=False).covers_record(household)


def plan_divisions_q(user):
    """Divisions where the user may plan contact days, as a filter on Division (None: nowhere)."""
    scope = scope_for(user, PLAN_CONTACT_DAYS)
    return None if scope.empty else scope.division_q()
