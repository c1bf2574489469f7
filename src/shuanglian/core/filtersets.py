import datetime as dt

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy

from .models import AuditEvent

# What a filter value may be before it reaches the database: a 64-bit integer column overflows past these
# (SQLite raises OverflowError, PostgreSQL "out of range"), and a date near year 1 or 9999 overflows when
# shifted between time zones. Outside them the filter answers "invalid" (a 400 in the API), not a 500.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
DATE_MIN, DATE_MAX = dt.date(1900, 1, 1), dt.date(9998, 12, 31)


def _date_in_range(value) -> None:
    day = value.date() if isinstance(value, dt.datetime) else value
    if day is not None and not DATE_MIN <= day <= DATE_MAX:
        raise ValidationError(gettext_lazy("Enter a date between %(min)s and %(max)s.") % {
            "min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}, code="date_range")


class FilterSet(filters.FilterSet):
    """The base of every filter set: numbers and dates are bounded (above) on both the pages and the API."""

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for name, field in form.fields.items():
                lookup = getattr(self.filters.get(name), "lookup_expr", "")
                if lookup == "year" and isinstance(field, forms.DecimalField | forms.IntegerField):
                    field.validators += [MinValueValidator(DATE_MIN.year), MaxValueValidator(DATE_MAX.year)]
                elif isinstance(field, forms.DecimalField | forms.IntegerField):
                    field.validators += [MinValueValidator(INT_MIN), MaxValueValidator(INT_MAX)]
                elif isinstance(field, forms.DateField | forms.DateTimeField):
                    field.validators.append(_date_in_range)
        return self._form


class AuditEventFilterSet(FilterSet):
    action = filters.CharFilter(field_name="action", lookup_expr="startswith")
    actor = filters.CharFilter(field_name="actor_label")
    object_type = filters.CharFilter()
    object_id = filters.CharFilter()
    request_id = filters.CharFilter()
    since = filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="gte")
    until = filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="lt")

    class Meta:
        model = AuditEvent
        fields = ["action", "actor", "object_type", "object_id", "request_id"]
