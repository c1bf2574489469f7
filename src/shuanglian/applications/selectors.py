"""Reads of the full-process service, scoped: staff see their point's applications (and those forwarded to
their center), a department those assigned to it, division grants their subtree. Statistics too."""
from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from shuanglian.access.roles import HANDLE_APPLICATIONS, VIEW_APPLICATIONS, Role
from shuanglian.access.scope import scope_for
from shuanglian.accounts.models import Grant, User
from shuanglian.core.exceptions import ValidationFailed
from shuanglian.core.scoped import get_visible
from shuanglian.divisions.filtersets import visibility_q as scoped_visibility_q
from shuanglian.divisions.filtersets import within_q
from shuanglian.organizations.models import Organization

from . import policies
from .choices import PointKind, Status
from .models import Application, Complaint, ServiceItem, ServicePoint, StaffPosting, Transition


def service_point_list(*, kind: str | None = None, within=None) -> QuerySet[ServicePoint]:
    """Public: the points, their hours and staff on duty."""
    rows = ServicePoint.objects.filter(is_active=True).filter(within_q(within))
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
    extra = None
    if orgs:
        extra = Q(point__organization_id__in=orgs) | Q(center__organization_id__in=orgs) | Q(department_id__in=orgs)
    if points:
        at_points = Q(point_id__in=points) | Q(center_id__in=points)
        extra = at_points if extra is None else extra | at_points
    return scoped_visibility_q(divisions, extra=extra)


def application_list_visible_to(user) -> QuerySet[Application]:
    q = visibility_q(user)
    if q is None:
        return Application.objects.none()
    return Application.objects.filter(q).select_related("item", "point", "center", "department", "township",
                                                        "village")


def application_get_for_user(user, pk) -> Application:
    return get_visible(application_list_visible_to(user), pk, what="application")


def service_stats(user, *, within=None) -> dict:
    """Centers, agent points and full-time staff in `within` (public figures); applications by status and the
    on-time rate (closed on or before the promised date) of those the user may see."""
    points = ServicePoint.objects.filter(is_active=True).filter(within_q(within))
    counts = dict(points.values_list("kind").annotate(n=Count("pk")).order_by())
    staff = StaffPosting.objects.filter(is_active=True, full_time=True, point__is_active=True).filter(
        within_q(within, prefix="point__")).count()
    apps = application_list_visible_to(user).filter(within_q(within))
    by_status = {s: 0 for s in Status.values}
    for status, n in apps.values_list("status").annotate(n=Count("pk")).order_by():
        by_status[status] = n
    closed = apps.filter(on_time__isnull=False).aggregate(total=Count("pk"), on_time=Count("pk", filter=Q(on_time=True)))
    rate = round(closed["on_time"] / closed["total"], 4) if closed["total"] else None
    return {"centers": counts.get(PointKind.CENTER, 0), "agent_points": counts.get(PointKind.AGENT_POINT, 0),
            "staff": staff, "applications": sum(by_status.values()), "by_status": by_status,
            "closed": closed["total"], "on_time": closed["on_time"], "on_time_rate": rate}


NEAR_DUE_WORKING_DAYS = 2
# The statuses whose clock runs: waiting for materials stops it, closed ones are done.
RUNNING_STATUSES = (Status.ACCEPTED, Status.FORWARDED, Status.HANDLING)
DEADLINE_STATES = ("overdue", "near_due", "fine")


def near_due_until(today):
    """The last promised date that counts as near due on `today`."""
    from shuanglian.core.calendar import work_calendar

    return work_calendar().add_working_days(today, NEAR_DUE_WORKING_DAYS)


def deadline_q(state: str, *, today, near) -> Q:
    """Running applications overdue, due within NEAR_DUE_WORKING_DAYS working days, or fine: the board's rule."""
    running = Q(status__in=RUNNING_STATUSES)
    if state == "overdue":
        return running & Q(promised_date__lt=today)
    if state == "near_due":
        return running & Q(promised_date__gte=today, promised_date__lte=near)
    return running & Q(promised_date__gt=near)


def deadline_state(app, *, today, near) -> str:
    """The same rule for one row already loaded (no query); "" when its clock does not run."""
    if app.status not in RUNNING_STATUSES:
        return ""
    return "overdue" if app.promised_date < today else "near_due" if app.promised_date <= near else "fine"


def counter_points(user) -> QuerySet[ServicePoint]:
    """The points where the user accepts applications: their postings and their organizations' points."""
    orgs = scope_for(user, HANDLE_APPLICATIONS).organization_ids
    q = Q(pk__in=sorted(policies.posted_point_ids(user)))
    if orgs:
        q |= Q(organization_id__in=sorted(orgs))
    return ServicePoint.objects.filter(q, is_active=True).order_by("division__code_key", "kind")


def may_use_counter(user) -> bool:
    """Whether the counter has a point for the user; cached on the user for the request (the navigation and
    a services page's own sub-navigation both ask). No query on points for those with neither a posting nor
    an organization's grant: most users."""
    cached = user.__dict__.get("_may_use_counter")
    if cached is None:
        cached = bool(policies.posted_point_ids(user) or scope_for(user, HANDLE_APPLICATIONS).organization_ids) \
            and counter_points(user).exists()
        user.__dict__["_may_use_counter"] = cached
    return cached


