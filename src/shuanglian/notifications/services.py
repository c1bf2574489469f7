"""Sending notifications: in-app inbox rows in bulk, and a text message where asked for."""
from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from shuanglian.core import clock

from . import sms
from .models import Notification


def notify(*, recipients: Iterable, kind: str, title: str, body: str = "", url: str = "", obj=None,
           text_message: bool = False) -> int:
    """Queue one notification per distinct recipient (users or user ids); written with the caller's
    transaction, text messages sent only after it commits."""
    from shuanglian.accounts.models import User

    ids = sorted({getattr(r, "pk", r) for r in recipients if r is not None})
    if not ids:
        return 0
    now = clock.now()
    object_type = obj._meta.label_lower if obj is not None else ""
    object_id = str(obj.pk) if obj is not None else ""
    Notification.objects.bulk_create([
        Notification(recipient_id=i, kind=kind, title=title[:200], body=body, url=url, object_type=object_type,
                     object_id=object_id, created_at=now) for i in ids])
    if text_message:
        phones = [u.phone.reveal() for u in User.objects.filter(pk__in=ids, is_active=True).only("phone")
                  if u.phone]
        transaction.on_commit(lambda: [sms.send(p, f"{title} {url}".strip()) for p in phones])
    return len(ids)


def notification_mark_read(*, actor, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own notifications read (all unread ones when ids is None)."""
    rows = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=clock.now())
