"""Contact days (民情沟通日) and no-meeting days (无会日): services and selectors.

The seed's rhythm: on the 10th of every month township cadres go out to the villages of their township
(the township-village contact day, attached to the township); on the 20th county leaders and
departments, joined by the legal liaison (police, judges, lawyers), take up what the townships could
not solve (the county-township contact day, attached to the county). On its contact day a level holds
no meetings: townships none on the 10th, the county none on the 20th.

The date rule, when the 10th or the 20th is not a working day (`scheduled_day`):

- on a weekend the contact day KEEPS its date. The seed fixes the days ("every month on the 10th /
  20th") so that the people know when cadres come; cadres work that Saturday, as they do on the
  make-up working days. The plan says so in its notes, and the pages mark the day as a weekend.
- in a public holiday (the working-day calendar names it: Spring Festival, National Day ...) it MOVES
  to the first working day after the holiday: the people are at home for the festival, not waiting for
  cadres, and the county office cannot ask every township to work through the Spring Festival. The
  plan's notes say where it moved from and why.

The no-meeting day follows the contact day: a moved 10th makes its new date the townships' no-meeting
day and frees the holiday. Every module asks `meeting_allowed(level, day)`; nothing else spells the rule.

Writes follow the house rules (keyword-only, a required `actor`, a policy check, `transaction.atomic`,
`full_clean()`, an audit event). Reads are scoped: see `contact_day_list_visible_to`.
"""
from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass, field

import django_filters as filters
from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuanglian.access.roles import VIEW_ASSIGNED_MATTERS, VIEW_MATTERS
from shuanglian.access.scope import scope_for
from shuanglian.core import audit, clock
from shuanglian.core.calendar import WorkCalendar, work_calendar
from shuanglian.core.exceptions import Conflict, ValidationFailed, full_clean
from shuanglian.core.filtersets import FilterSet
from shuanglian.core.scoped import get_visible
from shuanglian.divisions.choices import Level as DivisionLevel
from shuanglian.divisions.filtersets import WithinFilter, within_q
from shuanglian.divisions.filtersets import visibility_q as scoped_visibility_q
from shuanglian.divisions.models import Division
from shuanglian.divisions.scope import Scope

from . import policies
from .choices import (
    CONTACT_DAY_OF_MONTH,
    LEGAL_LIAISON_ROLES,
    OPEN_STATUSES,
    AttendeeRole,
    ContactDayKind,
    Level,
    Source,
)
from .models import ContactDay, ContactDayAttendee, ContactDayVisit, Matter

# The level whose contact day each kind is, and the other way round.
KIND_OF_LEVEL = {DivisionLevel.TOWNSHIP: ContactDayKind.TOWNSHIP_VILLAGE,
                 DivisionLevel.COUNTY: ContactDayKind.COUNTY_TOWNSHIP}
LEVEL_OF_KIND = {kind: level for level, kind in KIND_OF_LEVEL.items()}
# Who takes part in the 20th besides the county: the legal liaison, and the department that sends each.
LEGAL_LIAISON_FUNCTIONS = {AttendeeRole.POLICE: "public_security", AttendeeRole.JUDGE: "court",
                           AttendeeRole.LAWYER: "justice"}
MAX_NAME = 60
MAX_VISITORS = 300
MAX_TEXT = 5000


# ---------------------------------------------------------------- the date rule


@dataclass(frozen=True)
class ScheduledDay:
    """Where one month's contact day of one kind falls, and why there."""

    kind: str
    nominal: dt.date  # the 10th or the 20th
    date: dt.date  # the day it is held: the nominal day, or the first working day after a holiday
    weekend: bool = False  # kept on a weekend
    holiday: str = ""  # the holiday it moved out of

    @property
    def moved(self) -> bool:
        return self.date != self.nominal

    @property
    def label(self) -> str:
        return str(ContactDayKind(self.kind).label)

    def note(self) -> str:
        """What the plan tells the planner about this date; empty on an ordinary working day."""
        kind = ContactDayKind(self.kind).label
        if self.moved:
            return _("The %(nominal)s falls in the %(holiday)s holiday: the %(kind)s contact day moves to "
                     "%(date)s, the first working day after it.") % {
                "nominal": date_format(self.nominal), "holiday": _(self.holiday), "kind": kind,
                "date": date_format(self.date)}
        if self.weekend:
            return _("%(date)s is a %(weekday)s: the %(kind)s contact day keeps its date, which the people know; "
                     "the cadres on duty work that day.") % {
                "date": date_format(self.date), "weekday": date_format(self.date, "l"), "kind": kind}
        return ""


