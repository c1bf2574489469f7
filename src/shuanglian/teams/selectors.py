"""Reads of the grid teams, scoped by teams.view; statistics and coverage reports are selectors too.

`user=None` is the system (commands, the demo): it sees everything.
"""
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from shuanglian.access.roles import MANAGE_TEAMS, SUBMIT_STAFF, VIEW_TEAMS
from shuanglian.access.scope import scope_for
from shuanglian.core.exceptions import NotFound
from shuanglian.core.scoped import get_visible
from shuanglian.divisions.choices import Level
from shuanglian.divisions.filtersets import within_q
from shuanglian.divisions.models import Division
from shuanglian.divisions.scope import Scope
from shuanglian.divisions.selectors import within_choices
from shuanglian.organizations.choices import Function
from shuanglian.organizations.models import Organization

from .choices import Category, KitItem, TeamRole
from .models import Attendance, KitIssue, Lecturer, Member, Membership, TrainingSession

MIN_TEAM_SIZE = 3  # a team (promoter and volunteers) smaller than this is reported by `teams_below_size`
MAX_GRIDS_PER_PERSON = 3  # a person serving more grids than this is reported by `members_in_too_many_grids`


def _scope(user) -> Scope:
    return Scope(everything=True) if user is None else scope_for(user, VIEW_TEAMS)


def membership_list_visible_to(user, *, include_ended: bool = True) -> QuerySet[Membership]:
    qs = Membership.objects.filter(_scope(user).record_q()).select_related("member", "grid", "village", "township")
    if not include_ended:
        qs = qs.filter(ended_on__isnull=True)
    return qs.order_by("grid_id", "role", "id")


def membership_get_for_user(user, pk: int) -> Membership:
    return get_visible(membership_list_visible_to(user), pk, what="membership",
                       message=_("No team member %(pk)s that you may see.") % {"pk": pk})


def grid_roster(user, grid: Division) -> dict:
    """The current team of one grid: its promoter (or None) and its volunteers, for the roster and the card."""
    rows = list(membership_list_visible_to(user, include_ended=False).filter(grid=grid))
    promoter = next((r for r in rows if r.role == TeamRole.PROMOTER), None)
    return {"grid": grid, "promoter": promoter, "volunteers": [r for r in rows if r.role == TeamRole.VOLUNTEER]}


def _grids(user, within: Division | None) -> QuerySet[Division]:
    qs = Division.objects.current().filter(level=Level.GRID).filter(_scope(user).division_q())
    return qs.within(within) if within is not None else qs


def grids_without_promoter(user, within: Division | None = None) -> QuerySet[Division]:
    has = Membership.objects.filter(grid=OuterRef("pk"), role=TeamRole.PROMOTER, ended_on__isnull=True)
    return _grids(user, within).filter(~Exists(has)).select_related("parent")


def teams_below_size(user, within: Division | None = None, size: int = MIN_TEAM_SIZE) -> QuerySet[Division]:
    """Current grids whose current team (promoter and volunteers) has fewer than `size` people, annotated
    with `team_size`; the smallest first."""
    sizes = (Membership.objects.filter(grid=OuterRef("pk"), ended_on__isnull=True).order_by()
             .values("grid").annotate(n=Count("pk")).values("n"))
    return (_grids(user, within)
            .annotate(team_size=Coalesce(Subquery(sizes, output_field=IntegerField()), 0))
            .filter(team_size__lt=size).select_related("parent").order_by("team_size", "code_key"))


def members_in_too_many_grids(user, within: Division | None = None,
                              limit: int = MAX_GRIDS_PER_PERSON) -> QuerySet[Member]:
    """Members holding current posts in more than `limit` grids (counting the grids the user may see),
    annotated with `grids`; the busiest first."""
    posts = Membership.objects.filter(_scope(user).record_q(), within_q(within), ended_on__isnull=True)
    return (Member.objects.filter(pk__in=posts.values("member_id"))
            .annotate(grids=Count("memberships", filter=Q(memberships__in=posts)))
            .filter(grids__gt=limit).order_by("-grids", "pk"))


def stats_divisions(user) -> QuerySet[Division]:
    """What the statistics page offers as `within`: the current county, townships and villages the user may
    see, in code order (one query)."""
    return within_choices(Division.objects.filter(_scope(user).division_q()))


