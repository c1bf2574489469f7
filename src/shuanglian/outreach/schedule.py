"""The contact-day calendar: when the 10th and the 20th fall, and the no-meeting days (无会日).

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

"""
from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuanglian.core.calendar import WorkCalendar, work_calendar
from shuanglian.core.exceptions import ValidationFailed
from shuanglian.divisions.choices import Level as DivisionLevel

from .choices import CONTACT_DAY_OF_MONTH, LEGAL_LIAISON_ROLES, AttendeeRole, ContactDayKind
from .models import ContactDay

# The level whose contact day each kind is, and the other way round.
KIND_OF_LEVEL = {DivisionLevel.TOWNSHIP: ContactDayKind.TOWNSHIP_VILLAGE,
                 DivisionLevel.COUNTY: ContactDayKind.COUNTY_TOWNSHIP}
LEVEL_OF_KIND = {kind: level for level, kind in KIND_OF_LEVEL.items()}
# Who takes part in the 20th besides the county: the legal liaison, and the department that sends each.
LEGAL_LIAISON_FUNCTIONS = {AttendeeRole.POLICE: "public_security", AttendeeRole.JUDGE: "court",
                           AttendeeRole.LAWYER: "justice"}


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




def parse_month(value: str) -> tuple[int, int] | None:
    """"2010-03" -> (2010, 3); None when it is not a month."""
    try:
        year, month = (int(part) for part in (value or "").strip().split("-"))
        dt.date(year, month, 1)
    except (TypeError, ValueError):
        return None
    return year, month
