"""Reads of the archives, scoped. What a viewer may see of each record is decided by `pii_scope`."""
import datetime as dt

from django.db.models import Avg, Count, Prefetch, Q, QuerySet

from shuanglian.access.roles import IMPORT_ARCHIVES, VIEW_ARCHIVES, VIEW_ARCHIVES_PII
from shuanglian.access.scope import scope_for
from shuanglian.core import clock, idnumber
from shuanglian.core.dates import age_on, anniversary, born_between_for_anniversary, born_on_or_before
from shuanglian.core.scoped import get_visible
from shuanglian.divisions.choices import Level
from shuanglian.divisions.models import Division
from shuanglian.divisions.scope import Scope

from .models import Household, HouseholdTag, Person


def pii_scope(user) -> Scope:
    """Where the user may see ID numbers, phones, income and sensitive tags (masked unless revealed)."""
    return scope_for(user, VIEW_ARCHIVES_PII)


def archive_divisions(user) -> QuerySet[Division]:
    """The divisions where the user sees archives (a list filter's area menu offers these)."""
    return Division.objects.filter(scope_for(user, VIEW_ARCHIVES).division_q())


def household_list_visible_to(user) -> QuerySet[Household]:
    return (Household.objects.filter(scope_for(user, VIEW_ARCHIVES).record_q(), is_active=True)
            .select_related("grid", "village", "township")
            .prefetch_related(Prefetch("householdtag_set", queryset=HouseholdTag.objects.only("household_id", "tag_index")))
            .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
            .order_by("grid_id", "number"))  # Meta.ordering is dropped from GROUP BY queries


def household_get_for_user(user, pk: int) -> Household:
    return get_visible(household_list_visible_to(user), pk, what="household",
                       message=f"No household {pk} that you may see.")


def person_list_visible_to(user) -> QuerySet[Person]:
    return (Person.objects.filter(scope_for(user, VIEW_ARCHIVES).record_q(), is_active=True)
            .select_related("household", "grid", "village", "township"))


def person_get_for_user(user, pk: int) -> Person:
    return get_visible(person_list_visible_to(user), pk, what="person", message=f"No person {pk} that you may see.")


def importable_grids(user) -> dict[str, Division]:
    """Grid codes an import may name: current grids in the user's import scope (all, for the system)."""
    qs = Division.objects.current().filter(level=Level.GRID).select_related("parent__parent")
    if user is not None:
        qs = qs.filter(scope_for(user, IMPORT_ARCHIVES).division_q())
    return {g.code: g for g in qs}


def person_age(birth: dt.date | None, today: dt.date) -> int | None:
    """Whole years of age on `today` (core.dates, one 29 February rule), None without a birth date;
    birth_range_for_ages is its inverse."""
    return None if birth is None else age_on(birth, today)


def birth_range_for_ages(min_age: int | None, max_age: int | None, today: dt.date | None = None):
    """Birth dates of people aged min_age..max_age (inclusive) today."""
    today = today or clock.today()
    earliest = born_on_or_before(today, max_age + 1) + dt.timedelta(days=1) if max_age is not None else None
    latest = born_on_or_before(today, min_age) if min_age is not None else None
    return earliest, latest


# ---------------------------------------------------------------- dynamic management (动态管理)

INCOMPLETE_BELOW = 60  # a file under this completeness (percent) needs filling in
STALE_AFTER_DAYS = 365  # a household not updated for twelve months needs a visit
MILESTONE_AGES = (18, 60, 80)  # adulthood, old-age benefits, advanced-age allowance
MILESTONE_WINDOW_DAYS = 30


