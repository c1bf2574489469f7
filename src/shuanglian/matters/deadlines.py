"""Matters' clocks: time limits by level x type x stage, the deadline a matter's running stage has,
and the matter's registration with the core deadline sweep (yellow and red cards, notifications).

The defaults below apply unless the county office has set a row in `TimeLimit` (the database wins),
so a fresh install and a flushed test database behave the same. The counting itself (working days,
hours, the calendar) is core's (core/deadlines.py).
"""
from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext_lazy

from shuanglian.core import deadlines as engine
from shuanglian.core.calendar import WorkCalendar, work_calendar
from shuanglian.core.deadlines import Limit
from shuanglian.notifications.services import Message, notify_many

from . import recipients
from .choices import LEVEL_ORDER, Card, Level, LimitUnit, MatterType, Stage, Status
from .models import Matter, Supervision, TimeLimit

__all__ = ["Limit", "default_limit", "limits_table", "limit_for", "start_stage", "extend_after_pause", "state_at",
           "CARD_TITLES", "CLOCK"]


# Handling limits in working days per level: the higher the level, the harder the matter.
_HANDLE_DAYS = {Level.GRID: 3, Level.VILLAGE: 5, Level.TOWNSHIP: 7, Level.COUNTY: 10, Level.DEPARTMENT: 15}
# A mediation is normally completed within a month (Ministry of Justice rules, 2002): disputes and
# suggestions get about twice the time; hazards much less.
_HANDLE_FACTOR = {MatterType.DISPUTE: 2, MatterType.SUGGESTION: 2}
_HAZARD_HANDLE_DAYS = {Level.GRID: 1, Level.VILLAGE: 2, Level.TOWNSHIP: 3, Level.COUNTY: 5, Level.DEPARTMENT: 5}


def default_limit(level: str, type: str, stage: str) -> Limit:
    if stage == Stage.ACCEPT:
        if type == MatterType.HAZARD:
            # Two hours of the working day: a hazard reported at night is due mid-morning, not at 1 a.m.
            # A county that staffs nights sets "hours, day and night" on the settings page.
            return Limit(2, LimitUnit.WORKING_HOURS, 1)
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
    table = {(lv, t, s): default_limit(lv, t, s) for lv in LEVEL_ORDER for t in MatterType.values
             for s in Stage.values}
    for row in TimeLimit.objects.all():
        table[(row.level, row.type, row.stage)] = Limit(row.amount, row.unit, row.warn_before)
    return table


def limit_for(level: str, type: str, stage: str) -> Limit:
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
    matter.deadline_at = engine.deadline(at, limit.amount, limit.unit, calendar=calendar)
    matter.yellow_at = engine.warning(matter.deadline_at, limit.warn_before, limit.unit, calendar=calendar)


def extend_after_pause(matter, paused_from: dt.datetime, paused_to: dt.datetime,
                       calendar: WorkCalendar | None = None) -> None:
    """Waiting for the person stops the clock: move yellow and red by the time it stood still."""
    if not matter.stage or matter.deadline_at is None:
        return
    calendar = calendar or work_calendar()
    matter.deadline_at = engine.extend(matter.deadline_at, matter.limit_unit, paused_from, paused_to, calendar=calendar)
    matter.yellow_at = engine.extend(matter.yellow_at, matter.limit_unit, paused_from, paused_to, calendar=calendar)


def state_at(matter: Matter, now: dt.datetime) -> str:
    if not matter.stage:
        return engine.DeadlineState.OK
    return engine.state_at(matter.deadline_at, matter.yellow_at, now)


# ---------------------------------------------------------------- the sweep: yellow and red cards

CARD_TITLES = {Card.YELLOW: gettext_lazy("Yellow card: matter %(number)s is due soon"),
               Card.RED: gettext_lazy("Red card: matter %(number)s is overdue")}


def _raise_cards(matters: list[Matter], state: str, now: dt.datetime) -> int:
    """A matter that turned yellow or red gets its card for the stage (the unique constraint keeps it one)
    and its holders and their supervisors are told. Answers the notifications written."""
    card = Card(state)
    Supervision.objects.bulk_create(
        [Supervision(matter_id=m.pk, card=card, cycle=m.cycle, stage=m.stage, level=m.level,
                     deadline_at=m.deadline_at, raised_at=now) for m in matters], ignore_conflicts=True)
    if not matters:
        return 0
    holders = recipients.holders_bulk(matters)
    supervisors = recipients.supervisors_bulk(matters)
    title = str(CARD_TITLES[card])
    return notify_many(Message(holders.get(m.pk, set()) | supervisors.get(m.pk, set()), f"matter.{card}_card",
                               title % {"number": m.number}, m.title, recipients.matter_url(m), m, card == Card.RED)
                       for m in matters)


# Open matters in a timed stage; a suspended one waits for the person, its clock stands still.
CLOCK = engine.register(engine.ClockedModel(
    name="matters", model=Matter,
    running=Q(status__in=[Status.REPORTED, Status.ACCEPTED, Status.HANDLING, Status.RESOLVED]) & ~Q(stage=""),
    turned=_raise_cards, also=lambda state: {"supervision": state},
    load=("pk", "cycle", "stage", "level", "deadline_at", "number", "title", "holder_user_id",
          "holder_organization_id", "grid_id", "village_id", "township_id", "county_id", "supervision")))
