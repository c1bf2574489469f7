"""Applications' clock on the core deadline engine: the promised date as two instants, and the registration
with the one sweep (`shuanglian sweep-deadlines`).

What users see is computed when a page or the API reads it (selectors.deadline_q and deadline_state:
overdue after the promised date, due soon within NEAR_DUE_WORKING_DAYS working days of it), so the figures
never wait for a sweep. The stored instants encode that same rule, so the sweep's state for a running
application is the state its page shows: red from the day after the promised date, yellow from the first
day the board counts it as due soon. No cards or notifications: the service has none.
"""
from __future__ import annotations

import datetime as dt

from django.db.models import Q

from shuanglian.core import deadlines as engine
from shuanglian.core.calendar import WorkCalendar, end_of_day, work_calendar

from .models import Application
from .selectors import NEAR_DUE_WORKING_DAYS, RUNNING_STATUSES

_DAY = dt.timedelta(days=1)


def near_due_from(promised: dt.date, calendar: WorkCalendar) -> dt.date:
    """The first day on which the board calls an application promised for `promised` due soon: the read rule
    (promised <= NEAR_DUE_WORKING_DAYS working days after today) turned around."""
    day = promised
    while calendar.add_working_days(day - _DAY, NEAR_DUE_WORKING_DAYS) >= promised:
        day -= _DAY
    return day


def instants(promised: dt.date, *, calendar: WorkCalendar | None = None) -> tuple[dt.datetime, dt.datetime]:
    """(deadline_at, yellow_at) for a promised date: past the end of the promised day it is overdue, past the
    end of the day before near_due_from it is due soon."""
    calendar = calendar or work_calendar()
    return end_of_day(promised), end_of_day(near_due_from(promised, calendar) - _DAY)


def set_clock(app: Application, now: dt.datetime, *, calendar: WorkCalendar | None = None) -> None:
    """Put the promised date's instants and the state at `now` on the application (in memory; the caller
    saves): on acceptance and when the clock restarts after waiting for materials."""
    app.deadline_at, app.yellow_at = instants(app.promised_date, calendar=calendar)
    app.deadline_state = engine.state_at(app.deadline_at, app.yellow_at, now)


# Running applications; waiting for materials stops the clock, closed ones are done.
CLOCK = engine.register(engine.ClockedModel(
    name="services", model=Application, running=Q(status__in=RUNNING_STATUSES) & Q(deadline_at__isnull=False)))
