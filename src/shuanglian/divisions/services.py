"""Writes to the division tree: creation, renames, restructuring, and the national-list import."""
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from shuanglian.core import audit, clock
from shuanglian.core.exceptions import Conflict, ValidationFailed, full_clean
from shuanglian.core.typing import Actor

from . import policies
from .choices import CODE_LENGTH, KINDS_BY_LEVEL, Level, child_level, code_key, code_key_upper, kind_from_code
from .models import Division, DivisionScoped, DivisionVersion


def scoped_models() -> list[type[DivisionScoped]]:
    return [m for m in apps.get_models() if issubclass(m, DivisionScoped)]


def _effective(effective_on: dt.date | None, *divisions: Division) -> dt.date:
    day = effective_on or clock.today()
    if day > clock.today():
        raise ValidationFailed(_("The effective date %(day)s is in the future; restructure on or after that day.")
                               % {"day": day}, code="effective_in_future")
    if divisions:
        # History is appended in order: a change cannot take effect before the last one did.
        last = (DivisionVersion.objects.filter(division__in=[d.pk for d in divisions], valid_to__isnull=True)
                .order_by("-valid_from").select_related("division").first())
        if last and day < last.valid_from:
            raise ValidationFailed(
                _("%(division)s last changed on %(since)s; a change cannot take effect before that.")
                % {"division": last.division, "since": last.valid_from}, code="effective_before_history")
    return day


def _open_version(division: Division, day: dt.date, change: str) -> None:
    """Close the version in force and open one with the division's current fields from `day`."""
    current = DivisionVersion.objects.filter(division=division, valid_to__isnull=True).first()
    fields = dict(code=division.code, name=division.name, level=division.level, kind=division.kind,
                  parent_id=division.parent_id)
    if current and current.valid_from == day:
        # A second change on the same day amends that day's version rather than leaving a zero-length one.
        DivisionVersion.objects.filter(pk=current.pk).update(change=change, **fields)
        return
    if current:
        DivisionVersion.objects.filter(pk=current.pk).update(valid_to=day)
    DivisionVersion.objects.create(division=division, valid_from=day, change=change, **fields)


def _next_child_code(parent: Division, level: str) -> str:
    """Next free code under a parent; retired codes are not reused so old records stay unambiguous."""
    width = CODE_LENGTH[level] - len(parent.code)
    top = (Division.objects.filter(level=level, code__startswith=parent.code)
           .aggregate(top=Max("code"))["top"])
    n = int(top[len(parent.code):]) + 1 if top else 1
    if n >= 10 ** width:
        raise Conflict(_("No free code is left under %(parent)s.") % {"parent": parent}, code="codes_exhausted")
    return parent.code + str(n).zfill(width)


def _checked_kind(level: str, code: str, kind: str | None) -> tuple[str, bool]:
    if kind:
        if kind not in KINDS_BY_LEVEL.get(level, set()):
            raise ValidationFailed(_("Kind %(kind)s does not apply to a %(level)s.") % {"kind": kind, "level": level},
                                   code="invalid_kind", details={"kind": kind})
        return kind, True
    return kind_from_code(code, level), False


@transaction.atomic
def division_create(*, actor: Actor, parent: Division, name: str, code: str | None = None, kind: str | None = None,
                    effective_on: dt.date | None = None, planned_households: int | None = None) -> Division:
    policies.require_restructure(actor, parent)
    level = child_level(parent.level)
    if level is None or parent.retired_on:
        raise ValidationFailed(_("Nothing can be created under %(parent)s.") % {"parent": parent}, code="invalid_parent")
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("A division needs a name."), code="invalid", details={"name": "required"})
    day = _effective(effective_on, parent)
    code = code or _next_child_code(parent, level)
    kind, explicit = _checked_kind(level, code, kind)
    division = Division(code=code, name=name, level=level, kind=kind, kind_explicit=explicit, parent=parent,
                        valid_from=day, planned_households=planned_households if level == Level.GRID else None)
    full_clean(division, validate_unique=False, validate_constraints=False)
    if Division.objects.current().filter(code=code).exists():
        raise Conflict(_("Code %(code)s is in use.") % {"code": code}, code="code_in_use")
    division.save()
    _open_version(division, day, "create")
    audit.record(actor=actor, action="division.create", obj=division, after=division.snapshot())
    return division


