"""Petitions (信访): every write. Reads are in selectors, who may in policies, clocks in deadlines.

The workflow is one transitions table (`RULES`) moved only by `transition()` on core.workflow:

    registered --route--> routed --accept--> accepted --reply--> replied --close--> closed
                                 --not_accept (reason)--> not_accepted
    accepted --extend (once, <= 30 days, named approver, reason told to the petitioner)--> accepted
    replied --request_review (within 30 days)--> under_review --answer_review--> reviewed
    reviewed --request_rereview (within 30 days)--> under_rereview --answer_rereview--> rereviewed
    reviewed, rereviewed --close--> closed

After a re-review the same petitioner's same request (same subject about the same division) is not
registered again (Art. 36): 409 `already_rereviewed` naming the earlier number.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from shuanglian.core import audit, clock, workflow
from shuanglian.core.exceptions import Conflict, ValidationFailed, full_clean
from shuanglian.core.pii import mask, normalize
from shuanglian.core.workflow import Rule, Step

from . import deadlines, policies
from .choices import (
    MAX_EXTENSION_DAYS,
    MAX_REPRESENTATIVES,
    Action,
    Category,
    Channel,
    Lodged,
    Outcome,
    Status,
)
from .models import BacklogCase, BacklogStandard, Petition, Representative, Subject, Transition

NUMBER_FORMAT = "信〔{year}〕{seq:05d}号"
_NUMBER_ATTEMPTS = 8
_TEXT_LIMIT = 20_000


class AlreadyRereviewed(Conflict):
    code = "already_rereviewed"


def _choice(name: str, value: str, choices) -> str:
    if value not in choices.values:
        raise ValidationFailed(_("%(value)s is not a valid %(field)s.") % {"value": value, "field": name},
                               details={name: [_("Choose one of: %(values)s.") % {"values": ", ".join(choices.values)}]})
    return value


def _text(name: str, value: str | None, *, required: bool = False, limit: int = _TEXT_LIMIT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(_("%(field)s is required.") % {"field": name},
                               details={name: [_("This field is required.")]})
    if len(value) > limit:
        raise ValidationFailed(_("%(field)s is too long (at most %(n)d characters).") % {"field": name, "n": limit},
                               details={name: [_("Too long.")]})
    return value


def masked_name(name: str) -> str:
    """A name as cadres see it: the family name and stars (张**)."""
    return mask("name", name) if len(name) > 1 else "*"


def _snapshot(petition: Petition) -> dict:
    # Never the petitioner's identity: audit rows are read by auditors outside the petition office.
    return {"number": petition.number, "status": petition.status, "category": petition.category,
            "handling_organization": petition.handling_organization_id, "handler": petition.handler_id,
            "deadline_at": petition.deadline_at, "extension_days": petition.extension_days,
            "outcome": petition.outcome}


# ---------------------------------------------------------------- subjects and standards


@transaction.atomic
def subject_create(*, actor, name: str, category: str = "") -> Subject:
    if category:
        _choice("category", category, Category)
    subject = Subject(name=_text("name", name, required=True, limit=60), category=category)
    full_clean(subject)
    subject.save()
    audit.record(actor=actor, action="petitions.subject_create", obj=subject, after={"name": subject.name})
    return subject


@transaction.atomic
def backlog_standard_set(*, actor, year: int, rate) -> BacklogStandard:
    """The provincial standard for the backlog resolution rate in `year`, a fraction (0.60)."""
    try:
        rate = Decimal(str(rate))
    except InvalidOperation:
        raise ValidationFailed(_("The standard is a fraction between 0 and 1."), details={"rate": [str(rate)]}) from None
    row, _created = BacklogStandard.objects.update_or_create(year=year, defaults={"rate": rate})
    full_clean(row)
    audit.record(actor=actor, action="petitions.backlog_standard_set", obj=row, after={"year": year, "rate": rate})
    return row


# ---------------------------------------------------------------- registration


def earlier_rereviewed(*, county_id: int, division_id: int, subject_id: int | None, person_id: int | None,
                       petitioner_name: str) -> Petition | None:
    """The earlier petition, re-reviewed, of the same petitioner with the same request, if any."""
    who = Q(person_id=person_id) if person_id else Q(person__isnull=True, petitioner_name=petitioner_name)
    return (Petition.objects.filter(who, county_id=county_id, division_id=division_id, subject_id=subject_id,
                                    rereviewed_at__isnull=False).order_by("-rereviewed_at").first())


def _next_number(county_id: int, year: int) -> str:
    seq = Petition.objects.filter(county_id=county_id, year=year).count() + 1
    return NUMBER_FORMAT.format(year=year, seq=seq)


@transaction.atomic
def petition_register(*, actor, division, channel: str, category: str, summary: str, received_on: dt.date,
                      content: str = "", lodged_at: str = Lodged.COUNTY, subject: Subject | None = None,
                      person=None, petitioner_name: str = "", petitioner_phone: str = "", person_times: int = 1,
                      representatives: list[str] | None = None, accused: str = "", accused_organization=None,
                      matter=None, dispute=None) -> Petition:
    """Register a petition. A group visit is one petition (one batch) with its person-times and at most 5
    representatives; one lodged above (province, Beijing) keeps its original date and place."""
    policies.require_register(actor, division)
    _choice("channel", channel, Channel)
    _choice("category", category, Category)
    _choice("lodged_at", lodged_at, Lodged)
    if not isinstance(received_on, dt.date) or received_on > clock.today():
        raise ValidationFailed(_("The date received cannot be in the future."),
                               details={"received_on": [_("The date cannot be in the future.")]})
    if person is not None:
        petitioner_name = petitioner_name or person.name
        if person.county_id != division.pk and not division.code.startswith(person.county.code):
            raise ValidationFailed(_("%(name)s is not in this county's archives.") % {"name": person.name},
                                   details={"person": [person.pk]})
    petitioner_name = _text("petitioner_name", petitioner_name, required=True, limit=60)
    representatives = [_text("representatives", r, required=True, limit=60) for r in (representatives or [])]
    if not isinstance(person_times, int) or person_times < 1:
        raise ValidationFailed(_("Person-times is a whole number of at least 1."),
                               details={"person_times": [str(person_times)]})
    if len(representatives) > MAX_REPRESENTATIVES:
        raise ValidationFailed(
            _("A group visit elects at most %(n)d representatives (Art. 20); %(given)d were given.")
            % {"n": MAX_REPRESENTATIVES, "given": len(representatives)},
            code="too_many_representatives", details={"representatives": [str(len(representatives))]})
    if representatives and person_times < 2:
        raise ValidationFailed(_("Representatives are for a group visit: give its person-times (2 or more)."),
                               details={"person_times": [str(person_times)]})
    now = clock.now()
    petition = Petition(
        channel=channel, category=category, subject=subject, lodged_at=lodged_at, received_on=received_on,
        registered_at=now, year=received_on.year, summary=_text("summary", summary, required=True, limit=200),
        content=_text("content", content), person=person, petitioner_name=petitioner_name,
        petitioner_phone=normalize("phone", petitioner_phone or ""), person_times=person_times,
        accused=_text("accused", accused, limit=100), accused_organization=accused_organization,
        matter=matter, dispute=dispute, status=Status.REGISTERED)
    petition.attach_to(division)
    earlier = earlier_rereviewed(county_id=petition.county_id, division_id=division.pk,
                                 subject_id=subject.pk if subject else None,
                                 person_id=person.pk if person else None, petitioner_name=petitioner_name)
    if earlier is not None:
        raise AlreadyRereviewed(
            _("This request was re-reviewed in petition %(number)s on %(date)s; after a re-review the same "
              "request is not accepted again (Art. 36).")
            % {"number": earlier.number, "date": earlier.rereviewed_at.date().isoformat()},
            details={"earlier": earlier.number, "earlier_id": earlier.pk})
    deadlines.start(petition, Status.REGISTERED, deadlines.route_clock_start(petition), now=now)
    petition.number = _next_number(petition.county_id, petition.year)
    full_clean(petition, exclude=["division", "county", "township", "village", "grid", "person", "subject",
                                  "matter", "dispute", "accused_organization", "handling_organization", "handler",
                                  "petitioner_phone", "number"])
    for attempt in range(_NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                petition.save()
            break
        except IntegrityError:
            if attempt == _NUMBER_ATTEMPTS - 1:
                raise
            petition.pk = None
            petition.number = NUMBER_FORMAT.format(year=petition.year, seq=int(petition.number[-8:-1]) + 1)
    Representative.objects.bulk_create([Representative(petition=petition, name=n) for n in representatives])
    Transition.objects.create(petition=petition, action="register", from_status="", to_status=petition.status,
                              actor=actor if getattr(actor, "pk", None) else None,
                              actor_label=audit.actor_label(actor), at=now)
    audit.record(actor=actor, action="petitions.register", obj=petition, object_repr=petition.number,
                 after={**_snapshot(petition), "petitioner": masked_name(petitioner_name),
                        "person_times": person_times, "representatives": len(representatives)})
    return petition


@transaction.atomic
def petitioner_identity_read(*, actor, petition: Petition) -> dict:
    """The petitioner's identity for someone allowed to see it; each read is audited (PIPL)."""
    if not policies.may_see_identity(actor, petition):
        raise policies.PermissionDenied(_("The petitioner's identity of %(number)s is confidential.")
                                        % {"number": petition.number})
    audit.record(actor=actor, action="petitions.read_identity", obj=petition, object_repr=petition.number)
    return {"name": petition.petitioner_name, "phone": petition.petitioner_phone.reveal(),
            "person": petition.person_id,
            "representatives": list(petition.representatives.values_list("name", flat=True))}


