from django.db.models import QuerySet

from shuanglian.access.roles import VIEW_AUDIT
from shuanglian.access.scope import scope_for

from .models import AuditEvent


def audit_list_visible_to(user) -> QuerySet[AuditEvent]:
    """Auditors read the whole log: events are not tied to one division, and an audit must see all writes."""
    if scope_for(user, VIEW_AUDIT).empty:
        return AuditEvent.objects.none()
    return AuditEvent.objects.select_related("actor").order_by("-seq")