@dataclass(frozen=True)
class NewDivision:
    """One row of division_create_bulk. Without a code, the next free one under the parent is assigned."""

    name: str
    code: str | None = None
    kind: str | None = None
    planned_households: int | None = None


def _top_child_numbers(parents: list[Division]) -> dict[int, int]:
    """The highest child number used under each parent, retired codes included (as _next_child_code).

    One indexed range query per child level over the span of the parents' subtrees.
    """
    by_level: dict[str | None, list[Division]] = {}
    for parent in parents:
        by_level.setdefault(child_level(parent.level), []).append(parent)
    tops: dict[int, int] = {}
    for level, group in by_level.items():
        width = len(group[0].code)
        pk_by_code = {p.code: p.pk for p in group}
        codes = (Division.objects.filter(level=level, code_key__gte=min(code_key(p.code) for p in group),
                                         code_key__lte=max(code_key_upper(p.code) for p in group))
                 .values_list("code", flat=True))
        for code in codes.iterator(chunk_size=5000):
            pk = pk_by_code.get(code[:width])
            if pk is not None:
                tops[pk] = max(tops.get(pk, 0), int(code[width:]))
    return tops


@transaction.atomic
def division_create_bulk(*, actor: Actor, parent_rows: Iterable[tuple[Division, Iterable[NewDivision | Mapping]]],
                         effective_on: dt.date | None = None) -> list[Division]:
    """Create many divisions at once (a district's villages, its grids) under the rules of division_create.

    `parent_rows` pairs each parent with the rows to create under it, in order. Rows without a code
    take the next free codes under their parent; kinds are derived from the codes unless given. The
    divisions and their first versions go in as bulk INSERTs, and one audit event records the batch.
    Nothing is written if any row is refused. Returns the new divisions in the order given.
    """
    batches: dict[int, tuple[Division, list[NewDivision]]] = {}
    for parent, given in parent_rows:
        rows = [r if isinstance(r, NewDivision) else NewDivision(**r) for r in given]
        if rows:
            batches.setdefault(parent.pk, (parent, []))[1].extend(rows)
    if not batches:
        return []
    parents = [parent for parent, _ in batches.values()]
    for parent in parents:
        policies.require_restructure(actor, parent)
        if child_level(parent.level) is None or parent.retired_on:
            raise ValidationFailed(_("Nothing can be created under %(parent)s.") % {"parent": parent},
                                   code="invalid_parent")
    day = _effective(effective_on, *parents)
    tops = _top_child_numbers(parents)
    divisions: list[Division] = []
    seen: set[str] = set()
    for parent, rows in batches.values():
        level = child_level(parent.level)
        assert level is not None  # refused above
        width = CODE_LENGTH[level] - len(parent.code)
        for row in rows:
            name = (row.name or "").strip()
            if not name:
                raise ValidationFailed(_("A division needs a name."), code="invalid",
                                       details={"parent": parent.code, "name": "required"})
            if row.code:
                code = row.code
                if code.isdigit() and len(code) == CODE_LENGTH[level] and code.startswith(parent.code):
                    tops[parent.pk] = max(tops.get(parent.pk, 0), int(code[len(parent.code):]))
            else:
                n = tops.get(parent.pk, 0) + 1
                if n >= 10 ** width:
                    raise Conflict(_("No free code is left under %(parent)s.") % {"parent": parent},
                                   code="codes_exhausted")
                tops[parent.pk] = n
                code = parent.code + str(n).zfill(width)
            if code in seen:
                raise Conflict(_("Code %(code)s is in use.") % {"code": code}, code="code_in_use")
            seen.add(code)
            kind, explicit = _checked_kind(level, code, row.kind)
            division = Division(code=code, name=name, level=level, kind=kind, kind_explicit=explicit, parent=parent,
                                valid_from=day, planned_households=row.planned_households if level == Level.GRID else None)
            try:
                # The parents were checked above: skip the per-row foreign-key queries.
                division.full_clean(exclude=["parent", "successor"], validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                raise ValidationFailed(_("%(parent)s: the division %(name)s is not valid.")
                                       % {"parent": parent, "name": name}, code="invalid",
                                       details={"code": code, **exc.message_dict}) from exc
            division.code_key = code_key(code)  # bulk_create does not call save()
            divisions.append(division)
    in_use = list(Division.objects.current().filter(code__in=seen).values_list("code", flat=True)[:10])
    if in_use:
        raise Conflict(_("Code %(code)s is in use.") % {"code": ", ".join(in_use)}, code="code_in_use",
                       details={"codes": in_use})
    try:
        with transaction.atomic():
            Division.objects.bulk_create(divisions, batch_size=500)
    except IntegrityError as exc:  # a concurrent writer took a code
        raise Conflict(_("A code in the batch was taken meanwhile; try again."), code="code_in_use") from exc
    if any(d.pk is None for d in divisions):  # backends that return no ids from a bulk INSERT
        ids = dict(Division.objects.current().filter(code__in=seen).values_list("code", "id"))
        for d in divisions:
            d.pk = ids[d.code]
    DivisionVersion.objects.bulk_create(
        [DivisionVersion(division=d, valid_from=day, code=d.code, name=d.name, level=d.level, kind=d.kind,
                         parent_id=d.parent_id, change="create") for d in divisions], batch_size=500)
    by_level: dict[str, int] = {}
    summary: dict[str, dict] = {}
    for d in divisions:
        by_level[d.level] = by_level.get(d.level, 0) + 1
        parent_code = d.parent.code if d.parent is not None else ""  # always set: made under a parent
        entry = summary.setdefault(parent_code, {"parent": parent_code, "count": 0, "first": d.code})
        entry["count"] += 1
        entry["last"] = d.code
    audit.record(actor=actor, action="division.create_bulk", object_type="divisions.division",
                 object_repr=f"{len(divisions)} divisions under {len(parents)} parents",
                 after={"effective_on": day, "created": len(divisions), "by_level": by_level,
                        "parents": list(summary.values())})
    return divisions


@transaction.atomic
def division_rename(*, actor: Actor, division: Division, name: str, effective_on: dt.date | None = None) -> Division:
    policies.require_restructure(actor, division)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("A division needs a name."), code="invalid", details={"name": "required"})
    _require_current(division)
    day = _effective(effective_on, division)
    before = division.snapshot()
    division.name = name
    division.save(update_fields=["name"])
    _open_version(division, day, "rename")
    audit.record(actor=actor, action="division.rename", obj=division, before=before,
                 after={**division.snapshot(), "effective_on": day})
    return division