# ---------------------------------------------------------------- the workflow


@dataclass(frozen=True)
class ActionInput:
    organization: object = None  # route: the handling unit
    handler: object = None  # route: the handling officer
    days: int = 0  # extend
    approver: str = ""  # extend
    outcome: str = ""  # reply, answer_review, answer_rereview
    texts: dict = field(default_factory=dict)  # reply: request, facts, reasons, basis


RULES = {
    Action.ROUTE: Rule(frozenset({Status.REGISTERED}), Status.ROUTED),
    Action.ACCEPT: Rule(frozenset({Status.ROUTED}), Status.ACCEPTED),
    Action.NOT_ACCEPT: Rule(frozenset({Status.REGISTERED, Status.ROUTED}), Status.NOT_ACCEPTED, reason_required=True),
    Action.EXTEND: Rule(frozenset({Status.ACCEPTED}), Status.ACCEPTED, reason_required=True),
    Action.REPLY: Rule(frozenset({Status.ACCEPTED}), Status.REPLIED),
    Action.REQUEST_REVIEW: Rule(frozenset({Status.REPLIED}), Status.UNDER_REVIEW),
    Action.ANSWER_REVIEW: Rule(frozenset({Status.UNDER_REVIEW}), Status.REVIEWED),
    Action.REQUEST_REREVIEW: Rule(frozenset({Status.REVIEWED}), Status.UNDER_REREVIEW),
    Action.ANSWER_REREVIEW: Rule(frozenset({Status.UNDER_REREVIEW}), Status.REREVIEWED),
    Action.CLOSE: Rule(frozenset({Status.REPLIED, Status.REVIEWED, Status.REREVIEWED}), Status.CLOSED),
}
# Only the petition office routes, decides on acceptance and closes; the handling unit replies.
_OFFICE_ACTIONS = {Action.ROUTE, Action.ACCEPT, Action.NOT_ACCEPT, Action.EXTEND, Action.CLOSE,
                   Action.REQUEST_REVIEW, Action.REQUEST_REREVIEW}


