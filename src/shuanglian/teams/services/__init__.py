"""Writes to the grid teams: appoint a promoter or a volunteer, end a post, load many posts at once. Each is
audited; the phone appears in audit payloads masked only.

The other writes of the app are in this package's modules: staff (units' volunteering staff), training
(lecturers, sessions, attendance) and kits (the five ones). The reads of all of them are in teams.selectors.
"""
import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shuanglian.access.roles import Role
from shuanglian.accounts.models import Grant
from shuanglian.core import audit, clock
from shuanglian.core.exceptions import Conflict, ValidationFailed, full_clean, require_length
from shuanglian.core.pii import PIIField, normalize
from shuanglian.divisions.choices import Level
from shuanglian.divisions.models import Division

from .. import policies
from ..choices import Category, TeamRole
from ..models import Member, Membership

GRANT_FOR_ROLE = {TeamRole.PROMOTER: Role.GRID_PROMOTER, TeamRole.VOLUNTEER: Role.GRID_VOLUNTEER}


def _snapshot(membership: Membership) -> dict:
    m = membership.member
    return {"grid": membership.grid.code if membership.grid_id else None, "role": membership.role,
            "member": m.pk, "name": m.name, "phone": m.phone.masked, "category": m.category,
            "employer": m.employer, "from_public_institution": m.from_public_institution,
            "user": m.user_id, "started_on": membership.started_on, "ended_on": membership.ended_on,
            "end_reason": membership.end_reason}


def current_promoter(grid: Division) -> Membership | None:
    return (Membership.objects.filter(grid=grid, role=TeamRole.PROMOTER, ended_on__isnull=True)
            .select_related("member").first())


def _promoter_taken(grid: Division) -> Conflict:
    holder = current_promoter(grid)
    name = holder.member.name if holder else _("someone else")
    since = holder.started_on.isoformat() if holder else ""
    return Conflict(_("%(grid)s already has a promoter: %(name)s (since %(since)s). End that post first.")
                    % {"grid": grid.name, "name": name, "since": since},
                    code="promoter_taken",
                    details={"grid": grid.code, "holder": holder.pk if holder else None, "name": name})


def _check_user(user, role: str, grid: Division) -> None:
    if user is None:
        return
    grant_role = GRANT_FOR_ROLE[role]
    if not Grant.objects.filter(user=user, role=grant_role, division=grid, revoked_at__isnull=True).exists():
        raise ValidationFailed(_("The account %(user)s holds no %(role)s grant at %(grid)s.")
                               % {"user": user.username, "role": Role(grant_role).label, "grid": grid.name},
                               code="no_matching_grant", details={"user": user.pk})


def _member_for(*, name: str, phone: str, category: str, employer: str, from_public_institution: bool,
                user) -> Member:
    """The member with this phone (the same person serving another grid), or a new one. An existing member
    keeps their recorded category, employer and public-institution flag."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("A team member needs a name."), details={"name": "required"})
    if category not in Category.values:
        raise ValidationFailed(_("Unknown category %(c)s.") % {"c": category}, details={"category": category})
    digits = normalize("phone", phone or "")
    if phone and (len(digits) != 11 or not digits.startswith("1")):
        raise ValidationFailed(_("A phone is an 11-digit mobile number."), details={"phone": "invalid"})
    if digits:
        existing = Member.objects.filter(PIIField.search_q("phone", "phone", digits)).first()
        if existing is not None:
            if existing.name != name:
                # Not named: a phone must not be a way to look up who holds it.
                raise Conflict(_("This phone is recorded for a team member with another name."),
                               code="phone_taken")
            if user is not None and existing.user_id is None:
                existing.user = user
                existing.save(update_fields=["user"])
            return existing
    member = Member(name=name, phone=digits, category=category, employer=(employer or "").strip(),
                    from_public_institution=from_public_institution, user=user)
    full_clean(member, exclude=["phone_hash"])
    member.save()
    return member


def _insert(membership: Membership) -> None:
    """Kept apart so tests can hold two requests between the check and the insert."""
    with transaction.atomic():
        membership.save()


@transaction.atomic
def membership_appoint(*, actor, grid: Division, role: str, name: str, phone: str = "", category: str,
                       employer: str = "", from_public_institution: bool = False, started_on: dt.date | None = None,
                       user=None) -> Membership:
    """Put a person on a grid's team as its promoter or a volunteer.

    A grid has exactly one current promoter: a second is refused with a Conflict naming the holder, both
    by the check here and, for two requests at once, by the database's partial unique constraint.
    """
    if grid.level != Level.GRID or grid.retired_on:
        raise ValidationFailed(_("A team belongs to a current grid."), details={"grid": grid.code})
    policies.require_manage_grid(actor, grid)
    if role not in TeamRole.values:
        raise ValidationFailed(_("Unknown team role %(r)s.") % {"r": role}, details={"role": role})
    _check_user(user, role, grid)
    if role == TeamRole.PROMOTER and current_promoter(grid) is not None:
        raise _promoter_taken(grid)
    member = _member_for(name=name, phone=phone, category=category, employer=employer,
                         from_public_institution=from_public_institution, user=user)
    membership = Membership(member=member, role=role, started_on=started_on or clock.today())
    membership.attach_to(grid)
    try:
        _insert(membership)
    except IntegrityError:
        if role == TeamRole.PROMOTER and current_promoter(grid) is not None:
            raise _promoter_taken(grid) from None
        raise Conflict(_("%(name)s already serves on the team of %(grid)s.") % {"name": member.name,
                                                                                 "grid": grid.name},
                       code="already_on_team", details={"member": member.pk}) from None
    audit.record(actor=actor, action=f"teams.{role}_appoint", obj=membership,
                 object_repr=f"{grid.name} {role} {member.name}", after=_snapshot(membership))
    return membership


@transaction.atomic
def membership_end(*, actor, membership: Membership, ended_on: dt.date | None = None, reason: str = "") -> Membership:
    """End a post. The row stays as the team's history."""
    policies.require_manage(actor, membership)
    membership = Membership.objects.select_for_update(of=("self",)).select_related("member", "grid").get(pk=membership.pk)
    if membership.ended_on is not None:
        raise Conflict(_("This post already ended on %(d)s.") % {"d": membership.ended_on.isoformat()},
                       code="already_ended")
    ended_on = ended_on or clock.today()
    if ended_on < membership.started_on:
        raise ValidationFailed(_("A post cannot end before it started (%(d)s).")
                               % {"d": membership.started_on.isoformat()}, details={"ended_on": "before_start"})
    before = _snapshot(membership)
    membership.ended_on = ended_on
    membership.end_reason = require_length((reason or "").strip(), field="reason",
                                           limit=Membership._meta.get_field("end_reason").max_length)
    membership.save(update_fields=["ended_on", "end_reason"])
    audit.record(actor=actor, action=f"teams.{membership.role}_end", obj=membership,
                 object_repr=f"{membership.grid.name} {membership.role} {membership.member.name}",
                 before=before, after=_snapshot(membership))
    return membership


