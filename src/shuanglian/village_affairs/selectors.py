"""Reads of village affairs, scoped to who asks; the counts the rules need from the archive and the bodies;
and the statistics, one function per figure (year, division subtree) for the figures layer to register."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from shuanglian.access.roles import RECORD_VILLAGE_AFFAIRS, VIEW_VILLAGE_AFFAIRS
from shuanglian.access.scope import scope_for
from shuanglian.archives.choices import ResidenceStatus
from shuanglian.archives.models import Household, Person
from shuanglian.core.dates import born_on_or_before
from shuanglian.core.deadlines import DeadlineState
from shuanglian.core.exceptions import NotFound, ValidationFailed
from shuanglian.core.scoped import get_visible
from shuanglian.divisions.filtersets import division_for_within, visibility_q, within_q
from shuanglian.divisions.models import Division

from . import rules
from .choices import DONE, BodyKind, MeetingKind
from .models import Decision, Disclosure, DisclosureDue, Meeting, Pledge, Post, Representative

# Villagers are those registered in the village, living there or away (Art. 13).
VILLAGERS = (ResidenceStatus.REGISTERED, ResidenceStatus.AWAY)


def _visible(model, user) -> QuerySet:
    if user is None:
        return model.objects.all()
    q = visibility_q(scope_for(user, VIEW_VILLAGE_AFFAIRS))
    return model.objects.none() if q is None else model.objects.filter(q)


def meeting_list_visible_to(user) -> QuerySet[Meeting]:
    return _visible(Meeting, user).select_related("village").prefetch_related("motions")


def meeting_get_for_user(user, pk) -> Meeting:
    return get_visible(meeting_list_visible_to(user), pk, what=_("meeting"))


def decision_list_visible_to(user) -> QuerySet[Decision]:
    return _visible(Decision, user).select_related("village")


def decision_get_for_user(user, pk) -> Decision:
    return get_visible(decision_list_visible_to(user), pk, what=_("village matter"))


def disclosure_list_visible_to(user) -> QuerySet[Disclosure]:
    return _visible(Disclosure, user).select_related("village")


def post_list_visible_to(user) -> QuerySet[Post]:
    return _visible(Post, user)


def representative_list_visible_to(user) -> QuerySet[Representative]:
    return _visible(Representative, user)


def village_get_for_user(user, code: str) -> Division:
    """A village (or community) whose affairs the user may see, by code; 404 otherwise."""
    division = division_for_within(code)
    if division is None or division.level != "village" or (
            user is not None and not scope_for(user, VIEW_VILLAGE_AFFAIRS).covers(division)):
        raise NotFound(_("No village %(code)s that you may see.") % {"code": code})
    return division


def public_village(code: str) -> Division:
    division = division_for_within(code)
    if division is None or division.level != "village":
        raise NotFound(_("No village %(code)s.") % {"code": code})
    return division


# ---------------------------------------------------------------- counts from the archive and the bodies


def _villagers(village: Division) -> QuerySet[Person]:
    return Person.objects.filter(village=village, is_active=True, residence_status__in=VILLAGERS)


def village_population(*, village: Division) -> int:
    return _villagers(village).count()


def village_adults(*, village: Division, on: dt.date) -> int:
    """Villagers aged 18 or more on `on`, as the archive counts them (core.dates for the birthday rule)."""
    return _villagers(village).filter(birth_date__lte=born_on_or_before(on, 18)).count()


def village_households(*, village: Division) -> int:
    return Household.objects.filter(village=village, is_active=True).count()


def _held_on(qs, on: dt.date):
    return qs.filter(Q(held_to__isnull=True) | Q(held_to__gte=on), held_from__lte=on)


def posts_on(*, village: Division, on: dt.date, body: str | None = None) -> QuerySet[Post]:
    qs = _held_on(Post.objects.filter(village=village), on)
    return qs.filter(body=body) if body else qs


def representatives_on(*, village: Division, on: dt.date) -> QuerySet[Representative]:
    return _held_on(Representative.objects.filter(village=village), on)


def meeting_members(*, village: Division, kind: str, on: dt.date) -> int | None:
    """Who may attend, derived from the bodies (None where they do not say: a count is entered instead).
    Two-committee meeting: the branch's and the committee's members (a person in both counts once);
    representatives' meeting: the committee's members and the representatives (Art. 25); villagers' meeting:
    the villagers aged 18+."""
    if kind == MeetingKind.VILLAGERS:
        return village_adults(village=village, on=on)
    if kind == MeetingKind.JOINT:
        posts = posts_on(village=village, on=on)
        return len({p.person_id or f"name:{p.name}" for p in posts}) or None
    if kind == MeetingKind.REPRESENTATIVES:
        n = (posts_on(village=village, on=on, body=BodyKind.COMMITTEE).count()
             + representatives_on(village=village, on=on).count())
        return n or None
    return None


def body_warnings(*, village: Division, on: dt.date) -> list[str]:
    """The committee's size and woman member, the representatives' share, women and minimum."""
    committee = list(posts_on(village=village, on=on, body=BodyKind.COMMITTEE))
    out = rules.committee_warnings(members=len(committee), women=sum(1 for p in committee if p.woman))
    reps = list(representatives_on(village=village, on=on))
    members = len(committee) + len(reps)
    women = sum(1 for p in committee if p.woman) + sum(1 for r in reps if r.woman)
    out += rules.representatives_warnings(representatives=len(reps), women=women, meeting_members=members,
                                          population=village_population(village=village))
    return out


# ---------------------------------------------------------------- statistics: one function per figure


def _in(model, user, within: Division | None) -> QuerySet:
    return _visible(model, user).filter(within_q(within))


def meetings_by_kind(*, user, year: int, within: Division | None = None) -> dict[str, int]:
    rows = (_in(Meeting, user, within).filter(held_on__year=year).order_by().values("kind")
            .annotate(n=Count("pk")))
    counts = {kind: 0 for kind in MeetingKind.values}
    counts.update({row["kind"]: row["n"] for row in rows})
    return counts


def joint_meetings(*, user, year: int, within: Division | None = None) -> int:
    return _in(Meeting, user, within).filter(held_on__year=year, kind=MeetingKind.JOINT).count()


def representatives_meetings(*, user, year: int, within: Division | None = None) -> int:
    return _in(Meeting, user, within).filter(held_on__year=year, kind=MeetingKind.REPRESENTATIVES).count()


def decisions_voted(*, user, year: int, within: Division | None = None) -> int:
    """Major matters put to the vote in the year (the vote step done, whatever came after)."""
    return _in(Decision, user, within).filter(voted_on__year=year).count()


def decisions_complete(*, user, year: int, within: Division | None = None) -> int:
    """Major matters that completed every step in the year."""
    return _in(Decision, user, within).filter(status=DONE, completed_on__year=year).count()


def steps_overdue(*, user, year: int, within: Division | None = None) -> int:
    """Township reviews of the year's matters answered late or still overdue."""
    rows = _in(Decision, user, within).filter(proposed_on__year=year)
    return (rows.filter(reviews_overdue__gt=0).count()
            + rows.filter(reviews_overdue=0, deadline_state=DeadlineState.RED).count())