def queue_points(user) -> QuerySet[ServicePoint]:
    """The points whose queue the user may open: where they are posted, their organizations' points, and the
    points under their division grants (the county office: all)."""
    q = Q(pk__in=sorted(policies.posted_point_ids(user)))
    orgs = scope_for(user, HANDLE_APPLICATIONS).organization_ids | scope_for(user, VIEW_APPLICATIONS).organization_ids
    if orgs:
        q |= Q(organization_id__in=sorted(orgs))
    divisions = scope_for(user, VIEW_APPLICATIONS, via_organizations=False)
    if divisions.everything:
        q = Q()
    elif divisions.codes:
        q |= divisions.record_q()
    return ServicePoint.objects.filter(q, is_active=True).order_by("division__code_key", "kind")


def application_detail_for_user(user, pk) -> Application:
    """One application with its timeline and complaints (two more queries), or NotFound."""
    return get_visible(application_list_visible_to(user).select_related("handler").prefetch_related(
        Prefetch("transitions", queryset=Transition.objects.select_related("actor")), "complaints"),
        pk, what="application", message="application not found")


def handle_targets(*, department: int | None, handler: int | None) -> tuple[Organization | None, User | None]:
    """The department and handler a "handle" step names by id, for the page and the API alike: an id that is not
    an active organization or user is refused naming its field (whether they may handle it is the service's)."""
    found_department = found_handler = None
    if department:
        found_department = Organization.objects.filter(pk=department, is_active=True).first()
        if found_department is None:
            raise ValidationFailed(_("No such department."), details={"department": [department]})
    if handler:
        found_handler = User.objects.filter(pk=handler, is_active=True).first()
        if found_handler is None:
            raise ValidationFailed(_("No such active user."), details={"handler": [handler]})
    return found_department, found_handler


def handler_choices(app) -> list[tuple[int, str]]:
    """Who may be named to handle it: staff on duty at its point or center, members of its item's department."""
    found: dict[int, str] = {}
    for s in (StaffPosting.objects.filter(point_id__in={app.point_id, app.center_id}, is_active=True,
                                          user__is_active=True).select_related("user", "point")):
        found.setdefault(s.user_id, f"{s.name} · {s.point.name}")
    for g in (Grant.objects.filter(revoked_at__isnull=True, role=Role.DEPARTMENT_MEMBER, user__is_active=True,
                                   organization_id=app.item.department_id).select_related("user", "organization")):
        found.setdefault(g.user_id, f"{g.user.display_name} · {g.organization.name}")
    return sorted(found.items(), key=lambda kv: kv[1])


def complaint_list_open(user) -> QuerySet[Complaint]:
    """Unresolved complaints against the applications the user may see, oldest first."""
    q = visibility_q(user)
    if q is None:
        return Complaint.objects.none()
    return (Complaint.objects.filter(resolved_at__isnull=True,
                                     application__in=Application.objects.filter(q).values("pk"))
            .select_related("application__item", "application__center").order_by("received_at", "id"))


_GROUPS = {"point": ("center_id", "center__name"), "department": ("department_id", "department__name"),
           "staff": ("handler_id", "handler__username")}


def supervision_board(user, *, by: str = "point", within=None, today=None) -> list[dict]:
    """Open applications per handling center (or department, or staff): how many, how many overdue, how many
    due within NEAR_DUE_WORKING_DAYS working days. Waiting for materials stops the clock: not counted late."""
    from shuanglian.core import clock

    key, label = _GROUPS[by]
    today = today or clock.today()
    near = near_due_until(today)
    running = application_list_visible_to(user).filter(within_q(within)).filter(status__in=RUNNING_STATUSES)
    rows = (running.values(key, label).annotate(open=Count("pk"),
                                                overdue=Count("pk", filter=deadline_q("overdue", today=today,
                                                                                      near=near)),
                                                near_due=Count("pk", filter=deadline_q("near_due", today=today,
                                                                                       near=near)))
            .order_by("-overdue", "-near_due", label))
    return [{"id": r[key], "name": r[label] or "", "open": r["open"], "overdue": r["overdue"],
             "near_due": r["near_due"]} for r in rows]


def supervision_divisions(user):
    """What the supervision page offers as `within`: the current county, townships and villages the user may
    see, in code order (one query). A filter on top of what they may see of the applications, never wider."""
    from shuanglian.divisions.selectors import division_list_visible_to, within_choices

    return within_choices(division_list_visible_to(user))


def monthly_performance(user, *, year: int, month: int, within=None) -> list[dict]:
    """Applications closed in a month per handling center: count, on-time rate, average duration in days."""
    import datetime as dt

    from django.utils import timezone

    first = timezone.make_aware(dt.datetime(year, month, 1))
    after = timezone.make_aware(dt.datetime(year + (month == 12), month % 12 + 1, 1))
    rows = (application_list_visible_to(user).filter(within_q(within))
            .filter(closed_at__gte=first, closed_at__lt=after)
            .values_list("center_id", "center__name", "on_time", "accepted_at", "closed_at").order_by())
    groups: dict[int, dict] = {}
    for center_id, name, on_time, accepted, closed in rows:
        g = groups.setdefault(center_id, {"id": center_id, "name": name, "closed": 0, "on_time": 0, "seconds": 0.0})
        g["closed"] += 1
        g["on_time"] += bool(on_time)
        g["seconds"] += (closed - accepted).total_seconds()
    return [{"id": g["id"], "name": g["name"], "closed": g["closed"],
             "on_time_rate": round(g["on_time"] / g["closed"], 4),
             "average_days": round(g["seconds"] / g["closed"] / 86400, 2)}
            for g in sorted(groups.values(), key=lambda g: g["name"])]