def _require_current(*divisions: Division) -> None:
    for division in divisions:
        if division.retired_on:
            raise Conflict(_("%(division)s was retired on %(day)s.") % {"division": division, "day": division.retired_on},
                           code="retired")


def _retire(division: Division, day: dt.date, successor: Division | None, change: str) -> None:
    DivisionVersion.objects.filter(division=division, valid_to__isnull=True).update(valid_to=day)
    division.retired_on = day
    division.successor = successor
    division.save(update_fields=["retired_on", "successor"])


@transaction.atomic
def division_retire(*, actor: Actor, division: Division, effective_on: dt.date | None = None, reason: str = "") -> Division:
    policies.require_restructure(actor, division)
    _require_current(division)
    day = _effective(effective_on, division)
    if division.children.current().exists():
        raise Conflict(_("%(division)s still has divisions under it; move or retire them first.") % {"division": division},
                       code="has_children")
    for model in scoped_models():
        if model._default_manager.filter(**{division.level: division} if division.level in _SCOPE_LEVELS else
                                {"division": division}).exists():
            raise Conflict(_("Records are still attached to %(division)s; move them first.") % {"division": division},
                           code="has_records", details={"model": model._meta.label_lower})
    before = division.snapshot()
    _retire(division, day, None, "retire")
    audit.record(actor=actor, action="division.retire", obj=division, before=before,
                 after={**division.snapshot(), "reason": reason})
    return division


_SCOPE_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, Level.GRID)


