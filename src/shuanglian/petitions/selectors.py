"""Reads of petitions, scoped: the subtree one's grants cover (petition office and cadres), what is routed to
one's unit, and what names one as handling officer. Out of scope reads as 404."""
from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractMonth

from shuanglian.access.roles import HANDLE_PETITIONS, VIEW_PETITIONS
from shuanglian.access.scope import scope_for
from shuanglian.core import figures
from shuanglian.core.figures import Period
from shuanglian.core.scoped import get_visible
from shuanglian.divisions.filtersets import visibility_q as scoped_visibility_q
from shuanglian.divisions.models import Division

from . import figures as pf
from .models import BacklogCase, BacklogStandard, Petition, Transition


def visibility_q(user) -> Q | None:
    """The filter for petitions the user may see; None when they may see none."""
    if user is None:
        return Q()
    views = scope_for(user, VIEW_PETITIONS, via_organizations=False)
    office = scope_for(user, HANDLE_PETITIONS, via_organizations=False)
    orgs = scope_for(user, HANDLE_PETITIONS).organization_ids
    extra = Q(handler_id=user.pk) if getattr(user, "pk", None) else Q(pk__in=[])
    if orgs:
        extra |= Q(handling_organization_id__in=sorted(orgs))
    return scoped_visibility_q(views, office, extra=extra)


def petition_list_visible_to(user) -> QuerySet[Petition]:
    q = visibility_q(user)
    if q is None:
        return Petition.objects.none()
    return Petition.objects.filter(q).select_related("subject", "township", "handling_organization", "handler")


def petition_get_for_user(user, pk) -> Petition:
    return get_visible(petition_list_visible_to(user).select_related("county", "division", "person"), pk,
                       what="petition")


def petition_timeline(petition: Petition) -> QuerySet[Transition]:
    return petition.transitions.select_related("actor").order_by("at", "id")


def backlog_list_visible_to(user) -> QuerySet[BacklogCase]:
    if user is None:
        return BacklogCase.objects.all()
    q = scoped_visibility_q(scope_for(user, VIEW_PETITIONS, via_organizations=False),
                            scope_for(user, HANDLE_PETITIONS, via_organizations=False))
    return BacklogCase.objects.none() if q is None else BacklogCase.objects.filter(q).select_related("township")


def may_see_statistics_of(user, division) -> bool:
    """Statistics of a subtree: for whoever sees petitions there (no identities are in them)."""
    if user is None:
        return True
    return (scope_for(user, VIEW_PETITIONS, via_organizations=False).covers(division)
            or scope_for(user, HANDLE_PETITIONS, via_organizations=False).covers(division))


# ---------------------------------------------------------------- statistics

DEFAULT_STANDARD = Decimal("0.60")  # the provincial standard when none is set for the year (60% in 2010)
# Which action ends which stage, for the on-time rates (the timeline row says whether it was in time).
STAGE_ACTIONS = {"route": ["route"], "notice": ["accept", "not_accept"], "reply": ["reply"],
                 "review": ["answer_review"], "rereview": ["answer_rereview"]}


def backlog_standard(year: int) -> Decimal:
    row = BacklogStandard.objects.filter(year=year).first()
    return row.rate if row is not None else DEFAULT_STANDARD


def _pair(name: str, year: int, within) -> dict:
    value = figures.compute(name, year=year, within=within)
    return {"value": value.value, "previous": value.previous, "change": value.change}


def _destination(year: int, within, batches: str, person_times: str) -> dict:
    b, p = _pair(batches, year, within), _pair(person_times, year, within)
    return {"batches": b["value"], "person_times": p["value"], "batches_previous": b["previous"],
            "person_times_previous": p["previous"], "batches_change": b["change"], "person_times_change": p["change"]}


def petition_statistics(*, year: int, within: Division | None) -> dict:
    """The petition statistics of a year in a subtree, from the records (no identities in them): received,
    to Beijing and the province (batches and person-times), by channel, category and subject, by month,
    on-time rates per stage, and the backlog cases with the resolution rate, standard and margin."""
    received = _pair(pf.RECEIVED.name, year, within)
    period = Period.year(year)
    rows = Petition.objects.filter(pf.received_q(period, within))
    by = {key: dict(rows.values_list(key).annotate(n=Count("id")).order_by(key).values_list(key, "n"))
          for key in ("channel", "category", "subject__name", "lodged_at")}
    months = dict(rows.annotate(m=ExtractMonth("received_on")).values_list("m").annotate(n=Count("id"))
                  .order_by("m").values_list("m", "n"))
    on_time = {}
    transitions = Transition.objects.filter(petition__in=rows)
    for stage, actions in STAGE_ACTIONS.items():
        ended = transitions.filter(action__in=actions)
        total = ended.count()
        in_time = ended.filter(details__on_time=True).count() if total else 0
        on_time[stage] = {"ended": total, "on_time": in_time,
                          "rate": figures.rate(in_time, total) if total else None}
    cases = _pair(pf.BACKLOG_CASES.name, year, within)
    closed = _pair(pf.BACKLOG_CLOSED.name, year, within)
    pledged = _pair(pf.BACKLOG_PLEDGED.name, year, within)
    resolution = figures.rate(closed["value"], cases["value"], places=pf.RESOLUTION_PLACES,
                              rounding=pf.RESOLUTION_ROUNDING)
    standard = backlog_standard(year)
    return {
        "year": year, "within": within.code if within is not None else None,
        "received": received["value"], "received_previous": received["previous"],
        "received_change": received["change"],
        "beijing": _destination(year, within, pf.BEIJING_BATCHES.name, pf.BEIJING_PERSON_TIMES.name),
        "province": _destination(year, within, pf.PROVINCE_BATCHES.name, pf.PROVINCE_PERSON_TIMES.name),
        "by_channel": by["channel"], "by_category": by["category"], "by_subject": by["subject__name"],
        "by_destination": by["lodged_at"], "by_month": {m: months.get(m, 0) for m in range(1, 13)},
        "on_time": on_time,
        "backlog": {"cases": cases["value"], "closed": closed["value"], "pledged": pledged["value"],
                    "cases_previous": cases["previous"], "closed_previous": closed["previous"],
                    "pledged_previous": pledged["previous"],
                    "resolution_rate": resolution, "standard": standard,
                    "margin": (resolution - standard) * 100 if resolution is not None else None},
    }
