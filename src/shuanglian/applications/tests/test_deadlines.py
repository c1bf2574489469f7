"""Applications on the core deadline engine: `sweep-deadlines` keeps their yellow and red states, and the state
it stores is the one the queue, the application page and the supervision board show."""
import datetime as dt

from django.core.management import call_command

from shuanglian.applications import selectors, services
from shuanglian.applications.choices import Action
from shuanglian.applications.models import Application
from shuanglian.core import deadlines
from shuanglian.core.models import AuditEvent

from .conftest import at

# What the pages call the states the sweep stores.
SHOWN = {"ok": "fine", "yellow": "near_due", "red": "overdue"}


def _accept(net, personas, when, name="张三"):
    return services.application_accept(actor=personas.service_staff, item=net.hukou, point=net.center,
                                       applicant_name=name, applicant_phone="13912345678", at=when)


def test_the_sweep_turns_applications_yellow_then_red_as_the_board_counts_them(net, personas):
    # Accepted Monday 1 March 2010, promised within 5 working days: Monday 8 March.
    app = _accept(net, personas, at(2010, 3, 1, 9))
    assert app.promised_date == dt.date(2010, 3, 8)
    seen = {}
    for day in range(1, 12):
        now = at(2010, 3, day, 10)
        result = deadlines.sweep_all(at=now)["services"]
        app.refresh_from_db()
        today = now.date()
        assert SHOWN[app.deadline_state] == selectors.deadline_state(
            app, today=today, near=selectors.near_due_until(today)), today
        seen[today] = app.deadline_state
        again = deadlines.sweep_all(at=now)["services"]
        assert (again.red, again.yellow, again.back_to_ok) == (0, 0, 0)
        if day == 4:
            assert (result.yellow, result.red) == (1, 0)
    # Due soon from Thursday (2 working days before the promise), through the weekend; overdue the day after.
    assert [seen[dt.date(2010, 3, d)] for d in range(1, 12)] == (
        ["ok"] * 3 + ["yellow"] * 5 + ["red"] * 3)
    assert AuditEvent.objects.filter(action="services.sweep").count() == 2


def test_waiting_for_materials_stops_the_clock_and_closing_ends_it(net, personas):
    waiting = _accept(net, personas, at(2010, 3, 1, 9), name="李四")
    services.transition(actor=personas.service_staff, application=waiting, action=Action.REQUEST_MATERIALS,
                        missing=["户口簿"], at=at(2010, 3, 2, 9))
    done = _accept(net, personas, at(2010, 3, 1, 9), name="王五")
    services.transition(actor=personas.service_staff, application=done, action=Action.HANDLE, at=at(2010, 3, 1, 10))
    services.transition(actor=personas.service_staff, application=done, action=Action.REPLY, result="准予办理",
                        notified_by="phone", satisfaction="satisfied", at=at(2010, 3, 2, 10))
    call_command("sweep-deadlines", "--at", "2010-03-15T10:00:00+08:00", verbosity=0)
    assert dict(Application.objects.values_list("applicant_name", "deadline_state")) == {"李四": "ok", "王五": "ok"}
    # Materials received on Tuesday 16 March: the promise moves by the 10 working days waited, the clock
    # runs again from there, and the next sweep finds it on time.
    services.transition(actor=personas.service_staff, application=waiting, action=Action.MATERIALS_RECEIVED,
                        at=at(2010, 3, 16, 9))
    waiting.refresh_from_db()
    assert waiting.promised_date == dt.date(2010, 3, 22)
    assert deadlines.sweep_all(at=at(2010, 3, 16, 10))["services"].red == 0
    assert deadlines.sweep_all(at=at(2010, 3, 23, 10))["services"].red == 1
