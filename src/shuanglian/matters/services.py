"""Writes to matters. Every state change goes through transition(): it checks the transitions table,
moves the clock, writes the timeline row and the audit event, and notifies after commit."""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuanglian.core import audit, clock, workflow
from shuanglian.core.exceptions import Conflict, ValidationFailed, full_clean
from shuanglian.core.workflow import IllegalTransition, Moved, Rule, Step
from shuanglian.divisions.choices import Level as DivisionLevel
from shuanglian.notifications.services import notify
from shuanglian.organizations.choices import OrganizationKind

from . import deadlines, policies, recipients
from .choices import LEVEL_ORDER, Action, Card, Level, MatterType, Satisfaction, Source, Stage, Status
from .links import links
from .models import Category, Matter, Supervision, TimeLimit, Transition
from .recipients import matter_url

if TYPE_CHECKING:
    from shuanglian.accounts.models import User
    from shuanglian.organizations.models import Organization

__all__ = ["IllegalTransition", "TRANSITIONS", "WORKFLOW", "allowed_actions", "transition", "matter_act"]


_WORKING = frozenset({Status.REPORTED, Status.ACCEPTED, Status.HANDLING})

# The one transitions table. An action not listed for the current status is refused (409).
TRANSITIONS: dict[str, Rule] = {
    Action.ACCEPT: Rule(frozenset({Status.REPORTED}), Status.ACCEPTED),
    Action.ASSIGN: Rule(frozenset({Status.ACCEPTED, Status.HANDLING}), Status.HANDLING),
    Action.ESCALATE: Rule(_WORKING, Status.REPORTED, reason_required=True),
    Action.SEND_BACK: Rule(_WORKING, Status.ACCEPTED, reason_required=True),
    Action.RESOLVE: Rule(frozenset({Status.ACCEPTED, Status.HANDLING}), Status.RESOLVED),
    Action.FOLLOW_UP: Rule(frozenset({Status.RESOLVED}), Status.FOLLOWED_UP),
    Action.CLOSE: Rule(frozenset({Status.FOLLOWED_UP}), Status.CLOSED),
    Action.REOPEN: Rule(frozenset({Status.FOLLOWED_UP, Status.CLOSED}), Status.ACCEPTED, reason_required=True),
    Action.SUSPEND: Rule(_WORKING, Status.SUSPENDED, reason_required=True),
    Action.RESUME: Rule(frozenset({Status.SUSPENDED}), None),
}

# The stage whose clock runs in each status.
STAGE_OF = {Status.REPORTED: Stage.ACCEPT, Status.ACCEPTED: Stage.HANDLE, Status.HANDLING: Stage.HANDLE,
            Status.RESOLVED: Stage.FOLLOW_UP, Status.FOLLOWED_UP: "", Status.CLOSED: ""}

ACTION_VERBS = {a.value: a.label for a in Action}
_MAX_REASON = 2000


@dataclass(frozen=True)
class MatterInput:
    """What the actions of a matter take besides the reason (each handler reads its own)."""

    user: User | None = None
    organization: Organization | None = None
    result: str = ""
    satisfaction: str = ""


def _narrow(matter: Matter, actions: list[str]) -> list[str]:
    """Nothing above a department to escalate to, nothing below a grid to send back to."""
    if matter.level == Level.DEPARTMENT:
        actions = [a for a in actions if a != Action.ESCALATE]
    if matter.level == Level.GRID:
        actions = [a for a in actions if a != Action.SEND_BACK]
    return actions


def allowed_actions(matter: Matter) -> list[str]:
    """What the current status allows (the table), before any check of who asks."""
    return WORKFLOW.allowed_actions(matter)


def _label(user) -> str:
    return audit.actor_label(user)


def holder_label(matter: Matter) -> str:
    if matter.holder_user_id:
        return matter.holder_user.display_name
    if matter.holder_organization_id:
        return matter.holder_organization.name
    division = policies.holding_division(matter)
    return division.name if division is not None else ""


