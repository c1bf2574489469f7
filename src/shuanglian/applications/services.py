"""Writes of the full-process service. An application is created by accepting it (a receipt number and a
promised date in working days); every later step goes through transition(), which checks the one
transitions table, writes a transition row and an audit event."""
from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuanglian.core import audit, clock, deadlines, workflow
from shuanglian.core.calendar import WorkCalendar, end_of_day, work_calendar
from shuanglian.core.exceptions import Conflict, PermissionDenied, ValidationFailed, full_clean
from shuanglian.core.workflow import IllegalTransition, Moved, Rule, Step
from shuanglian.divisions.choices import Level as DivisionLevel
from shuanglian.organizations.choices import OrganizationKind

from . import deadlines as clocks
from . import policies, selectors
from .choices import CLOSED_STATUSES, AcceptedAt, Action, NotifiedBy, PointKind, Satisfaction, Status
from .models import (
    Application,
    Complaint,
    ServiceItem,
    ServicePoint,
    StaffPosting,
    Transition,
)

if TYPE_CHECKING:
    from shuanglian.accounts.models import User
    from shuanglian.organizations.models import Organization

__all__ = ["IllegalTransition", "TRANSITIONS", "transition", "application_accept", "allowed_actions"]


_OPEN = frozenset({Status.ACCEPTED, Status.FORWARDED, Status.HANDLING})

# The one transitions table. `accept` creates the application (application_accept); it has no source.
TRANSITIONS: dict[str, Rule] = {
    Action.ACCEPT: Rule(frozenset(), Status.ACCEPTED),
    Action.FORWARD: Rule(frozenset({Status.ACCEPTED}), Status.FORWARDED),
    Action.HANDLE: Rule(frozenset({Status.ACCEPTED, Status.FORWARDED}), Status.HANDLING),
    Action.REQUEST_MATERIALS: Rule(_OPEN, Status.AWAITING_MATERIALS),
    Action.MATERIALS_RECEIVED: Rule(frozenset({Status.AWAITING_MATERIALS}), None),
    Action.REPLY: Rule(frozenset({Status.HANDLING}), Status.REPLIED),
    Action.REFUSE: Rule(_OPEN, Status.REFUSED, reason_required=True),
    Action.RETURN: Rule(_OPEN | {Status.AWAITING_MATERIALS}, Status.RETURNED, reason_required=True),
}
_MAX_TEXT = 2000


@dataclass(frozen=True)
class ApplicationInput:
    """What the actions of an application take besides the reason (each handler reads its own)."""

    missing: tuple[str, ...] = ()
    result: str = ""
    notified_by: str = ""
    satisfaction: str = ""
    department: Organization | None = None
    handler: User | None = None


def allowed_actions(application: Application) -> list[str]:
    """What the status allows (the table, narrowed by _narrow)."""
    return WORKFLOW.allowed_actions(application)


def _narrow(application: Application, actions: list[str]) -> list[str]:
    """An agent point forwards to its center before anyone handles it; a center has nothing to forward to."""
    at_agent = application.point.kind == PointKind.AGENT_POINT
    if application.status == Status.ACCEPTED:
        actions = [a for a in actions if a != (Action.HANDLE if at_agent else Action.FORWARD)]
    return actions


def _snapshot(app: Application) -> dict:
    return {"status": app.status, "promised_date": app.promised_date.isoformat() if app.promised_date else None,
            "point": app.point_id, "department": app.department_id}


def _text(value: str, field: str, *, required: bool, message: str) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(message, details={field: [_("This field is required.")]})
    if len(value) > _MAX_TEXT:
        raise ValidationFailed(_("%(field)s is too long.") % {"field": field}, details={field: [_("Too long.")]})
    return value


# ---------------------------------------------------------------- catalog and points


def _new_point(*, division, kind: str, name: str, organization=None, center=None, opening_hours: str = "",
               phone: str = "", address: str = "") -> ServicePoint:
    """A point checked against where it may serve (not saved): a center at a township, an agent point at a
    village forwarding to its township's center (found when not given)."""
    expected = DivisionLevel.TOWNSHIP if kind == PointKind.CENTER else DivisionLevel.VILLAGE
    if kind not in PointKind.values or division.level != expected:
        raise ValidationFailed(_("A service center serves a township and an agent point a village."),
                               details={"division": [division.code]})
    if kind == PointKind.AGENT_POINT:
        if center is None:
            center = ServicePoint.objects.filter(kind=PointKind.CENTER, division_id=division.parent_id,
                                                 is_active=True).first()
        if center is None or center.kind != PointKind.CENTER or center.division_id != division.parent_id:
            raise ValidationFailed(_("An agent point forwards to the service center of its township."),
                                   details={"center": [_("Create the township's service center first.")]})
    else:
        center = None
        if organization is not None and organization.kind != OrganizationKind.SERVICE_CENTER:
            raise ValidationFailed(_("%(name)s is not a service center.") % {"name": organization.name},
                                   details={"organization": [organization.pk]})
    point = ServicePoint(kind=kind, name=name.strip(), organization=organization, center=center,
                         opening_hours=opening_hours, phone=phone, address=address)
    point.attach_to(division)
    return point


