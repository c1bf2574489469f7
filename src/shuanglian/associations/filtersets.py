"""One FilterSet for associations, shared by the API and the list page."""
import django_filters as filters
from django.utils.translation import gettext_lazy as _

from shuanglian.divisions.choices import code_key, code_key_upper
from shuanglian.organizations.models import Organization

from .choices import AssociationKind
from .selectors import kind_q


class AssociationFilterSet(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=AssociationKind.choices, method="filter_kind",
                                label=_("kind (general: township, promotion: village or community)"))
    within = filters.CharFilter(method="filter_within", label=_("division code (subtree)"))
    q = filters.CharFilter(field_name="name", lookup_expr="contains", label=_("name contains"))

    class Meta:
        model = Organization
        fields = ["kind"]

    def filter_kind(self, queryset, name, value):
        return queryset.filter(kind_q(value))

    def filter_within(self, queryset, name, value):
        value = (value or "").strip()
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(division__code_key__gte=code_key(value), division__code_key__lte=code_key_upper(value))