def _snapshot(matter: Matter) -> dict:
    return {"status": matter.status, "level": matter.level, "holder": holder_label(matter),
            "deadline": matter.deadline_at.isoformat() if matter.deadline_at else None}


def _clean_reason(reason: str, rule: Rule, action: str) -> str:
    reason = (reason or "").strip()
    if rule.reason_required and not reason:
        raise ValidationFailed(_("Give a reason to %(action)s this matter.") % {"action": ACTION_VERBS[action]},
                               details={"reason": [_("This field is required.")]})
    if len(reason) > _MAX_REASON:
        raise ValidationFailed(_("The reason is too long (at most %(n)d characters).") % {"n": _MAX_REASON},
                               details={"reason": [_("Too long.")]})
    return reason


# ---------------------------------------------------------------- report


def _next_number(matter: Matter) -> str:
    return f"{timezone.localtime(matter.reported_at).year}{matter.pk:08d}"


@transaction.atomic
def matter_report(*, actor, grid, type: str, source: str, title: str, description: str = "", category=None,
                  household=None, persons=(), raised_by_name: str = "", raised_by_phone: str = "",
                  contact_day=None, visit=None, reported_at: dt.datetime | None = None) -> Matter:
    """Record a new matter at its grid (one form per matter); the grid's clock to accept it starts."""
    if grid is None or grid.level != DivisionLevel.GRID or grid.retired_on is not None:
        raise ValidationFailed(_("A matter is recorded at a current grid."), details={"grid": [_("Choose a grid.")]})
    policies.require_report(actor, grid)
    if type not in MatterType.values:
        raise ValidationFailed(_("Unknown matter type %(value)s.") % {"value": type}, details={"type": [type]})
    if source not in Source.values:
        raise ValidationFailed(_("Unknown source %(value)s.") % {"value": source}, details={"source": [source]})
    title = (title or "").strip()
    if not title:
        raise ValidationFailed(_("A matter needs a title."), details={"title": [_("This field is required.")]})
    if category is not None:
        if isinstance(category, str):
            category = Category.objects.filter(code=category, is_active=True).first() or _no_category(category)
        if category.type != type:
            raise ValidationFailed(_("Category %(category)s is not a category of %(type)s matters.")
                                   % {"category": category.name, "type": MatterType(type).label},
                                   details={"category": [category.code]})
    if household is not None and household.grid_id != grid.pk:
        raise ValidationFailed(_("Household %(number)s is not in grid %(grid)s.")
                               % {"number": household.number, "grid": grid.name}, details={"household": [household.pk]})
    if contact_day is not None and not (contact_day.division.code_key <= grid.code_key
                                        <= contact_day.division.code_key_upper):
        # A matter is raised on a contact day of the grid's own township or county, where its reporter
        # reports: a day of another area is refused, as out of the reporter's scope.
        raise ValidationFailed(_("That contact day is not held for grid %(grid)s.") % {"grid": grid.name},
                               details={"contact_day": [contact_day.pk]})
    persons = list(persons)
    for person in persons:
        if household is not None and person.household_id != household.pk:
            raise ValidationFailed(_("%(name)s is not a member of that household.") % {"name": person.name},
                                   details={"persons": [person.pk]})
    now = reported_at or clock.now()
    matter = Matter(type=type, source=source, title=title, description=description or "", category=category,
                    household=household, raised_by_name=raised_by_name or "", raised_by_phone=raised_by_phone or "",
                    contact_day=contact_day, visit=visit, status=Status.REPORTED, level=Level.GRID,
                    reported_by=actor if getattr(actor, "pk", None) else None, reported_at=now,
                    number=f"new-{uuid.uuid4().hex[:16]}")
    matter.attach_to(grid)
    deadlines.start_stage(matter, Stage.ACCEPT, now)
    full_clean(matter, exclude=["number", "raised_by_phone"])
    matter.save()
    matter.number = _next_number(matter)
    Matter.objects.filter(pk=matter.pk).update(number=matter.number)
    if persons:
        matter.persons.set(persons)
    Transition.objects.create(matter=matter, action=Action.REPORT, from_status="", to_status=Status.REPORTED,
                              from_level="", to_level=Level.GRID, actor=matter.reported_by, actor_label=_label(actor),
                              holder_label=holder_label(matter), reason="", at=now)
    audit.record(actor=actor, action="matters.report", obj=matter, after=_snapshot(matter))
    _notify_holders(matter, _("New matter %(number)s: %(title)s"), kind="matter.new")
    return matter