def _rate(part: int, whole: int) -> float | None:
    if not whole:
        return None
    return float((Decimal(part) / Decimal(whole)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


def disclosure_on_time_rate(*, user, year: int, within: Division | None = None) -> float | None:
    """Of the disclosure periods that fell due in the year, the share met by their deadline."""
    rows = _in(DisclosureDue, user, within).filter(deadline_at__year=year)
    due = rows.count()
    on_time = rows.filter(met_on__isnull=False, deadline_state=DeadlineState.OK).count()
    return _rate(on_time, due)


def village_affairs_stats(*, user, year: int, within: Division | None = None) -> dict:
    """The API's statistics: every figure above."""
    kinds = meetings_by_kind(user=user, year=year, within=within)
    return {"year": year, "within": within.code if within else None,
            "joint_meetings": kinds[MeetingKind.JOINT],
            "representatives_meetings": kinds[MeetingKind.REPRESENTATIVES],
            "meetings_by_kind": kinds,
            "decisions_voted": decisions_voted(user=user, year=year, within=within),
            "decisions_complete": decisions_complete(user=user, year=year, within=within),
            "steps_overdue": steps_overdue(user=user, year=year, within=within),
            "disclosure_on_time_rate": disclosure_on_time_rate(user=user, year=year, within=within)}


def lagging_villages(*, user, year: int, within: Division | None = None) -> list[dict]:
    """Villages whose procedures or disclosure lag: overdue reviews or disclosure periods missed."""
    late_reviews = (_in(Decision, user, within).filter(proposed_on__year=year)
                    .filter(Q(reviews_overdue__gt=0) | Q(deadline_state=DeadlineState.RED))
                    .order_by().values("village").annotate(n=Count("pk")))
    missed = (_in(DisclosureDue, user, within).filter(deadline_at__year=year, deadline_state=DeadlineState.RED)
              .order_by().values("village").annotate(n=Count("pk")))
    table: dict[int, dict] = {}
    for row in late_reviews:
        table.setdefault(row["village"], {"reviews_late": 0, "disclosures_missed": 0})["reviews_late"] = row["n"]
    for row in missed:
        table.setdefault(row["village"], {"reviews_late": 0, "disclosures_missed": 0})["disclosures_missed"] = row["n"]
    names = dict(Division.objects.filter(pk__in=table).values_list("pk", "name"))
    codes = dict(Division.objects.filter(pk__in=table).values_list("pk", "code"))
    return sorted(({"village": names.get(pk, ""), "code": codes.get(pk, ""), **v} for pk, v in table.items()),
                  key=lambda r: r["code"])


def village_for_input(user, code: str, *, field: str = "village") -> Division:
    """A village named in a request's body: 400 naming the field when it is unknown or out of scope."""
    try:
        return village_get_for_user(user, code)
    except NotFound:
        raise ValidationFailed(_("No village %(code)s that you may see.") % {"code": code},
                               details={field: [code]}) from None


def meeting_for_input(user, pk, *, field: str = "meeting") -> Meeting:
    return get_visible(meeting_list_visible_to(user), pk, what=_("meeting"), field=field)


def motion_for_input(meeting: Meeting, pk, *, field: str = "motion"):
    return get_visible(meeting.motions.all(), pk, what=_("motion"), field=field)


def decision_for_input(user, pk, *, field: str = "decision") -> Decision:
    return get_visible(decision_list_visible_to(user), pk, what=_("village matter"), field=field)


def recordable_villages(user) -> QuerySet[Division]:
    """The villages where the user may record (for a form's menu)."""
    qs = Division.objects.current().filter(level="village")
    if user is None:
        return qs
    scope = scope_for(user, RECORD_VILLAGE_AFFAIRS)
    return qs.none() if scope.empty else qs.filter(scope.division_q())


def stats_by_area(*, user, year: int, within: Division | None = None) -> list[dict]:
    """The figures per township (or per village under a township): grouped queries, not one per area."""
    level = "village" if within is not None and within.level in ("township", "village") else "township"
    column = f"{level}_id"
    meetings = (_in(Meeting, user, within).filter(held_on__year=year).order_by().values(column, "kind")
                .annotate(n=Count("pk")))
    voted = dict(_in(Decision, user, within).filter(voted_on__year=year).order_by().values(column)
                 .annotate(n=Count("pk")).values_list(column, "n"))
    complete = dict(_in(Decision, user, within).filter(status=DONE, completed_on__year=year).order_by()
                    .values(column).annotate(n=Count("pk")).values_list(column, "n"))
    rows: dict[int, dict] = {}
    for row in meetings:
        rows.setdefault(row[column], {})[row["kind"]] = row["n"]
    ids = set(rows) | set(voted) | set(complete)
    names = {d.pk: d for d in Division.objects.filter(pk__in=ids)}
    out = []
    for pk in sorted(ids, key=lambda i: names[i].code if i in names else ""):
        if pk not in names:
            continue
        kinds = rows.get(pk, {})
        out.append({"division": names[pk], "joint_meetings": kinds.get(MeetingKind.JOINT, 0),
                    "representatives_meetings": kinds.get(MeetingKind.REPRESENTATIVES, 0),
                    "decisions_voted": voted.get(pk, 0), "decisions_complete": complete.get(pk, 0)})
    return out


def public_disclosures(*, village: Division) -> QuerySet[Disclosure]:
    """What a village disclosed, for its public page: the items alone (no names of people, no meetings)."""
    return Disclosure.objects.filter(village=village).only("kind", "title", "posted_on", "place", "text")


def disclosure_due(*, village: Division) -> QuerySet[DisclosureDue]:
    """The village's open disclosure periods, soonest first."""
    return DisclosureDue.objects.filter(village=village, met_on__isnull=True).order_by("deadline_at")


def bodies_of(*, village: Division, on: dt.date) -> dict:
    """The village's bodies on a day: the branch's and the committee's posts (with their pledges), the
    representatives, and the warnings."""
    posts = list(posts_on(village=village, on=on).prefetch_related("pledges"))
    return {"village": village, "posts": posts, "representatives": list(representatives_on(village=village, on=on)),
            "warnings": body_warnings(village=village, on=on), "population": village_population(village=village),
            "minimum": rules.representatives_minimum(village_population(village=village))}


def post_for_input(user, pk, *, field: str = "post") -> Post:
    return get_visible(post_list_visible_to(user), pk, what=_("post"), field=field)


def pledge_get_for_user(user, pk) -> Pledge:
    visible = Pledge.objects.filter(post__in=post_list_visible_to(user)).select_related("post__village")
    return get_visible(visible, pk, what=_("pledge"))
