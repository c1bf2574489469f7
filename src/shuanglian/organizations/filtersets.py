import django_filters as filters

from shuanglian.divisions.choices import code_key, code_key_upper

from .choices import Function, OrganizationKind
from .models import Organization


class OrganizationFilterSet(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=OrganizationKind.choices)
    function = filters.ChoiceFilter(choices=Function.choices)
    division = filters.CharFilter(field_name="division__code")
    within = filters.CharFilter(method="filter_within", label="served division within code")
    q = filters.CharFilter(field_name="name", lookup_expr="contains")
    is_active = filters.BooleanFilter()

    class Meta:
        model = Organization
        fields = ["kind", "function", "is_active"]

    def filter_within(self, queryset, name, value):
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(division__code_key__gte=code_key(value), division__code_key__lte=code_key_upper(value))