def _scope_columns(grids: list[Division]) -> dict[int, dict]:
    """grid id -> the DivisionScoped columns of a record attached to it (one query for all the grids)."""
    rows = (Division.objects.filter(pk__in=[g.pk for g in grids])
            .values_list("pk", "parent_id", "parent__parent_id", "parent__parent__parent_id"))
    return {pk: {"division_id": pk, "grid_id": pk, "village_id": v, "township_id": t, "county_id": c}
            for pk, v, t, c in rows}


@transaction.atomic
def teams_load(*, actor, posts: list[dict], started_on: dt.date, batch_size: int = 2000,
               action: str = "teams.load", note: dict | None = None) -> dict:
    """Many new posts at once (the demo, imports, bulk assignments): one multi-row INSERT per batch for the
    new members and for the posts, and one audit event (`action`, with `note`) for the load. Each post is a
    dict with `grid` (a Division) and `role`, and either `member` (a recorded Member) or the fields of a
    new one (name, phone, category, employer, from_public_institution; posts with the same phone share one
    new member); a post may carry its own `started_on`. The rules are those of `membership_appoint`,
    checked for the whole load first: current grids the actor may manage, one promoter per grid (counting
    the promoters already there); the database's unique constraints refuse a second current post of one
    person in one grid."""
    grids = {p["grid"].pk: p["grid"] for p in posts}
    for grid in grids.values():
        if grid.level != Level.GRID or grid.retired_on:
            raise ValidationFailed(_("A team belongs to a current grid."), details={"grid": grid.code})
        policies.require_manage_grid(actor, grid)
    promoted = [p["grid"].pk for p in posts if p["role"] == TeamRole.PROMOTER]
    if len(promoted) != len(set(promoted)):
        raise ValidationFailed(_("The load names two promoters for one grid."), code="promoter_taken")
    held = Membership.objects.filter(grid_id__in=promoted, role=TeamRole.PROMOTER, ended_on__isnull=True).first()
    if held is not None:
        raise _promoter_taken(held.grid)
    new: dict = {}  # phone (or the post itself, without one) -> the new Member
    roles, categories = set(TeamRole.values), set(Category.values)  # (`.values` builds a list at each call)
    for i, p in enumerate(posts):
        if p["role"] not in roles or ("member" not in p and p["category"] not in categories):
            raise ValidationFailed(_("Unknown team role or category: %(r)s, %(c)s.")
                                   % {"r": p["role"], "c": p.get("category")})
        if "member" not in p:
            new.setdefault(p.get("phone") or ("row", i), Member(
                name=p["name"], phone=p.get("phone", ""), category=p["category"], employer=p.get("employer", ""),
                from_public_institution=p.get("from_public_institution", False)))
    Member.objects.bulk_create(list(new.values()), batch_size=batch_size)  # the PIIField encrypts and hashes phones
    columns = _scope_columns(list(grids.values()))
    Membership.objects.bulk_create(
        [Membership(member=p.get("member") or new[p.get("phone") or ("row", i)], role=p["role"],
                    started_on=p.get("started_on") or started_on, **columns[p["grid"].pk])
         for i, p in enumerate(posts)], batch_size=batch_size)
    counts = {"promoters": len(promoted), "volunteers": len(posts) - len(promoted), "grids": len(grids),
              "members_created": len(new)}
    audit.record(actor=actor, action=action, object_type="teams.membership",
                 object_repr=f"{len(posts)} team posts", after={**counts, "started_on": started_on, **(note or {})})
    return counts


@transaction.atomic
def grid_cards_generated(*, actor, cards: list[dict], output: str) -> None:
    """Record that posted grid cards were made (one event per page or file): they carry the promoters'
    phones in full (see selectors.grid_cards), so who printed whose, and when, is on the record."""
    for card in cards:
        policies.require_manage_grid(actor, card["grid"])
    codes = [card["grid"].code for card in cards]
    audit.record(actor=actor, action="teams.cards_generate", object_type="divisions.division",
                 object_id=cards[0]["grid"].pk if len(cards) == 1 else "",
                 object_repr=f"{len(cards)} grid cards ({output})",
                 after={"output": output, "grids": codes,
                        "promoters": [card["promoter"].pk for card in cards if card["promoter"]]})