def _point_key(point: ServicePoint) -> tuple:
    """What must be unique among active points: one center per township; agent points by name in a village
    (a second one at a merged village's old office needs its own name)."""
    return (point.division_id, point.kind, "" if point.kind == PointKind.CENTER else point.name)


def _point_taken(point: ServicePoint) -> ValidationFailed:
    if point.kind == PointKind.CENTER:
        return ValidationFailed(_("%(division)s already has a service center.") % {"division": point.division.name},
                                details={"division": [point.division.code]})
    return ValidationFailed(_("%(division)s already has an agent point named %(name)s.")
                            % {"division": point.division.name, "name": point.name}, details={"name": [point.name]})


@transaction.atomic
def service_point_create(*, actor, division, kind: str, name: str, organization=None, center=None,
                         opening_hours: str = "", phone: str = "", address: str = "") -> ServicePoint:
    """A service center at a township, or an agent point at a village forwarding to its township's center."""
    policies.require_manage_catalog(actor)
    point = _new_point(division=division, kind=kind, name=name, organization=organization, center=center,
                       opening_hours=opening_hours, phone=phone, address=address)
    same = ServicePoint.objects.filter(division=division, kind=kind, is_active=True)
    if point.kind == PointKind.AGENT_POINT:
        same = same.filter(name=point.name)
    if same.exists():
        raise _point_taken(point)
    full_clean(point, validate_constraints=False)
    try:
        with transaction.atomic():
            point.save()
    except IntegrityError:
        raise _point_taken(point) from None  # a concurrent create won
    audit.record(actor=actor, action="services.point_create", obj=point,
                 after={"kind": kind, "name": point.name, "division": division.code})
    return point


_RELATIONS = ["division", "county", "township", "village", "grid", "organization", "center"]


def _clean(row, exclude: list[str], message: str) -> None:
    """The field checks of full_clean without a query per foreign key (the loader checks those itself)."""
    try:
        row.clean_fields(exclude=exclude)
    except DjangoValidationError as exc:
        raise ValidationFailed(message, details=exc.message_dict) from None


@transaction.atomic
def service_points_load(*, actor, points: list[dict], staff: list[dict]) -> list[ServicePoint]:
    """Many points and their staff at once (a county's first setup, the demo): service_point_create's and
    staff_post's rules for every row, written in bulk with one audit event; nothing is written if a row is
    refused. A point is a dict of service_point_create's arguments (an agent point without `center` gets its
    township's, from this set or recorded); a staff row one of staff_post's, its `point` an index into
    `points`. Answers the points in the order given."""
    policies.require_manage_catalog(actor)
    centers = {p.division_id: p for p in ServicePoint.objects.filter(kind=PointKind.CENTER, is_active=True)}
    made: list[ServicePoint] = [None] * len(points)
    for agents in (False, True):  # centers first: agent points need their ids
        batch, keys = [], set()
        for i, spec in enumerate(points):
            if (spec.get("kind") == PointKind.AGENT_POINT) != agents:
                continue
            if agents and spec.get("center") is None:
                spec = {**spec, "center": centers.get(spec["division"].parent_id)}
            point = _new_point(**spec)
            _clean(point, _RELATIONS, _("Point %(n)s is not valid.") % {"n": i + 1})
            if _point_key(point) in keys:
                raise _point_taken(point)
            keys.add(_point_key(point))
            batch.append(point)
            made[i] = point
        recorded = ServicePoint.objects.filter(is_active=True, division_id__in={p.division_id for p in batch})
        for key in set(map(_point_key, recorded)) & keys:
            raise _point_taken(next(p for p in batch if _point_key(p) == key))
        ServicePoint.objects.bulk_create(batch)
        centers.update({p.division_id: p for p in batch if not agents})
    rows = []
    for i, spec in enumerate(staff):
        row = StaffPosting(point=made[spec["point"]], user=spec.get("user"), name=spec.get("name", "").strip(),
                           position=spec.get("position", "").strip(), photo=spec.get("photo", ""),
                           full_time=spec.get("full_time", True))
        _clean(row, ["point", "user"], _("Staff row %(n)s is not valid.") % {"n": i + 1})
        rows.append(row)
    StaffPosting.objects.bulk_create(rows, batch_size=2000)
    centers_made = sum(p.kind == PointKind.CENTER for p in made)
    audit.record(actor=actor, action="services.points_load", object_type="services.servicepoint",
                 object_repr=f"{len(made)} points", after={"centers": centers_made,
                                                           "agent_points": len(made) - centers_made,
                                                           "staff": len(rows)})
    return made


