"""One filter per model, for the pages and the API."""
from __future__ import annotations

import django_filters as filters
from django.utils.translation import gettext_lazy

from shuanglian.core.filtersets import FilterSet
from shuanglian.divisions.filtersets import WithinFilter

from .choices import DecisionCategory, DisclosureKind, MeetingKind
from .models import Decision, Disclosure, Meeting


class MeetingFilterSet(FilterSet):
    kind = filters.ChoiceFilter(choices=MeetingKind.choices, label=gettext_lazy("kind"))
    year = filters.NumberFilter(field_name="held_on", lookup_expr="year", label=gettext_lazy("year"))
    within = WithinFilter(label=gettext_lazy("division code (subtree)"))

    class Meta:
        model = Meeting
        fields = ["kind"]


class DecisionFilterSet(FilterSet):
    category = filters.ChoiceFilter(choices=DecisionCategory.choices, label=gettext_lazy("category"))
    status = filters.CharFilter(label=gettext_lazy("status"))
    year = filters.NumberFilter(field_name="proposed_on", lookup_expr="year", label=gettext_lazy("year"))
    within = WithinFilter(label=gettext_lazy("division code (subtree)"))

    class Meta:
        model = Decision
        fields = ["category", "status"]


class DisclosureFilterSet(FilterSet):
    kind = filters.ChoiceFilter(choices=DisclosureKind.choices, label=gettext_lazy("kind"))
    year = filters.NumberFilter(field_name="posted_on", lookup_expr="year", label=gettext_lazy("year"))
    within = WithinFilter(label=gettext_lazy("division code (subtree)"))

    class Meta:
        model = Disclosure
        fields = ["kind"]
