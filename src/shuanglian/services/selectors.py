"""Reads of the full-process service, scoped: staff see their point's applications (and those forwarded to
their center), a department those assigned to it, division grants their subtree. Statistics too."""
from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from shuanglian.accounts.roles import VIEW_APPLICATIONS
from shuanglian.core.exceptions import NotFound
from shuanglian.core.permissions import scope_for

from . import policies
from .choices import PointKind, Status
from .models import Application, ServiceItem, ServicePoint, StaffPosting


def _within_q(division, prefix: str = "") -> Q:
    if division is None:
        return Q()
    return Q(**{f"{prefix}{division.level}_id": division.pk})


def service_point_list(*, kind: str | None = None, within=None) -> QuerySet[ServicePoint]:
    """Public: the points, their hours and staff on duty."""
    rows = ServicePoint.objects.filter(is_active=True).filter(_within_q(within))
    if kind:
        rows = rows.filter(kind=kind)
    return rows.select_related("division", "township", "village", "center").prefetch_related("staff").order_by(
        "division__code", "kind")


def service_item_list(*, search: str = "", point=None) -> QuerySet[ServiceItem]:
    """Public: the catalog (the guide handed to every household)."""
    rows = ServiceItem.objects.filter(is_active=True).select_related("department")
    if search:
        rows = rows.filter(Q(name__icontains=search) | Q(code__icontains=search) | Q(department__name__icontains=search))
    if point is not None and point.kind == PointKind.AGENT_POINT:
        rows = rows.filter(accepted_at="any")
    return rows


def visibility_q(user) -> Q | None:
    if user is None:
        return Q()
    divisions = scope_for(user, VIEW_APPLICATIONS, via_organizations=False)
    if divisions.everything:
        return Q()
    orgs = sorted(scope_for(user, VIEW_APPLICATIONS).organization_ids)
    points = sorted(policies.posted_point_ids(user))
    if not divisions.codes and not orgs and not points:
        return None
    q = divisions.record_q() if divisions.codes else Q(pk__in=[])
    if orgs:
        q |= Q(point__organization_id__in=orgs) | Q(center__organization_id__in=orgs) | Q(department_id__in=orgs)
    if points:
        q |= Q(point_id__in=points) | Q(center_id__in=points)
    return q


def application_list_visible_to(user) -> QuerySet[Application]:
    q = visibility_q(user)
    if q is None:
        return Application.objects.none()
    return Application.objects.filter(q).select_related("item", "point", "center", "department", "township",
                                                        "village")


def application_get_for_user(user, pk) -> Application:
    try:
        return application_list_visible_to(user).get(pk=pk)
    except (Application.DoesNotExist, ValueError, TypeError):
        raise NotFound("application not found") from None


def service_stats(user, *, within=None) -> dict:
    """Centers, agent points and staff in `within` (public figures); applications by status and the on-time
    rate of those the user may see."""
    points = ServicePoint.objects.filter(is_active=True).filter(_within_q(within))
    counts = dict(points.values_list("kind").annotate(n=Count("pk")).order_by())
    staff = StaffPosting.objects.filter(is_active=True, point__is_active=True).filter(
        _within_q(within, "point__")).count()
    apps = application_list_visible_to(user).filter(_within_q(within))
    by_status = {s: 0 for s in Status.values}
    for status, n in apps.values_list("status").annotate(n=Count("pk")).order_by():
        by_status[status] = n
    closed = apps.filter(on_time__isnull=False).aggregate(total=Count("pk"), on_time=Count("pk", filter=Q(on_time=True)))
    rate = round(closed["on_time"] / closed["total"], 4) if closed["total"] else None
    return {"centers": counts.get(PointKind.CENTER, 0), "agent_points": counts.get(PointKind.AGENT_POINT, 0),
            "staff": staff, "applications": sum(by_status.values()), "by_status": by_status,
            "closed": closed["total"], "on_time": closed["on_time"], "on_time_rate": rate}
