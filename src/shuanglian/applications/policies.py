"""Who may accept and move applications, and who edits the catalog.

An application is acted on by the staff of the point that accepted it or of the center handling it
(a staff posting, or a grant at the point's organization), by members of the department it is
assigned to, and by users whose division grants (`services.handle_applications`) cover where it was
accepted (the county office). A grant at an organization never widens to the division it serves.
"""
from django.utils.translation import gettext as _

from shuanglian.access.roles import HANDLE_APPLICATIONS, MANAGE_SERVICE_CATALOG, VIEW_APPLICATIONS
from shuanglian.access.scope import scope_for
from shuanglian.core.capabilities import county_wide
from shuanglian.core.exceptions import PermissionDenied


def posted_point_ids(user) -> set[int]:
    """The points where the user is on duty (active postings); cached on the user for the request."""
    cache = user.__dict__.get("_service_postings")
    if cache is None:
        from .models import StaffPosting

        cache = set(StaffPosting.objects.filter(user=user, is_active=True).values_list("point_id", flat=True))
        user.__dict__["_service_postings"] = cache
    return cache


def serves_at(user, point, capability: str = HANDLE_APPLICATIONS) -> bool:
    if point is None:
        return False
    if point.pk in posted_point_ids(user):
        return True
    return point.organization_id is not None and point.organization_id in scope_for(user, capability).organization_ids


def may_accept_at(user, point) -> bool:
    if user is None:
        return True
    return serves_at(user, point) or scope_for(user, HANDLE_APPLICATIONS, via_organizations=False).covers_record(point)


def held_at_agent_point(application) -> bool:
    """An agent point holds what it accepted until it forwards it to the center."""
    from .choices import PointKind, Status

    status = application.resume_status if application.status == Status.AWAITING_MATERIALS else application.status
    return application.point.kind == PointKind.AGENT_POINT and status == Status.ACCEPTED


def may_act(user, application) -> bool:
    if user is None:
        return True
    if serves_at(user, application.center):
        return True
    if serves_at(user, application.point) and (application.point_id == application.center_id
                                                or held_at_agent_point(application)):
        return True
    if application.department_id and application.department_id in scope_for(user, HANDLE_APPLICATIONS).organization_ids:
        return True
    return scope_for(user, HANDLE_APPLICATIONS, via_organizations=False).covers_record(application)


def require_accept_at(user, point) -> None:
    if not may_accept_at(user, point):
        raise PermissionDenied(_("You do not serve at %(point)s.") % {"point": point.name})


def require_act(user, application) -> None:
    if not may_act(user, application):
        raise PermissionDenied(_("You may not act on application %(receipt)s.") % {"receipt": application.receipt_no})


def may_manage_catalog(user) -> bool:
    if user is None:
        return True
    return county_wide(scope_for(user, MANAGE_SERVICE_CATALOG, via_organizations=False))


def require_manage_catalog(user) -> None:
    if not may_manage_catalog(user):
        raise PermissionDenied(_("Only the county office may edit service points and the service catalog."))


def may_view_any(user) -> bool:
    return bool(user is not None and (not scope_for(user, VIEW_APPLICATIONS).empty or posted_point_ids(user)))