def completeness_rollup(user, level: str) -> list[dict]:
    """Completeness of the households the user may see, per village or per township: ONE grouped query.

    Each row: the division's id, code and name, households, average completeness and how many are below
    INCOMPLETE_BELOW percent. The (village, completeness) index serves the village grouping.
    """
    assert level in (Level.TOWNSHIP, Level.VILLAGE)
    rows = (Household.objects.filter(scope_for(user, VIEW_ARCHIVES).record_q(), is_active=True,
                                     **{f"{level}__isnull": False})
            .values(f"{level}_id", f"{level}__code", f"{level}__name")
            .annotate(households=Count("id"), average=Avg("completeness"),
                      below=Count("id", filter=Q(completeness__lt=INCOMPLETE_BELOW)))
            .order_by(f"{level}__code"))
    return [{"id": r[f"{level}_id"], "code": r[f"{level}__code"], "name": r[f"{level}__name"],
             "households": r["households"], "average": r["average"], "below": r["below"]} for r in rows]


def households_incomplete(user, below: int = INCOMPLETE_BELOW) -> QuerySet[Household]:
    """Households whose file is less than `below` percent complete, emptiest first."""
    return (Household.objects.filter(scope_for(user, VIEW_ARCHIVES).record_q(), is_active=True,
                                     completeness__lt=below)
            .select_related("grid", "village").order_by("completeness", "pk"))


def households_not_updated(user, days: int = STALE_AFTER_DAYS) -> QuerySet[Household]:
    """Households nobody has updated for `days` days (Household.updated_at), oldest first."""
    since = clock.now() - dt.timedelta(days=days)
    return (Household.objects.filter(scope_for(user, VIEW_ARCHIVES).record_q(), is_active=True,
                                     updated_at__lt=since)
            .select_related("grid", "village").order_by("updated_at", "pk"))


def persons_turning(user, ages=MILESTONE_AGES, days: int = MILESTONE_WINDOW_DAYS) -> QuerySet[Person]:
    """Persons who turn one of `ages` from today through the next `days` days: one range per age on the
    birth-date index. Each row is annotated with `milestone` (the age) and `milestone_on` (the day).
    The list tells a birth date, which is personal (archives.disclosure): only persons whose personal
    information the user may see are in it."""
    today = clock.today()
    last = today + dt.timedelta(days=days)
    q = Q(pk__in=[])
    for age in ages:
        first, latest = born_between_for_anniversary(today, last, age)
        q |= Q(birth_date__gte=first, birth_date__lte=latest)
    return (Person.objects.filter(scope_for(user, VIEW_ARCHIVES).record_q(), pii_scope(user).record_q(), q,
                                  is_active=True)
            .select_related("household", "grid", "village").order_by("birth_date", "pk"))


def milestone_of(person: Person, ages=MILESTONE_AGES, days: int = MILESTONE_WINDOW_DAYS):
    """(age, day) of the milestone `persons_turning` found for this person."""
    today = clock.today()
    for age in ages:
        day = anniversary(person.birth_date, age)
        if today <= day <= today + dt.timedelta(days=days):
            return age, day
    return None, None


def persons_identity_mismatch(user, chunk_size: int = 2000) -> list[tuple[int, list[str]]]:
    """Persons whose recorded birth date or sex disagrees with their ID number: [(pk, ["birth_date", "sex"])].

    The services derive both from the ID number on every write, so a mismatch means a row changed by some
    other path (an old import, the admin, SQL). The ID number is encrypted and its blind index is a keyed
    hash of the whole value, so the database cannot compare: each number is decrypted here, in Python.
    Cost: one streamed query, then an AES-GCM decryption (a few microseconds) and a parse per person --
    about a second per 100,000 persons. So only the persons whose PII the user may see are read (a
    volunteer gets nothing: the answer would disclose what the ID number says), in chunks, and only
    the columns needed. Nothing decrypted leaves this function.
    """
    found = []
    rows = (Person.objects.filter(pii_scope(user).record_q(), is_active=True).exclude(id_number_hash="")
            .order_by("pk").values_list("pk", "id_number", "birth_date", "sex").iterator(chunk_size=chunk_size))
    for pk, id_number, birth_date, sex in rows:
        try:
            parsed = idnumber.parse(id_number.reveal())
        except idnumber.InvalidIDNumber:
            found.append((pk, ["id_number"]))
            continue
        problems = []
        if birth_date != parsed.birth_date:
            problems.append("birth_date")
        if sex != parsed.sex:
            problems.append("sex")
        if problems:
            found.append((pk, problems))
    return found
