"""Units volunteering staff: a county unit (an Organization) lists its staff who volunteer, and the county
office assigns them to grids in bulk. The reads (the units a user may submit for, the submitted staff) are
in teams.selectors.

`staff_submit` records the list: Members carrying the unit (`Member.organization`), from a public
institution when the unit is one, not yet on any team. `staff_assign` puts many of them on grid teams as
volunteers in one transaction: spread over the grids under a division that have the fewest volunteers,
or as explicit member -> grid pairs. A person may volunteer in several grids (a pair list may name one
person with several grids), but holds one current post per grid: a pair naming a post that is already
held is refused with the others, nothing half-written. The writes are set-based (services.teams_load:
one INSERT per batch) and audited once.
"""
import datetime as dt
import heapq

from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext as _

from shuanglian.access.roles import MANAGE_TEAMS
from shuanglian.access.scope import scope_for
from shuanglian.core import audit, clock, pii
from shuanglian.core.exceptions import PermissionDenied, ValidationFailed
from shuanglian.divisions.choices import Level
from shuanglian.divisions.models import Division
from shuanglian.divisions.selectors import division_get_for_user
from shuanglian.organizations.choices import OrganizationKind
from shuanglian.organizations.models import Organization

from ..choices import CATEGORY_WORDS, Category, TeamRole
from ..models import Member, Membership
from ..selectors import staff_visible_to, unit_for_submit, units_for_submit
from . import teams_load

# Units whose staff count as from a public institution (the seed's 40.2%): government departments, service
# centers and offices; associations and other units do not.
PUBLIC_KINDS = {OrganizationKind.DEPARTMENT, OrganizationKind.SERVICE_CENTER, OrganizationKind.OFFICE}


def _require_submit(actor, unit: Organization) -> None:
    if actor is not None and not units_for_submit(actor).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("You may not submit staff for %(unit)s.") % {"unit": unit.name})


