"""One FilterSet for divisions, used by the API and the pages."""
import django_filters as filters
from django.db.models import Q

from .choices import Kind, Level, code_key, code_key_upper
from .models import Division


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
