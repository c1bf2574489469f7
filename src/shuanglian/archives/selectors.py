"""Reads of the archives, scoped. What a viewer may see of each record is decided by `pii_scope`."""
import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet

from shuanglian.accounts.roles import IMPORT_ARCHIVES, VIEW_ARCHIVES, VIEW_ARCHIVES_PII
from shuanglian.core import clock
from shuanglian.core.exceptions import NotFound
from shuanglian.core.permissions import Scope, scope_for
from shuanglian.divisions.choices import Level
from shuanglian.divisions.models import Division

from .models import Household, HouseholdTag, Person


def pii_scope(user) -> Scope:
    """Where the user may see ID numbers, phones, income and sensitive tags (masked unless revealed)."""
    return scope_for(user, VIEW_ARCHIVES_PII)


def household_list_visible_to(user) -> QuerySet[Household]:
    return (Household.objects.filter(scope_for(user, VIEW_ARCHIVES).record_q(), is_active=True)
            .select_related("grid", "village", "township")
            .prefetch_related(Prefetch("householdtag_set", queryset=HouseholdTag.objects.select_related("tag")))
            .annotate(member_count=Count("members", filter=Q(members__is_active=True))))


def household_get_for_user(user, pk: int) -> Household:
    found = household_list_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(f"No household {pk} that you may see.")
    return found


def person_list_visible_to(user) -> QuerySet[Person]:
    return (Person.objects.filter(scope_for(user, VIEW_ARCHIVES).record_q(), is_active=True)
            .select_related("household", "grid", "village", "township"))


def person_get_for_user(user, pk: int) -> Person:
    found = person_list_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(f"No person {pk} that you may see.")
    return found


def importable_grids(user) -> dict[str, Division]:
    """Grid codes an import may name: current grids in the user's import scope (all, for the system)."""
    qs = Division.objects.current().filter(level=Level.GRID).select_related("parent__parent")
    if user is not None:
        qs = qs.filter(scope_for(user, IMPORT_ARCHIVES).division_q())
    return {g.code: g for g in qs}


def birth_range_for_ages(min_age: int | None, max_age: int | None, today: dt.date | None = None):
    """Birth dates of people aged min_age..max_age (inclusive) today."""
    today = today or clock.today()

    def years_ago(n):
        try:
            return today.replace(year=today.year - n)
        except ValueError:  # 29 February
            return today.replace(year=today.year - n, day=28)

    earliest = years_ago(max_age + 1) + dt.timedelta(days=1) if max_age is not None else None
    latest = years_ago(min_age) if min_age is not None else None
    return earliest, latest
