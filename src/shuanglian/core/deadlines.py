"""The one deadline engine: clocks on the working-day calendar, their yellow and red states, and one
set-based sweep that every app's clocked records are registered with.

A clock is a limit (`Limit`: an amount in a unit, and how long before the deadline it turns yellow)
started at an instant; it is stored on the record as two instants, the deadline and the yellow
mark, so the sweep and every list can compare them with the time in SQL. The units:

- working days: the day the clock starts is not counted; the limit ends at the end of the last
  working day (the usual rule for legal periods);
- calendar days: counted from the next day; when the last day is not a working day, the limit ends
  at the end of the next working day (the rule for periods whose last day is a holiday);
- hours: clock hours, weekend or not (a hazard is accepted within 2 hours);
- working hours: hours inside WORKING_HOURS on working days only.

An app registers its clocked records in its own `deadlines.py` with `register(ClockedModel(...))`
(see docs/developers.md); `sweep_all()` (the `shuanglian sweep-deadlines` command and the periodic
`core.sweep_deadlines` task) sweeps them all. core imports no app: the app passes its model, which
rows run, and what to do when rows turn yellow or red.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuanglian.core import audit, clock
from shuanglian.core.calendar import WorkCalendar, end_of_day, work_calendar

WORKING_DAYS = "working_days"
CALENDAR_DAYS = "calendar_days"
HOURS = "hours"
WORKING_HOURS = "working_hours"
UNITS = (WORKING_DAYS, CALENDAR_DAYS, HOURS, WORKING_HOURS)

# Office hours on a working day, for limits in working hours: (start, end) windows, local time.
WORKING_HOURS_WINDOWS: tuple[tuple[dt.time, dt.time], ...] = ((dt.time(8, 30), dt.time(12, 0)),
                                                              (dt.time(13, 30), dt.time(17, 30)))
_MAX_SCAN = 3660  # ten years of days: a limit that never ends is a data error, not a loop


class DeadlineState(models.TextChoices):
    OK = "ok", _("on time")
    YELLOW = "yellow", _("due soon")
    RED = "red", _("overdue")


@dataclass(frozen=True)
class Limit:
    amount: int
    unit: str
    warn_before: int  # in the same unit: how long before the deadline the clock turns yellow


# ---------------------------------------------------------------- clocks


def deadline(start: dt.datetime, amount: int, unit: str, *, calendar: WorkCalendar | None = None) -> dt.datetime:
    """The instant a limit of `amount` `unit` started at `start` runs out."""
    if unit == HOURS:
        return start + dt.timedelta(hours=amount)
    calendar = calendar or work_calendar()
    if unit == WORKING_HOURS:
        return _add_working_hours(calendar, start, dt.timedelta(hours=amount))
    if unit == CALENDAR_DAYS:
        return end_of_day(_next_working_day(calendar, timezone.localdate(start) + dt.timedelta(days=amount)))
    _check_unit(unit)
    return end_of_day(calendar.add_working_days(timezone.localdate(start), amount))


def warning(due: dt.datetime, before: int, unit: str, *, calendar: WorkCalendar | None = None) -> dt.datetime:
    """The instant a limit turns yellow: `before` units ahead of its deadline `due`."""
    if unit == HOURS:
        return due - dt.timedelta(hours=before)
    if before <= 0:
        return due
    calendar = calendar or work_calendar()
    if unit == WORKING_HOURS:
        return _add_working_hours(calendar, due, -dt.timedelta(hours=before))
    if unit == CALENDAR_DAYS:
        return end_of_day(timezone.localdate(due) - dt.timedelta(days=before))
    _check_unit(unit)
    return end_of_day(calendar.subtract_working_days(timezone.localdate(due), before))


def extend(instant: dt.datetime, unit: str, paused_from: dt.datetime, paused_to: dt.datetime, *,
           calendar: WorkCalendar | None = None) -> dt.datetime:
    """Move a deadline (or a yellow mark) by the time the clock stood still (waiting for the person)."""
    if unit == HOURS:
        return instant + (paused_to - paused_from)
    calendar = calendar or work_calendar()
    if unit == WORKING_HOURS:
        return _add_working_hours(calendar, instant, _working_time_between(calendar, paused_from, paused_to))
    if unit == CALENDAR_DAYS:
        paused = (timezone.localdate(paused_to) - timezone.localdate(paused_from)).days
        if paused <= 0:
            return instant
        return end_of_day(_next_working_day(calendar, timezone.localdate(instant) + dt.timedelta(days=paused)))
    _check_unit(unit)
    paused = calendar.working_days_between(timezone.localdate(paused_from), timezone.localdate(paused_to))
    if paused <= 0:
        return instant
    return end_of_day(calendar.add_working_days(timezone.localdate(instant), paused))


def state_at(deadline_at: dt.datetime | None, yellow_at: dt.datetime | None, now: dt.datetime) -> str:
    """ok, yellow (past the yellow mark) or red (past the deadline); the sweep's rule, for one record."""
    if deadline_at is None:
        return DeadlineState.OK
    if now > deadline_at:
        return DeadlineState.RED
    if yellow_at is not None and now > yellow_at:
        return DeadlineState.YELLOW
    return DeadlineState.OK


