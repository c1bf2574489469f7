"""The audit trail: services append events; `shuanglian audit verify` checks the hash chain."""
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from . import clock
from .context import current
from .exceptions import ValidationFailed
from .models import AuditChainHead, AuditEvent


def _normalise(value: Any) -> Any:
    """What a JSON column gives back: dates, decimals and UUIDs as strings."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def _utc_iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


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
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


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
        )
        event.hash = event_hash(event)
        event.save()
        AuditChainHead.objects.filter(id=1).update(seq=event.seq, hash=event.hash)
    return event


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    problem: str = ""
    broken_seq: int | None = None


def verify(chunk_size: int = 5000) -> VerifyResult:
    head = AuditChainHead.objects.filter(id=1).first() or AuditChainHead()
    expected_seq, expected_prev = head.base_seq + 1, head.base_hash
    checked = 0
    rows = AuditEvent.objects.order_by("seq").iterator(chunk_size=chunk_size)
    for event in rows:
        if event.seq < expected_seq:
            return VerifyResult(False, checked, f"event #{event.seq} lies before the chain's base", event.seq)
        if event.seq != expected_seq:
            return VerifyResult(
                False, checked, f"event #{expected_seq} is missing (next present is #{event.seq})", expected_seq
            )
        if event.prev_hash != expected_prev:
            return VerifyResult(
                False, checked, f"event #{event.seq} does not link to event #{event.seq - 1}", event.seq
            )
        if event_hash(event) != event.hash:
            return VerifyResult(False, checked, f"event #{event.seq} was altered after it was written", event.seq)
        expected_seq, expected_prev = event.seq + 1, event.hash
        checked += 1
    if expected_seq - 1 != head.seq or expected_prev != head.hash:
        return VerifyResult(
            False, checked, f"events after #{expected_seq - 1} are missing (chain head is #{head.seq})", expected_seq
        )
    return VerifyResult(True, checked)


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


