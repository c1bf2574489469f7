"""Every write of village affairs: bodies and representatives, meetings with their quorum and motions, major
matters moved through their procedure (core.workflow), the township's review clock (core.deadlines), and
disclosure with its schedule."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from shuanglian.core import audit, clock, workflow
from shuanglian.core import deadlines as engine
from shuanglian.core.calendar import end_of_day
from shuanglian.core.deadlines import DeadlineState, Limit
from shuanglian.core.exceptions import PermissionDenied, ValidationFailed, full_clean, require_length
from shuanglian.core.workflow import Rule
from shuanglian.divisions.models import Division
from shuanglian.matters.models import Matter

from . import policies, procedures, rules, selectors
from .choices import DONE, NEW, PENDING_SUFFIX, DisclosureKind, MeetingKind, ReviewOpinion
from .models import (
    Decision,
    DecisionLink,
    DecisionStep,
    Disclosure,
    DisclosureDue,
    Meeting,
    Motion,
    Pledge,
    Post,
    Representative,
)

APPROVE, RETURN = "approve", "return"


def review_limit() -> Limit:
    """The township's time to answer a filing (报审): VILLAGE_AFFAIRS_REVIEW_LIMIT (amount, unit, warn_before),
    10 working days by default, yellow 2 days before."""
    amount, unit, warn = getattr(settings, "VILLAGE_AFFAIRS_REVIEW_LIMIT", (10, engine.WORKING_DAYS, 2))
    return Limit(amount, unit, warn)


# How long a village may go between postings of a kind (Art. 30): general items quarterly, finances monthly,
# a major matter's result at once after its notice (2 working days).
DISCLOSURE_LIMITS = {DisclosureKind.VILLAGE: Limit(92, engine.CALENDAR_DAYS, 7),
                     DisclosureKind.PARTY: Limit(92, engine.CALENDAR_DAYS, 7),
                     DisclosureKind.FINANCE: Limit(31, engine.CALENDAR_DAYS, 3),
                     DisclosureKind.MAJOR: Limit(2, engine.WORKING_DAYS, 1)}


def _village(division: Division) -> Division:
    if division.level != "village":
        raise ValidationFailed(_("%(division)s is not a village or community.") % {"division": division},
                               details={"village": [division.code]})
    return division


def _count(value, field: str) -> int:
    if value is None or int(value) < 0:
        raise ValidationFailed(_("%(field)s must be a count of 0 or more.") % {"field": field}, details={field: [value]})
    return int(value)


# ---------------------------------------------------------------- bodies


def post_appoint(*, actor, village: Division, body: str, post: str, name: str, held_from: dt.date,
                 woman: bool = False, person=None) -> Post:
    """A post in the party branch or the committee, for a 5-year term from `held_from`."""
    policies.require_record(actor, _village(village))
    with transaction.atomic():
        row = Post(body=body, post=post, name=name.strip() or (person.name if person else ""), woman=woman,
                   person=person, held_from=held_from,
                   term_ends=held_from.replace(year=held_from.year + rules.TERM_YEARS))
        row.attach_to(village)
        full_clean(row)
        row.save()
        audit.record(actor=actor, action="village_affairs.post_appoint", obj=row,
                     after={"body": body, "post": post, "from": held_from.isoformat()})
    return row


def post_end(*, actor, post: Post, held_to: dt.date) -> Post:
    policies.require_record(actor, post.village)
    if held_to < post.held_from:
        raise ValidationFailed(_("A post cannot end before it began."), details={"held_to": [held_to.isoformat()]})
    with transaction.atomic():
        post.held_to = held_to
        post.save(update_fields=["held_to"])
        audit.record(actor=actor, action="village_affairs.post_end", obj=post, after={"to": held_to.isoformat()})
    return post


def pledge_sign(*, actor, post: Post, kind: str, text: str, signed_on: dt.date, document=None) -> Pledge:
    """Record a cadre's signed pledge (创业承诺 or 辞职承诺)."""
    policies.require_record(actor, post.village)
    if not (text or "").strip():
        raise ValidationFailed(_("A pledge needs its text."), details={"text": [""]})
    with transaction.atomic():
        pledge = Pledge(post=post, kind=kind, text=text.strip(), signed_on=signed_on)
        if document is not None:
            pledge.document = document
        full_clean(pledge)
        pledge.save()
        audit.record(actor=actor, action="village_affairs.pledge_sign", obj=pledge,
                     after={"kind": kind, "signed_on": signed_on.isoformat()})
    return pledge


