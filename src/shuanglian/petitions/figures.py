"""The petition figures, declared once with core.figures: what the statistics API, page and export read
(and the dashboards later). Each counts records of the period in a division subtree."""
from __future__ import annotations

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from shuanglian.core import figures
from shuanglian.core.figures import Figure, Period
from shuanglian.divisions.filtersets import within_q

from .choices import Lodged
from .models import BacklogCase, Petition


def received_q(period: Period, within) -> Q:
    """Petitions received in the period, by their original date (a transfer from above counts once, on the
    day it was lodged there)."""
    return within_q(within) & Q(received_on__gte=period.start, received_on__lt=period.end)


def _received(period: Period, within) -> int:
    return Petition.objects.filter(received_q(period, within)).count()


def _batches(lodged: str):
    def count(period: Period, within) -> int:
        return Petition.objects.filter(received_q(period, within), lodged_at=lodged).count()
    return count


def _person_times(lodged: str):
    def count(period: Period, within) -> int:
        found = Petition.objects.filter(received_q(period, within), lodged_at=lodged).aggregate(n=Sum("person_times"))
        return found["n"] or 0
    return count


def backlog_q(period: Period, within) -> Q:
    return within_q(within) & Q(year=period.start.year)


def _backlog(extra: Q):
    def count(period: Period, within) -> int:
        return BacklogCase.objects.filter(backlog_q(period, within) & extra).count()
    return count


RECEIVED = figures.declare(Figure("petitions.received", _("petitions received"), _received))
BEIJING_BATCHES = figures.declare(Figure("petitions.beijing_batches", _("batches to Beijing"),
                                         _batches(Lodged.BEIJING)))
BEIJING_PERSON_TIMES = figures.declare(Figure("petitions.beijing_person_times", _("person-times to Beijing"),
                                              _person_times(Lodged.BEIJING)))
PROVINCE_BATCHES = figures.declare(Figure("petitions.province_batches", _("batches to the province"),
                                          _batches(Lodged.PROVINCE)))
PROVINCE_PERSON_TIMES = figures.declare(Figure("petitions.province_person_times", _("person-times to the province"),
                                               _person_times(Lodged.PROVINCE)))
BACKLOG_CASES = figures.declare(Figure("petitions.backlog_cases", _("backlog cases"), _backlog(Q())))
BACKLOG_CLOSED = figures.declare(Figure("petitions.backlog_closed", _("backlog cases closed"),
                                        _backlog(Q(closed_on__isnull=False))))
BACKLOG_PLEDGED = figures.declare(Figure("petitions.backlog_pledged", _("withdrawal pledges signed"),
                                         _backlog(Q(pledged_on__isnull=False))))
# The resolution rate (closed / cases) is cut, not rounded, to one decimal of a percent: the provincial
# rule the seed follows (52 / 60 = 86.67% is reported as 86.6%).
RESOLUTION_PLACES, RESOLUTION_ROUNDING = 1, figures.DOWN