def _no_category(code):
    raise ValidationFailed(_("Unknown category %(value)s.") % {"value": code}, details={"category": [code]})


# ---------------------------------------------------------------- the one transition function


def transition(*, actor, matter: Matter, action: str, reason: str = "", user: User | None = None,
               organization: Organization | None = None, result: str = "", satisfaction: str = "",
               at: dt.datetime | None = None) -> Matter:
    """Move a matter by one action of TRANSITIONS (through the core workflow engine). Raises
    IllegalTransition (409) when the current status does not allow it, PermissionDenied when the actor
    may not act where it is held."""
    return workflow.move(WORKFLOW, actor=actor, record=matter, action=action, reason=reason, at=at,
                         params=MatterInput(user=user, organization=organization, result=result,
                                            satisfaction=satisfaction))


def _enter(matter: Matter, status: str, now: dt.datetime, *, restart: bool = True) -> None:
    matter.status = status
    stage = STAGE_OF[status]
    if restart or stage != matter.stage:
        deadlines.start_stage(matter, stage, now)


def _accept(matter: Matter, step: Step[MatterInput]) -> None:
    matter.accepted_at = matter.accepted_at or step.now
    _enter(matter, Status.ACCEPTED, step.now)


def _assign(matter: Matter, step: Step[MatterInput]) -> None:
    user, organization, now = step.params.user, step.params.organization, step.now
    if user is None and organization is None:
        raise ValidationFailed(_("Assign the matter to a person or an organization."),
                               details={"user": [_("Choose who handles it.")]})
    if user is not None:
        probe = Matter(level=matter.level, holder_user=None, holder_organization=matter.holder_organization,
                       grid=matter.grid, village=matter.village, township=matter.township, county=matter.county)
        if not policies.may_handle(user, probe):
            raise ValidationFailed(_("%(name)s does not serve where this matter is held.")
                                   % {"name": user.display_name}, details={"user": [user.pk]})
        matter.holder_user = user
    if organization is not None:
        _check_serves(organization, matter)
        matter.holder_organization = organization
        if user is None:
            matter.holder_user = None
    # Reassigning within the level keeps the clock running.
    _enter(matter, Status.HANDLING, now, restart=matter.status != Status.HANDLING and matter.stage != Stage.HANDLE)


def _check_serves(organization, matter):
    """An organization may hold a matter of the county it serves (or of a county beneath it)."""
    org_code, county_code = organization.division.code, matter.county.code if matter.county else ""
    if not organization.is_active or not (org_code.startswith(county_code) or county_code.startswith(org_code)):
        raise ValidationFailed(_("%(name)s does not serve this matter's county.") % {"name": organization.name},
                               details={"organization": [organization.pk]})


def _escalate(matter: Matter, step: Step[MatterInput]) -> None:
    organization, now = step.params.organization, step.now
    target = LEVEL_ORDER[LEVEL_ORDER.index(matter.level) + 1]
    matter.holder_user = None
    if target == Level.DEPARTMENT:
        if organization is None or organization.kind != OrganizationKind.DEPARTMENT:
            raise ValidationFailed(_("Name the department the matter goes to."),
                                   details={"organization": [_("Choose a department.")]})
        _check_serves(organization, matter)
        matter.holder_organization = organization
    elif target == Level.COUNTY:
        # What a township cannot solve goes to the county's contact-day office, for the 20th.
        matter.holder_organization = recipients.contact_day_office(matter)
        if matter.county_id is not None:
            matter.contact_day = (links().next_county_contact_day(matter.county_id, timezone.localdate(now))
                                  or matter.contact_day)
    else:
        matter.holder_organization = None
    matter.level = target
    _enter(matter, Status.REPORTED, now)


