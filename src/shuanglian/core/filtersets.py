import django_filters as filters

from .models import AuditEvent


def filter_within(queryset, value: str):
    """Subtree by division code, for DivisionScoped records: an equality on the scope column of that level
    (indexed), not a join. An unknown code matches nothing."""
    from shuanglian.divisions.choices import Level, code_key, code_key_upper
    from shuanglian.divisions.models import Division

    value = (value or "").strip()
    division = Division.objects.current().filter(code=value).first() if value.isdigit() else None
    if division is None:
        return queryset.none()
    if division.level in (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, Level.GRID):
        return queryset.filter(**{f"{division.level}_id": division.pk})
    return queryset.filter(county__code_key__gte=code_key(division.code),
                           county__code_key__lte=code_key_upper(division.code))


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