def pledge_review(*, actor, pledge: Pledge, opinion: str, note: str = "", on: dt.date | None = None) -> Pledge:
    """The township's review of a pledge: approved, or returned with reasons."""
    policies.require_review(actor, pledge.post.village)
    if opinion not in ReviewOpinion.values:
        raise ValidationFailed(_("Unknown opinion %(o)s.") % {"o": opinion}, details={"opinion": [opinion]})
    if opinion == ReviewOpinion.RETURN and not note.strip():
        raise ValidationFailed(_("Say why the pledge is returned."), details={"note": [""]})
    with transaction.atomic():
        pledge.review_opinion, pledge.review_note = opinion, require_length(note.strip(), field="note", limit=300)
        pledge.reviewed_on = on or clock.today()
        pledge.reviewed_by = actor if getattr(actor, "pk", None) else None
        pledge.save(update_fields=["review_opinion", "review_note", "reviewed_on", "reviewed_by"])
        audit.record(actor=actor, action="village_affairs.pledge_review", obj=pledge, after={"opinion": opinion})
    return pledge


def representative_appoint(*, actor, village: Division, name: str, households: int, held_from: dt.date,
                           woman: bool = False, person=None) -> Representative:
    policies.require_record(actor, _village(village))
    if not 5 <= int(households) <= 15:
        raise ValidationFailed(_("A representative stands for 5 to 15 households."),
                               details={"households": [households]})
    with transaction.atomic():
        row = Representative(name=name, households=households, held_from=held_from, woman=woman, person=person)
        row.attach_to(village)
        full_clean(row)
        row.save()
        audit.record(actor=actor, action="village_affairs.representative_appoint", obj=row,
                     after={"households": households})
    return row


# ---------------------------------------------------------------- meetings


@dataclass(frozen=True)
class MotionInput:
    text: str
    votes_for: int
    votes_against: int = 0
    abstaining: int = 0


def meeting_record(*, actor, village: Division, kind: str, title: str, held_on: dt.date, present: int,
                   eligible: int | None = None, households_present: int = 0, households_eligible: int | None = None,
                   place: str = "", notice_on: dt.date | None = None, agenda_sent_on: dt.date | None = None,
                   agenda: str = "", attendees: str = "", minutes: str = "",
                   motions: list[MotionInput] | None = None) -> Meeting:
    """Record a meeting with its attendance and motions. Who may attend comes from the archive (villagers
    aged 18+) or the bodies (committee and representatives) where they say; else the count entered. A meeting
    without its quorum is kept and decides nothing: its motions do not pass, and it says why."""
    policies.require_record(actor, _village(village))
    if kind not in MeetingKind.values:
        raise ValidationFailed(_("Unknown meeting kind %(kind)s.") % {"kind": kind}, details={"kind": [kind]})
    derived = selectors.meeting_members(village=village, kind=kind, on=held_on)
    eligible = derived if derived is not None else eligible
    if eligible is None:
        raise ValidationFailed(_("Say how many may attend: the village's bodies do not say it for this meeting."),
                               details={"eligible": [None]})
    eligible, present = _count(eligible, "eligible"), _count(present, "present")
    if present > eligible:
        raise ValidationFailed(_("%(present)s present is more than the %(eligible)s who may attend.")
                               % {"present": present, "eligible": eligible}, details={"present": [present]})
    if households_eligible is None:
        households_eligible = selectors.village_households(village=village) if kind == MeetingKind.VILLAGERS else 0
    households_present = _count(households_present, "households_present")
    if households_present > households_eligible:
        raise ValidationFailed(_("More households represented than the village has."),
                               details={"households_present": [households_present]})
    q = rules.quorum(kind, present=present, eligible=eligible, households_present=households_present,
                     households_eligible=households_eligible)
    warnings = rules.notice_warnings(kind, held_on=held_on, notice_on=notice_on, agenda_sent_on=agenda_sent_on)
    with transaction.atomic():
        meeting = Meeting(kind=kind, title=title, held_on=held_on, place=place, notice_on=notice_on,
                          agenda_sent_on=agenda_sent_on, agenda=agenda, eligible=eligible, present=present,
                          households_eligible=households_eligible, households_present=households_present,
                          attendees=attendees, minutes=minutes, quorate=q.reached, quorum_text=q.text(),
                          warnings=warnings, created_by=actor if getattr(actor, "pk", None) else None)
        meeting.attach_to(village)
        full_clean(meeting)
        meeting.save()
        for i, m in enumerate(motions or []):
            _motion(meeting, m, q.reached, index=i)
        audit.record(actor=actor, action="village_affairs.meeting_record", obj=meeting,
                     after={"kind": kind, "present": present, "eligible": eligible, "quorate": q.reached})
    return meeting


