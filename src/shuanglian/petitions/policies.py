"""Who may see and move petitions, and who may see a petitioner.

- The petition office is whoever holds HANDLE_PETITIONS by a division grant covering the petition (the
  `petition_officer` role at a township or the county): it registers, routes, replies, and sees
  petitioners.
- The handling unit (an organization grant with HANDLE_PETITIONS, e.g. a department) handles what is
  routed to it; the handling officer named on the petition may act on it too.
- Cadres with VIEW_PETITIONS see the petitions of their subtree and statistics, never identities.
- Art. 30: an accusation's petitioner and materials are shown only to the petition office and the
  named handling officer, and never to anyone in the accused unit.
"""
from django.utils.translation import gettext as _

from shuanglian.access.roles import HANDLE_PETITIONS, VIEW_PETITIONS
from shuanglian.access.scope import scope_for
from shuanglian.core.exceptions import PermissionDenied


def is_office(user, petition) -> bool:
    if user is None:
        return True
    return scope_for(user, HANDLE_PETITIONS, via_organizations=False).covers_record(petition)


def _in_unit(user, organization_id) -> bool:
    return bool(organization_id) and organization_id in scope_for(user, HANDLE_PETITIONS).organization_ids


def _in_accused_unit(user, petition) -> bool:
    if not petition.accused_organization_id or user is None:
        return False
    return petition.accused_organization_id in (
        scope_for(user, HANDLE_PETITIONS).organization_ids | scope_for(user, VIEW_PETITIONS).organization_ids)


def may_view(user, petition) -> bool:
    if user is None or is_office(user, petition):
        return True
    if petition.handler_id and petition.handler_id == user.pk:
        return True
    if scope_for(user, VIEW_PETITIONS, via_organizations=False).covers_record(petition):
        return True
    return _in_unit(user, petition.handling_organization_id)


def may_handle(user, petition) -> bool:
    if user is None or is_office(user, petition):
        return True
    if petition.handler_id and petition.handler_id == user.pk:
        return True
    return _in_unit(user, petition.handling_organization_id) and not _in_accused_unit(user, petition)


def may_see_identity(user, petition) -> bool:
    """The petitioner's name, phone, representatives and (for an accusation) the materials."""
    if user is None:
        return True
    if _in_accused_unit(user, petition):
        return False
    if is_office(user, petition) or (petition.handler_id and petition.handler_id == user.pk):
        return True
    return not petition.confidential and _in_unit(user, petition.handling_organization_id)


def may_register(user, division) -> bool:
    return user is None or scope_for(user, HANDLE_PETITIONS, via_organizations=False).covers(division)


def may_register_somewhere(user) -> bool:
    return user is None or bool(scope_for(user, HANDLE_PETITIONS, via_organizations=False).codes) or \
        scope_for(user, HANDLE_PETITIONS, via_organizations=False).everything


def require_register(user, division) -> None:
    if not may_register(user, division):
        raise PermissionDenied(_("Only the petition office may register petitions in %(division)s.")
                               % {"division": division})


def require_handle(user, petition) -> None:
    if not may_handle(user, petition):
        raise PermissionDenied(_("You may not act on petition %(number)s.") % {"number": petition.number})


def require_office(user, petition) -> None:
    if not is_office(user, petition):
        raise PermissionDenied(_("Only the petition office may do this on petition %(number)s.")
                               % {"number": petition.number})
