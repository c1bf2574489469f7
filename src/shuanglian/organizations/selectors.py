from django.db.models import Q, QuerySet

from shuanglian.access.roles import VIEW_ORGANIZATIONS
from shuanglian.access.scope import scope_for
from shuanglian.core.scoped import get_visible

from .models import Organization


def organization_list_visible_to(user) -> QuerySet[Organization]:
    scope = scope_for(user, VIEW_ORGANIZATIONS)
    # Organizations serving the divisions above one's own are visible too: work is routed up to them.
    above = {code[:n] for code in scope.codes for n in (2, 4, 6, 9, 12) if n < len(code)}
    q = scope.division_q("division__") | Q(pk__in=scope.organization_ids)
    if above:
        q |= Q(division__code__in=above, division__retired_on__isnull=True)
    return Organization.objects.filter(q).select_related("division", "parent")


def organization_get_for_user(user, pk: int) -> Organization:
    return get_visible(organization_list_visible_to(user), pk, what="organization",
                       message=f"No organization {pk} that you may see.")
