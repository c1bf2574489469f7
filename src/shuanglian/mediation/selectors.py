"""Disputes: who sees which (those who see their matter), the ledger's figures, the judicial-confirmation
window of agreements (People's Mediation Law Art. 33)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuanglian.core import clock
from shuanglian.core.exceptions import NotFound
from shuanglian.core.scoped import get_visible
from shuanglian.divisions.filtersets import division_for_within, within_q
from shuanglian.divisions.models import Division
from shuanglian.matters.selectors import visibility_q

from .choices import MediationOutcome
from .models import CONFIRMATION_DAYS, Dispute, MediationAgreement


def _for_matter(q: Q, prefix: str = "matter__") -> Q:
    """A filter on Matter, rewritten for a model that points to it."""
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    out.children = [_for_matter(c, prefix) if isinstance(c, Q) else (prefix + c[0], c[1]) for c in q.children]
    return out


def dispute_list_visible_to(user) -> QuerySet[Dispute]:
    """Disputes whose matter the user may see (matters' visibility: the subtree, or what one's organization holds)."""
    q = visibility_q(user)
    if q is None:
        return Dispute.objects.none()
    return (Dispute.objects.filter(_for_matter(q))
            .select_related("matter", "matter__grid", "matter__village", "matter__township", "agreement"))


def dispute_get_for_user(user, pk) -> Dispute:
    return get_visible(dispute_list_visible_to(user)
                       .select_related("matter__county", "matter__holder_user", "matter__holder_organization")
                       .prefetch_related("parties", "mediators", "sessions"),
                       pk, what="dispute", message=_("No such dispute that you may see."))




def screened_in_year_q(year: int) -> Q:
    return Q(screened_on__gte=dt.date(year, 1, 1), screened_on__lt=dt.date(year + 1, 1, 1))


def dispute_stats(user, year: int, within: Division | str | None = None) -> dict:
    """Disputes screened in `year` that the user may see (under `within`, a division or its code), how
    many were mediated successfully, and the success rate (mediated / screened, 3 decimals; None when
    none were screened). The figures are always the user's own scope: a division outside it counts 0
    here; the API answers 404 for it instead."""
    rows = dispute_list_visible_to(user).filter(screened_in_year_q(year))
    if isinstance(within, str):
        division = division_for_within(within)
        if division is None:
            raise NotFound(_("No division %(code)s.") % {"code": within})
        within = division
    if within is not None:
        rows = rows.filter(within_q(within, prefix="matter__"))
    counts = rows.order_by().aggregate(screened=Count("pk"),
                                       mediated=Count("pk", filter=Q(outcome=MediationOutcome.MEDIATED)))
    screened, mediated = counts["screened"] or 0, counts["mediated"] or 0
    return {"screened": screened, "mediated": mediated, "success_rate": success_rate(mediated, screened)}


def success_rate(mediated: int, screened: int) -> float | None:
    if not screened:
        return None
    return float((Decimal(mediated) / Decimal(screened)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


# The judicial confirmation window (Art. 33).

class Window:
    APPLIED = "applied"  # applied for within the window
    OPEN = "open"  # still open, more than the warning period left
    CLOSING = "closing"  # closes within the warning period
    LAPSED = "lapsed"  # closed without an application
    NONE = ""  # no agreement


WINDOW_LABELS = {
    Window.APPLIED: gettext_lazy("confirmation applied for"),
    Window.OPEN: gettext_lazy("confirmation window open"),
    Window.CLOSING: gettext_lazy("confirmation window closing"),
    Window.LAPSED: gettext_lazy("confirmation window closed without application"),
}
WARN_DAYS = 7


@dataclass(frozen=True)
class ConfirmationWindow:
    state: str
    deadline: dt.date | None
    days_left: int | None  # days from today to the deadline (0: the last day); None once applied or lapsed

    @property
    def label(self) -> str:
        return str(WINDOW_LABELS.get(self.state, ""))


def confirmation_window(agreement: MediationAgreement | None, *, today: dt.date | None = None,
                        warn_days: int = WARN_DAYS) -> ConfirmationWindow:
    if agreement is None:
        return ConfirmationWindow(Window.NONE, None, None)
    today = today or clock.today()
    deadline = agreement.confirmation_deadline
    if agreement.confirmation_applied_on:
        return ConfirmationWindow(Window.APPLIED, deadline, None)
    if today > deadline:
        return ConfirmationWindow(Window.LAPSED, deadline, None)
    left = (deadline - today).days
    return ConfirmationWindow(Window.CLOSING if left <= warn_days else Window.OPEN, deadline, left)


def _effective_for_deadline(deadline: dt.date) -> dt.date:
    return deadline - dt.timedelta(days=CONFIRMATION_DAYS)


def confirmation_q(state: str, *, today: dt.date | None = None, days: int = WARN_DAYS) -> Q:
    """Disputes by the state of their agreement's confirmation window, as a filter (an indexable range
    on effective_on: the deadline is effective_on + 30 days)."""
    today = today or clock.today()
    pending = Q(agreement__isnull=False, agreement__confirmation_applied_on__isnull=True)
    if state == Window.APPLIED:
        return Q(agreement__confirmation_applied_on__isnull=False)
    if state == Window.LAPSED:  # the deadline has passed: effective_on + 30 < today
        return pending & Q(agreement__effective_on__lt=_effective_for_deadline(today))
    if state == Window.CLOSING:  # today <= deadline <= today + days
        return pending & Q(agreement__effective_on__gte=_effective_for_deadline(today),
                           agreement__effective_on__lte=_effective_for_deadline(today + dt.timedelta(days=days)))
    if state == Window.OPEN:  # neither applied for nor lapsed
        return pending & Q(agreement__effective_on__gte=_effective_for_deadline(today))
    raise ValueError(state)


def agreements_closing(user, *, days: int = WARN_DAYS, today: dt.date | None = None) -> QuerySet[Dispute]:
    """Disputes whose agreement's confirmation window closes within `days` days without an application."""
    return dispute_list_visible_to(user).filter(confirmation_q(Window.CLOSING, today=today, days=days)) \
        .order_by("agreement__effective_on", "pk")


def agreements_lapsed(user, *, today: dt.date | None = None) -> QuerySet[Dispute]:
    """Disputes whose agreement's confirmation window closed without an application."""
    return dispute_list_visible_to(user).filter(confirmation_q(Window.LAPSED, today=today)) \
        .order_by("-agreement__effective_on", "pk")
