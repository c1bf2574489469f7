"""The deadline sweep: set each open matter's deadline state, raise yellow and red cards, notify.

Set-based and idempotent: a matter's new state follows from the time alone, each change is one
conditional UPDATE over the rows still in the old state, and the cards' unique constraint stops a
second card for the same stage. Two sweeps at once: on PostgreSQL the second skips the rows the
first has locked and then finds them already changed; on SQLite writes are serialized.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q

from shuanglian.core import audit, clock
from shuanglian.notifications.services import Message, notify_many

from . import recipients
from .choices import Card, DeadlineState, Status
from .models import Matter, Supervision
from .services import CARD_TITLES, matter_url

_SWEPT = Q(status__in=[Status.REPORTED, Status.ACCEPTED, Status.HANDLING, Status.RESOLVED]) & ~Q(stage="")
_BATCH = 2000


@dataclass
class SweepResult:
    at: dt.datetime
    yellow: int = 0
    red: int = 0
    back_to_ok: int = 0
    notified: int = 0

    def __str__(self):
        return (f"sweep at {self.at.isoformat()}: {self.red} turned red, {self.yellow} turned yellow, "
                f"{self.back_to_ok} back on time, {self.notified} notifications")


def sweep_deadlines(*, at: dt.datetime | None = None, actor=None) -> SweepResult:
    now = at or clock.now()
    result = SweepResult(at=now)
    red_q = _SWEPT & Q(deadline_at__lt=now)
    yellow_q = _SWEPT & Q(deadline_at__gte=now, yellow_at__lt=now)
    result.red = _promote(red_q & ~Q(deadline_state=DeadlineState.RED), DeadlineState.RED, Card.RED, now, result)
    result.yellow = _promote(yellow_q & Q(deadline_state=DeadlineState.OK), DeadlineState.YELLOW, Card.YELLOW, now,
                             result)
    # A deadline moved later (resumed, limit changed): the colour goes back, the card already raised stays.
    result.back_to_ok = Matter.objects.filter(_SWEPT & ~Q(deadline_state=DeadlineState.OK) & Q(
        yellow_at__gte=now)).update(deadline_state=DeadlineState.OK)
    if result.red or result.yellow or result.back_to_ok:
        with transaction.atomic():
            audit.record(actor=actor, action="matters.sweep", object_type="matters.matter",
                         object_repr=str(result), after={"red": result.red, "yellow": result.yellow,
                                                         "back_to_ok": result.back_to_ok})
    return result


def _promote(q: Q, state: str, card: str, now: dt.datetime, result: SweepResult) -> int:
    changed = 0
    while True:
        with transaction.atomic():
            rows = Matter.objects.filter(q).order_by("pk")
            if connection.features.has_select_for_update_skip_locked:
                rows = rows.select_for_update(skip_locked=True, of=("self",))
            batch = list(rows.only("pk", "cycle", "stage", "level", "deadline_at", "number", "title", "holder_user_id",
                                   "holder_organization_id", "grid_id", "village_id", "township_id",
                                   "county_id", "supervision")[:_BATCH])
            if not batch:
                return changed
            ids = [m.pk for m in batch]
            # The state condition again: a concurrent sweep may have changed these rows already.
            won = Matter.objects.filter(q, pk__in=ids).update(deadline_state=state, supervision=card)
            if won != len(ids):
                fresh = set(Matter.objects.filter(pk__in=ids, deadline_state=state, supervision=card)
                            .values_list("pk", flat=True))
                batch = [m for m in batch if m.pk in fresh]
            Supervision.objects.bulk_create(
                [Supervision(matter_id=m.pk, card=card, cycle=m.cycle, stage=m.stage, level=m.level,
                             deadline_at=m.deadline_at, raised_at=now) for m in batch], ignore_conflicts=True)
            result.notified += _notify(batch, card)
            changed += len(batch)
        if len(ids) < _BATCH:
            return changed


def _notify(matters: list[Matter], card: str) -> int:
    if not matters:
        return 0
    holders = recipients.holders_bulk(matters)
    supervisors = recipients.supervisors_bulk(matters)
    title = str(CARD_TITLES[card])
    return notify_many(Message(holders.get(m.pk, set()) | supervisors.get(m.pk, set()), f"matter.{card}_card",
                               title % {"number": m.number}, m.title, matter_url(m), m, card == Card.RED)
                       for m in matters)