def _check_unit(unit: str) -> None:
    if unit != WORKING_DAYS:
        raise ValueError(f"unknown time-limit unit {unit!r}; one of {', '.join(UNITS)}")


def _next_working_day(calendar: WorkCalendar, day: dt.date) -> dt.date:
    for _i in range(_MAX_SCAN):
        if calendar.is_working_day(day):
            return day
        day += dt.timedelta(days=1)
    raise ValueError(f"no working day within ten years of {day}")


def _windows(day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    return [(timezone.make_aware(dt.datetime.combine(day, start)), timezone.make_aware(dt.datetime.combine(day, end)))
            for start, end in WORKING_HOURS_WINDOWS]


def _add_working_hours(calendar: WorkCalendar, start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
    """`amount` of office time after `start` (before it, when negative)."""
    if not amount:
        return start
    forward = amount > dt.timedelta(0)
    left = abs(amount)
    day = timezone.localdate(start)
    for _i in range(_MAX_SCAN):
        if calendar.is_working_day(day):
            windows = _windows(day) if forward else reversed(_windows(day))
            for opens, closes in windows:
                if forward:
                    begin = max(start, opens)
                    if begin >= closes:
                        continue
                    if left <= closes - begin:
                        return begin + left
                    left -= closes - begin
                else:
                    end = min(start, closes)
                    if end <= opens:
                        continue
                    if left <= end - opens:
                        return end - left
                    left -= end - opens
        day += dt.timedelta(days=1 if forward else -1)
    raise ValueError(f"no {amount} of working hours within ten years of {start}")


def _working_time_between(calendar: WorkCalendar, first: dt.datetime, last: dt.datetime) -> dt.timedelta:
    total, day = dt.timedelta(0), timezone.localdate(first)
    while day <= timezone.localdate(last):
        if calendar.is_working_day(day):
            for opens, closes in _windows(day):
                overlap = min(closes, last) - max(opens, first)
                if overlap > dt.timedelta(0):
                    total += overlap
        day += dt.timedelta(days=1)
    return total


# ---------------------------------------------------------------- the one sweep


@dataclass(frozen=True)
class ClockedModel:
    """A model whose rows carry a clock, registered with the sweep.

    `running` selects the rows whose clock runs (open, in a timed stage). When rows turn yellow or
    red the sweep sets the state (and `also(state)`'s columns) in one conditional UPDATE per batch,
    then calls `turned(rows, state, now)` with the rows it changed (loaded with `load` fields) to
    raise cards and notify; `turned` answers how many notifications it wrote.
    """

    name: str  # the app label; the audit action is "<name>.sweep"
    model: type[models.Model]
    running: Q
    turned: Callable[[list, str, dt.datetime], int] | None = None
    load: tuple[str, ...] = ("pk",)
    also: Callable[[str], dict[str, Any]] = field(default=lambda state: {})
    deadline_field: str = "deadline_at"
    yellow_field: str = "yellow_at"
    state_field: str = "deadline_state"


CLOCKED: dict[str, ClockedModel] = {}
_BATCH = 2000


def register(clocked: ClockedModel) -> ClockedModel:
    """Register (or re-register, on a reload) an app's clocked model with the sweep."""
    CLOCKED[clocked.name] = clocked
    return clocked


def autodiscover() -> None:
    """Import every installed app's deadlines module, where it registers its clocked models."""
    for config in apps.get_app_configs():
        module = f"{config.name}.deadlines"
        if config.name.startswith("shuanglian.") and config.name != "shuanglian.core" and find_spec(module):
            import_module(module)


@dataclass
class SweepResult:
    at: dt.datetime
    yellow: int = 0
    red: int = 0
    back_to_ok: int = 0
    notified: int = 0

    def __str__(self):
        return (f"sweep at {self.at.isoformat()}: {self.red} turned red, {self.yellow} turned yellow, "
                f"{self.back_to_ok} back on time, {self.notified} notifications")


def sweep_all(*, at: dt.datetime | None = None, actor: Any = None) -> dict[str, SweepResult]:
    """Sweep every registered clocked model as of `at` (now): {name: result}, in registration order."""
    autodiscover()
    now = at or clock.now()
    return {name: sweep(clocked, at=now, actor=actor) for name, clocked in CLOCKED.items()}


def sweep(clocked: ClockedModel, *, at: dt.datetime | None = None, actor: Any = None) -> SweepResult:
    """Set each running row's state from the time alone; raise cards for rows that turned.

    Idempotent and set-based: each change is one conditional UPDATE over the rows still in the old
    state, so a second sweep at the same time changes nothing. Two sweeps at once: on PostgreSQL the
    second skips the rows the first has locked and then finds them already changed; on SQLite writes
    are serialized.
    """
    now = at or clock.now()
    result = SweepResult(at=now)
    deadline_at, yellow_at, state = clocked.deadline_field, clocked.yellow_field, clocked.state_field
    red_q = clocked.running & Q(**{f"{deadline_at}__lt": now})
    yellow_q = clocked.running & Q(**{f"{deadline_at}__gte": now, f"{yellow_at}__lt": now})
    result.red = _promote(clocked, red_q & ~Q(**{state: DeadlineState.RED}), DeadlineState.RED, now, result)
    result.yellow = _promote(clocked, yellow_q & Q(**{state: DeadlineState.OK}), DeadlineState.YELLOW, now, result)
    # A deadline moved later (resumed, limit changed): the colour goes back, a card already raised stays.
    result.back_to_ok = clocked.model._default_manager.filter(
        clocked.running & ~Q(**{state: DeadlineState.OK}) & Q(**{f"{yellow_at}__gte": now})
    ).update(**{state: DeadlineState.OK})
    if result.red or result.yellow or result.back_to_ok:
        with transaction.atomic():
            audit.record(actor=actor, action=f"{clocked.name}.sweep", object_type=audit.type_of(clocked.model),
                         object_repr=str(result), after={"red": result.red, "yellow": result.yellow,
                                                         "back_to_ok": result.back_to_ok})
    return result


def _promote(clocked: ClockedModel, q: Q, state: str, now: dt.datetime, result: SweepResult) -> int:
    manager = clocked.model._default_manager
    columns = {clocked.state_field: state, **clocked.also(state)}
    changed = 0
    while True:
        with transaction.atomic():
            rows = manager.filter(q).order_by("pk")
            if connection.features.has_select_for_update_skip_locked:
                rows = rows.select_for_update(skip_locked=True, of=("self",))
            batch = list(rows.only(*clocked.load)[:_BATCH])
            if not batch:
                return changed
            ids = [row.pk for row in batch]
            # The state condition again: a concurrent sweep may have changed these rows already.
            won = manager.filter(q, pk__in=ids).update(**columns)
            if won != len(ids):
                fresh = set(manager.filter(pk__in=ids, **columns).values_list("pk", flat=True))
                batch = [row for row in batch if row.pk in fresh]
            if clocked.turned is not None:
                result.notified += clocked.turned(batch, state, now)
            changed += len(batch)
        if len(ids) < _BATCH:
            return changed
