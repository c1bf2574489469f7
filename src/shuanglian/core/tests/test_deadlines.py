"""core.deadlines: each unit of a time limit counted across National Day 2010 (1-7 October holidays;
Saturday 9 October a make-up working day), the yellow and red states, and the one sweep: registered
clocked models are all swept, and a second sweep at the same time changes nothing."""
import datetime as dt
import zoneinfo

import pytest
from django.db.models import Q

from shuanglian.core import deadlines
from shuanglian.core.calendar import WorkCalendar
from shuanglian.core.deadlines import CALENDAR_DAYS, HOURS, WORKING_DAYS, WORKING_HOURS, ClockedModel
from shuanglian.core.models import AuditEvent
from shuanglian.matters import services
from shuanglian.matters.models import Matter, Supervision
from shuanglian.notifications.models import Notification

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
THURSDAY = dt.datetime(2010, 9, 30, 9, 0, tzinfo=SH)  # the last working day before the holiday
CAL = WorkCalendar()  # the shipped calendar, no county overrides (no query)


def at(month, day, hour=23, minute=59, second=59):
    return dt.datetime(2010, month, day, hour, minute, second, tzinfo=SH)


def test_working_days_skip_the_holiday_and_count_the_make_up_saturday():
    due = deadlines.deadline(THURSDAY, 2, WORKING_DAYS, calendar=CAL)
    assert due == at(10, 9)  # Friday 8 October, then the make-up Saturday
    assert deadlines.warning(due, 1, WORKING_DAYS, calendar=CAL) == at(10, 8)
    assert deadlines.warning(due, 2, WORKING_DAYS, calendar=CAL) == at(9, 30)


def test_calendar_days_ending_in_the_holiday_end_on_the_next_working_day():
    assert deadlines.deadline(at(9, 28, 10), 3, CALENDAR_DAYS, calendar=CAL) == at(10, 8)  # 1 Oct: a holiday
    # 23 Sep falls in Mid-Autumn (22-24 Sep); Saturday 25 Sep is a make-up working day.
    assert deadlines.deadline(at(9, 20, 10), 3, CALENDAR_DAYS, calendar=CAL) == at(9, 25)
    assert deadlines.deadline(at(9, 10, 10), 3, CALENDAR_DAYS, calendar=CAL) == at(9, 13)  # an ordinary Monday


def test_hours_run_through_the_holiday_but_working_hours_wait_for_the_office():
    start = at(9, 30, 16, 30, 0)
    assert deadlines.deadline(start, 2, HOURS, calendar=CAL) == at(9, 30, 18, 30, 0)
    # 16:30-17:30 on the Thursday, then 8:30-10:30 on Friday 8 October.
    due = deadlines.deadline(start, 3, WORKING_HOURS, calendar=CAL)
    assert due == at(10, 8, 10, 30, 0)
    # Two working hours remain all through the holiday: yellow only once the office opens again.
    assert deadlines.warning(due, 2, WORKING_HOURS, calendar=CAL) == at(10, 8, 8, 30, 0)
    assert deadlines.warning(due, 3, WORKING_HOURS, calendar=CAL) == start
    # Over lunch: 11:00 + 2 working hours is 14:30 (12:00-13:30 is not office time).
    assert deadlines.deadline(at(10, 11, 11, 0, 0), 2, WORKING_HOURS, calendar=CAL) == at(10, 11, 14, 30, 0)


def test_a_pause_across_the_holiday_moves_the_deadline_by_the_working_time_it_stood_still():
    due = at(9, 30)
    # Paused Thursday to Friday 8 October: one working day (8 Oct) stood still.
    assert deadlines.extend(due, WORKING_DAYS, THURSDAY, at(10, 8, 9, 0, 0), calendar=CAL) == at(10, 8)
    assert deadlines.extend(due, HOURS, THURSDAY, THURSDAY + dt.timedelta(hours=5), calendar=CAL) == due + dt.timedelta(
        hours=5)


def test_the_state_is_red_past_the_deadline_yellow_past_the_mark_else_ok():
    due, mark = at(10, 9), at(10, 8)
    assert deadlines.state_at(due, mark, at(10, 8, 12)) == "ok"
    assert deadlines.state_at(due, mark, at(10, 9, 8)) == "yellow"
    assert deadlines.state_at(due, mark, at(10, 10, 0, 0, 1)) == "red"
    assert deadlines.state_at(None, None, at(12, 1)) == "ok"
    with pytest.raises(ValueError, match="unknown time-limit unit"):
        deadlines.deadline(THURSDAY, 1, "fortnights", calendar=CAL)


def test_the_sweep_runs_every_registration_and_a_second_run_changes_nothing(district, personas, time_machine,
                                                                              monkeypatch):
    time_machine.move_to(dt.datetime(2010, 3, 1, 9, 0, tzinfo=SH), tick=False)
    for i in range(3):
        services.matter_report(actor=personas.village_cadre, grid=district.grid, type="demand", source="visit",
                               title=f"事项{i}")
    # A second clocked model, declared in a few lines: the hazards among matters, no cards, no notices.
    seen = []
    monkeypatch.setitem(deadlines.CLOCKED, "hazards", ClockedModel(
        name="hazards", model=Matter, running=Q(type="hazard") & ~Q(stage=""),
        turned=lambda rows, state, now: seen.append((len(rows), state)) or 0))
    friday = dt.datetime(2010, 3, 5, 9, 0, tzinfo=SH)

    def world():
        return (sorted(Matter.objects.values_list("pk", "deadline_state", "supervision")),
                Supervision.objects.count(), Notification.objects.count(), AuditEvent.objects.count())

    first = deadlines.sweep_all(at=friday)
    assert {"matters", "hazards", "services", "petitions"} <= set(first)  # and any other app's registrations
    assert first["matters"].red == 3 and first["hazards"].red == 0 and seen == []
    after_first = world()
    again = deadlines.sweep_all(at=friday)
    assert (again["matters"].red, again["matters"].yellow, again["matters"].back_to_ok,
            again["matters"].notified) == (0, 0, 0, 0)
    assert world() == after_first
