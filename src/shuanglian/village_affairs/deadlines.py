"""Village affairs' clocks on the one sweep: the township's review of a filed matter (报审), and each village's
disclosure periods (quarterly, monthly, at once after a major matter's notice). Rows that turn yellow or red
tell the village's cadres (and, for a review, the township's cadres) in the inbox."""
from __future__ import annotations

from django.db.models import Q

from shuanglian.access.roles import CAPABILITIES, RECORD_VILLAGE_AFFAIRS, REVIEW_VILLAGE_AFFAIRS
from shuanglian.accounts.models import Grant
from shuanglian.core import deadlines as engine
from shuanglian.notifications.services import Message, notify_many

from .choices import PENDING_SUFFIX
from .models import Decision, DisclosureDue

_RECORDERS = [r for r, caps in CAPABILITIES.items() if RECORD_VILLAGE_AFFAIRS in caps]
_REVIEWERS = [r for r, caps in CAPABILITIES.items() if REVIEW_VILLAGE_AFFAIRS in caps]


def _users_at(division_ids, roles) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    rows = Grant.objects.filter(revoked_at__isnull=True, role__in=roles, user__is_active=True,
                                division_id__in=set(division_ids)).values_list("division_id", "user_id")
    for division_id, user_id in rows:
        out.setdefault(division_id, set()).add(user_id)
    return out


def _review_turned(rows, state, now) -> int:
    village = _users_at([r.village_id for r in rows], _RECORDERS)
    township = _users_at([r.township_id for r in rows], _REVIEWERS)
    title = "村务报审即将超时" if state == engine.DeadlineState.YELLOW else "村务报审已超时"
    return notify_many([Message(village.get(r.village_id, set()) | township.get(r.township_id, set()),
                                "village_affairs.review", f"{title}：{r.title}", obj=r) for r in rows])


def _disclosure_turned(rows, state, now) -> int:
    village = _users_at([r.village_id for r in rows], _RECORDERS)
    title = "村务公开即将到期" if state == engine.DeadlineState.YELLOW else "村务公开已逾期"
    return notify_many([Message(village.get(r.village_id, set()), "village_affairs.disclosure",
                                f"{title}：{r.get_kind_display()}", obj=r) for r in rows])


REVIEW_CLOCK = engine.register(engine.ClockedModel(
    name="village_affairs", model=Decision, running=Q(status__endswith=PENDING_SUFFIX, deadline_at__isnull=False),
    turned=_review_turned, load=("pk", "title", "village_id", "township_id", "deadline_at")))

DISCLOSURE_CLOCK = engine.register(engine.ClockedModel(
    name="village_affairs.disclosure", model=DisclosureDue, running=Q(met_on__isnull=True),
    turned=_disclosure_turned, load=("pk", "kind", "village_id", "deadline_at")))
