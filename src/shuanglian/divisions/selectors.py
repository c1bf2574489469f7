"""Reads of the division tree, scoped to what the user may see."""
import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, F, Q, QuerySet

from shuanglian.core.capabilities import scope_for
from shuanglian.core.exceptions import NotFound
from shuanglian.core.typing import Actor

from .capabilities import VIEW_DIVISIONS
from .choices import LEVEL_ORDER, Level
from .models import Division, DivisionQuerySet, DivisionVersion


def division_list_visible_to(user: Actor, *, include_retired: bool = False) -> DivisionQuerySet:
    qs = Division.objects.filter(scope_for(user, VIEW_DIVISIONS).division_q())
    return qs if include_retired else qs.current()



def within_choices(divisions: DivisionQuerySet) -> DivisionQuerySet:
    """What a report page offers as `within`, of the divisions given (those the user may see there): the
    current county, townships and villages, in code order (one query)."""
    return divisions.current().filter(level__in=(Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)).order_by("code_key")


def division_roots_for_user(user: Actor) -> QuerySet[Division]:
    """Where the user's part of the tree starts: the roots of the whole tree, or of their grants."""
    scope = scope_for(user, VIEW_DIVISIONS)
    if scope.everything:
        return Division.objects.current().filter(parent__isnull=True)
    return division_list_visible_to(user).filter(code__in=scope.codes)


def division_get_for_user(user: Actor, code: str, *, include_retired: bool = False) -> Division:
    qs = division_list_visible_to(user, include_retired=include_retired).select_related("parent", "successor")
    # A reissued code: the current division first, then the most recently retired (NULL ordering
    # differs between SQLite and PostgreSQL, so it is spelled out).
    division = qs.filter(code=code).order_by(F("retired_on").desc(nulls_first=True), "-pk").first()
    if division is None:
        raise NotFound(f"No division {code} that you may see.")
    return division


def division_ancestors(division: Division) -> list[Division]:
    """Breadcrumbs: names of the divisions above, which a user may read even outside their scope."""
    found = {d.code: d for d in Division.objects.filter(code__in=division.ancestor_codes()).current()}
    return [found[c] for c in division.ancestor_codes() if c in found]


def division_child_counts(division: Division) -> dict[str, int]:
    """Current divisions under this one, per level, in one range query."""
    rows = (Division.objects.current().within(division).exclude(pk=division.pk)
            .values("level").annotate(n=Count("id")))
    counts = {r["level"]: r["n"] for r in rows}
    return {level: counts.get(level, 0) for level in LEVEL_ORDER if level in counts}


def division_children_with_counts(division: Division) -> QuerySet[Division]:
    """Children of a division, each with the number of its own current children (one query)."""
    return (division.children.current()
            .annotate(child_count=Count("children", filter=Q(children__retired_on__isnull=True)))
            .order_by("code"))


def versions_as_of(day: dt.date, *, level: str | None = None) -> QuerySet[DivisionVersion]:
    qs = DivisionVersion.objects.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
    return qs.filter(level=level) if level else qs


def division_counts_as_of(root: Division, day: dt.date) -> dict[str, int]:
    """How many divisions of each level stood under `root` on `day`: the tree as it was then."""
    tree = {v.division_id: v for v in versions_as_of(day).filter(code__startswith=root.code[:2])}
    counts: dict[str, int] = {}
    for version in tree.values():
        node: DivisionVersion | None = version
        ok = False
        while node is not None:
            if node.division_id == root.pk:
                ok = True
                break
            node = tree.get(node.parent_id) if node.parent_id is not None else None
        if ok and version.division_id != root.pk:
            counts[version.level] = counts.get(version.level, 0) + 1
    return counts


def group_as_of(division_ids: Iterable[int], day: dt.date, level: str = Level.VILLAGE) -> dict[int, int | None]:
    """Map attach points (division ids) to their ancestor at `level` as the tree stood on `day`.

    A later statistics query "as of 2009" groups records by the villages of 2009 this way.
    """
    tree = {v.division_id: v for v in versions_as_of(day)}
    out: dict[int, int | None] = {}
    for did in set(division_ids):
        node = tree.get(did)
        while node is not None and node.level != level:
            node = tree.get(node.parent_id) if node.parent_id is not None else None
        out[did] = node.division_id if node else None
    return out