def members_without_training(user, within: Division | None = None, since: dt.date | None = None,
                             until: dt.date | None = None) -> QuerySet[Member]:
    """Members holding a current post (in grids the user may see) who attended no training session, or none
    held between `since` and `until` (inclusive) when given; in order of id. Each carries `post_id`, one of those
    posts (a member's page is reached through a post). One query, however many."""
    posts = Membership.objects.filter(_scope(user).record_q(), within_q(within), ended_on__isnull=True)
    attended = Attendance.objects.filter(member=OuterRef("pk"))
    if since is not None:
        attended = attended.filter(session__held_on__gte=since)
    if until is not None:
        attended = attended.filter(session__held_on__lte=until)
    return (Member.objects.filter(pk__in=posts.values("member_id")).filter(~Exists(attended))
            .annotate(post_id=Subquery(posts.filter(member=OuterRef("pk")).order_by("pk").values("pk")[:1]))
            .order_by("pk"))


def share(part: int, whole: int) -> float | None:
    if not whole:
        return None
    return float((Decimal(part) / Decimal(whole)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


def team_stats(user, within: Division | None = None) -> dict:
    """The current teams the user may see (under `within`): promoters, volunteers (distinct persons),
    the share of volunteers from public institutions (3 decimals; None without volunteers), grids without a
    promoter, and members (distinct persons, either role) by category."""
    current = Membership.objects.filter(_scope(user).record_q(), within_q(within), ended_on__isnull=True)
    promoters = current.filter(role=TeamRole.PROMOTER).count()
    volunteer_ids = current.filter(role=TeamRole.VOLUNTEER).values("member_id")
    volunteers = Member.objects.filter(pk__in=volunteer_ids).aggregate(
        n=Count("pk"), public=Count("pk", filter=Q(from_public_institution=True)))
    by_category = dict(Member.objects.filter(pk__in=current.values("member_id")).order_by()
                       .values_list("category").annotate(n=Count("pk")))
    return {
        "promoters": promoters,
        "volunteers": volunteers["n"],
        "public_volunteers": volunteers["public"],
        "public_share": share(volunteers["public"], volunteers["n"]),
        "grids_without_promoter": grids_without_promoter(user, within).count(),
        "categories": {c: by_category.get(c, 0) for c in Category.values},
    }


def grid_cards(user, grids: list[Division]) -> list[dict]:
    """The posted grid cards (公示牌) of `grids`, in code order: grid, village, township, the current promoter
    with the phone IN FULL, the current volunteers (names and categories, no phones) and the supervision
    phone (the Shuanglian office serving the township, else the county's), if one is recorded.

    The promoter's phone is shown in full on purpose: the card is a public posting, and local rules
    (RULES.md, Grids: a grid's worker and phone are posted publicly) require a promoter the people can
    reach. Only the card does this; every other output masks it, and generating cards is audited
    (services.grid_cards_generated). Volunteers' phones stay off the card. Three queries for any number
    of grids."""
    grids = sorted(grids, key=lambda g: g.code)
    posts = (membership_list_visible_to(user, include_ended=False).filter(grid__in=grids)
             .order_by("grid_id", "role", "started_on", "id"))
    teams: dict[int, dict] = {g.pk: {"promoter": None, "volunteers": []} for g in grids}
    for post in posts:
        team = teams[post.grid_id]
        if post.role == TeamRole.PROMOTER:
            team["promoter"] = post
        else:
            team["volunteers"].append(post)
    phones = _supervision_phones(grids)
    cards = []
    for grid in grids:
        village = grid.parent
        township = village.parent if village else None
        promoter = teams[grid.pk]["promoter"]
        cards.append({
            "grid": grid, "village": village, "township": township,
            "promoter": promoter.member if promoter else None,
            "promoter_phone": promoter.member.phone.reveal() if promoter else "",  # in full: see above
            "volunteers": [v.member for v in teams[grid.pk]["volunteers"]],
            "supervision_phone": phones.get(township.pk if township else None) or phones.get(None, ""),
        })
    return cards


def _supervision_phones(grids: list[Division]) -> dict[int | None, str]:
    """township id -> the phone of the Shuanglian office serving it; None -> the county office's phone."""
    townships = {g.parent.parent_id for g in grids if g.parent_id}
    counties = {g.parent.parent.parent_id for g in grids if g.parent_id and g.parent.parent_id}
    offices = (Organization.objects.filter(function=Function.SHUANGLIAN_OFFICE, is_active=True)
               .filter(division_id__in=townships | counties).exclude(phone="").order_by("pk")
               .values_list("division_id", "phone"))
    found: dict[int | None, str] = {}
    for division_id, phone in offices:
        found.setdefault(None if division_id in counties else division_id, phone)
    return found


def card_grids(user, division: Division) -> list[Division]:
    """The current grids under `division` whose cards the user may print (teams.manage), in code order."""
    return list(Division.objects.current().filter(level=Level.GRID).within(division)
                .filter(scope_for(user, MANAGE_TEAMS).division_q()).select_related("parent__parent")
                .order_by("code_key"))


# ---------------------------------------------------------------- units' volunteering staff

def units_for_submit(user) -> QuerySet[Organization]:
    """The units the user may submit staff for: those of their organization grants, and with a division
    grant (the county office) the units serving divisions in its subtree."""
    if user is None:
        return Organization.objects.filter(is_active=True)
    scope = scope_for(user, SUBMIT_STAFF, via_organizations=False)
    q = Q(pk__in=scope.organization_ids)
    if scope.codes or scope.everything:
        q |= scope.division_q("division__")
    return Organization.objects.filter(q, is_active=True).select_related("division").order_by("name")


def unit_for_submit(user, pk: int) -> Organization:
    unit = units_for_submit(user).filter(pk=pk).first()
    if unit is None:
        raise NotFound(_("No unit %(pk)s that you may submit staff for.") % {"pk": pk})
    return unit


def staff_visible_to(user, *, organization: Organization | None = None, unassigned: bool = False) -> QuerySet[Member]:
    """Submitted staff: to those who may assign them (teams.manage over the unit's division) and to the unit
    itself; annotated with `posts` (current posts held). `unassigned`: not yet on any team."""
    qs = Member.objects.filter(organization__isnull=False)
    if user is not None:
        assign = scope_for(user, MANAGE_TEAMS)
        units = units_for_submit(user).values("pk")
        qs = qs.filter((assign.division_q("organization__division__") if not assign.empty else Q(pk__in=[]))
                       | Q(organization__in=units))
    if organization is not None:
        qs = qs.filter(organization=organization)
    current = Membership.objects.filter(member=OuterRef("pk"), ended_on__isnull=True)
    if unassigned:
        qs = qs.filter(~Exists(current))
    return (qs.annotate(posts=Count("memberships", filter=Q(memberships__ended_on__isnull=True)))
            .select_related("organization").order_by("organization_id", "pk"))


# ---------------------------------------------------------------- training

def lecturer_list_visible_to(user) -> QuerySet[Lecturer]:
    """A lecturer group is its county's (its members come from the county's departments): shown to anyone who
    reads the teams somewhere in that county, or above it; another county's group is not theirs to see or
    to name as trainers."""
    scope = _scope(user)
    if scope.empty:
        return Lecturer.objects.none()
    qs = Lecturer.objects.select_related("department")
    if not scope.everything:
        counties = {code[:6] for code in scope.codes if len(code) >= 6}
        qs = qs.filter(Q(department__division__code__in=counties) | scope.division_q("department__division__"))
    return qs.order_by("department__name", "name", "id")


def lecturer_get_for_user(user, pk: int) -> Lecturer:
    return get_visible(lecturer_list_visible_to(user), pk, what="lecturer",
                       message=_("No lecturer %(pk)s that you may see.") % {"pk": pk})


def _session_q(scope: Scope) -> Q:
    """The sessions of the townships the user reads teams in, and of the townships above their villages and
    grids (a village cadre sees the training their members go to)."""
    if scope.everything:
        return Q()
    above = sorted({code[:9] for code, level in scope.levels.items() if level in (Level.VILLAGE, Level.GRID)})
    return scope.record_q() | Q(township__code__in=above, township__retired_on__isnull=True)


def session_list_visible_to(user) -> QuerySet[TrainingSession]:
    """Annotated with `attendee_count`; trainers prefetched (two queries a page, whatever its size)."""
    return (TrainingSession.objects.filter(_session_q(_scope(user))).select_related("township")
            .annotate(attendee_count=Count("attendance"))
            .prefetch_related(Prefetch("trainers", queryset=Lecturer.objects.select_related("department")))
            .order_by("-held_on", "-id"))


def session_get_for_user(user, pk: int) -> TrainingSession:
    return get_visible(session_list_visible_to(user), pk, what="session",
                       message=_("No training session %(pk)s that you may see.") % {"pk": pk})


def eligible_posts(session: TrainingSession) -> QuerySet[Membership]:
    """Posts in the session's township held on its date: their members may be recorded as present."""
    day = session.held_on
    return Membership.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day),
                                     township_id=session.township_id, started_on__lte=day)


