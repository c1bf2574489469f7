"""One FilterSet for associations, shared by the API and the list page."""
import django_filters as filters
from django.utils.translation import gettext_lazy as _

from shuanglian.core.filtersets import FilterSet
from shuanglian.divisions.filtersets import WithinFilter
from shuanglian.organizations.models import Organization

from .choices import AssociationKind
from .selectors import kind_q


class AssociationFilterSet(FilterSet):
    kind = filters.ChoiceFilter(choices=AssociationKind.choices, method="filter_kind",
                                label=_("kind (general: township, promotion: village or community)"))
    within = WithinFilter(division_field="division", label=_("division code (subtree)"))
    q = filters.CharFilter(field_name="name", lookup_expr="contains", label=_("name contains"))

    class Meta:
        model = Organization
        fields = ["kind"]

    def filter_kind(self, queryset, name, value):
        return queryset.filter(kind_q(value))
