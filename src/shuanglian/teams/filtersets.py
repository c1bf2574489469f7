"""One FilterSet for team memberships, shared by the API and the roster page."""
import django_filters as filters
from django.utils.translation import gettext_lazy as _

from shuanglian.core.filtersets import filter_within

from .choices import Category, TeamRole
from .models import Membership


class MembershipFilterSet(filters.FilterSet):
    grid = filters.CharFilter(field_name="grid__code", label=_("grid code"))
    within = filters.CharFilter(method="filter_within", label=_("division code (subtree)"))
    role = filters.ChoiceFilter(choices=TeamRole.choices, label=_("role"))
    category = filters.ChoiceFilter(field_name="member__category", choices=Category.choices, label=_("category"))
    current = filters.BooleanFilter(field_name="ended_on", lookup_expr="isnull", label=_("current posts only"))
    name = filters.CharFilter(field_name="member__name", lookup_expr="startswith", label=_("name (starts with)"))

    class Meta:
        model = Membership
        fields = ["role"]

    def filter_within(self, queryset, name, value):
        return filter_within(queryset, value)