def session_attendees(session: TrainingSession, user) -> QuerySet[Member]:
    """Those present whom the user may see: a session is visible to the villages of its township, its
    attendees only where the user reads teams (a village cadre sees their own village's members)."""
    return (Member.objects.filter(attendance__session=session)
            .filter(pk__in=Membership.objects.filter(_scope(user).record_q()).values("member_id"))
            .order_by("name", "pk"))


def session_candidates(session: TrainingSession, user) -> list[dict]:
    """The members who may be ticked on the attendance form, once each (a person serving several grids of the
    township appears under the first), with whether they are recorded as present; only posts the user may
    see. Two queries."""
    present = set(Attendance.objects.filter(session=session).values_list("member_id", flat=True))
    rows, seen = [], set()
    posts = eligible_posts(session).filter(_scope(user).record_q())
    for post in posts.select_related("member", "grid", "village").order_by("grid__code_key", "role", "id"):
        if post.member_id not in seen:
            seen.add(post.member_id)
            rows.append({"member": post.member, "post": post, "present": post.member_id in present})
    return rows


def member_training(member: Member, user) -> QuerySet[Attendance]:
    """A member's training record as far as the user may see sessions: newest first, with township and
    trainers."""
    return (Attendance.objects.filter(member=member, session__in=TrainingSession.objects.filter(
                _session_q(_scope(user))))
            .select_related("session__township")
            .prefetch_related("session__trainers").order_by("-session__held_on", "-session_id"))


