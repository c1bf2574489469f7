"""The audit trail: services append events; `shuanglian audit verify` checks the hash chain.

The chain is keyed: each event's hash is an HMAC-SHA256 with AUDIT_KEY, which is not in the database,
so someone who can write the database cannot recompute the hashes after changing a row. Events from
before the key (hash_version 1, plain SHA-256) still verify, but only below the first keyed event.
Signed checkpoints of the head, appended to a file outside the database (`checkpoint()`, a periodic
task), catch what the chain alone cannot: events cut off the end with the head moved back, and a
rewrite that starts over from some point.
"""
import base64
import datetime as dt
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from . import clock
from .context import current
from .exceptions import ValidationFailed
from .models import HASH_HMAC, HASH_PLAIN, AuditChainHead, AuditEvent


def _normalise(value: Any) -> Any:
    """What a JSON column gives back: dates, decimals and UUIDs as strings."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def _utc_iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


@cache
def _keys(secret: str) -> tuple[bytes, bytes]:
    """The chain's key and the checkpoints' key, both derived from AUDIT_KEY."""
    master = base64.urlsafe_b64decode(secret.encode() + b"==")
    if len(master) < 32:
        raise RuntimeError("AUDIT_KEY must hold at least 32 random bytes (urlsafe base64)")
    return (hmac.new(master, b"shuanglian audit chain", hashlib.sha256).digest(),
            hmac.new(master, b"shuanglian audit checkpoint", hashlib.sha256).digest())


def event_hash(event: AuditEvent) -> str:
    payload = [
        event.seq,
        _utc_iso(event.occurred_at),
        event.actor_id,
        event.actor_label,
        event.action,
        event.object_type,
        event.object_id,
        event.object_repr,
        event.before,
        event.after,
        event.request_id,
        event.ip,
        event.channel,
        event.prev_hash,
    ]
    if event.hash_version != HASH_PLAIN:
        payload.append(event.hash_version)  # a keyed event cannot be passed off as a plain one
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if event.hash_version == HASH_PLAIN:
        return hashlib.sha256(blob).hexdigest()
    return hmac.new(_keys(settings.AUDIT_KEY)[0], blob, hashlib.sha256).hexdigest()


def actor_label(actor) -> str:
    if actor is None:
        return "system"
    return getattr(actor, "username", None) or str(actor)


def type_of(model_or_obj: Any) -> str:
    """How the trail names a record's type: `app.model`, or the `audit_type` a model kept when it moved
    to another app (mediation, outreach), so a record's history reads as one."""
    return getattr(model_or_obj, "audit_type", "") or model_or_obj._meta.label_lower


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    object_repr: str = "",
    before: Any = None,
    after: Any = None,
) -> AuditEvent:
    """Append one event inside the caller's transaction, so it commits or rolls back with the write."""
    if obj is not None:
        object_type = object_type or type_of(obj)
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)
    ctx = current()
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        event = AuditEvent(
            seq=head.seq + 1,
            occurred_at=clock.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label=actor_label(actor),
            action=action,
            object_type=object_type,
            object_id=str(object_id or ""),
            object_repr=str(object_repr)[:300],
            before=_normalise(before),
            after=_normalise(after),
            request_id=ctx.request_id,
            ip=ctx.ip or "",
            channel=ctx.channel,
            prev_hash=head.hash,
            hash_version=HASH_HMAC,
        )
        event.hash = event_hash(event)
        event.save()
        AuditChainHead.objects.filter(id=1).update(
            seq=event.seq, hash=event.hash, hmac_from=head.hmac_from or event.seq)
    return event


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    problem: str = ""
    broken_seq: int | None = None
    checkpoints: int = 0


