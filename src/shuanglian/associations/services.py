"""Writes to the associations: appoint and end posts, record meetings, and the bulk load of the demo. Each
is audited inside its transaction; phones appear in audit payloads masked only.

People are `teams.Member` records found or made by the teams rule (the same phone is the same person).
"""
import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from shuanglian.core import audit, clock
from shuanglian.core.exceptions import Conflict, ValidationFailed, require_length
from shuanglian.divisions.choices import Level
from shuanglian.divisions.models import Division
from shuanglian.organizations.choices import OrganizationKind
from shuanglian.organizations.models import Organization
from shuanglian.teams.choices import Category
from shuanglian.teams.models import Member
from shuanglian.teams.services import _member_for as member_for  # the one phone-identity rule

from . import policies
from .choices import Post
from .models import AssociationPost, Meeting

MAX_DECISION = 500


def _snapshot(p: AssociationPost) -> dict:
    m = p.member
    return {"association": p.association_id, "post": p.post, "member": m.pk, "name": m.name,
            "phone": m.phone.masked, "started_on": p.started_on, "ended_on": p.ended_on, "end_reason": p.end_reason}


def _check_association(association: Organization) -> None:
    division = association.division
    if (association.kind != OrganizationKind.ASSOCIATION or not association.is_active or division.retired_on
            or division.level not in (Level.TOWNSHIP, Level.VILLAGE)):
        raise ValidationFailed(_("%(name)s is not a current association of a township or village.")
                               % {"name": association.name}, details={"association": association.pk})


def current_president(association: Organization) -> AssociationPost | None:
    return (AssociationPost.objects.filter(association=association, post=Post.PRESIDENT, ended_on__isnull=True)
            .select_related("member").first())


def _president_taken(association: Organization) -> Conflict:
    holder = current_president(association)
    name = holder.member.name if holder else _("someone else")
    since = holder.started_on.isoformat() if holder else ""
    return Conflict(_("%(association)s already has a president: %(name)s (since %(since)s). End that post first.")
                    % {"association": association.name, "name": name, "since": since},
                    code="president_taken",
                    details={"association": association.pk, "holder": holder.pk if holder else None, "name": name})


def _already_posted(association: Organization, member: Member) -> Conflict:
    held = AssociationPost.objects.filter(association=association, member=member, ended_on__isnull=True).first()
    post = Post(held.post).label if held else ""
    return Conflict(_("%(name)s already holds a post in %(association)s (%(post)s). End it first.")
                    % {"name": member.name, "association": association.name, "post": post},
                    code="already_in_association", details={"member": member.pk, "post": held.pk if held else None})


def _insert(post: AssociationPost) -> None:
    """Kept apart so tests can hold two requests between the check and the insert."""
    with transaction.atomic():
        post.save()


@transaction.atomic
def post_appoint(*, actor, association: Organization, post: str, name: str, phone: str = "",
                 category: str = Category.OTHER, employer: str = "", started_on: dt.date | None = None
                 ) -> AssociationPost:
    """Give a person a post on an association. One current president: a second is refused with a Conflict
    naming the holder, by the check here and, for two requests at once, by the partial unique constraint."""
    _check_association(association)
    policies.require_manage(actor, association)
    if post not in Post.values:
        raise ValidationFailed(_("Unknown post %(p)s.") % {"p": post}, details={"post": post})
    started_on = started_on or clock.today()
    if started_on > clock.today():
        raise ValidationFailed(_("A post cannot start in the future (%(d)s).") % {"d": started_on.isoformat()},
                               details={"started_on": "future"})
    if post == Post.PRESIDENT and current_president(association) is not None:
        raise _president_taken(association)
    member = member_for(name=name, phone=phone, category=category or Category.OTHER, employer=employer,
                        from_public_institution=False, user=None)
    if AssociationPost.objects.filter(association=association, member=member, ended_on__isnull=True).exists():
        raise _already_posted(association, member)
    row = AssociationPost(association=association, member=member, post=post, started_on=started_on)
    row.attach_to(association.division)
    try:
        _insert(row)
    except IntegrityError:
        if post == Post.PRESIDENT and current_president(association) is not None:
            raise _president_taken(association) from None
        raise _already_posted(association, member) from None
    audit.record(actor=actor, action=f"associations.{post}_appoint", obj=row,
                 object_repr=f"{association.name} {post} {member.name}", after=_snapshot(row))
    return row


