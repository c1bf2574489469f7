"""One FilterSet for divisions, used by the API and the pages; the one `within` filter for scoped records."""
from typing import Any

import django_filters as filters
from django.db.models import Q, QuerySet

from .choices import Kind, Level, code_key, code_key_upper
from .models import Division


def filter_within(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
    """Subtree by division code, for DivisionScoped records: an equality on the scope column of that level
    (indexed), not a join. An unknown code matches nothing."""
    value = (value or "").strip()
    division = Division.objects.current().filter(code=value).first() if value.isdigit() else None
    if division is None:
        return queryset.none()
    if division.level in (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, Level.GRID):
        return queryset.filter(**{f"{division.level}_id": division.pk})
    return queryset.filter(county__code_key__gte=code_key(division.code),
                           county__code_key__lte=code_key_upper(division.code))


class DivisionFilterSet(filters.FilterSet):
    level = filters.ChoiceFilter(choices=Level.choices)
    kind = filters.ChoiceFilter(choices=Kind.choices)
    parent = filters.CharFilter(method="filter_parent", label="parent code")
    within = filters.CharFilter(method="filter_within", label="ancestor code (subtree)")
    q = filters.CharFilter(method="filter_q", label="name or code contains")

    class Meta:
        model = Division
        fields = ["level", "kind"]

    def filter_parent(self, queryset, name, value):
        return queryset.filter(parent__code=value, parent__retired_on__isnull=True)

    def filter_within(self, queryset, name, value):
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(code_key__gte=code_key(value), code_key__lte=code_key_upper(value))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if value.isdigit():
            return queryset.filter(code__startswith=value)
        return queryset.filter(Q(name__contains=value))
