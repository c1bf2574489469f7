"""The deadline sweep with a frozen clock: yellow, then red, cards raised once, holders and supervisors
told; a second run changes nothing; two concurrent runs on PostgreSQL raise each card once."""
import datetime as dt
import threading
import zoneinfo

import pytest
from django.core.management import call_command
from django.db import connections

from shuanglian.core.deadlines import sweep
from shuanglian.core.models import AuditEvent
from shuanglian.matters import services
from shuanglian.matters.choices import Card
from shuanglian.matters.deadlines import CLOCK
from shuanglian.matters.models import Matter, Supervision
from shuanglian.notifications import sms
from shuanglian.notifications.models import Notification

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2010, 3, 1, 9, 0, tzinfo=SH)


def _report(personas, district, n=1, grid=None):
    return [services.matter_report(actor=personas.village_cadre, grid=grid or district.grid, type="demand",
                                   source="visit", title=f"事项{i}") for i in range(n)]


def test_matters_turn_yellow_then_red_and_each_card_is_raised_once(district, personas, time_machine, settings,
                                                                    django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = "shuanglian.notifications.sms.MemoryBackend"
    sms.MemoryBackend.outbox.clear()
    personas.village_cadre.phone = "13900001111"
    personas.village_cadre.save()
    time_machine.move_to(MONDAY, tick=False)
    matters = _report(personas, district, 3)
    # Accept within 2 working days (through Wed 3 Mar); yellow on the last of them.
    assert matters[0].deadline_at == dt.datetime(2010, 3, 3, 23, 59, 59, tzinfo=SH)
    assert sweep(CLOCK).yellow == 0
    assert sweep(CLOCK, at=dt.datetime(2010, 3, 2, 23, 0, tzinfo=SH)).yellow == 0
    wednesday = dt.datetime(2010, 3, 3, 10, 0, tzinfo=SH)
    first = sweep(CLOCK, at=wednesday)
    assert (first.yellow, first.red) == (3, 0)
    assert set(Matter.objects.values_list("deadline_state", "supervision")) == {("yellow", "yellow")}
    again = sweep(CLOCK, at=wednesday)
    assert (again.yellow, again.red, again.notified) == (0, 0, 0)
    thursday = dt.datetime(2010, 3, 4, 8, 0, tzinfo=SH)
    with django_capture_on_commit_callbacks(execute=True):
        red = sweep(CLOCK, at=thursday)
    assert (red.yellow, red.red) == (0, 3)
    assert sweep(CLOCK, at=thursday).red == 0
    assert Supervision.objects.filter(card=Card.YELLOW).count() == 3
    assert Supervision.objects.filter(card=Card.RED).count() == 3
    # The holder (the grid's promoter) and the supervisor one level up (the village cadre) are told.
    red_notes = Notification.objects.filter(kind="matter.red_card")
    assert set(red_notes.values_list("recipient__username", flat=True)) == {"promoter", "village_cadre"}
    assert red_notes.count() == 6
    # Red cards also go out as text messages to those with a phone (the log backend by default).
    assert len(sms.MemoryBackend.outbox) == 3 and sms.MemoryBackend.outbox[0][0] == "13900001111"
    assert AuditEvent.objects.filter(action="matters.sweep").count() == 2


def test_accepting_starts_a_new_stage_whose_cards_are_new(district, personas, time_machine):
    time_machine.move_to(MONDAY, tick=False)
    (m,) = _report(personas, district)
    sweep(CLOCK, at=dt.datetime(2010, 3, 4, 8, 0, tzinfo=SH))
    assert Matter.objects.get(pk=m.pk).deadline_state == "red"
    time_machine.move_to(dt.datetime(2010, 3, 4, 9, 0, tzinfo=SH), tick=False)
    m = services.transition(actor=personas.promoter, matter=m, action="accept")
    assert (m.deadline_state, m.supervision) == ("ok", "")
    result = sweep(CLOCK, at=dt.datetime(2010, 3, 12, 9, 0, tzinfo=SH))
    assert result.red == 1 and Supervision.objects.filter(matter=m, card=Card.RED).count() == 2


def test_the_command_sweeps_as_of_a_given_time(district, personas, time_machine, capsys):
    time_machine.move_to(MONDAY, tick=False)
    _report(personas, district, 2)
    call_command("sweep-deadlines", "--at", "2010-03-05T09:00+08:00")
    assert "2 turned red" in capsys.readouterr().out
    call_command("sweep-deadlines", "--at", "2010-03-05T09:00+08:00")
    assert "0 turned red" in capsys.readouterr().out
    with pytest.raises(Exception, match="not an ISO 8601 time"):
        call_command("sweep-deadlines", "--at", "next tuesday")


def test_the_worker_runs_the_sweep_on_its_interval(district, personas, time_machine):
    from shuanglian.core import tasks

    time_machine.move_to(MONDAY, tick=False)
    _report(personas, district, 1)
    time_machine.move_to(dt.datetime(2010, 3, 8, 9, 0, tzinfo=SH), tick=False)
    tasks.work_once()
    assert Matter.objects.filter(deadline_state="red").count() == 1
    assert tasks.due_periodic() == []  # within the interval nothing is due again


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_raise_each_card_once(district, personas, time_machine):
    time_machine.move_to(MONDAY, tick=False)
    for grid in (district.grid, district.grid2):
        _report(personas, district, 30, grid=grid)
    at = dt.datetime(2010, 3, 5, 9, 0, tzinfo=SH)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(sweep(CLOCK, at=at))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sum(r.red for r in results) == 60
    assert Supervision.objects.filter(card=Card.RED).count() == 60
    assert Notification.objects.filter(kind="matter.red_card", recipient=personas.promoter).count() == 30
    assert Notification.objects.filter(kind="matter.red_card", recipient=personas.village_cadre).count() == 60
    assert sweep(CLOCK, at=at).red == 0
