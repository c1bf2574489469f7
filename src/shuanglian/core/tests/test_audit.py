"""The audit trail: every service write appends an event; the chain detects tampering."""
import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection

from shuanglian.core import audit
from shuanglian.core.context import action_context
from shuanglian.core.models import AuditChainHead, AuditEvent
from shuanglian.divisions.services import division_rename


def _raw(sql, params=()):
    """Tamper as a database owner would: around the triggers that guard the table."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET session_replication_role = replica")  # a superuser silencing the triggers
            cur.execute(sql, params)
            cur.execute("SET session_replication_role = DEFAULT")
        else:
            cur.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
            cur.execute("DROP TRIGGER IF EXISTS core_auditevent_no_delete")
            cur.execute(sql, params)


def _verify_exit(capsys):
    with pytest.raises(SystemExit) as exc:
        call_command("audit", "verify")
    return exc.value.code, capsys.readouterr().err


def test_service_write_records_actor_before_after_and_request(district, personas):
    with action_context(request_id="req-123", ip="10.1.2.3", channel="web"):
        division_rename(actor=personas.county_office, division=district.village, name="樟潭新社区")
    event = AuditEvent.objects.filter(action="division.rename").get()
    assert event.actor == personas.county_office
    assert event.before["name"] == "樟潭社区" and event.after["name"] == "樟潭新社区"
    assert (event.request_id, event.ip, event.channel) == ("req-123", "10.1.2.3", "web")
    assert event.object_id == str(district.village.pk)


def test_verify_passes_on_an_intact_chain(district, personas, capsys):
    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert "intact" in out
    assert int(out.split(":")[1].split()[0]) == AuditEvent.objects.count() > 10


def test_altered_row_is_named(district, personas, capsys):
    victim = AuditEvent.objects.order_by("seq")[5]
    _raw("UPDATE core_auditevent SET object_repr = %s WHERE seq = %s", ["forged", victim.seq])
    code, err = _verify_exit(capsys)
    assert code == 1
    assert f"event #{victim.seq} was altered" in err


def test_removed_row_is_named(district, personas, capsys):
    victim = AuditEvent.objects.order_by("seq")[3]
    _raw("DELETE FROM core_auditevent WHERE seq = %s", [victim.seq])
    code, err = _verify_exit(capsys)
    assert code == 1
    assert f"event #{victim.seq} is missing" in err


def test_rows_cut_off_the_end_are_detected(district, personas, capsys):
    last = AuditEvent.objects.order_by("-seq").first()
    _raw("DELETE FROM core_auditevent WHERE seq = %s", [last.seq])
    code, err = _verify_exit(capsys)
    assert code == 1
    assert "missing" in err and f"#{last.seq}" in err


def test_rewritten_hash_breaks_the_next_link(district, personas, capsys):
    """Recomputing a forged row's own hash is not enough: the next row still links to the old one."""
    victim = AuditEvent.objects.order_by("seq")[2]
    victim.object_repr = "forged"
    forged_hash = audit.event_hash(victim)
    _raw("UPDATE core_auditevent SET object_repr = %s, hash = %s WHERE seq = %s", ["forged", forged_hash, victim.seq])
    code, err = _verify_exit(capsys)
    assert code == 1
    assert f"event #{victim.seq + 1} does not link" in err


def test_the_orm_refuses_updates_and_deletes(district):
    event = AuditEvent.objects.first()
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()


def test_database_refuses_update(district):
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE core_auditevent SET action = 'x'")


def test_database_refuses_deleting_young_events(district):
    """On SQLite as on PostgreSQL: a trigger, not only the ORM."""
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError, match="younger"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM core_auditevent")


def test_prune_keeps_six_months_and_moves_the_base(district, time_machine, capsys):
    count = AuditEvent.objects.count()
    time_machine.move_to(dt.datetime(2027, 12, 1, tzinfo=dt.UTC))
    with pytest.raises(Exception, match="younger"):
        call_command("audit", "prune", "--before", "2027-11-01")
    # The database's own floor uses its clock, not ours: prune through the ORM path only when old enough.
    if connection.vendor == "postgresql":
        return
    call_command("audit", "prune", "--before", "2027-05-01")
    assert AuditEvent.objects.filter(action="audit.prune").count() == 1
    assert AuditEvent.objects.count() == 1
    head = AuditChainHead.objects.get()
    assert head.base_seq == count
    call_command("audit", "verify")
    assert "intact" in capsys.readouterr().out
