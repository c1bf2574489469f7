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


def _without_empty(data):
    if data is None:
        return None
    if hasattr(data, "getlist"):  # a QueryDict: keep its repeated keys
        kept = data.copy()
        for key in list(kept.keys()):
            values = [v for v in kept.getlist(key) if v != ""]
            if values:
                kept.setlist(key, values)
            else:
                del kept[key]
        return kept
    return {k: v for k, v in data.items() if v != "" and v != [] and v is not None}


class FilterSet(filters.FilterSet):
    """The base of every filter set: numbers and dates are bounded (above) on both the pages and the API,
    and a filter sent empty is no filter."""

    def __init__(self, data=None, *args, **kwargs):
        # A list's box left at "any" is sent empty (`?status=&type=`). For a text filter that is already no
        # filter; a multiple-choice filter would refuse "" as a choice and the list would find nothing.
        super().__init__(_without_empty(data), *args, **kwargs)

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