@transaction.atomic
def staff_post(*, actor, point: ServicePoint, name: str, position: str, user=None, photo: str = "",
               full_time: bool = True) -> StaffPosting:
    policies.require_manage_catalog(actor)
    row = StaffPosting(point=point, user=user, name=name.strip(), position=position.strip(), photo=photo,
                       full_time=full_time)
    full_clean(row)
    row.save()
    audit.record(actor=actor, action="services.staff_post", obj=row,
                 after={"point": point.pk, "name": row.name, "position": row.position})
    return row


def _check_limits(legal_days, promised_days):
    if promised_days is None or legal_days is None or promised_days < 1 or promised_days > legal_days:
        raise ValidationFailed(_("The promised time limit must be at least 1 working day and never longer than the "
                                 "legal one."), details={"promised_days": [promised_days], "legal_days": [legal_days]})


@transaction.atomic
def service_item_create(*, actor, code: str, name: str, department, legal_days: int, promised_days: int,
                        conditions: str = "", materials=(), steps=(), fees: str = "",
                        accepted_at: str = AcceptedAt.ANY) -> ServiceItem:
    policies.require_manage_catalog(actor)
    _check_limits(legal_days, promised_days)
    if department.kind != OrganizationKind.DEPARTMENT:
        raise ValidationFailed(_("%(name)s is not a department.") % {"name": department.name},
                               details={"department": [department.pk]})
    item = ServiceItem(code=code.strip(), name=name.strip(), department=department, legal_days=legal_days,
                       promised_days=promised_days, conditions=conditions, materials=list(materials),
                       steps=list(steps), fees=fees, accepted_at=accepted_at)
    full_clean(item)
    item.save()
    audit.record(actor=actor, action="services.item_create", obj=item,
                 after={"code": item.code, "legal_days": legal_days, "promised_days": promised_days})
    return item


_ITEM_FIELDS = {"name", "conditions", "materials", "steps", "legal_days", "promised_days", "fees", "accepted_at",
                "is_active", "department"}


@transaction.atomic
def service_item_update(*, actor, item: ServiceItem, **changes) -> ServiceItem:
    policies.require_manage_catalog(actor)
    unknown = set(changes) - _ITEM_FIELDS
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    before = {k: getattr(item, k if k != "department" else "department_id") for k in changes}
    for key, value in changes.items():
        setattr(item, key, value)
    _check_limits(item.legal_days, item.promised_days)
    full_clean(item)
    item.save()
    audit.record(actor=actor, action="services.item_update", obj=item, before=before,
                 after={k: getattr(item, k if k != "department" else "department_id") for k in changes})
    return item


# ---------------------------------------------------------------- applications


# Crockford's base32 without the letters read as digits or each other (I L O U): easy to read out and type.
RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_RANDOM_CHARS = 8  # 40 random bits: no receipt number can be found from another


def next_receipt_no(year: int) -> str:
    """A new receipt number of the year, e.g. 2026-7KQ4-M2XD: the year, then random characters in two groups
    of four (not a sequence, so a receipt number tells nothing of the others and cannot be walked). Unique
    by the column's constraint; drawn again on the rare clash with an existing one."""
    for _attempt in range(5):
        number = receipt_no(year, secrets.choice)
        if not Application.objects.filter(receipt_no=number).exists():
            return number
    raise RuntimeError("no free receipt number after 5 draws")  # pragma: no cover - 2**40 numbers a year


def receipt_no(year: int, choice) -> str:
    """A receipt number of the year with characters drawn by `choice` (secrets.choice; the demo's seeded one)."""
    chars = "".join(choice(RECEIPT_ALPHABET) for _i in range(RECEIPT_RANDOM_CHARS))
    return f"{year}-{chars[:4]}-{chars[4:]}"


def promised_date_for(item: ServiceItem, accepted_at: dt.datetime, calendar: WorkCalendar | None = None) -> dt.date:
    """The promised working days counted from the day of acceptance (not itself counted): the day the
    core deadline engine's clock runs out."""
    return timezone.localdate(deadlines.deadline(accepted_at, item.promised_days, deadlines.WORKING_DAYS,
                                                 calendar=calendar))