def verify(chunk_size: int = 5000, checkpoint_file: str | None = None) -> VerifyResult:
    """Every event's hash (keyed, or plain below the first keyed one) and link, the base justified by a
    prune event, and the chain against the signed checkpoints outside the database."""
    try:
        checkpoints = read_checkpoints(checkpoint_file)
    except CheckpointError as exc:
        return VerifyResult(False, 0, str(exc))
    head = AuditChainHead.objects.filter(id=1).first() or AuditChainHead()
    # The first keyed event as the checkpoints saw it, which the database cannot move.
    hmac_from = min((c["hmac_from"] for c in checkpoints if c.get("hmac_from")), default=None)
    by_seq = {c["seq"]: c for c in checkpoints}
    expected_seq, expected_prev = head.base_seq + 1, head.base_hash
    base_pruned = head.base_seq == 0
    keyed_seen = False
    checked = 0
    result = None
    rows = AuditEvent.objects.order_by("seq").iterator(chunk_size=chunk_size)
    for event in rows:
        if event.seq < expected_seq:
            result = VerifyResult(False, checked, f"event #{event.seq} lies before the chain's base", event.seq)
            break
        if event.seq != expected_seq:
            result = VerifyResult(
                False, checked, f"event #{expected_seq} is missing (next present is #{event.seq})", expected_seq
            )
            break
        if event.prev_hash != expected_prev:
            result = VerifyResult(
                False, checked, f"event #{event.seq} does not link to event #{event.seq - 1}", event.seq
            )
            break
        if event.hash_version == HASH_PLAIN and (keyed_seen or (hmac_from is not None and event.seq >= hmac_from)):
            result = VerifyResult(False, checked, f"event #{event.seq} has a plain hash where the chain is keyed "
                                  "(rewritten without the key)", event.seq)
            break
        if event_hash(event) != event.hash:
            result = VerifyResult(False, checked, f"event #{event.seq} was altered after it was written "
                                  "(or its hash recomputed without the audit key)", event.seq)
            break
        seen = by_seq.get(event.seq)
        if seen is not None and seen["hash"] != event.hash:
            result = VerifyResult(False, checked, f"event #{event.seq} differs from the checkpoint of {seen['at']} "
                                  "(the chain was rewritten from there)", event.seq)
            break
        if (event.action == "audit.prune" and event.after
                and (event.after.get("through_seq"), event.after.get("through_hash")) == (head.base_seq, head.base_hash)):
            base_pruned = True
        keyed_seen = keyed_seen or event.hash_version != HASH_PLAIN
        expected_seq, expected_prev = event.seq + 1, event.hash
        checked += 1
    if result is None and (expected_seq - 1 != head.seq or expected_prev != head.hash):
        result = VerifyResult(
            False, checked, f"events after #{expected_seq - 1} are missing (chain head is #{head.seq})", expected_seq
        )
    if result is None and not base_pruned:
        result = VerifyResult(False, checked, f"events #1 to #{head.base_seq} were deleted without `audit prune` "
                              "(no prune event records the chain's base)", head.base_seq)
    if result is None and checkpoints:
        last = max(checkpoints, key=lambda c: c["seq"])
        if last["seq"] > head.seq:
            result = VerifyResult(False, checked, f"events after #{head.seq} are missing: the checkpoint of "
                                  f"{last['at']} saw the chain at #{last['seq']}", head.seq + 1)
        else:
            at_base = by_seq.get(head.base_seq)
            if at_base is not None and head.base_seq and at_base["hash"] != head.base_hash:
                result = VerifyResult(False, checked, f"the chain's base #{head.base_seq} differs from the "
                                      f"checkpoint of {at_base['at']}", head.base_seq)
    if result is None:
        result = VerifyResult(True, checked)
    result.checkpoints = len(checkpoints)
    return result


# --- Checkpoints of the head, outside the database -------------------------------------------------

class CheckpointError(Exception):
    pass


def _signature(fields: dict) -> str:
    blob = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(_keys(settings.AUDIT_KEY)[1], blob, hashlib.sha256).hexdigest()


def _checkpoint_path(path: str | None) -> Path | None:
    path = settings.AUDIT_CHECKPOINT_FILE if path is None else path
    return Path(path) if path else None


def checkpoint(*, path: str | None = None) -> dict | None:
    """Append a signed line {seq, hash, at, base_seq, base_hash, hmac_from, sig} for the chain head to
    the checkpoint file (created 0600, opened append-only, fsynced). None when checkpoints are off."""
    target = _checkpoint_path(path)
    if target is None:
        return None
    head = AuditChainHead.objects.filter(id=1).first() or AuditChainHead()
    fields = {"seq": head.seq, "hash": head.hash, "at": _utc_iso(clock.now()), "base_seq": head.base_seq,
              "base_hash": head.base_hash, "hmac_from": head.hmac_from}
    line = json.dumps({**fields, "sig": _signature(fields)}, sort_keys=True) + "\n"
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return fields


def read_checkpoints(path: str | None = None) -> list[dict]:
    """The checkpoints, each checked against its signature; a forged or altered line is an error."""
    target = _checkpoint_path(path)
    if target is None or not target.exists():
        return []
    checkpoints = []
    for number, line in enumerate(target.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            sig = entry.pop("sig")
        except (ValueError, KeyError, AttributeError):
            raise CheckpointError(f"{target}:{number}: not a checkpoint line") from None
        if not hmac.compare_digest(sig, _signature(entry)):
            raise CheckpointError(f"{target}:{number}: checkpoint not signed with the audit key (forged or altered)")
        checkpoints.append(entry)
    return checkpoints


def retention_floor() -> dt.datetime:
    days = max(183, settings.AUDIT_MIN_RETENTION_DAYS)
    return clock.now() - dt.timedelta(days=days)


def prune(*, actor, before: dt.datetime) -> int:
    """Delete events older than `before`, never younger than the retention period; the chain's base moves up."""
    floor = retention_floor()
    if before > floor:
        raise ValidationFailed(
            f"events younger than {settings.AUDIT_MIN_RETENTION_DAYS} days (before {floor:%Y-%m-%d}) are kept",
            code="retention",
        )
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        last = AuditEvent.objects.filter(occurred_at__lt=before).order_by("-seq").first()
        if last is None:
            return 0
        count = models.QuerySet.delete(AuditEvent.objects.filter(seq__lte=last.seq))[0]
        AuditChainHead.objects.filter(id=1).update(base_seq=last.seq, base_hash=last.hash)
        record(actor=actor, action="audit.prune", object_type="core.auditevent",
               after={"through_seq": last.seq, "through_hash": last.hash, "deleted": count})
    return count


