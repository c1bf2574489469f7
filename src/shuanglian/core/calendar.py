"""The one working-day calendar: weekends, public holidays and make-up working days, per year.

Defaults ship in core/data/holidays.json (the State Council's yearly notice); the county office
overrides single days in the database (`CalendarDay`), and the database wins. Every deadline in
every module is counted on it by the deadline engine (core/deadlines.py), which also says how each
unit of a time limit is counted.
"""
from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import audit
from .capabilities import CONFIGURE_CALENDAR, county_wide, scope_for
from .exceptions import PermissionDenied, require_length
from .models import CalendarDay

# The holiday names of holidays.json, for the translation catalog (describe() translates them).
HOLIDAY_NAMES = [gettext_noop("New Year's Day"), gettext_noop("Spring Festival"), gettext_noop("Qingming"),
                 gettext_noop("Labour Day"), gettext_noop("Dragon Boat Festival"), gettext_noop("Mid-Autumn Festival"),
                 gettext_noop("National Day"), gettext_noop("National Day and Mid-Autumn Festival")]

_DATA = Path(__file__).parent / "data" / "holidays.json"
_MAX_SCAN = 3660  # ten years: a limit that never ends is a data error, not a loop


@lru_cache(maxsize=1)
def shipped_days() -> dict[dt.date, tuple[bool, str]]:
    """date -> (is working day, name) from the shipped file. Static, so caching it in memory is safe."""
    days: dict[dt.date, tuple[bool, str]] = {}
    for year, spec in json.loads(_DATA.read_text(encoding="utf-8")).items():
        if year.startswith("_"):
            continue
        for name, (first, last) in spec.get("holidays", {}).items():
            day, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
            while day <= end:
                days[day] = (False, name)
                day += dt.timedelta(days=1)
        for workday in spec.get("workdays", []):
            days[dt.date.fromisoformat(workday)] = (True, "make-up working day")
    return days


class WorkCalendar:
    """A snapshot of the calendar: build it once per operation (one query), ask it many times."""

    def __init__(self, overrides: dict[dt.date, tuple[bool, str]] | None = None):
        self.days = {**shipped_days(), **(overrides or {})}

    def is_working_day(self, day: dt.date) -> bool:
        special = self.days.get(day)
        if special is not None:
            return special[0]
        return day.weekday() < 5

    def describe(self, day: dt.date) -> str:
        special = self.days.get(day)
        if special is not None:
            working, name = special
            if working:
                return _("make-up working day")
            return _(name)
        return _("working day") if day.weekday() < 5 else _("weekend")

    def add_working_days(self, start: dt.date, count: int) -> dt.date:
        """The count-th working day after start (start itself not counted). count 0: start."""
        day, found = start, 0
        for _i in range(_MAX_SCAN):
            if found >= count:
                return day
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                found += 1
        raise ValueError(f"no {count} working days within ten years of {start}")

    def subtract_working_days(self, end: dt.date, count: int) -> dt.date:
        """The working day count working days before end (end counted as the first step back)."""
        day, found = end, 0
        for _i in range(_MAX_SCAN):
            if found >= count:
                return day
            day -= dt.timedelta(days=1)
            if self.is_working_day(day):
                found += 1
        raise ValueError(f"no {count} working days within ten years before {end}")

    def working_days_between(self, first: dt.date, last: dt.date) -> int:
        """Working days in (first, last]: how far the clock moved between two dates."""
        count, day = 0, first
        while day < last:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


def end_of_day(day: dt.date) -> dt.datetime:
    """The last instant of a local day: a limit "within 5 working days" lasts through the 5th day."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def work_calendar(years: range | None = None) -> WorkCalendar:
    """The calendar with the county office's overrides (one small query)."""
    rows = CalendarDay.objects.all()
    if years is not None:
        rows = rows.filter(date__year__gte=years.start, date__year__lt=years.stop)
    return WorkCalendar({row.date: (row.is_working, row.name) for row in rows})


def is_working_day(day: dt.date) -> bool:
    row = CalendarDay.objects.filter(date=day).first()
    if row is not None:
        return row.is_working
    return WorkCalendar().is_working_day(day)


def may_configure(user: Any) -> bool:
    """Who may change the working-day calendar: CONFIGURE_CALENDAR county-wide (the county office). The one
    rule for the calendar page and calendar_day_set."""
    return county_wide(scope_for(user, CONFIGURE_CALENDAR, via_organizations=False))


def require_configure(user: Any) -> None:
    if not may_configure(user):
        raise PermissionDenied(_("Only the county office may change the working-day calendar."))


def calendar_day_set(*, actor, day: dt.date, is_working: bool, name: str = ""):
    """The county office corrects one day (a holiday moved, a make-up day added). Audited."""
    if actor is not None:
        require_configure(actor)
    with transaction.atomic():
        before = WorkCalendar().is_working_day(day) if not CalendarDay.objects.filter(date=day).exists() else \
            CalendarDay.objects.get(date=day).is_working
        row, _created = CalendarDay.objects.update_or_create(date=day, defaults={"is_working": is_working,
                                                                                 "name": require_length(
            name, field="name", limit=CalendarDay.NAME_LENGTH)})
        audit.record(actor=actor, action="core.calendar_day_set", obj=row, object_repr=day.isoformat(),
                     before={"working": before}, after={"working": is_working, "name": name})
    return row


def year_days(year: int) -> list[dict]:
    """The year's special days (holidays, make-up working days) with where each comes from."""
    shipped = {d: v for d, v in shipped_days().items() if d.year == year}
    custom = {row.date: (row.is_working, row.name) for row in CalendarDay.objects.filter(date__year=year)}
    days = []
    for day in sorted({*shipped, *custom}):
        working, name = custom.get(day) or shipped[day]
        days.append({"date": day, "working": working, "name": name, "custom": day in custom})
    return days
