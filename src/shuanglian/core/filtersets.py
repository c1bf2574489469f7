import django_filters as filters

from .models import AuditEvent


class AuditEventFilterSet(filters.FilterSet):
    action = filters.CharFilter(field_name="action", lookup_expr="startswith")
    actor = filters.CharFilter(field_name="actor_label")
    object_type = filters.CharFilter()
    object_id = filters.CharFilter()
    request_id = filters.CharFilter()
    since = filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="gte")
    until = filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="lt")

    class Meta:
        model = AuditEvent
        fields = ["action", "actor", "object_type", "object_id", "request_id"]