def _send_back(matter: Matter, step: Step[MatterInput]) -> None:
    now = step.now
    target = LEVEL_ORDER[LEVEL_ORDER.index(matter.level) - 1]
    matter.holder_user = None
    matter.holder_organization = recipients.contact_day_office(matter) if target == Level.COUNTY else None
    matter.level = target
    _enter(matter, Status.ACCEPTED, now)


def _resolve(matter: Matter, step: Step[MatterInput]) -> None:
    result, now = (step.params.result or "").strip(), step.now
    if not result:
        raise ValidationFailed(_("Say how the matter was resolved."), details={"result": [_("This field is required.")]})
    matter.result = result
    matter.resolved_at = now
    _enter(matter, Status.RESOLVED, now)


def _follow_up(matter: Matter, step: Step[MatterInput]) -> None:
    satisfaction = step.params.satisfaction
    if satisfaction not in Satisfaction.values:
        raise ValidationFailed(_("Record whether the person is satisfied."),
                               details={"satisfaction": [_("Choose one of: %(values)s.")
                                                         % {"values": ", ".join(Satisfaction.values)}]})
    matter.satisfaction = satisfaction
    _enter(matter, Status.FOLLOWED_UP, step.now)


def _close(matter: Matter, step: Step[MatterInput]) -> None:
    if matter.satisfaction == Satisfaction.UNSATISFIED and not step.reason:
        raise ValidationFailed(_("The person was not satisfied: reopen the matter, or give a reason to close it."),
                               details={"reason": [_("This field is required.")]})
    matter.closed_at = step.now
    _enter(matter, Status.CLOSED, step.now)


def _reopen(matter: Matter, step: Step[MatterInput]) -> None:
    matter.reopened += 1
    matter.closed_at = None
    matter.resolved_at = None
    matter.satisfaction = ""
    _enter(matter, Status.ACCEPTED, step.now)


def _suspend(matter: Matter, step: Step[MatterInput]) -> None:
    matter.resume_status = matter.status
    matter.status = Status.SUSPENDED
    matter.suspended_at = step.now


def _resume(matter: Matter, step: Step[MatterInput]) -> None:
    now = step.now
    deadlines.extend_after_pause(matter, matter.suspended_at, now)
    matter.status = matter.resume_status or Status.ACCEPTED
    matter.resume_status = ""
    matter.suspended_at = None
    matter.deadline_state = deadlines.state_at(matter, now)


_HANDLERS = {Action.ACCEPT: _accept, Action.ASSIGN: _assign, Action.ESCALATE: _escalate,
             Action.SEND_BACK: _send_back, Action.RESOLVE: _resolve, Action.FOLLOW_UP: _follow_up,
             Action.CLOSE: _close, Action.REOPEN: _reopen, Action.SUSPEND: _suspend, Action.RESUME: _resume}


def _timeline_fields(matter: Matter, moved: Moved) -> dict:
    """The matter's timeline row also says the levels and who holds it; a resolution shows its result."""
    return {"from_level": moved.before["level"], "to_level": matter.level, "holder_label": holder_label(matter),
            "reason": moved.step.reason or moved.step.params.result}


def _refused_message(matter: Matter, action: str) -> str:
    return (_("A matter that is %(status)s cannot be %(action)s here.")
            % {"status": matter.get_status_display(), "action": ACTION_VERBS[action]})


_TOLD_TO_REPORTER = {
    Action.ACCEPT: gettext_lazy("Matter %(number)s was accepted by %(holder)s"),
    Action.ASSIGN: gettext_lazy("Matter %(number)s was assigned to %(holder)s"),
    Action.ESCALATE: gettext_lazy("Matter %(number)s was sent up to %(holder)s"),
}