def _motion(meeting: Meeting, m: MotionInput, quorate: bool, *, index: int) -> Motion:
    field = f"motions[{index}]"
    votes = [_count(v, field) for v in (m.votes_for, m.votes_against, m.abstaining)]
    if sum(votes) > meeting.present:
        raise ValidationFailed(_("Motion %(n)s has %(votes)s votes but %(present)s were present.")
                               % {"n": index + 1, "votes": sum(votes), "present": meeting.present},
                               details={field: [sum(votes)]})
    passed = quorate and rules.passes(votes_for=votes[0], present=meeting.present)
    outcome = rules.motion_outcome(quorate=quorate, votes_for=votes[0], present=meeting.present)
    motion = Motion(meeting=meeting, text=require_length(m.text.strip(), field=field, limit=300), votes_for=votes[0],
                    votes_against=votes[1], abstaining=votes[2], passed=passed, outcome_text=outcome)
    full_clean(motion)
    motion.save()
    return motion


# ---------------------------------------------------------------- major matters through their procedure


@dataclass(frozen=True)
class StepInput:
    meeting: Meeting | None = None
    motion: Motion | None = None
    text: str = ""
    place: str = ""
    on: dt.date | None = None
    result: str = ""


def decision_propose(*, actor, village: Division, title: str, category: str, proposed_on: dt.date | None = None,
                     procedure: str | None = None) -> Decision:
    """A major village matter, on the county's procedure (or the one named): its steps are copied onto it."""
    policies.require_record(actor, _village(village))
    chosen = procedures.get(procedure)
    with transaction.atomic():
        decision = Decision(title=title, category=category, procedure=chosen["code"], steps=chosen["steps"],
                            status=NEW, proposed_on=proposed_on or clock.today(),
                            created_by=actor if getattr(actor, "pk", None) else None)
        decision.attach_to(village)
        full_clean(decision)
        decision.save()
        audit.record(actor=actor, action="village_affairs.decision_propose", obj=decision,
                     after={"procedure": chosen["code"], "category": category})
    return decision


def _step_index(decision: Decision, code: str) -> int:
    for i, step in enumerate(decision.steps):
        if step["code"] == code:
            return i
    return -1


def done_count(decision: Decision) -> int:
    """How many steps are done: the status is the last one done (or pending review of the next)."""
    status = decision.status
    if status == DONE:
        return len(decision.steps)
    if status == NEW:
        return 0
    if status.endswith(PENDING_SUFFIX):
        return _step_index(decision, status[: -len(PENDING_SUFFIX)])
    return _step_index(decision, status) + 1


def step_name(step: dict) -> str:
    return f"{step['name']} ({step['code']})"


def _refused(decision: Decision, action: str) -> str:
    if decision.status == DONE:
        return _("%(title)s has completed every step.") % {"title": decision.title}
    done = done_count(decision)
    if decision.status.endswith(PENDING_SUFFIX):
        return _("%(step)s is waiting for the township's review.") % {"step": step_name(decision.steps[done])}
    index = _step_index(decision, action)
    if action in (APPROVE, RETURN):
        return _("Nothing is waiting for the township's review.")
    if 0 <= index < done:
        return _("%(step)s is done already.") % {"step": step_name(decision.steps[index])}
    return _("%(step)s comes first: no step may be skipped.") % {"step": step_name(decision.steps[done])}


def _authorize(actor, decision: Decision) -> None:
    if not (policies.may_record(actor, decision.village) or policies.may_review(actor, decision.village)):
        raise PermissionDenied(_("You may not move the village matters of %(village)s.")
                               % {"village": decision.village})


def _current_step(decision: Decision, action: str) -> dict:
    return decision.steps[_step_index(decision, action)]


