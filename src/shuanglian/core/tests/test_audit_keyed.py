"""The keyed audit chain and its checkpoints outside the database (finding 3): someone with write access
to the database but not the key cannot cut the end, cut the start or recompute the hashes unnoticed."""
import json
import os
import stat

import pytest
from django.core.management import call_command

from shuanglian.core import audit, tasks
from shuanglian.core.models import HASH_HMAC, HASH_PLAIN, AuditChainHead, AuditEvent
from shuanglian.divisions.services import division_rename

from .test_audit import _raw, _verify_exit


@pytest.fixture
def checkpoints(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_FILE = str(tmp_path / "anchor" / "audit-checkpoints.jsonl")
    return tmp_path / "anchor" / "audit-checkpoints.jsonl"


def _plain(event: AuditEvent) -> str:
    """What the unkeyed chain computed: SHA-256 of the event, which anyone can recompute."""
    event.hash_version = HASH_PLAIN
    return audit.event_hash(event)


def test_new_events_are_keyed_with_a_key_outside_the_database(district, personas, settings):
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.hash_version == HASH_HMAC and audit.event_hash(event) == event.hash
    assert event.hash != _plain(AuditEvent.objects.get(pk=event.pk))
    settings.AUDIT_KEY = "b" * 43
    assert audit.event_hash(event) != event.hash  # another key, another hash
    assert AuditChainHead.objects.get().hmac_from <= AuditEvent.objects.order_by("seq").first().seq + 1


def test_recomputed_hashes_without_the_key_are_detected(district, personas, capsys):
    """Forge one row and recompute every later hash, as the unkeyed chain allowed."""
    events = list(AuditEvent.objects.order_by("seq"))
    victim = events[4]
    prev = events[3].hash
    for event in events[4:]:
        if event.seq == victim.seq:
            event.object_repr = "forged"
        event.prev_hash = prev
        event.hash = _plain(event)
        _raw("UPDATE core_auditevent SET object_repr = %s, prev_hash = %s, hash = %s, hash_version = %s "
             "WHERE seq = %s", [event.object_repr, event.prev_hash, event.hash, event.hash_version, event.seq])
        prev = event.hash
    _raw("UPDATE core_auditchainhead SET hash = %s", [prev])
    code, err = _verify_exit(capsys)
    assert code == 1 and f"event #{victim.seq} has a plain hash where the chain is keyed" in err


def test_events_cut_off_the_end_with_the_head_moved_back_are_caught_by_the_checkpoint(
        district, personas, checkpoints, capsys):
    call_command("audit", "checkpoint")
    last = AuditEvent.objects.order_by("-seq")[:3]
    keep = last[2]
    _raw("DELETE FROM core_auditevent WHERE seq > %s", [keep.seq])
    _raw("UPDATE core_auditchainhead SET seq = %s, hash = %s", [keep.seq, keep.hash])
    code, err = _verify_exit(capsys)
    assert code == 1
    assert f"events after #{keep.seq} are missing: the checkpoint of" in err and f"#{last[0].seq}" in err


def test_a_deleted_prefix_with_the_base_moved_is_detected(district, personas, capsys):
    cut = AuditEvent.objects.order_by("seq")[5]
    _raw("DELETE FROM core_auditevent WHERE seq <= %s", [cut.seq])
    _raw("UPDATE core_auditchainhead SET base_seq = %s, base_hash = %s", [cut.seq, cut.hash])
    code, err = _verify_exit(capsys)
    assert code == 1 and f"events #1 to #{cut.seq} were deleted without `audit prune`" in err


def test_a_rewrite_from_a_checkpointed_event_is_detected(district, personas, checkpoints, capsys):
    """Even with the key leaked later, the checkpoint of the earlier head pins what the chain was."""
    call_command("audit", "checkpoint")
    head = AuditChainHead.objects.get()
    victim = AuditEvent.objects.get(seq=head.seq)
    victim.object_repr = "forged"
    forged = audit.event_hash(victim)  # with the key
    _raw("UPDATE core_auditevent SET object_repr = 'forged', hash = %s WHERE seq = %s", [forged, victim.seq])
    _raw("UPDATE core_auditchainhead SET hash = %s", [forged])
    code, err = _verify_exit(capsys)
    assert code == 1 and f"event #{victim.seq} differs from the checkpoint" in err


def test_checkpoints_are_signed_appended_and_private(district, personas, checkpoints, capsys):
    call_command("audit", "checkpoint")
    division_rename(actor=personas.county_office, division=district.village, name="樟潭新社区")
    assert "core.audit_checkpoint" in tasks.REGISTRY and tasks.REGISTRY["core.audit_checkpoint"].every
    tasks.REGISTRY["core.audit_checkpoint"].func()  # the periodic task appends the second line
    lines = checkpoints.read_text().splitlines()
    assert len(lines) == 2 and stat.S_IMODE(os.stat(checkpoints).st_mode) == 0o600
    second = json.loads(lines[1])
    assert second["seq"] == AuditChainHead.objects.get().seq and second["sig"]
    call_command("audit", "verify")
    assert "2 checkpoints matched" in capsys.readouterr().out
    # A line forged by someone without the key (say, to hide a truncation) is refused.
    second["seq"] -= 1
    checkpoints.write_text(lines[0] + "\n" + json.dumps(second) + "\n")
    code, err = _verify_exit(capsys)
    assert code == 1 and "not signed with the audit key" in err


def test_events_from_before_the_key_still_verify(district, personas, capsys):
    """A chain begun unkeyed (version 1 events) and continued keyed, as an upgraded install has it."""
    events = list(AuditEvent.objects.order_by("seq"))
    prev = AuditChainHead.objects.get().base_hash
    for event in events[:10]:
        event.prev_hash = prev
        event.hash = _plain(event)
        _raw("UPDATE core_auditevent SET prev_hash = %s, hash = %s, hash_version = 1 WHERE seq = %s",
             [event.prev_hash, event.hash, event.seq])
        prev = event.hash
    for event in events[10:]:
        event.prev_hash = prev
        event.hash = audit.event_hash(event)
        _raw("UPDATE core_auditevent SET prev_hash = %s, hash = %s WHERE seq = %s",
             [event.prev_hash, event.hash, event.seq])
        prev = event.hash
    _raw("UPDATE core_auditchainhead SET hash = %s, hmac_from = %s", [prev, events[10].seq])
    call_command("audit", "verify")
    assert "intact" in capsys.readouterr().out
