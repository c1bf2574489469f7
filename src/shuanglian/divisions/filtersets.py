"""One FilterSet for divisions, used by the API and the pages, and the one `within` filter every app's
FilterSet uses (`WithinFilter`, with `within_q` for selectors that take a division)."""

import django_filters as filters
from django.db.models import Q, QuerySet
from django_filters.constants import EMPTY_VALUES

from shuanglian.core.filtersets import FilterSet

from .choices import Kind, Level, code_key, code_key_upper
from .models import Division

# The levels a DivisionScoped record keeps a column for (county_id, township_id, village_id, grid_id).
SCOPE_COLUMN_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, Level.GRID)


def division_for_within(code: str | None) -> Division | None:
    """The current division a `within=` code names; None for an unknown or malformed code."""
    code = (code or "").strip()
    if not code.isdigit():
        return None
    return Division.objects.current().filter(code=code).first()


def within_q(division: Division | None, *, prefix: str = "") -> Q:
    """DivisionScoped records in the division's subtree (all of them for None): an equality on the scope column
    of its level (indexed), not a join; above a county, a range on the county's code key. `prefix` reaches
    the scoped record through a relation ("matter__", "point__")."""
    if division is None:
        return Q()
    if division.level in SCOPE_COLUMN_LEVELS:
        return Q(**{f"{prefix}{division.level}_id": division.pk})
    return Q(**{f"{prefix}county__code_key__gte": code_key(division.code),
                f"{prefix}county__code_key__lte": code_key_upper(division.code)})


def visibility_q(*scopes, extra: Q | None = None) -> Q | None:
    """The one shape of an app's visibility filter for DivisionScoped records: those in any of the scopes'
    subtrees (a user's grants for some capabilities), or matching `extra` (what the user's organizations or
    postings reach). Q() when a scope covers everything; None when nothing is visible (no query needed)."""
    if any(scope.everything for scope in scopes):
        return Q()
    q = None
    for scope in scopes:
        if scope.codes:
            q = scope.record_q() if q is None else q | scope.record_q()
    if extra is not None:
        q = extra if q is None else q | extra
    return q


def code_key_within_q(code: str, *, prefix: str = "") -> Q:
    """Divisions (or rows with a division foreign key, prefix "division__") whose code lies under `code`."""
    return Q(**{f"{prefix}code_key__gte": code_key(code), f"{prefix}code_key__lte": code_key_upper(code)})


class WithinFilter(filters.CharFilter):
    """`?within=<division code>`: the rows in that division's subtree; an unknown code matches nothing.

    By default the rows are DivisionScoped (or reach one through `prefix`) and the code must name a current
    division. With `division_field` ("" for divisions themselves, "division" for a foreign key), the code's
    key range is compared with that division's code key, so a code need not name a division of its own."""

    def __init__(self, *args, prefix: str = "", division_field: str | None = None, **kwargs):
        kwargs.setdefault("label", "division code (subtree)")
        super().__init__(*args, **kwargs)
        self.prefix, self.division_field = prefix, division_field

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        if value in EMPTY_VALUES:
            return qs
        if self.division_field is not None:
            if not value.isdigit():
                return qs.none()
            return qs.filter(code_key_within_q(value, prefix=f"{self.division_field}__" if self.division_field else ""))
        division = division_for_within(value)
        return qs.none() if division is None else qs.filter(within_q(division, prefix=self.prefix))


class DivisionFilterSet(FilterSet):
    level = filters.ChoiceFilter(choices=Level.choices)
    kind = filters.ChoiceFilter(choices=Kind.choices)
    parent = filters.CharFilter(method="filter_parent", label="parent code")
    within = WithinFilter(division_field="", label="ancestor code (subtree)")
    q = filters.CharFilter(method="filter_q", label="name or code contains")

    class Meta:
        model = Division
        fields = ["level", "kind"]

    def filter_parent(self, queryset, name, value):
        return queryset.filter(parent__code=value, parent__retired_on__isnull=True)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if value.isdigit():
            return queryset.filter(code__startswith=value)
        return queryset.filter(Q(name__contains=value))
