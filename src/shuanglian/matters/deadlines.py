"""Time limits by level x type x stage, and the deadline a matter's running stage has.

The defaults below apply unless the county office has set a row in `TimeLimit` (the database wins),
so a fresh install and a flushed test database behave the same.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shuanglian.core.calendar import WorkCalendar, work_calendar

from .choices import LEVEL_ORDER, Level, LimitUnit, MatterType, Stage


@dataclass(frozen=True)
class Limit:
    amount: int
    unit: str
    warn_before: int


# Handling limits in working days per level: the higher the level, the harder the matter.
_HANDLE_DAYS = {Level.GRID: 3, Level.VILLAGE: 5, Level.TOWNSHIP: 7, Level.COUNTY: 10, Level.DEPARTMENT: 15}
# A mediation is normally completed within a month (Ministry of Justice rules, 2002): disputes and
# suggestions get about twice the time; hazards much less.
_HANDLE_FACTOR = {MatterType.DISPUTE: 2, MatterType.SUGGESTION: 2}
_HAZARD_HANDLE_DAYS = {Level.GRID: 1, Level.VILLAGE: 2, Level.TOWNSHIP: 3, Level.COUNTY: 5, Level.DEPARTMENT: 5}


def default_limit(level: str, type: str, stage: str) -> Limit:
    if stage == Stage.ACCEPT:
        if type == MatterType.HAZARD:
            return Limit(2, LimitUnit.HOURS, 1)
        return Limit(2, LimitUnit.WORKING_DAYS, 1)
    if stage == Stage.FOLLOW_UP:
        return Limit(5, LimitUnit.WORKING_DAYS, 1)
    if type == MatterType.HAZARD:
        days = _HAZARD_HANDLE_DAYS[level]
    else:
        days = _HANDLE_DAYS[level] * _HANDLE_FACTOR.get(type, 1)
    return Limit(days, LimitUnit.WORKING_DAYS, 1 if days < 10 else 2)


def limits_table() -> dict[tuple[str, str, str], Limit]:
    """Every (level, type, stage) with its limit: defaults overlaid with the county office's rows."""
    from .models import TimeLimit

    table = {(lv, t, s): default_limit(lv, t, s) for lv in LEVEL_ORDER for t in MatterType.values
             for s in Stage.values}
    for row in TimeLimit.objects.all():
        table[(row.level, row.type, row.stage)] = Limit(row.amount, row.unit, row.warn_before)
    return table


def limit_for(level: str, type: str, stage: str) -> Limit:
    from .models import TimeLimit

    row = TimeLimit.objects.filter(level=level, type=type, stage=stage).first()
    if row is not None:
        return Limit(row.amount, row.unit, row.warn_before)
    return default_limit(level, type, stage)


def start_stage(matter, stage: str, at: dt.datetime, *, calendar: WorkCalendar | None = None,
                limit: Limit | None = None) -> None:
    """Start the clock of `stage` on the matter (in memory; the caller saves)."""
    matter.cycle += 1
    matter.stage = stage
    matter.stage_started_at = at
    matter.deadline_state = "ok"
    matter.supervision = ""
    if not stage:
        matter.limit_unit, matter.yellow_at, matter.deadline_at = "", None, None
        return
    limit = limit or limit_for(matter.level, matter.type, stage)
    calendar = calendar or work_calendar()
    matter.limit_unit = limit.unit
    matter.deadline_at = calendar.deadline(at, limit.amount, limit.unit)
    matter.yellow_at = calendar.warning(matter.deadline_at, limit.warn_before, limit.unit)


def stop_clock(matter) -> None:
    start_stage(matter, "", matter.stage_started_at)


def extend_after_pause(matter, paused_from: dt.datetime, paused_to: dt.datetime,
                       calendar: WorkCalendar | None = None) -> None:
    """Waiting for the person stops the clock: move yellow and red by the time it stood still."""
    if not matter.stage or matter.deadline_at is None:
        return
    calendar = calendar or work_calendar()
    matter.deadline_at = calendar.extend(matter.deadline_at, matter.limit_unit, paused_from, paused_to)
    matter.yellow_at = calendar.extend(matter.yellow_at, matter.limit_unit, paused_from, paused_to)


def state_at(matter, now: dt.datetime) -> str:
    if not matter.stage or matter.deadline_at is None:
        return "ok"
    if now > matter.deadline_at:
        return "red"
    if matter.yellow_at is not None and now > matter.yellow_at:
        return "yellow"
    return "ok"