def _after(matter: Matter, moved: Moved) -> None:
    action = moved.action
    if action in (Action.ESCALATE, Action.SEND_BACK, Action.ASSIGN, Action.REOPEN):
        _notify_holders(matter, _("Matter %(number)s is now with you: %(title)s"), kind=f"matter.{action}")
    reporter = matter.reported_by_id
    if action in _TOLD_TO_REPORTER and reporter and reporter != getattr(moved.step.actor, "pk", None):
        # The grid worker who reported it follows it up the levels: who took it, and where it went.
        notify(recipients=[reporter], kind=f"matter.{action}.reporter",
               title=_TOLD_TO_REPORTER[action] % {"number": matter.number, "holder": holder_label(matter)},
               url=matter_url(matter), obj=matter)
    if action == Action.RESOLVE:
        # Whoever sent it up learns the result.
        notify(recipients=[matter.reported_by_id], kind="matter.resolve",
               title=_("Matter %(number)s was resolved") % {"number": matter.number}, url=matter_url(matter),
               obj=matter)


def _notify_holders(matter: Matter, template: str, *, kind: str) -> None:
    users = recipients.holders(matter)
    notify(recipients=users, kind=kind, title=template % {"number": matter.number, "title": matter.title},
           url=matter_url(matter), obj=matter)


WORKFLOW: workflow.Workflow[Matter, MatterInput] = workflow.Workflow(
    label="matters", model=Matter, rules=TRANSITIONS, handlers=_HANDLERS, transition_model=Transition,
    transition_fk="matter", authorize=policies.require_handle, snapshot=_snapshot,
    refused_message=_refused_message, clean_reason=_clean_reason,
    related=("holder_user", "holder_organization", "grid", "village", "township", "county"),
    narrow=_narrow, refused_details=lambda matter: {"level": matter.level},
    timeline_fields=_timeline_fields, after=_after)


# ---------------------------------------------------------------- the API's and pages' one entry


def matter_act(*, actor, matter: Matter, action: str, reason: str = "", user: User | None = None,
               organization: Organization | None = None, result: str = "", satisfaction: str = "") -> Matter:
    return transition(actor=actor, matter=matter, action=action, reason=reason, user=user,
                      organization=organization, result=result, satisfaction=satisfaction)


@transaction.atomic
def matter_supervise(*, actor, matter: Matter, note: str) -> Supervision:
    """Ordinary supervision (督办) ordered by a supervisor: the holders are told to act."""
    policies.require_supervise(actor, matter)
    note = (note or "").strip()
    if not note:
        raise ValidationFailed(_("Say what the holders are to do."), details={"note": [_("This field is required.")]})
    if matter.status == Status.CLOSED:
        raise IllegalTransition(_("A closed matter cannot be supervised."), details={"status": matter.status})
    row = Supervision.objects.create(matter=matter, card=Card.ORDINARY, cycle=matter.cycle, stage=matter.stage,
                                     level=matter.level, deadline_at=matter.deadline_at, note=note,
                                     raised_by=actor if getattr(actor, "pk", None) else None, raised_at=clock.now())
    if not matter.supervision:
        Matter.objects.filter(pk=matter.pk, supervision="").update(supervision=Card.ORDINARY)
    audit.record(actor=actor, action="matters.supervise", obj=matter, after={"card": Card.ORDINARY, "note": note})
    _notify_holders(matter, _("Supervision of matter %(number)s: %(title)s"), kind="matter.supervise")
    return row


# ---------------------------------------------------------------- configuration (the county office)


