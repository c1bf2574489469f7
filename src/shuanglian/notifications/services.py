"""Sending notifications: in-app inbox rows in bulk, and a text message where asked for."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from shuanglian.core import audit, clock

from . import sms
from .models import Notification


@dataclass
class Message:
    recipients: Iterable
    kind: str
    title: str
    body: str = ""
    url: str = ""
    obj: object = None
    text_message: bool = False


def notify(*, recipients: Iterable, kind: str, title: str, body: str = "", url: str = "", obj=None,
           text_message: bool = False) -> int:
    """Queue one notification per distinct recipient (users or user ids); written with the caller's
    transaction, text messages sent only after it commits."""
    return notify_many([Message(recipients, kind, title, body, url, obj, text_message)])


def notify_many(messages: Iterable[Message]) -> int:
    """Many messages in one INSERT (the deadline sweep tells hundreds of holders at once)."""
    now = clock.now()
    rows, texts = [], []
    for m in messages:
        ids = sorted({getattr(r, "pk", r) for r in m.recipients if r is not None})
        object_type = audit.type_of(m.obj) if m.obj is not None else ""
        object_id = str(m.obj.pk) if m.obj is not None else ""
        rows.extend(Notification(recipient_id=i, kind=m.kind, title=m.title[:200], body=m.body, url=m.url,
                                 object_type=object_type, object_id=object_id, created_at=now) for i in ids)
        if m.text_message:
            texts.extend((i, f"{m.title} {m.url}".strip()) for i in ids)
    Notification.objects.bulk_create(rows, batch_size=2000)
    if texts:
        phones = {u.pk: u.phone.reveal() for u in get_user_model().objects.filter(
            pk__in={i for i, _t in texts}, is_active=True).only("phone") if u.phone}
        outgoing = [(phones[i], text) for i, text in texts if i in phones]
        transaction.on_commit(lambda: [sms.send(phone, text) for phone, text in outgoing])
    return len(rows)


def notification_mark_read(*, actor, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own notifications read (all unread ones when ids is None)."""
    rows = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=clock.now())
