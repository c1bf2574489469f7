"""Petitions' statutory clocks (信访工作条例 2022) on the one deadline engine, and their registration with
the one sweep (`shuanglian sweep-deadlines`).

All limits are calendar days: the first day is not counted, and a period whose last day is a weekend
or public holiday ends at the end of the next working day (core.deadlines.CALENDAR_DAYS, on the
working-day calendar).

| stage (status)  | limit                                   | starts at                                   |
|-----------------|-----------------------------------------|---------------------------------------------|
| registered      | 15 days to register and route (Art. 22) | the day received (a transfer from above: the day registered) |
| routed          | 15 days to give written notice (Art. 23)| routing                                      |
| accepted        | 60 days to reply, + one extension of at most 30 (Art. 34) | acceptance                 |
| under_review    | 30 days to answer (Art. 35)             | the review request                          |
| under_rereview  | 30 days to answer (Art. 35)             | the re-review request                       |

The petitioner's own windows (30 days after the reply to ask for review, 30 after the review to ask for
re-review) are checked when they ask (`request_window_end`); they run no office clock.
"""
from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from shuanglian.core import deadlines as engine
from shuanglian.core.calendar import WorkCalendar
from shuanglian.core.deadlines import CALENDAR_DAYS, Limit
from shuanglian.notifications.services import Message, notify_many

from .choices import CLOCKED_STATUSES, Lodged, Status
from .models import Petition

ROUTE = Limit(15, CALENDAR_DAYS, 3)
NOTICE = Limit(15, CALENDAR_DAYS, 3)
REPLY = Limit(60, CALENDAR_DAYS, 7)
ANSWER_REVIEW = Limit(30, CALENDAR_DAYS, 5)
REQUEST_WINDOW_DAYS = 30  # review and re-review must be asked for within 30 days

LIMITS = {Status.REGISTERED: ROUTE, Status.ROUTED: NOTICE, Status.ACCEPTED: REPLY,
          Status.UNDER_REVIEW: ANSWER_REVIEW, Status.UNDER_REREVIEW: ANSWER_REVIEW}


def route_clock_start(petition: Petition) -> dt.datetime:
    """A local petition's 15 days run from the day it was received; one lodged above from the day the
    county registered the upper level's transfer (its original date stays `received_on`)."""
    if petition.lodged_at == Lodged.COUNTY:
        return timezone.make_aware(dt.datetime.combine(petition.received_on, dt.time(12)))
    return petition.registered_at


def start(petition: Petition, status: str, since: dt.datetime, *, now: dt.datetime | None = None,
          extra_days: int = 0) -> None:
    """Start (or stop) the clock of the stage `status`, counted from `since`, on the petition in memory (the
    caller saves); its colour is set as of `now`, so a backfilled record is red at once when late."""
    limit = LIMITS.get(status)
    petition.deadline_state = engine.DeadlineState.OK
    if limit is None:
        petition.deadline_at = petition.yellow_at = None
        return
    petition.deadline_at = engine.deadline(since, limit.amount + extra_days, limit.unit)
    petition.yellow_at = engine.warning(petition.deadline_at, limit.warn_before, limit.unit)
    petition.deadline_state = engine.state_at(petition.deadline_at, petition.yellow_at, now or since)


def deadline_for(status: str, since: dt.datetime, *, extra_days: int = 0,
                 calendar: WorkCalendar | None = None) -> dt.datetime:
    """The deadline of the stage `status` counted from `since` (for history written in bulk: pass one calendar)."""
    limit = LIMITS[status]
    return engine.deadline(since, limit.amount + extra_days, limit.unit, calendar=calendar)


def request_window_end(since: dt.datetime) -> dt.datetime:
    """The last instant a petitioner may ask for review (or re-review) of a reply given at `since`."""
    return engine.deadline(since, REQUEST_WINDOW_DAYS, CALENDAR_DAYS)


TITLES = {engine.DeadlineState.YELLOW: gettext_lazy("Petition %(number)s: its time limit is near"),
          engine.DeadlineState.RED: gettext_lazy("Petition %(number)s: its time limit has passed")}


def _notify(rows: list[Petition], state: str, now: dt.datetime) -> int:
    """Tell the named handling officer. The message names the number only, never the petitioner."""
    title = str(TITLES[state])
    return notify_many(Message([row.handler_id], f"petition.{state}", title % {"number": row.number},
                               url=f"/petitions/{row.pk}/", obj=row, text_message=state == engine.DeadlineState.RED)
                       for row in rows if row.handler_id)


CLOCK = engine.register(engine.ClockedModel(
    name="petitions", model=Petition, running=Q(status__in=CLOCKED_STATUSES),
    turned=_notify, load=("pk", "number", "handler_id", "deadline_at")))