def _route(petition: Petition, step: Step[ActionInput]) -> dict:
    organization, handler = step.params.organization, step.params.handler
    if organization is None and handler is None:
        raise ValidationFailed(_("Route the petition to a handling unit or a handling officer."),
                               details={"organization": [_("This field is required.")]})
    if organization is not None and organization.pk == petition.accused_organization_id:
        raise ValidationFailed(_("A petition is never routed to the unit it accuses (Art. 30)."),
                               code="routed_to_accused", details={"organization": [organization.pk]})
    petition.handling_organization, petition.handler = organization, handler
    petition.routed_at = step.now
    deadlines.start(petition, Status.ROUTED, step.now)
    return {"organization": getattr(organization, "name", ""), "handler": getattr(handler, "username", "")}


def _accept(petition: Petition, step: Step[ActionInput]) -> None:
    petition.accepted_at = step.now
    deadlines.start(petition, Status.ACCEPTED, step.now)


def _stop(target: str):
    def handler(petition: Petition, step: Step[ActionInput]) -> None:
        deadlines.start(petition, target, step.now)
        if target in (Status.NOT_ACCEPTED, Status.CLOSED):
            petition.closed_at = step.now
    return handler


def _extend(petition: Petition, step: Step[ActionInput]) -> dict:
    if petition.extension_days:
        raise Conflict(_("Petition %(number)s was already extended by %(days)d days; one extension is allowed "
                         "(Art. 34).") % {"number": petition.number, "days": petition.extension_days},
                       code="already_extended", details={"extension_days": petition.extension_days})
    days, approver = step.params.days, _text("approver", step.params.approver, required=True, limit=60)
    if not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ValidationFailed(_("An extension is 1 to %(n)d days (Art. 34).") % {"n": MAX_EXTENSION_DAYS},
                               details={"days": [str(days)]})
    petition.extension_days, petition.extension_approver = days, approver
    deadlines.start(petition, Status.ACCEPTED, petition.accepted_at, now=step.now, extra_days=days)
    return {"days": days, "approver": approver, "deadline_at": petition.deadline_at.isoformat()}


