"""Who may see and move matters. A matter is acted on where it is held: its grid, village, township
or county (division grants covering that division), or the department holding it (grants at that
organization). Upper levels may act on what is held below them; nobody acts on what is held above."""
from django.utils.translation import gettext as _

from shuanglian.access.roles import (
    CONFIGURE_MATTERS,
    HANDLE_MATTERS,
    REPORT_MATTERS,
    SUPERVISE_MATTERS,
    VIEW_ASSIGNED_MATTERS,
    VIEW_MATTERS,
)
from shuanglian.access.scope import has_capability, scope_for
from shuanglian.core.capabilities import county_wide
from shuanglian.core.exceptions import PermissionDenied

from .choices import Level


def holding_division(matter):
    """The division whose people hold the matter now (None when a department holds it)."""
    name = {Level.GRID: "grid", Level.VILLAGE: "village", Level.TOWNSHIP: "township",
            Level.COUNTY: "county"}.get(matter.level)
    return getattr(matter, name) if name else None


def may_view(user, matter) -> bool:
    if user is None:
        return True
    if scope_for(user, VIEW_MATTERS, via_organizations=False).covers_record(matter):
        return True
    orgs = scope_for(user, VIEW_ASSIGNED_MATTERS).organization_ids | scope_for(user, VIEW_MATTERS).organization_ids
    return matter.holder_organization_id in orgs


def may_handle(user, matter) -> bool:
    if user is None:
        return True
    if matter.holder_user_id and matter.holder_user_id == user.pk:
        return True
    if matter.level == Level.DEPARTMENT:
        if matter.holder_organization_id in scope_for(user, HANDLE_MATTERS).organization_ids:
            return True
        # The county office supervises the departments and may pull a matter back.
        return scope_for(user, SUPERVISE_MATTERS, via_organizations=False).covers_record(matter) and \
            _is_county_wide(user, SUPERVISE_MATTERS)
    division = holding_division(matter)
    return division is not None and scope_for(user, HANDLE_MATTERS, via_organizations=False).covers(division)


def may_see_party_identities(user, matter) -> bool:
    """ID numbers and phones of a dispute's parties (masked even then): only for those who handle the
    matter. Anyone else who may see it (a grid volunteer who reported it, say) sees names and roles."""
    return may_handle(user, matter)


def _is_county_wide(user, capability) -> bool:
    return county_wide(scope_for(user, capability, via_organizations=False))


def require_handle(user, matter) -> None:
    if not may_handle(user, matter):
        raise PermissionDenied(_("This matter is held at the %(level)s level; you may not act on it there.")
                               % {"level": matter.get_level_display()})


def require_report(user, grid) -> None:
    if user is not None and not has_capability(user, REPORT_MATTERS, grid):
        raise PermissionDenied(_("You may not record matters in %(division)s.") % {"division": grid})


def require_supervise(user, matter) -> None:
    if not may_supervise(user, matter):
        raise PermissionDenied(_("You may not supervise this matter."))


def require_configure(user) -> None:
    if user is not None and not _is_county_wide(user, CONFIGURE_MATTERS):
        raise PermissionDenied(_("Only the county office may change time limits, categories and the calendar."))


# ---------------------------------------------------------------- what the pages ask (links, buttons, menus)


def may_report_somewhere(user) -> bool:
    return not scope_for(user, REPORT_MATTERS).empty


def may_supervise_somewhere(user) -> bool:
    return not scope_for(user, SUPERVISE_MATTERS, via_organizations=False).empty


def may_configure_somewhere(user) -> bool:
    return not scope_for(user, CONFIGURE_MATTERS).empty


def may_supervise(user, matter) -> bool:
    return user is None or scope_for(user, SUPERVISE_MATTERS, via_organizations=False).covers_record(matter)


def report_divisions_q(user):
    """Divisions where the user may record matters, as a filter on Division."""
    return scope_for(user, REPORT_MATTERS).division_q()
