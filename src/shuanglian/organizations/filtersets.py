import django_filters as filters

from shuanglian.core.filtersets import FilterSet
from shuanglian.divisions.filtersets import WithinFilter

from .choices import Function, OrganizationKind
from .models import Organization


class OrganizationFilterSet(FilterSet):
    kind = filters.ChoiceFilter(choices=OrganizationKind.choices)
    function = filters.ChoiceFilter(choices=Function.choices)
    division = filters.CharFilter(field_name="division__code")
    within = WithinFilter(division_field="division", label="served division within code")
    q = filters.CharFilter(field_name="name", lookup_expr="contains")
    is_active = filters.BooleanFilter()

    class Meta:
        model = Organization
        fields = ["kind", "function", "is_active"]