def _do_step(decision: Decision, step: workflow.Step[StepInput]) -> dict | None:
    policies.require_record(step.actor, decision.village)
    spec = _current_step(decision, step.action)
    p = step.params
    needs = spec["needs"]
    if needs == procedures.RECORD:
        if not p.text.strip():
            raise ValidationFailed(_("%(step)s needs a text: who proposed what.") % {"step": step_name(spec)},
                                   details={"text": [""]})
    elif needs == procedures.MEETING:
        _check_meeting(decision, spec, p)
        if spec.get("vote"):
            decision.voted_on = p.meeting.held_on
    elif needs == procedures.REVIEW:
        limit = review_limit()
        decision.deadline_at = engine.deadline(step.now, limit.amount, limit.unit)
        decision.yellow_at = engine.warning(decision.deadline_at, limit.warn_before, limit.unit)
        decision.deadline_state = DeadlineState.OK
    elif needs == procedures.NOTICE:
        missing = [f for f in ("on", "place", "text") if not getattr(p, f)]
        if spec.get("result") and not p.result.strip():
            missing.append("result")
        if missing:
            raise ValidationFailed(_("%(step)s needs the notice's date, place and text%(result)s.")
                                   % {"step": step_name(spec), "result": _(" and the implementation result")
                                      if spec.get("result") else ""}, details={f: [""] for f in missing})
        if p.result:
            decision.result = p.result
        if _step_index(decision, step.action) == len(decision.steps) - 1:
            decision.completed_on = p.on
        _major_disclosure_due(decision, p.on)
    return {"step": spec["code"]}


def _check_meeting(decision: Decision, spec: dict, p: StepInput) -> None:
    name = step_name(spec)
    if p.meeting is None or p.motion is None:
        raise ValidationFailed(_("%(step)s needs a meeting and its motion.") % {"step": name},
                               details={"meeting": [None]})
    meeting, motion = p.meeting, p.motion
    if meeting.village_id != decision.village_id:
        raise ValidationFailed(_("The meeting was not held in %(village)s.") % {"village": decision.village},
                               details={"meeting": [meeting.pk]})
    if meeting.kind not in spec.get("kinds", []):
        kinds = ", ".join(str(MeetingKind(k).label) for k in spec.get("kinds", []))
        raise ValidationFailed(_("%(step)s needs a meeting of kind: %(kinds)s.") % {"step": name, "kinds": kinds},
                               details={"meeting": [meeting.pk]})
    if motion.meeting_id != meeting.pk:
        raise ValidationFailed(_("The motion is not of that meeting."), details={"motion": [motion.pk]})
    if spec.get("quorate") and not meeting.quorate:
        raise ValidationFailed(_("%(step)s needs a meeting that had its quorum: %(quorum)s.")
                               % {"step": name, "quorum": meeting.quorum_text}, details={"meeting": [meeting.pk]})
    if not motion.passed:
        raise ValidationFailed(_("%(step)s needs a motion that passed: %(outcome)s.")
                               % {"step": name, "outcome": motion.outcome_text}, details={"motion": [motion.pk]})


def _review(decision: Decision, step: workflow.Step[StepInput]) -> dict | None:
    policies.require_review(step.actor, decision.village)
    done = done_count(decision)
    spec = decision.steps[done]
    late = decision.deadline_at is not None and step.now > decision.deadline_at
    if late:
        decision.reviews_overdue += 1
    decision.deadline_at = decision.yellow_at = None
    decision.deadline_state = DeadlineState.OK
    if step.action == APPROVE:
        decision.status = spec["code"]
    else:
        decision.status = decision.steps[done - 1]["code"] if done else NEW
    return {"step": spec["code"], "opinion": step.action, "late": late}


def _snapshot(decision: Decision) -> dict:
    return {"status": decision.status, "voted_on": decision.voted_on.isoformat() if decision.voted_on else None}


def _clean_reason(reason: str, rule: Rule, action: str) -> str:
    reason = (reason or "").strip()
    if rule.reason_required and not reason:
        raise ValidationFailed(_("Say why the matter is returned."), details={"reason": [""]})
    return require_length(reason, field="reason", limit=2000)


def _timeline(decision: Decision, moved: workflow.Moved) -> dict:
    p: StepInput = moved.step.params
    return {"meeting": p.meeting, "motion": p.motion, "text": p.text, "place": p.place, "on": p.on}


_WORKFLOWS: dict[str, workflow.Workflow] = {}