@transaction.atomic
def application_accept(*, actor, item: ServiceItem, point: ServicePoint, applicant_name: str,
                       applicant_phone: str = "", at: dt.datetime | None = None) -> Application:
    """Accept an application at a center, or at an agent point on the person's behalf (代办): the receipt
    number and the promised date are issued at once, the clock starting at acceptance."""
    if not item.is_active:
        raise ValidationFailed(_("%(item)s is no longer offered.") % {"item": item.name}, details={"item": [item.pk]})
    if not point.is_active:
        raise ValidationFailed(_("%(point)s is closed.") % {"point": point.name}, details={"point": [point.pk]})
    policies.require_accept_at(actor, point)
    if point.kind == PointKind.AGENT_POINT and item.accepted_at == AcceptedAt.CENTER:
        raise ValidationFailed(_("%(item)s is accepted only at a service center.") % {"item": item.name},
                               details={"point": [point.pk]})
    name = _text(applicant_name, "applicant_name", required=True, message=_("Give the applicant's name."))
    now = at or clock.now()
    center = point if point.kind == PointKind.CENTER else point.center
    app = Application(receipt_no=next_receipt_no(timezone.localtime(now).year), item=item, point=point,
                      center=center, applicant_name=name, applicant_phone=applicant_phone or "",
                      status=Status.ACCEPTED, accepted_at=now, promised_date=promised_date_for(item, now))
    clocks.set_clock(app, now)
    app.attach_to(point.division)
    full_clean(app, exclude=["applicant_phone", "receipt_no"])
    app.save()
    Transition.objects.create(application=app, action=Action.ACCEPT, from_status="", to_status=Status.ACCEPTED,
                              actor=actor if getattr(actor, "pk", None) else None,
                              actor_label=audit.actor_label(actor), at=now,
                              details={"point": point.name, "promised_date": app.promised_date.isoformat()})
    audit.record(actor=actor, action="services.accept", obj=app, after=_snapshot(app))
    return app


def transition(*, actor, application: Application, action: str, reason: str = "", missing: Sequence[str] = (),
               result: str = "", notified_by: str = "", satisfaction: str = "",
               department: Organization | None = None, handler: User | None = None,
               at: dt.datetime | None = None) -> Application:
    """Move an application by one action of TRANSITIONS (through the core workflow engine);
    IllegalTransition (409) when its status does not allow it, PermissionDenied (403) when the actor does
    not serve where it is."""
    params = ApplicationInput(missing=tuple(missing or ()), result=result, notified_by=notified_by,
                              satisfaction=satisfaction, department=department, handler=handler)
    return workflow.move(WORKFLOW, actor=actor, record=application, action=action, reason=reason, at=at,
                         params=params)


def _clean_reason(reason: str, rule: Rule, action: str) -> str:
    return _text(reason, "reason", required=rule.reason_required,
                 message=_("Give a reason to %(action)s this application.") % {"action": Action(action).label})


def _refused_message(app: Application, action: str) -> str:
    return (_("An application that is %(status)s cannot be %(action)s.")
            % {"status": app.get_status_display(), "action": Action(action).label})


def _settle(app: Application, step: Step[ApplicationInput]) -> None:
    """A closing step stops the clock: was the promise kept?"""
    if app.status in CLOSED_STATUSES:
        app.closed_at = step.now
        app.on_time = timezone.localdate(step.now) <= app.promised_date


def _timeline_fields(app: Application, moved: Moved) -> dict:
    """The row keeps the handler's details; a reply shows its result."""
    return {"details": moved.details, "reason": app.result if moved.action == Action.REPLY else moved.step.reason}


def _forward(app: Application, step: Step[ApplicationInput]) -> dict:
    return {"to": app.center.name}


def _handle(app: Application, step: Step[ApplicationInput]) -> dict:
    actor, handler = step.actor, step.params.handler
    department = step.params.department or app.item.department
    if department.kind != OrganizationKind.DEPARTMENT:
        raise ValidationFailed(_("%(name)s is not a department.") % {"name": department.name},
                               details={"department": [department.pk]})
    if handler is not None and handler.pk not in dict(selectors.handler_choices(app)):
        # The page offers only these; the API is held to the same list here.
        raise ValidationFailed(
            _("%(name)s cannot handle this application: name staff on duty at its point or center, or a member "
              "of its item's department.") % {"name": handler.display_name}, details={"handler": [handler.pk]})
    app.department = department
    app.handler = handler if handler is not None else (actor if getattr(actor, "pk", None) else None)
    return {"department": department.name}