def _decision(petition: Petition, step: Step[ActionInput], target: str) -> dict:
    petition.outcome = _choice("outcome", step.params.outcome, Outcome)
    deadlines.start(petition, target, step.now)
    return {"outcome": petition.outcome}


def _reply(petition: Petition, step: Step[ActionInput]) -> dict:
    texts = step.params.texts
    petition.reply_request = _text("request", texts.get("request"), required=True)
    petition.reply_facts = _text("facts", texts.get("facts"), required=True)
    petition.reply_reasons = _text("reasons", texts.get("reasons"), required=True)
    petition.reply_basis = _text("basis", texts.get("basis"), required=True)
    petition.replied_at = step.now
    return _decision(petition, step, Status.REPLIED)


def _within_window(petition: Petition, since: dt.datetime, now: dt.datetime, what: str) -> None:
    end = deadlines.request_window_end(since)
    if now > end:
        raise Conflict(_("The %(what)s of petition %(number)s had to be asked for by %(date)s (30 days).")
                       % {"what": what, "number": petition.number, "date": end.date().isoformat()},
                       code="request_window_closed", details={"until": end.isoformat()})


def _request_review(petition: Petition, step: Step[ActionInput]) -> None:
    _within_window(petition, petition.replied_at, step.now, _("review"))
    petition.review_requested_at = step.now
    deadlines.start(petition, Status.UNDER_REVIEW, step.now)


def _answer_review(petition: Petition, step: Step[ActionInput]) -> dict:
    petition.reviewed_at = step.now
    return _decision(petition, step, Status.REVIEWED)


def _request_rereview(petition: Petition, step: Step[ActionInput]) -> None:
    _within_window(petition, petition.reviewed_at, step.now, _("re-review"))
    petition.rereview_requested_at = step.now
    deadlines.start(petition, Status.UNDER_REREVIEW, step.now)


def _answer_rereview(petition: Petition, step: Step[ActionInput]) -> dict:
    petition.rereviewed_at = step.now
    return _decision(petition, step, Status.REREVIEWED)


HANDLERS = {
    Action.ROUTE: _route, Action.ACCEPT: _accept, Action.NOT_ACCEPT: _stop(Status.NOT_ACCEPTED),
    Action.EXTEND: _extend, Action.REPLY: _reply, Action.REQUEST_REVIEW: _request_review,
    Action.ANSWER_REVIEW: _answer_review, Action.REQUEST_REREVIEW: _request_rereview,
    Action.ANSWER_REREVIEW: _answer_rereview, Action.CLOSE: _stop(Status.CLOSED),
}


def _office(handler):
    """An office action: only the petition office may take it (the handling unit may not)."""
    def checked(petition: Petition, step: Step[ActionInput]):
        policies.require_office(step.actor, petition)
        return handler(petition, step)
    return checked


HANDLERS = {action: (_office(h) if action in _OFFICE_ACTIONS else h) for action, h in HANDLERS.items()}


def _authorize(actor, petition: Petition) -> None:
    policies.require_handle(actor, petition)


def _refused_message(petition: Petition, action: str) -> str:
    return _("Petition %(number)s is %(status)s; it cannot be given the action %(action)s.") % {
        "number": petition.number, "status": petition.get_status_display(), "action": action}


