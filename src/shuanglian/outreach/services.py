"""Contact days and household visits: the writes (planning the month, attendance, village visits on the
day, matters raised, holding it; recording a household visit and the matters raised there).

Writes follow the house rules (keyword-only, a required `actor`, a policy check, `transaction.atomic`,
`full_clean()`, an audit event). The date rule is in schedule.py, reads in selectors.py.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shuanglian.archives.models import Household
from shuanglian.core import audit, clock
from shuanglian.core.calendar import work_calendar
from shuanglian.core.exceptions import Conflict, ValidationFailed, full_clean
from shuanglian.divisions.choices import Level as DivisionLevel
from shuanglian.divisions.models import Division
from shuanglian.matters.choices import Source
from shuanglian.matters.models import Matter
from shuanglian.matters.services import matter_report  # the matter workflow's one entry

from . import policies
from .choices import AttendeeRole, ContactDayKind
from .models import ContactDay, ContactDayAttendee, ContactDayVisit, Visit
from .schedule import KIND_OF_LEVEL, expected_legal_liaison, scheduled_day, scheduled_month

MAX_NAME = 60
MAX_VISITORS = 300
MAX_TEXT = 5000


MAX_NAMES = 200
MAX_NOTES = 5000


# ---------------------------------------------------------------- planning


@dataclass
class MonthPlan:
    """What contact_days_plan did: the month's days (new or already there), and notes on their dates."""

    year: int
    month: int
    days: list[ContactDay] = field(default_factory=list)
    created: list[ContactDay] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def expected_legal_liaison(self) -> list[str]:
        roles = []
        for day in self.days:
            roles += [r for r in expected_legal_liaison(day) if r not in roles]
        return roles


def _checked_month(year, month) -> tuple[int, int]:
    try:
        year, month = int(year), int(month)
        dt.date(year, month, 1)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Give a year and a month (1-12)."), details={"month": [str(month)]}) from None
    if not 2000 <= year <= 2100:
        raise ValidationFailed(_("Give a year between 2000 and 2100."), details={"year": [str(year)]})
    return year, month


def _snapshot(day: ContactDay) -> dict:
    return {"division": day.division.code, "kind": day.kind, "date": day.date.isoformat(), "held": day.held,
            "summary": day.summary}