def _request_materials(app: Application, step: Step[ApplicationInput]) -> dict:
    missing = [str(m).strip() for m in step.params.missing if str(m).strip()]
    if not missing:
        raise ValidationFailed(_("List every missing material at once (one-time notice)."),
                               details={"missing": [_("This field is required.")]})
    app.missing_materials = missing
    app.resume_status = app.status
    app.suspended_at = step.now
    return {"missing": missing}


def _materials_received(app: Application, step: Step[ApplicationInput]) -> dict:
    now = step.now
    calendar = work_calendar()
    waited = calendar.working_days_between(timezone.localdate(app.suspended_at), timezone.localdate(now))
    # Waiting for the applicant stops the clock: the promise moves by the working days it stood still.
    app.promised_date = timezone.localdate(deadlines.extend(end_of_day(app.promised_date), deadlines.WORKING_DAYS,
                                                            app.suspended_at, now, calendar=calendar))
    app.suspended_days += waited
    app.status, app.resume_status, app.suspended_at = app.resume_status, "", None
    clocks.set_clock(app, now, calendar=calendar)
    return {"waited_working_days": waited, "promised_date": app.promised_date.isoformat()}


def _reply(app: Application, step: Step[ApplicationInput]) -> dict:
    result, notified_by, satisfaction = step.params.result, step.params.notified_by, step.params.satisfaction
    app.result = _text(result, "result", required=True, message=_("Give the result of the application."))
    if notified_by not in NotifiedBy.values:
        raise ValidationFailed(_("Say how the applicant was told."), details={"notified_by": NotifiedBy.values})
    if satisfaction and satisfaction not in Satisfaction.values:
        raise ValidationFailed(_("Unknown satisfaction %(value)s.") % {"value": satisfaction},
                               details={"satisfaction": Satisfaction.values})
    app.notified_by, app.satisfaction = notified_by, satisfaction or ""
    return {"notified_by": notified_by, "satisfaction": satisfaction}


def _close(app: Application, step: Step[ApplicationInput]) -> dict:
    return {}


_HANDLERS = {
    Action.FORWARD: _forward,
    Action.HANDLE: _handle,
    Action.REQUEST_MATERIALS: _request_materials,
    Action.MATERIALS_RECEIVED: _materials_received,
    Action.REPLY: _reply,
    Action.REFUSE: _close,
    Action.RETURN: _close,
}

WORKFLOW: workflow.Workflow[Application, ApplicationInput] = workflow.Workflow(
    label="services", model=Application, rules=TRANSITIONS, handlers=_HANDLERS, transition_model=Transition,
    transition_fk="application", authorize=policies.require_act, snapshot=_snapshot,
    refused_message=_refused_message, clean_reason=_clean_reason, related=("item", "point", "center", "department"),
    narrow=_narrow, settle=_settle, timeline_fields=_timeline_fields)


# ---------------------------------------------------------------- complaints


@transaction.atomic
def complaint_record(*, actor, application: Application, text: str, at: dt.datetime | None = None) -> Complaint:
    """Record a complaint against an application: whoever may see the application may record one."""
    from . import selectors

    if actor is not None and not selectors.application_list_visible_to(actor).filter(pk=application.pk).exists():
        raise PermissionDenied(_("You may not record complaints about this application."))
    text = _text(text, "text", required=True, message=_("Say what the complaint is."))
    row = Complaint.objects.create(application=application, text=text, received_at=at or clock.now(),
                                   recorded_by=actor if getattr(actor, "pk", None) else None,
                                   recorded_by_label=audit.actor_label(actor))
    audit.record(actor=actor, action="services.complaint_record", obj=application,
                 after={"complaint": row.pk})
    return row


@transaction.atomic
def complaint_resolve(*, actor, complaint: Complaint, resolution: str, at: dt.datetime | None = None) -> Complaint:
    complaint = Complaint.objects.select_for_update().select_related("application__point",
                                                                     "application__center").get(pk=complaint.pk)
    policies.require_act(actor, complaint.application)
    if complaint.resolved_at is not None:
        raise Conflict(_("This complaint is already resolved."))
    complaint.resolution = _text(resolution, "resolution", required=True, message=_("Say how it was resolved."))
    complaint.resolved_at = at or clock.now()
    complaint.save()
    audit.record(actor=actor, action="services.complaint_resolve", obj=complaint.application,
                 after={"complaint": complaint.pk})
    return complaint