def workflow_for(decision: Decision) -> workflow.Workflow:
    """The transitions table of a decision's own step list: each step from the one before it; a review step
    goes to `<step>:pending` until the township approves (on to the step) or returns it (back a step)."""
    steps = decision.steps
    key = repr(steps)
    if key in _WORKFLOWS:
        return _WORKFLOWS[key]
    table: dict[str, Rule] = {}
    previous, pending = NEW, set()
    for i, spec in enumerate(steps):
        last = i == len(steps) - 1
        if spec["needs"] == procedures.REVIEW:
            target = spec["code"] + PENDING_SUFFIX
            pending.add(target)
        else:
            target = spec["code"]
        table[spec["code"]] = Rule(frozenset({previous}), None if last else target)
        previous = spec["code"]
    table[APPROVE] = Rule(frozenset(pending), None)
    table[RETURN] = Rule(frozenset(pending), None, reason_required=True)
    handlers: dict[str, Any] = {code: _do_step for code in table if code not in (APPROVE, RETURN)}
    # The last step's target is left to settle: done.
    handlers[APPROVE] = handlers[RETURN] = _review
    flow = workflow.Workflow(
        label="village_affairs", model=Decision, rules=table, handlers=handlers, transition_model=DecisionStep,
        transition_fk="decision", authorize=_authorize, snapshot=_snapshot, refused_message=_refused,
        clean_reason=_clean_reason, related=("village",), timeline_fields=_timeline,
        settle=_settle_last(steps[-1]["code"]))
    _WORKFLOWS[key] = flow
    return flow


def _settle_last(last_code: str):
    def settle(decision: Decision, step: workflow.Step[StepInput]) -> None:
        if step.action == last_code:
            decision.status = DONE
    return settle


def decision_step(*, actor, decision: Decision, action: str, reason: str = "", meeting: Meeting | None = None,
                  motion: Motion | None = None, text: str = "", place: str = "", on: dt.date | None = None,
                  result: str = "", at: dt.datetime | None = None) -> Decision:
    """Take one step of the decision's procedure (or the township's approve / return of a filing). Steps run
    in order: one out of order is refused (409 illegal_transition) naming the step that comes first."""
    return workflow.move(workflow_for(decision), actor=actor, record=decision, action=action, reason=reason, at=at,
                         params=StepInput(meeting=meeting, motion=motion, text=text, place=place, on=on,
                                          result=result))


def decision_link(*, actor, decision: Decision, matter: Matter) -> DecisionLink:
    """Name the village decision a matter or dispute arose from."""
    policies.require_record(actor, decision.village)
    with transaction.atomic():
        link, _created = DecisionLink.objects.get_or_create(decision=decision, matter=matter)
        audit.record(actor=actor, action="village_affairs.decision_link", obj=decision, after={"matter": matter.pk})
    return link


# ---------------------------------------------------------------- disclosure


def _due(village: Division, kind: str, since: dt.date, *, decision: Decision | None = None) -> DisclosureDue:
    limit = DISCLOSURE_LIMITS[kind]
    start = end_of_day(since)
    deadline_at = engine.deadline(start, limit.amount, limit.unit)
    row = DisclosureDue(kind=kind, since=since, decision=decision, deadline_at=deadline_at,
                        yellow_at=engine.warning(deadline_at, limit.warn_before, limit.unit))
    row.attach_to(village)
    row.save()
    return row


def _major_disclosure_due(decision: Decision, on: dt.date) -> None:
    if not DisclosureDue.objects.filter(decision=decision).exists():
        _due(decision.village, DisclosureKind.MAJOR, on, decision=decision)


def disclosure_post(*, actor, village: Division, kind: str, title: str, posted_on: dt.date, place: str, text: str,
                    decision: Decision | None = None) -> Disclosure:
    """Post an item on the village's board. It meets the open period of its kind (late if past its deadline)
    and opens the next; a major matter's posting meets the matter's own."""
    policies.require_record(actor, _village(village))
    if kind == DisclosureKind.MAJOR and decision is None:
        raise ValidationFailed(_("A major matter's disclosure names the matter."), details={"decision": [None]})
    if decision is not None and decision.village_id != village.pk:
        raise ValidationFailed(_("That matter is not of this village."), details={"decision": [decision.pk]})
    with transaction.atomic():
        item = Disclosure(kind=kind, title=title, posted_on=posted_on, place=place, text=text, decision=decision)
        item.attach_to(village)
        full_clean(item)
        item.save()
        open_q = DisclosureDue.objects.filter(village=village, kind=kind, met_on__isnull=True)
        if decision is not None:
            open_q = open_q.filter(decision=decision)
        for due in open_q:
            due.met_on = posted_on
            if end_of_day(posted_on) > due.deadline_at:
                due.deadline_state = DeadlineState.RED
            due.save(update_fields=["met_on", "deadline_state"])
        if kind != DisclosureKind.MAJOR:
            _due(village, kind, posted_on)
        audit.record(actor=actor, action="village_affairs.disclosure_post", obj=item,
                     after={"kind": kind, "posted_on": posted_on.isoformat()})
    return item