def scheduled_day(kind: str, year: int, month: int, calendar: WorkCalendar | None = None) -> ScheduledDay:
    """The date rule (see the module's docstring): the nominal day, kept on a weekend, moved out of a holiday."""
    calendar = calendar or work_calendar(years=range(year, year + 1))
    nominal = dt.date(year, month, CONTACT_DAY_OF_MONTH[kind])
    if calendar.is_working_day(nominal):
        return ScheduledDay(kind, nominal, nominal)
    special = calendar.days.get(nominal)
    if special is None:  # an ordinary weekend
        return ScheduledDay(kind, nominal, nominal, weekend=True)
    moved = calendar.add_working_days(nominal, 1)
    return ScheduledDay(kind, nominal, moved, holiday=special[1])


def scheduled_month(year: int, month: int, calendar: WorkCalendar | None = None) -> dict[str, ScheduledDay]:
    calendar = calendar or work_calendar(years=range(year, year + 1))
    return {kind: scheduled_day(kind, year, month, calendar) for kind in ContactDayKind.values}


NO_MEETING_REASONS = {
    ContactDayKind.TOWNSHIP_VILLAGE: gettext_lazy(
        "%(date)s is the township–village contact day: township cadres are in the villages, so townships "
        "hold no meetings."),
    ContactDayKind.COUNTY_TOWNSHIP: gettext_lazy(
        "%(date)s is the county–township contact day: county leaders and departments take up what the "
        "townships could not solve, so the county holds no meetings."),
}
MOVED_REASON = gettext_lazy("This month it was moved from the %(nominal)s (%(holiday)s).")
LEVELS_WITH_NO_MEETING_DAYS = {DivisionLevel.TOWNSHIP, DivisionLevel.COUNTY}


def meeting_allowed(level: str, day: dt.date, *, calendar: WorkCalendar | None = None) -> tuple[bool, str]:
    """May a division of `level` hold a meeting on `day`? Returns (allowed, reason), the reason translated.

    No for a township on the month's township-village contact day (the 10th, or where a holiday moved
    it), no for the county on the county-township contact day (the 20th, likewise); yes otherwise. Villages
    and grids have no no-meeting day: on the 10th they receive the township's cadres. Pass `calendar`
    (core.calendar.work_calendar()) when asking about many days, to save its one query each time.
    """
    if level not in DivisionLevel.values:
        raise ValidationFailed(_("Unknown level %(value)s.") % {"value": level},
                               details={"level": [_("Choose one of: %(values)s.")
                                                  % {"values": ", ".join(DivisionLevel.values)}]})
    kind = KIND_OF_LEVEL.get(level)
    if kind is not None:
        sched = scheduled_day(kind, day.year, day.month, calendar)
        if sched.date == day:
            reason = NO_MEETING_REASONS[kind] % {"date": date_format(day)}
            if sched.moved:
                reason = f"{reason} {MOVED_REASON % {'nominal': date_format(sched.nominal), 'holiday': _(sched.holiday)}}"
            return False, reason
    return True, _("%(date)s is not a no-meeting day for a %(level)s: meetings may be held.") % {
        "date": date_format(day), "level": DivisionLevel(level).label}


def expected_legal_liaison(day: ContactDay) -> list[str]:
    """The attendee roles the 20th expects besides the county's own: police, judges, lawyers."""
    return list(LEGAL_LIAISON_ROLES) if day.kind == ContactDayKind.COUNTY_TOWNSHIP else []


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
    from .services import matter_report  # the matter workflow's one entry

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


# ---------------------------------------------------------------- reads


def _ancestor_ids(codes: list[str]) -> list[int]:
    """Ids of the current county and township divisions above (or at) these codes."""
    wanted = {code[:n] for code in codes for n in (6, 9) if len(code) >= n}
    if not wanted:
        return []
    return list(Division.objects.current().filter(code__in=wanted,
                                                  level__in=[DivisionLevel.COUNTY, DivisionLevel.TOWNSHIP])
                .values_list("pk", flat=True))


def visibility_q(user) -> Q | None:
    """Contact days a user may see; None for none.

    - those in the subtree their matter grants cover (a township cadre: the township's 10ths; the
      county office: every day of the county);
    - those of the divisions above them (a village cadre sees the 10th of the township whose cadres
      come to the village, and the county's 20th; a township cadre sees the 20th it escalates to);
    - those of the division an organization of theirs serves (a county department's member sees the
      20th their department attends).
    """
    if user is None:
        return Q()
    divisions: Scope = scope_for(user, VIEW_MATTERS, via_organizations=False)
    if divisions.everything:
        return Q()
    served = scope_for(user, VIEW_ASSIGNED_MATTERS)
    ancestors = _ancestor_ids(divisions.codes)
    served_ids = [served.ids[c] for c in served.codes]
    above = sorted({*ancestors, *served_ids})
    return scoped_visibility_q(divisions, extra=Q(division_id__in=above) if above else None)


