import django_filters as filters
from django.db.models import Q

from shuanglian.access.roles import Role
from shuanglian.core.filtersets import FilterSet
from shuanglian.divisions.filtersets import WithinFilter

from .models import ApiToken, Grant, User


class UserFilterSet(FilterSet):
    q = filters.CharFilter(method="filter_q", label="username or name contains")
    within = WithinFilter(division_field="division", label="home division within code")
    role = filters.ChoiceFilter(choices=Role.choices, method="filter_role")
    is_active = filters.BooleanFilter()

    class Meta:
        model = User
        fields = ["is_active"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(username__icontains=value) | Q(full_name__icontains=value))

    def filter_role(self, queryset, name, value):
        return queryset.filter(grants__role=value, grants__revoked_at__isnull=True).distinct()


class GrantFilterSet(FilterSet):
    user = filters.NumberFilter(field_name="user_id")
    role = filters.ChoiceFilter(choices=Role.choices)
    division = filters.CharFilter(field_name="division__code")
    organization = filters.NumberFilter(field_name="organization_id")
    active = filters.BooleanFilter(field_name="revoked_at", lookup_expr="isnull")

    class Meta:
        model = Grant
        fields = ["user", "role", "division", "organization"]


class ApiTokenFilterSet(FilterSet):
    user = filters.NumberFilter(field_name="user_id")
    revoked = filters.BooleanFilter(field_name="revoked_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = ApiToken
        fields = ["user"]