@transaction.atomic
def time_limit_set(*, actor, level: str, type: str, stage: str, amount: int, unit: str, warn_before: int) -> TimeLimit:
    """Set one cell of the time-limit table. Running matters keep the deadline they started with."""
    policies.require_configure(actor)
    if warn_before >= amount:
        raise ValidationFailed(_("The yellow warning must come before the deadline: less than %(n)d.")
                               % {"n": amount}, details={"warn_before": [warn_before]})
    before = deadlines.limit_for(level, type, stage)
    row, _created = TimeLimit.objects.update_or_create(
        level=level, type=type, stage=stage, defaults={"amount": amount, "unit": unit, "warn_before": warn_before})
    full_clean(row)
    audit.record(actor=actor, action="matters.time_limit_set", obj=row,
                 before={"amount": before.amount, "unit": before.unit, "warn_before": before.warn_before},
                 after={"amount": amount, "unit": unit, "warn_before": warn_before})
    return row


@transaction.atomic
def category_create(*, actor, type: str, code: str, name: str, position: int = 100) -> Category:
    policies.require_configure(actor)
    if Category.objects.filter(code=code).exists():
        raise Conflict(_("A category with code %(code)s exists.") % {"code": code}, details={"code": [code]})
    _require_category_name_free(type=type, name=name)
    category = Category(type=type, code=code, name=name, position=position)
    full_clean(category)
    category.save()
    audit.record(actor=actor, action="matters.category_create", obj=category,
                 after={"type": type, "code": code, "name": name})
    return category


def _require_category_name_free(*, type: str, name: str, other_than: int | None = None) -> None:
    """One name per type (the table's constraint), refused with a message on the name field."""
    if Category.objects.filter(type=type, name=name).exclude(pk=other_than).exists():
        # 400 as the API's serializer answers for the same constraint (a ModelSerializer checks it first).
        raise ValidationFailed(_("A %(type)s category named %(name)s exists.")
                               % {"type": MatterType(type).label, "name": name}, details={"name": [name]})


@transaction.atomic
def category_update(*, actor, category: Category, **fields) -> Category:
    policies.require_configure(actor)
    before = {f: getattr(category, f) for f in fields}
    for name, value in fields.items():
        if name not in ("name", "position", "is_active"):
            raise ValidationFailed(_("%(field)s cannot be changed.") % {"field": name}, details={name: [value]})
        setattr(category, name, value)
    if "name" in fields:
        _require_category_name_free(type=category.type, name=category.name, other_than=category.pk)
    full_clean(category)
    category.save()
    audit.record(actor=actor, action="matters.category_update", obj=category, before=before, after=fields)
    return category


DEFAULT_CATEGORIES = [
    (MatterType.DEMAND, "roads", "道路交通"), (MatterType.DEMAND, "water", "饮水水利"),
    (MatterType.DEMAND, "livelihood", "生活困难"), (MatterType.DEMAND, "social_security", "社保医保"),
    (MatterType.DISPUTE, "neighbour", "邻里纠纷"), (MatterType.DISPUTE, "family", "婚姻家庭"),
    (MatterType.DISPUTE, "land", "土地山林"), (MatterType.DISPUTE, "wages", "劳资纠纷"),
    (MatterType.DISPUTE, "contract", "合同债务"), (MatterType.HAZARD, "fire", "消防安全"),
    (MatterType.HAZARD, "geology", "地质灾害"), (MatterType.HAZARD, "traffic", "交通安全"),
    (MatterType.HAZARD, "street_lights", "路灯照明"), (MatterType.HAZARD, "road_damage", "道路破损"),
    (MatterType.HAZARD, "water_supply", "供水故障"),
    (MatterType.SUGGESTION, "village_affairs", "村务管理"), (MatterType.SUGGESTION, "development", "产业发展"),
    (MatterType.OTHER, "other", "其他"),
]


def ensure_default_categories() -> None:
    """Create the default categories that are missing (idempotent; for a fresh install and the demo)."""
    have = set(Category.objects.values_list("code", flat=True))
    Category.objects.bulk_create([Category(type=t, code=c, name=n, position=i * 10)
                                  for i, (t, c, n) in enumerate(DEFAULT_CATEGORIES) if c not in have])