@transaction.atomic
def contact_days_plan(*, actor, division: Division, year: int, month: int, townships: bool = False,
                      agenda: str = "") -> MonthPlan:
    """Create a month's contact day for a township (its 10th) or the county (its 20th). Idempotent: a day
    of that kind already planned in that month is kept, and a race ends on the unique constraint with
    the one row. With `townships=True` planning at a county also plans each current township's 10th."""
    year, month = _checked_month(year, month)
    if division is None or division.retired_on is not None or division.level not in KIND_OF_LEVEL:
        raise ValidationFailed(_("Contact days are planned for a township (the 10th) or the county (the 20th)."),
                               details={"division": [getattr(division, "code", "")]})
    policies.require_plan_contact_days(actor, division)
    targets = [division]
    if townships and division.level == DivisionLevel.COUNTY:
        targets += list(division.children.current().filter(level=DivisionLevel.TOWNSHIP).order_by("code"))
    calendar = work_calendar(years=range(year, year + 1))
    plan = MonthPlan(year, month)
    for kind, sched in scheduled_month(year, month, calendar).items():
        if any(KIND_OF_LEVEL[t.level] == kind for t in targets) and sched.note():
            plan.notes.append(sched.note())
    first = dt.date(year, month, 1)
    after = dt.date(year + month // 12, month % 12 + 1, 1)
    for target in targets:
        kind = KIND_OF_LEVEL[target.level]
        sched = scheduled_day(kind, year, month, calendar)
        existing = (ContactDay.objects.filter(division=target, kind=kind, date__gte=first, date__lt=after)
                    .select_related("division").first())
        if existing is None:
            existing, created = _create_day(actor=actor, division=target, kind=kind, date=sched.date, agenda=agenda)
            if created:
                plan.created.append(existing)
        elif existing.date != sched.date:
            plan.notes.append(_("%(division)s's contact day was already planned on %(date)s; it is kept.")
                              % {"division": target.name, "date": date_format(existing.date)})
        plan.days.append(existing)
    return plan


def _create_day(*, actor, division, kind, date, agenda) -> tuple[ContactDay, bool]:
    day = ContactDay(kind=kind, date=date, agenda=_text(agenda, MAX_TEXT, "agenda"),
                     created_by=actor if getattr(actor, "pk", None) else None)
    day.attach_to(division)
    full_clean(day, validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():  # a savepoint: losing the race leaves the outer transaction usable
            day.save()
    except IntegrityError:
        return ContactDay.objects.select_related("division").get(division=division, kind=kind, date=date), False
    audit.record(actor=actor, action="matters.contact_day_plan", obj=day, after=_snapshot(day))
    return day, True


# ---------------------------------------------------------------- attendance, visits, matters, holding


def _locked(day: ContactDay) -> ContactDay:
    """The day's row, locked until the transaction ends: writes to one day go one at a time."""
    return ContactDay.objects.select_for_update(of=("self",)).select_related("division").get(pk=day.pk)


def _require_past(day: ContactDay, what: str) -> None:
    if day.date > clock.today():
        raise ValidationFailed(_("The contact day of %(date)s has not come yet: %(what)s on the day or after it.")
                               % {"date": date_format(day.date), "what": what}, code="not_yet",
                               details={"date": [day.date.isoformat()]})


def _text(value, limit: int, field_name: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(_("This field is required: %(field)s.") % {"field": field_name},
                               details={field_name: [_("This field is required.")]})
    if len(value) > limit:
        raise ValidationFailed(_("%(field)s is too long (at most %(n)d characters).")
                               % {"field": field_name, "n": limit}, details={field_name: [_("Too long.")]})
    return value


def _attendee_snapshot(a: ContactDayAttendee) -> dict:
    return {"name": a.name, "role": a.role, "organization": a.organization_id, "user": a.user_id,
            "attended": a.attended}


@transaction.atomic
def contact_day_attendee_add(*, actor, contact_day: ContactDay, name: str = "", role: str = AttendeeRole.CADRE,
                             user=None, organization=None, attended: bool = False) -> ContactDayAttendee:
    """List someone for a contact day (invited beforehand, or present on the day: `attended=True`)."""
    policies.require_plan_contact_days(actor, contact_day.division)
    day = _locked(contact_day)
    if role not in AttendeeRole.values:
        raise ValidationFailed(_("Unknown role %(value)s.") % {"value": role}, details={"role": [role]})
    name = _text(name or (user.display_name if user is not None else ""), MAX_NAME, "name", required=True)
    if organization is not None:
        org_code, day_code = organization.division.code, day.division.code
        if not organization.is_active or not (day_code.startswith(org_code) or org_code.startswith(day_code)):
            raise ValidationFailed(_("%(name)s does not serve %(division)s.")
                                   % {"name": organization.name, "division": day.division.name},
                                   details={"organization": [organization.pk]})
    if attended:
        _require_past(day, _("attendance is recorded"))
    listed = day.attendees.filter(Q(user=user) if user is not None else Q(user__isnull=True, name=name, role=role))
    if listed.exists():
        raise Conflict(_("%(name)s is already listed for this contact day.") % {"name": name},
                       code="already_listed", details={"name": [name]})
    attendee = ContactDayAttendee(contact_day=day, user=user, name=name, role=role, organization=organization,
                                  attended=bool(attended))
    full_clean(attendee)
    attendee.save()
    audit.record(actor=actor, action="matters.contact_day_attendee_add", obj=day,
                 after=_attendee_snapshot(attendee))
    return attendee


@transaction.atomic
def contact_day_attendance_mark(*, actor, attendee: ContactDayAttendee, attended: bool = True) -> ContactDayAttendee:
    """Tick (or untick) whether a listed attendee came."""
    day = attendee.contact_day
    policies.require_plan_contact_days(actor, day.division)
    day = _locked(day)
    attendee = ContactDayAttendee.objects.select_for_update().get(pk=attendee.pk, contact_day=day)
    if attended:
        _require_past(day, _("attendance is recorded"))
    before = attendee.attended
    if before != bool(attended):
        attendee.attended = bool(attended)
        attendee.save(update_fields=["attended"])
        audit.record(actor=actor, action="matters.contact_day_attendance", obj=day,
                     before={"name": attendee.name, "attended": before},
                     after={"name": attendee.name, "attended": attendee.attended})
    return attendee


@transaction.atomic
def contact_day_visit_add(*, actor, contact_day: ContactDay, village: Division, visitors: str, notes: str = "",
                          households_visited: int = 0) -> ContactDayVisit:
    """Log a visit made on a township-village contact day: which cadres went to which of its villages."""
    policies.require_plan_contact_days(actor, contact_day.division)
    day = _locked(contact_day)
    if day.kind != ContactDayKind.TOWNSHIP_VILLAGE:
        raise ValidationFailed(_("Visits to villages are logged on a township–village contact day (the 10th)."),
                               code="wrong_kind", details={"kind": [day.kind]})
    if village is None or village.level != DivisionLevel.VILLAGE or village.retired_on is not None \
            or village.parent_id != day.division_id:
        raise ValidationFailed(_("Choose a current village of %(township)s.") % {"township": day.division.name},
                               details={"village": [getattr(village, "code", "")]})
    _require_past(day, _("visits are logged"))
    try:
        households_visited = int(households_visited or 0)
    except (TypeError, ValueError):
        households_visited = -1
    if not 0 <= households_visited <= 10_000:
        raise ValidationFailed(_("Households visited is a number from 0 to 10,000."),
                               details={"households_visited": [str(households_visited)]})
    visit = ContactDayVisit(contact_day=day, village=village,
                            visitors=_text(visitors, MAX_VISITORS, "visitors", required=True),
                            notes=_text(notes, MAX_TEXT, "notes"), households_visited=households_visited)
    full_clean(visit)
    visit.save()
    audit.record(actor=actor, action="matters.contact_day_visit_add", obj=day,
                 after={"village": village.code, "visitors": visit.visitors,
                        "households_visited": households_visited})
    return visit


def contact_day_matter_raise(*, actor, contact_day: ContactDay, grid: Division, type: str, title: str,
                             description: str = "", household=None, category=None, raised_by_name: str = "",
                             raised_by_phone: str = "") -> Matter:
    """A matter raised on the spot on a contact day: recorded at its grid with source "contact_day" and
    linked to the day. The matter service decides who may report it there (403)."""

    with transaction.atomic():
        day = contact_day
        if grid is None or not grid.code.startswith(day.division.code):
            raise ValidationFailed(_("The grid must lie in %(division)s.") % {"division": day.division.name},
                                   details={"grid": [getattr(grid, "code", "")]})
        _require_past(day, _("matters are raised"))
        return matter_report(actor=actor, grid=grid, type=type, source=Source.CONTACT_DAY, title=title,
                             description=description, category=category, household=household,
                             raised_by_name=raised_by_name, raised_by_phone=raised_by_phone, contact_day=day)


@transaction.atomic
def contact_day_hold(*, actor, contact_day: ContactDay, summary: str) -> ContactDay:
    """Mark a contact day held, with its summary. Holding it again corrects the summary."""
    policies.require_plan_contact_days(actor, contact_day.division)
    day = _locked(contact_day)
    _require_past(day, _("it is marked held"))
    summary = _text(summary, MAX_TEXT, "summary", required=True)
    before = _snapshot(day)
    day.held, day.summary = True, summary
    full_clean(day, validate_unique=False, validate_constraints=False)
    day.save(update_fields=["held", "summary"])
    audit.record(actor=actor, action="matters.contact_day_hold", obj=day, before=before, after=_snapshot(day))
    return day


# ---------------------------------------------------------------- writes


def _visit_snapshot(visit: Visit) -> dict:
    return {"household": visit.household.number, "grid": visit.grid.code if visit.grid_id else None,
            "visited_on": visit.visited_on.isoformat(), "visitor_names": visit.visitor_names}


@transaction.atomic
def visit_record(*, actor, household: Household, visited_on: dt.date, notes: str = "",
                 visitor_names: str = "") -> Visit:
    """Record a visit to a household, attached to the household's grid. Needs matters.record_visits where
    the household is (403); the date may not lie in the future."""
    if household is None or not household.is_active:
        raise ValidationFailed(_("Choose a household on the archives."), details={"household": [_("Required.")]})
    policies.require_record_visit(actor, household)
    if not isinstance(visited_on, dt.date) or isinstance(visited_on, dt.datetime):
        raise ValidationFailed(_("Give the date of the visit."), details={"visited_on": [str(visited_on)]})
    if visited_on > clock.today():
        raise ValidationFailed(_("A visit cannot be recorded for a day that has not come (%(date)s).")
                               % {"date": date_format(visited_on)}, code="future_date",
                               details={"visited_on": [_("Not in the future.")]})
    if household.grid_id is None:
        raise ValidationFailed(_("Household %(number)s is not in a grid.") % {"number": household.number},
                               details={"household": [household.pk]})
    names = (visitor_names or "").strip() or (actor.display_name if getattr(actor, "pk", None) else "")
    if len(names) > MAX_NAMES:
        raise ValidationFailed(_("The visitors' names are too long (at most %(n)d characters).") % {"n": MAX_NAMES},
                               details={"visitor_names": [_("Too long.")]})
    notes = (notes or "").strip()
    if len(notes) > MAX_NOTES:
        raise ValidationFailed(_("The notes are too long (at most %(n)d characters).") % {"n": MAX_NOTES},
                               details={"notes": [_("Too long.")]})
    visit = Visit(household=household, visited_on=visited_on, notes=notes, visitor_names=names,
                  visitor=actor if getattr(actor, "pk", None) else None)
    visit.attach_to(household.grid)
    full_clean(visit)
    visit.save()
    audit.record(actor=actor, action="matters.visit_record", obj=visit, object_repr=f"{household.number}",
                 after=_visit_snapshot(visit))
    return visit


def visit_matter_raise(*, actor, visit: Visit, type: str, title: str, description: str = "", category=None,
                       persons=(), raised_by_name: str = "", raised_by_phone: str = "") -> Matter:
    """A matter the household raised at a visit: recorded at the household's grid, source "visit",
    linked to the visit. The matter service decides who may report it there (403)."""

    household = visit.household
    return matter_report(actor=actor, grid=household.grid, type=type, source=Source.VISIT, title=title,
                         description=description, category=category, household=household, persons=persons,
                         raised_by_name=raised_by_name, raised_by_phone=raised_by_phone, visit=visit)