def _row_errors(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """(clean rows, errors) of a submitted list; each error names its line and field."""
    categories = {**{v: v for v in Category.values}, **CATEGORY_WORDS}
    clean, errors, seen = [], [], {}
    for line, row in enumerate(rows, start=1):
        line = row.get("line", line)
        name = (row.get("name") or "").strip()
        phone = pii.normalize("phone", row.get("phone") or "")
        category = categories.get((row.get("category") or "").strip())
        problems = []
        if not name:
            problems.append(("name", _("required")))
        if not (len(phone) == 11 and phone.startswith("1")):
            problems.append(("phone", _("not an 11-digit mobile number")))
        elif seen.setdefault(phone, line) != line:
            problems.append(("phone", _("the same phone is on line %(n)s") % {"n": seen[phone]}))
        if category is None:
            problems.append(("category", _("unknown category %(v)s") % {"v": row.get("category") or "''"}))
        errors += [{"line": line, "field": f, "reason": r} for f, r in problems]
        if not problems:
            clean.append({"line": line, "name": name, "phone": phone, "category": category})
    return clean, errors


@transaction.atomic
def staff_submit(*, actor, organization: Organization, rows: list[dict]) -> dict:
    """Record a unit's list of volunteering staff (rows of name, phone, category). Every row is checked
    first; any invalid row refuses the list (400, every row's problem in `details`). A phone already
    recorded under the same name is that person: linked to the unit if they had none; under another name
    the row is refused (without saying whose it is)."""
    _require_submit(actor, organization)
    if not rows:
        raise ValidationFailed(_("The list is empty."), details={"staff": "empty"})
    clean, errors = _row_errors(rows)
    hashes = {pii.blind_index("phone", r["phone"]): r for r in clean}
    recorded = {m.phone_hash: m for m in Member.objects.filter(phone_hash__in=list(hashes))}
    for phone_hash, member in recorded.items():
        row = hashes[phone_hash]
        if member.name != row["name"]:
            errors.append({"line": row["line"], "field": "phone",
                           "reason": _("recorded for a team member with another name")})
        elif member.organization_id not in (None, organization.pk):
            errors.append({"line": row["line"], "field": "name",
                           "reason": _("already submitted by another unit")})
    # Someone already on a grid team joins a unit's list only by a user who manages all their posts; otherwise a
    # unit could claim (and then see) any team member by their name and phone.
    unlinked = {m.pk: hashes[h] for h, m in recorded.items() if m.organization_id is None}
    if unlinked and actor is not None:
        manage = scope_for(actor, MANAGE_TEAMS)
        if not manage.everything:
            held = (Membership.objects.filter(member_id__in=list(unlinked), ended_on__isnull=True)
                    .exclude(manage.record_q()))
            for member_id in sorted(set(held.values_list("member_id", flat=True))):
                errors.append({"line": unlinked[member_id]["line"], "field": "phone",
                               "reason": _("already on a grid team you do not manage: the county office can "
                                           "add them to the unit's list")})
    if errors:
        errors.sort(key=lambda e: e["line"])
        raise ValidationFailed(_("%(n)s rows of the list are invalid; nothing was recorded.") % {"n": len(errors)},
                               details={"rows": errors})
    public = organization.kind in PUBLIC_KINDS
    new = [Member(name=r["name"], phone=r["phone"], category=r["category"], employer=organization.name,
                  from_public_institution=public, organization=organization)
           for h, r in hashes.items() if h not in recorded]
    Member.objects.bulk_create(new)
    linked = [m.pk for m in recorded.values() if m.organization_id is None]
    Member.objects.filter(pk__in=linked).update(organization=organization)
    summary = {"unit": organization.pk, "created": len(new), "linked": len(linked),
               "already_listed": len(recorded) - len(linked)}
    audit.record(actor=actor, action="teams.staff_submit", obj=organization, object_repr=organization.name,
                 after=summary)
    return {**summary, "members": [m.pk for m in new] + [m.pk for m in recorded.values()]}


def _grids_for(actor, within: Division) -> list[Division]:
    grids = Division.objects.current().filter(level=Level.GRID).within(within)
    if actor is not None:
        grids = grids.filter(scope_for(actor, MANAGE_TEAMS).division_q())
    return list(grids.order_by("code_key"))


def spread(members: list[Member], grids: list[Division]) -> list[tuple[Member, Division]]:
    """Each member to the grid with the fewest current volunteers at that moment (ties: the lower code),
    counting those already there (one query) and those placed so far."""
    counts = dict(Membership.objects.filter(grid__in=grids, role=TeamRole.VOLUNTEER, ended_on__isnull=True)
                  .order_by().values_list("grid_id").annotate(n=Count("pk")))
    heap = [(counts.get(g.pk, 0), i, g) for i, g in enumerate(grids)]
    heapq.heapify(heap)
    pairs = []
    for member in members:
        n, i, grid = heapq.heappop(heap)
        pairs.append((member, grid))
        heapq.heappush(heap, (n + 1, i, grid))
    return pairs


@transaction.atomic
def staff_assign(*, actor, organization: Organization | None = None, within: Division | None = None,
                 member_ids: list[int] | None = None, pairs: list[tuple[int, str]] | None = None,
                 started_on: dt.date | None = None) -> dict:
    """Assign submitted staff to grid teams as volunteers, in bulk. Either spread `member_ids` (default: the
    unit's staff not yet on a team) over the current grids under `within`, fewest volunteers first, or
    place explicit `pairs` of (member id, grid code). One transaction, one INSERT per batch, one audit
    event; returns what was assigned."""
    started_on = started_on or clock.today()
    visible = staff_visible_to(actor, organization=organization)
    if pairs:
        wanted = sorted({m for m, _code in pairs})
        members = {m.pk: m for m in visible.filter(pk__in=wanted)}
        missing = [m for m in wanted if m not in members]
        codes = sorted({code for _m, code in pairs})
        grids = {g.code: g for g in Division.objects.current().filter(level=Level.GRID, code__in=codes)}
        unknown = [c for c in codes if c not in grids]
        if missing or unknown:
            raise ValidationFailed(_("Unknown staff or grids: %(m)s %(g)s") % {"m": missing, "g": unknown},
                                   details={"members": missing, "grids": unknown})
        if len(set(pairs)) != len(pairs):
            raise ValidationFailed(_("A member is paired with the same grid twice."), code="duplicate_pair")
        placed = [(members[m], grids[code]) for m, code in pairs]
    else:
        if within is None:
            raise ValidationFailed(_("Say where to spread the staff (a township or village)."),
                                   details={"within": "required"})
        qs = visible.filter(pk__in=member_ids) if member_ids else visible.filter(
            ~Exists(Membership.objects.filter(member=OuterRef("pk"), ended_on__isnull=True)))
        chosen = list(qs)
        if member_ids and len(chosen) != len(set(member_ids)):
            raise ValidationFailed(_("Some of the staff named are not submitted staff you may assign."),
                                   details={"members": sorted(set(member_ids) - {m.pk for m in chosen})})
        grids_under = _grids_for(actor, within)
        if not grids_under:
            raise ValidationFailed(_("No current grid under %(d)s that you may manage.") % {"d": within.name})
        placed = spread(chosen, grids_under)
    if not placed:
        return {"assigned": [], "grids": 0}
    held = set(Membership.objects.filter(member__in=[m for m, _g in placed], grid__in=[g for _m, g in placed],
                                         ended_on__isnull=True).values_list("member_id", "grid_id"))
    taken = [(m.pk, g.code) for m, g in placed if (m.pk, g.pk) in held]
    if taken:
        raise ValidationFailed(_("%(n)s of the pairs are posts already held; nothing was assigned.") % {"n": len(taken)},
                               code="already_on_team", details={"pairs": taken})
    counts = teams_load(actor=actor, posts=[{"grid": g, "role": TeamRole.VOLUNTEER, "member": m} for m, g in placed],
                        started_on=started_on, action="teams.staff_assign",
                        note={"unit": organization.pk if organization else None,
                              "within": within.code if within else None, "mode": "pairs" if pairs else "spread"})
    return {"assigned": [{"member": m.pk, "name": m.name, "grid": g.code, "grid_name": g.name} for m, g in placed],
            "grids": counts["grids"]}


def assign_from(user, data: dict) -> dict:
    """Shared by the API and the page: the input's shape -> staff.staff_assign."""
    unit = unit_for_submit(user, data["organization"]) if data.get("organization") else None
    within = division_get_for_user(user, data["within"]) if data.get("within") else None
    pairs = [(p["member"], p["grid"]) for p in data.get("pairs") or []]
    if not pairs and within is None:
        raise ValidationFailed(_("Give `within` (to spread) or `pairs`."), details={"within": "required"})
    return staff_assign(actor=user, organization=unit, within=within, member_ids=data.get("members") or None,
                        pairs=pairs or None, started_on=data.get("started_on"))
