"""The one dispute filter, for the ledger page and the API."""
from __future__ import annotations

import django_filters as filters
from django.utils.translation import gettext_lazy

from shuanglian.core.filtersets import FilterSet
from shuanglian.divisions.filtersets import WithinFilter

from .choices import MediationOutcome
from .models import Dispute
from .selectors import WINDOW_LABELS, confirmation_q, screened_in_year_q


class DisputeFilterSet(FilterSet):
    outcome = filters.ChoiceFilter(choices=[("open", gettext_lazy("not concluded")), *MediationOutcome.choices],
                                   method="filter_outcome", label=gettext_lazy("outcome"))
    year = filters.NumberFilter(method="filter_year", label=gettext_lazy("year screened"), min_value=1990,
                                max_value=2100)
    within = WithinFilter(prefix="matter__", label=gettext_lazy("division code (subtree)"))
    confirmation = filters.ChoiceFilter(choices=[(k, v) for k, v in WINDOW_LABELS.items()],
                                        method="filter_confirmation", label=gettext_lazy("judicial confirmation"))

    class Meta:
        model = Dispute
        fields = ["outcome"]

    def filter_outcome(self, queryset, name, value):
        if value == "open":
            return queryset.filter(outcome="")
        return queryset.filter(outcome=value)

    def filter_year(self, queryset, name, value):
        return queryset.filter(screened_in_year_q(int(value))) if value is not None else queryset

    def filter_confirmation(self, queryset, name, value):
        return queryset.filter(confirmation_q(value))