def _clean_reason(reason: str, rule: Rule, action: str) -> str:
    reason = (reason or "").strip()
    if rule.reason_required and not reason:
        raise ValidationFailed(_("Give the reason for %(action)s; the petitioner is told it.") % {"action": action},
                               details={"reason": [_("This field is required.")]})
    return _text("reason", reason, limit=2000)


WORKFLOW = workflow.Workflow(
    label="petitions", model=Petition, rules=RULES, handlers=HANDLERS, transition_model=Transition,
    transition_fk="petition", authorize=_authorize, snapshot=_snapshot, refused_message=_refused_message,
    clean_reason=_clean_reason, timeline_fields=lambda petition, moved: {"details": _timeline_details(moved)})


def _timeline_details(moved) -> dict:
    """The action's details, and whether it ended its stage within the limit that was running (the on-time
    rates per stage are counted from these)."""
    details = {k: (v.isoformat() if isinstance(v, dt.datetime | dt.date) else v) for k, v in moved.details.items()}
    due = moved.before.get("deadline_at")
    if due is not None and moved.action != Action.EXTEND:
        details["due"], details["on_time"] = due.isoformat(), moved.step.now <= due
    return details


def transition(*, actor, petition: Petition, action: str, reason: str = "", organization=None, handler=None,
               days: int = 0, approver: str = "", outcome: str = "", texts: dict | None = None,
               at: dt.datetime | None = None) -> Petition:
    """Move the petition by one action of RULES. Office actions need the petition office."""
    params = ActionInput(organization=organization, handler=handler, days=days, approver=approver,
                         outcome=outcome, texts=texts or {})
    return workflow.move(WORKFLOW, actor=actor, record=petition, action=action, reason=reason, params=params, at=at)


# ---------------------------------------------------------------- backlog cases


@transaction.atomic
def backlog_case_open(*, actor, division, year: int, title: str, leader: str, target_on: dt.date, plan: str = "",
                      major: bool = False, petitions: list[Petition] = ()) -> BacklogCase:
    """Mark a petition (or several by the same people on the same matter) as a backlog case."""
    policies.require_register(actor, division)
    case = BacklogCase(year=year, title=_text("title", title, required=True, limit=200),
                       leader=_text("leader", leader, required=True, limit=60), target_on=target_on,
                       plan=_text("plan", plan), major=major)
    case.attach_to(division)
    full_clean(case, exclude=["division", "county", "township", "village", "grid", "petitions"])
    case.save()
    if petitions:
        case.petitions.set(petitions)
    audit.record(actor=actor, action="petitions.backlog_open", obj=case,
                 after={"year": year, "title": case.title, "leader": case.leader,
                        "petitions": [p.number for p in petitions]})
    return case


@transaction.atomic
def backlog_case_resolve(*, actor, case: BacklogCase, closed_on: dt.date | None = None,
                         pledged_on: dt.date | None = None, pledge_document=None, progress: str = "") -> BacklogCase:
    """Record the outcome of a backlog case: closed (结案) and/or a signed withdrawal pledge (承诺息访)."""
    case = BacklogCase.objects.select_for_update().select_related("division").get(pk=case.pk)
    policies.require_register(actor, case.division)
    before = {"closed_on": case.closed_on, "pledged_on": case.pledged_on}
    for name, day in (("closed_on", closed_on), ("pledged_on", pledged_on)):
        if day is not None and day > clock.today():
            raise ValidationFailed(_("The date cannot be in the future."), details={name: [day.isoformat()]})
    if pledged_on is not None and pledge_document is None and not case.pledge_document:
        raise ValidationFailed(_("Upload the signed withdrawal pledge."),
                               details={"pledge_document": [_("This field is required.")]})
    if closed_on is not None:
        case.closed_on = closed_on
    if pledged_on is not None:
        case.pledged_on = pledged_on
    if pledge_document is not None:
        case.pledge_document = pledge_document
    if progress:
        case.progress = _text("progress", progress)
    full_clean(case, exclude=["division", "county", "township", "village", "grid", "petitions"])
    case.save()
    audit.record(actor=actor, action="petitions.backlog_resolve", obj=case, before=before,
                 after={"closed_on": case.closed_on, "pledged_on": case.pledged_on})
    return case
