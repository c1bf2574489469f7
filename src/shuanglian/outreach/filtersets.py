"""The contact-day and visit filters, for the pages and the API."""
from __future__ import annotations

import datetime as dt

import django_filters as filters

from shuanglian.core.filtersets import FilterSet
from shuanglian.divisions.filtersets import WithinFilter

from .choices import ContactDayKind
from .models import ContactDay, Visit
from .schedule import parse_month


class ContactDayFilterSet(FilterSet):
    kind = filters.ChoiceFilter(choices=ContactDayKind.choices)
    month = filters.CharFilter(method="filter_month", label="month (YYYY-MM)")
    within = WithinFilter()
    held = filters.BooleanFilter()

    class Meta:
        model = ContactDay
        fields = ["kind", "held"]

    def filter_month(self, queryset, name, value):
        found = parse_month(value)
        if found is None:
            return queryset.none()
        year, month = found
        return queryset.filter(date__gte=dt.date(year, month, 1),
                               date__lt=dt.date(year + month // 12, month % 12 + 1, 1))




class VisitFilterSet(FilterSet):
    household = filters.NumberFilter(field_name="household_id")
    grid = filters.CharFilter(field_name="grid__code", label="grid code")
    within = WithinFilter()
    month = filters.CharFilter(method="filter_month", label="month (YYYY-MM)")

    class Meta:
        model = Visit
        fields = ["household"]

    def filter_month(self, queryset, name, value):
        found = parse_month(value)
        if found is None:
            return queryset.none()
        year, month = found
        return queryset.filter(visited_on__gte=dt.date(year, month, 1),
                               visited_on__lt=dt.date(year + month // 12, month % 12 + 1, 1))
