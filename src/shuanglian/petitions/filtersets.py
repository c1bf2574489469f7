"""The one petition filter, for the register page and the API."""
from __future__ import annotations

import django_filters as filters
from django.utils.translation import gettext_lazy

from shuanglian.core.filtersets import FilterSet
from shuanglian.divisions.filtersets import WithinFilter

from .choices import Category, Channel, Lodged, Status
from .models import Petition


class PetitionFilterSet(FilterSet):
    year = filters.NumberFilter(field_name="year", label=gettext_lazy("year received"), min_value=1990,
                                max_value=2100)
    within = WithinFilter(label=gettext_lazy("division code (subtree)"))
    channel = filters.ChoiceFilter(choices=Channel.choices, label=gettext_lazy("channel"))
    category = filters.ChoiceFilter(choices=Category.choices, label=gettext_lazy("category"))
    status = filters.ChoiceFilter(choices=Status.choices, label=gettext_lazy("status"))
    destination = filters.ChoiceFilter(field_name="lodged_at", choices=Lodged.choices,
                                       label=gettext_lazy("lodged at"))
    backlog = filters.BooleanFilter(method="filter_backlog", label=gettext_lazy("backlog case"))

    class Meta:
        model = Petition
        fields = ["year", "channel", "category", "status"]

    def filter_backlog(self, queryset, name, value):
        if value is None:
            return queryset
        marked = Petition.backlog_cases.through.objects.values("petition_id")
        return queryset.filter(pk__in=marked) if value else queryset.exclude(pk__in=marked)