# ---------------------------------------------------------------- kits (五个一)

def kit_list_visible_to(user) -> QuerySet[KitIssue]:
    return (KitIssue.objects.filter(_scope(user).record_q()).select_related("member", "grid", "township")
            .order_by("-issued_on", "-id"))


def kit_get_for_user(user, pk: int) -> KitIssue:
    return get_visible(kit_list_visible_to(user), pk, what="kit",
                       message=_("No kit item %(pk)s that you may see.") % {"pk": pk})


def member_kit(member: Member) -> list[dict]:
    """The member's current kit: each of the five items with the issue the member still holds (or None)."""
    held = {i.item: i for i in KitIssue.objects.filter(member=member, returned_on__isnull=True)}
    return [{"item": item, "label": label, "issue": held.get(item)} for item, label in KitItem.choices]


def kit_counts_by_township(user, within: Division | None = None) -> list[dict]:
    """Per township (that the user may see, under `within`): the items members hold now, by item, and the
    members holding at least one. One grouped query and one for the townships' names."""
    per_item = {item: Count("pk", filter=Q(item=item)) for item in KitItem.values}
    rows = list(KitIssue.objects.filter(_scope(user).record_q(), within_q(within), returned_on__isnull=True)
                .order_by().values("township_id").annotate(members=Count("member_id", distinct=True), **per_item))
    townships = {pk: (code, name) for pk, code, name in
                 Division.objects.filter(pk__in=[r["township_id"] for r in rows]).values_list("pk", "code", "name")}
    return sorted(({"township": townships.get(r["township_id"], ("", ""))[0],
                    "name": townships.get(r["township_id"], ("", ""))[1],
                    "members": r["members"], "items": {i: r[i] for i in KitItem.values}} for r in rows),
                  key=lambda r: r["township"])


def training_townships(user) -> list[Division]:
    """Where the user may record training: the current townships under their teams.manage grants."""
    scope = scope_for(user, MANAGE_TEAMS)
    if scope.empty:
        return []
    return list(Division.objects.current().filter(scope.division_q(), level=Level.TOWNSHIP).order_by("code_key"))