def _count(model, **filters):
    rows = (model.objects.filter(contact_day=OuterRef("pk"), **filters).order_by()
            .values("contact_day").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def with_counts(queryset: QuerySet[ContactDay]) -> QuerySet[ContactDay]:
    """Attendees listed and present, visits logged, households they saw and matters raised: subqueries,
    so one query for any number of days."""
    households = (ContactDayVisit.objects.filter(contact_day=OuterRef("pk")).order_by().values("contact_day")
                  .annotate(n=Sum("households_visited")).values("n"))
    return queryset.annotate(
        attendee_count=_count(ContactDayAttendee), attended_count=_count(ContactDayAttendee, attended=True),
        legal_attended_count=_count(ContactDayAttendee, attended=True, role__in=LEGAL_LIAISON_ROLES),
        visit_count=_count(ContactDayVisit), matter_count=_count(Matter),
        households_visited=Coalesce(Subquery(households, output_field=IntegerField()), Value(0)))


def contact_day_list_visible_to(user) -> QuerySet[ContactDay]:
    q = visibility_q(user)
    if q is None:
        return ContactDay.objects.none()
    return ContactDay.objects.filter(q).select_related("division").order_by("-date", "division__code_key")


def contact_day_get_for_user(user, pk) -> ContactDay:
    return get_visible(contact_day_list_visible_to(user).select_related("division__parent", "county"), pk,
                       what="contact day")


def contact_day_attendees(day: ContactDay) -> QuerySet[ContactDayAttendee]:
    return day.attendees.select_related("organization").order_by("role", "name", "pk")


def contact_day_visits(day: ContactDay) -> QuerySet[ContactDayVisit]:
    return day.visits.select_related("village").order_by("village__code", "pk")


def contact_day_matters(user, day: ContactDay) -> QuerySet[Matter]:
    """The matters of a contact day that the user may see: those raised there or sent to it (a township
    escalating to the county links the matter to the next 20th); and, on a county-township day not yet
    held, every open matter held at the county level of its county, which is the 20th's agenda."""
    from .selectors import matter_list_visible_to

    q = Q(contact_day=day)
    if day.kind == ContactDayKind.COUNTY_TOWNSHIP and not day.held:
        q |= Q(level=Level.COUNTY, county_id=day.county_id, status__in=OPEN_STATUSES)
    return matter_list_visible_to(user).filter(q).order_by("reported_at", "pk")


def legal_liaison(day: ContactDay, attendees) -> list[dict]:
    """For a county-township day: each legal liaison role expected, who is listed and whether they came."""
    rows = []
    for role in expected_legal_liaison(day):
        listed = [a for a in attendees if a.role == role]
        rows.append({"role": role, "label": AttendeeRole(role).label, "listed": listed,
                     "attended": any(a.attended for a in listed)})
    return rows


@dataclass
class CalendarDay:
    date: dt.date
    working: bool
    describe: str
    no_meeting: list[str]  # levels
    scheduled: list[ScheduledDay]  # contact days that fall here
    in_month: bool = True


def month_calendar(year: int, month: int, calendar: WorkCalendar | None = None) -> list[list[CalendarDay]]:
    """The month as weeks (Monday first), each day with its working status, no-meeting levels and the
    contact days the rule puts there. No query beyond the calendar's own."""
    calendar = calendar or work_calendar(years=range(year, year + 1))
    sched = scheduled_month(year, month, calendar)
    weeks = []
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        row = []
        for day in week:
            here = [s for s in sched.values() if s.date == day] if day.month == month else []
            row.append(CalendarDay(date=day, working=calendar.is_working_day(day), describe=calendar.describe(day),
                                   no_meeting=[LEVEL_OF_KIND[s.kind] for s in here], scheduled=here,
                                   in_month=day.month == month))
        weeks.append(row)
    return weeks


def contact_days_in_month(user, year: int, month: int, *, within: Division | None = None) -> QuerySet[ContactDay]:
    """The month's contact days the user may see (optionally within a division), with their counts."""
    first = dt.date(year, month, 1)
    after = dt.date(year + month // 12, month % 12 + 1, 1)
    qs = contact_day_list_visible_to(user).filter(date__gte=first, date__lt=after)
    if within is not None:
        qs = qs.filter(within_q(within))
    return with_counts(qs).order_by("date", "division__code_key")


# ---------------------------------------------------------------- filtering (API and pages)


def parse_month(value: str) -> tuple[int, int] | None:
    """"2010-03" -> (2010, 3); None when it is not a month."""
    try:
        year, month = (int(part) for part in (value or "").strip().split("-"))
        dt.date(year, month, 1)
    except (TypeError, ValueError):
        return None
    return year, month


class ContactDayFilterSet(FilterSet):
    kind = filters.ChoiceFilter(choices=ContactDayKind.choices)
    month = filters.CharFilter(method="filter_month", label="month (YYYY-MM)")
    within = WithinFilter()
    held = filters.BooleanFilter()

    class Meta:
        model = ContactDay
        fields = ["kind", "held"]

    def filter_month(self, queryset, name, value):
        found = parse_month(value)
        if found is None:
            return queryset.none()
        year, month = found
        return queryset.filter(date__gte=dt.date(year, month, 1),
                               date__lt=dt.date(year + month // 12, month % 12 + 1, 1))
