"""Who is told about a matter: its holders, and their supervisors one level up. Bulk-friendly, so
the deadline sweep asks once for a thousand matters."""
from __future__ import annotations

from collections import defaultdict

from django.urls import reverse

from shuanglian.access.roles import CAPABILITIES, HANDLE_MATTERS, SUPERVISE_MATTERS
from shuanglian.accounts.models import Grant
from shuanglian.organizations.choices import Function
from shuanglian.organizations.models import Organization

from .choices import Level

HANDLER_ROLES = [r for r, caps in CAPABILITIES.items() if HANDLE_MATTERS in caps]
_SUPERVISOR_ROLES = [r for r, caps in CAPABILITIES.items() if SUPERVISE_MATTERS in caps]
_DIVISION_OF_LEVEL = {Level.GRID: "grid_id", Level.VILLAGE: "village_id", Level.TOWNSHIP: "township_id",
                      Level.COUNTY: "county_id"}
# Who supervises a level: the division one step up (the county office supervises itself and departments).
_SUPERVISOR_LEVEL = {Level.GRID: Level.VILLAGE, Level.VILLAGE: Level.TOWNSHIP, Level.TOWNSHIP: Level.COUNTY,
                     Level.COUNTY: Level.COUNTY, Level.DEPARTMENT: Level.COUNTY}


def _users_at(division_ids, organization_ids, roles) -> tuple[dict, dict]:
    by_division, by_org = defaultdict(set), defaultdict(set)
    if not division_ids and not organization_ids:
        return by_division, by_org
    grants = Grant.objects.filter(revoked_at__isnull=True, role__in=roles, user__is_active=True)
    for user_id, division_id in grants.filter(division_id__in=division_ids).values_list("user_id", "division_id"):
        by_division[division_id].add(user_id)
    for user_id, org_id in grants.filter(organization_id__in=organization_ids).values_list("user_id",
                                                                                          "organization_id"):
        by_org[org_id].add(user_id)
    return by_division, by_org


def holders_bulk(matters) -> dict[int, set[int]]:
    """matter id -> ids of the users holding it: the person, else the organization's members, else
    those granted a handling role exactly at the holding division."""
    division_ids = {getattr(m, _DIVISION_OF_LEVEL[m.level]) for m in matters if m.level in _DIVISION_OF_LEVEL}
    org_ids = {m.holder_organization_id for m in matters if m.holder_organization_id}
    by_division, by_org = _users_at(division_ids - {None}, org_ids, HANDLER_ROLES)
    found = {}
    for m in matters:
        if m.holder_user_id:
            found[m.pk] = {m.holder_user_id}
        elif m.holder_organization_id and by_org.get(m.holder_organization_id):
            found[m.pk] = set(by_org[m.holder_organization_id])
        elif m.level in _DIVISION_OF_LEVEL:
            found[m.pk] = set(by_division.get(getattr(m, _DIVISION_OF_LEVEL[m.level]), ()))
        else:
            found[m.pk] = set()
    return found


def supervisors_bulk(matters) -> dict[int, set[int]]:
    """matter id -> ids of the supervisors one level above where it is held."""
    wanted = {m.pk: getattr(m, _DIVISION_OF_LEVEL[_SUPERVISOR_LEVEL[m.level]]) for m in matters}
    roles = list({*_SUPERVISOR_ROLES, *HANDLER_ROLES})
    by_division, _ = _users_at(set(wanted.values()) - {None}, set(), roles)
    return {pk: set(by_division.get(division_id, ())) for pk, division_id in wanted.items()}


def holders(matter) -> set[int]:
    return holders_bulk([matter])[matter.pk]


def contact_day_office(matter) -> Organization | None:
    """The county's contact-day office (民情沟通日办公室), which receives what townships cannot solve."""
    if matter.county_id is None:
        return None
    return (Organization.objects.filter(function=Function.CONTACT_DAY_OFFICE, is_active=True,
                                        division_id=matter.county_id).order_by("pk").first())


def matter_url(matter) -> str:
    """Where a notification about the matter leads: reversed, so it follows the URLconf."""
    return reverse("matters:detail", kwargs={"pk": matter.pk})