@transaction.atomic
def post_end(*, actor, post: AssociationPost, ended_on: dt.date | None = None, reason: str = "") -> AssociationPost:
    """End a post. The row stays as the association's history."""
    post = (AssociationPost.objects.select_for_update(of=("self",)).select_related("member", "association__division")
            .get(pk=post.pk))
    policies.require_manage(actor, post.association)
    if post.ended_on is not None:
        raise Conflict(_("This post already ended on %(d)s.") % {"d": post.ended_on.isoformat()}, code="already_ended")
    ended_on = ended_on or clock.today()
    if ended_on < post.started_on:
        raise ValidationFailed(_("A post cannot end before it started (%(d)s).") % {"d": post.started_on.isoformat()},
                               details={"ended_on": "before_start"})
    before = _snapshot(post)
    post.ended_on = ended_on
    post.end_reason = require_length((reason or "").strip(), field="reason",
                                     limit=AssociationPost._meta.get_field("end_reason").max_length)
    post.save(update_fields=["ended_on", "end_reason"])
    audit.record(actor=actor, action=f"associations.{post.post}_end", obj=post,
                 object_repr=f"{post.association.name} {post.post} {post.member.name}",
                 before=before, after=_snapshot(post))
    return post


def _decisions(decisions: Iterable[str]) -> list[str]:
    found = [d.strip() for d in decisions or () if d and d.strip()]
    for i, text in enumerate(found, start=1):
        if len(text) > MAX_DECISION:
            raise ValidationFailed(_("Decision %(n)s is longer than %(max)s characters.") % {"n": i, "max": MAX_DECISION},
                                   details={"decisions": i})
    return found


def _attendees(association: Organization, held_on: dt.date, member_ids: Iterable[int]) -> list[int]:
    """The listed attendees: each must have held a post in the association on the meeting's day."""
    wanted = sorted(set(member_ids or ()))
    if not wanted:
        return []
    posted = set(AssociationPost.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=held_on), association=association, member_id__in=wanted,
        started_on__lte=held_on).values_list("member_id", flat=True))
    missing = [pk for pk in wanted if pk not in posted]
    if missing:
        raise ValidationFailed(_("Attendees %(ids)s held no post in %(association)s on %(d)s.")
                               % {"ids": ", ".join(map(str, missing)), "association": association.name,
                                  "d": held_on.isoformat()}, details={"attendees": missing})
    return wanted


@transaction.atomic
def meeting_record(*, actor, association: Organization, held_on: dt.date, topic: str,
                   attendee_count: int | None = None, attendees: Iterable[int] = (), minutes: str = "",
                   decisions: Iterable[str] = ()) -> Meeting:
    """Record a meeting that took place. Attendees are a count, a list of post holders (members' ids), or
    both: then the count includes people not on record and cannot be smaller than the list."""
    _check_association(association)
    policies.require_manage(actor, association)
    topic = (topic or "").strip()
    if not topic:
        raise ValidationFailed(_("A meeting needs a topic."), details={"topic": "required"})
    if held_on > clock.today():
        raise ValidationFailed(_("A meeting is recorded once held: %(d)s is in the future.")
                               % {"d": held_on.isoformat()}, details={"held_on": "future"})
    listed = _attendees(association, held_on, attendees)
    count = len(listed) if attendee_count is None else attendee_count
    if count < len(listed):
        raise ValidationFailed(_("%(count)s attendees is fewer than the %(listed)s listed by name.")
                               % {"count": count, "listed": len(listed)}, details={"attendee_count": "below_list"})
    if count < 1:
        raise ValidationFailed(_("A meeting needs its attendees: a count or a list."),
                               details={"attendee_count": "required"})
    meeting = Meeting(association=association, held_on=held_on, topic=require_length(topic, field="topic", limit=Meeting._meta.get_field("topic").max_length), attendee_count=count,
                      minutes=(minutes or "").strip(), decisions=_decisions(decisions),
                      recorded_by=actor if getattr(actor, "pk", None) else None)
    meeting.attach_to(association.division)
    meeting.save()
    meeting.attendees.set(listed)
    audit.record(actor=actor, action="associations.meeting_record", obj=meeting,
                 object_repr=f"{association.name} {held_on.isoformat()} {meeting.topic}",
                 after={"association": association.pk, "held_on": held_on, "topic": meeting.topic,
                        "attendee_count": count, "attendees": listed, "decisions": meeting.decisions})
    return meeting