def _scope_columns(village: Division) -> dict:
    township = village.parent
    return {"village": village, "township": township, "county": township.parent if township else None}


def _recode_grid(grid: Division, village: Division, day: dt.date, change: str) -> str:
    old_code = grid.code
    grid.code = _next_child_code(village, Level.GRID)
    grid.parent = village
    grid.save(update_fields=["code", "parent", "code_key"])
    _open_version(grid, day, change)
    for model in scoped_models():
        model._default_manager.filter(grid=grid).update(**_scope_columns(village))
    return old_code


@transaction.atomic
def grid_move(*, actor: Actor, grid: Division, village: Division, effective_on: dt.date | None = None,
              reason: str = "") -> Division:
    """Hang a grid under another village. It takes a new code there; its records follow it."""
    if grid.level != Level.GRID or village.level != Level.VILLAGE:
        raise ValidationFailed(_("Only a grid can be moved, and only to a village."), code="invalid_level")
    policies.require_restructure(actor, grid)
    policies.require_restructure(actor, village)
    _require_current(grid, village)
    if grid.parent_id == village.pk:
        raise ValidationFailed(_("%(grid)s already belongs to %(village)s.") % {"grid": grid, "village": village},
                               code="no_change")
    day = _effective(effective_on, grid, village)
    before = grid.snapshot()
    old_code = _recode_grid(grid, village, day, "move")
    audit.record(actor=actor, action="division.grid_move", obj=grid, before=before,
                 after={**grid.snapshot(), "old_code": old_code, "effective_on": day, "reason": reason})
    return grid


@transaction.atomic
def village_merge(*, actor: Actor, sources: Iterable[Division], target: Division, effective_on: dt.date | None = None,
                  reason: str = "") -> Division:
    """Merge villages into one (the seed's county merged 506 into 271). Grids and records move to the target."""
    sources = list(sources)
    if not sources:
        raise ValidationFailed(_("Choose at least one village to merge."), code="invalid")
    if any(d.level != Level.VILLAGE for d in [*sources, target]):
        raise ValidationFailed(_("Only villages can be merged."), code="invalid_level")
    if any(d.pk == target.pk for d in sources):
        raise ValidationFailed(_("A village cannot be merged into itself."), code="invalid")
    for division in [*sources, target]:
        policies.require_restructure(actor, division)
    _require_current(*sources, target)
    day = _effective(effective_on, *sources, target)
    moved = []
    for source in sources:
        for grid in list(source.children.current().order_by("code")):
            old = _recode_grid(grid, target, day, "merge")
            moved.append({"grid": grid.pk, "from": old, "to": grid.code})
        for model in scoped_models():
            model._default_manager.filter(village=source).update(**_scope_columns(target))
        _retire(source, day, target, "merge")
    audit.record(actor=actor, action="division.village_merge", obj=target,
                 before={"sources": [s.snapshot() for s in sources]},
                 after={"target": target.code, "effective_on": day, "grids_moved": moved, "reason": reason})
    return target


@transaction.atomic
def grid_split(*, actor: Actor, grid: Division, names: list[str], effective_on: dt.date | None = None,
               planned_households: list[int] | None = None) -> list[Division]:
    """Split a grid: it keeps its code and records; new sibling grids take the other parts."""
    if grid.level != Level.GRID:
        raise ValidationFailed(_("Only a grid can be split."), code="invalid_level")
    names = [n.strip() for n in names if n and n.strip()]
    if not names:
        raise ValidationFailed(_("Name at least one new grid."), code="invalid", details={"names": "required"})
    policies.require_restructure(actor, grid)
    _require_current(grid)
    day = _effective(effective_on, grid)
    households = list(planned_households or [])
    created = []
    for i, name in enumerate(names):
        hh = households[i + 1] if len(households) > i + 1 else None
        assert grid.parent is not None  # a current grid has its village
        created.append(division_create(actor=actor, parent=grid.parent, name=name, effective_on=day,
                                       planned_households=hh))
    if households:
        grid.planned_households = households[0]
        grid.save(update_fields=["planned_households"])
    audit.record(actor=actor, action="division.grid_split", obj=grid,
                 after={"new_grids": [d.code for d in created], "effective_on": day})
    return created