def _scope_columns(divisions) -> dict[int, dict]:
    """division id -> the DivisionScoped columns of a record attached to that township or village."""
    rows = Division.objects.filter(pk__in=[d.pk for d in divisions]).values_list(
        "pk", "level", "parent_id", "parent__parent_id")
    return {pk: ({"division_id": pk, "village_id": pk, "township_id": up, "county_id": top}
                 if level == Level.VILLAGE else {"division_id": pk, "township_id": pk, "county_id": up})
            for pk, level, up, top in rows}


@transaction.atomic
def associations_load(*, actor, people: list[dict], posts: list[dict], meetings: list[dict],
                      batch_size: int = 2000) -> dict:
    """Many posts and meetings at once (the demo, first loads), in multi-row INSERTs and one audit event.

    `people` are new persons (teams.Member fields: name, phone, category, employer); a post is a dict with
    `association`, `post`, `started_on` and either `person` (an index into `people`) or `member_id` (someone
    already recorded, e.g. a grid promoter). A meeting is a dict with `association`, `held_on`, `topic`,
    `attendee_count`, `attendees` (the posts' `person` indexes or `member_id`s, as in `posts`), `minutes` and
    `decisions`. The rules of `post_appoint` and `meeting_record` hold for the whole load, checked first."""
    associations = {p["association"].pk: p["association"] for p in [*posts, *meetings]}
    for association in associations.values():
        _check_association(association)
        policies.require_manage(actor, association)
    presidents = [p["association"].pk for p in posts if p["post"] == Post.PRESIDENT]
    if len(presidents) != len(set(presidents)):
        raise ValidationFailed(_("The load names two presidents for one association."), code="president_taken")
    held = AssociationPost.objects.filter(association_id__in=presidents, post=Post.PRESIDENT,
                                          ended_on__isnull=True).select_related("association").first()
    if held is not None:
        raise _president_taken(held.association)
    if any(p["post"] not in Post.values for p in posts):
        raise ValidationFailed(_("Unknown post in the load."), details={"post": "unknown"})
    members = [Member(name=p["name"], phone=p.get("phone", ""), category=p.get("category", Category.OTHER),
                      employer=p.get("employer", "")) for p in people]
    Member.objects.bulk_create(members, batch_size=batch_size)  # the PIIField encrypts and hashes each phone

    def member_id(ref: dict) -> int:
        return members[ref["person"]].pk if "person" in ref else ref["member_id"]

    keys = [(p["association"].pk, member_id(p)) for p in posts]
    if len(keys) != len(set(keys)):
        raise ValidationFailed(_("The load gives one person two posts in one association."),
                               code="already_in_association")
    columns = _scope_columns([a.division for a in associations.values()])
    AssociationPost.objects.bulk_create(
        [AssociationPost(association=p["association"], member_id=m, post=p["post"], started_on=p["started_on"],
                         **columns[p["association"].division_id]) for p, (_a, m) in zip(posts, keys, strict=True)],
        batch_size=batch_size)
    rows = [Meeting(association=m["association"], held_on=m["held_on"], topic=m["topic"],
                    attendee_count=max(m["attendee_count"], len(m["attendees"])), minutes=m.get("minutes", ""),
                    decisions=_decisions(m.get("decisions", ())), **columns[m["association"].division_id])
            for m in meetings]
    Meeting.objects.bulk_create(rows, batch_size=batch_size)
    Attendance = Meeting.attendees.through
    Attendance.objects.bulk_create(
        [Attendance(meeting_id=row.pk, member_id=member_id(ref)) for row, m in zip(rows, meetings, strict=True)
         for ref in m["attendees"]], batch_size=batch_size)
    counts = {"associations": len(associations), "people": len(people), "posts": len(posts),
              "presidents": len(presidents), "meetings": len(rows)}
    audit.record(actor=actor, action="associations.load", object_type="associations.associationpost",
                 object_repr=f"{len(posts)} association posts, {len(rows)} meetings", after=counts)
    return counts
