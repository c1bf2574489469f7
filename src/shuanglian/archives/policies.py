"""Who may see and change archives. Scope comes from the grants; duties from access.roles."""
from django.utils.translation import gettext as _

from shuanglian.access.roles import (
    EDIT_ARCHIVES,
    IMPORT_ARCHIVES,
    REVEAL_PII,
    VIEW_ARCHIVES,
    VIEW_ARCHIVES_PII,
)
from shuanglian.access.scope import has_capability, scope_for
from shuanglian.core.exceptions import PermissionDenied


def _covers(actor, capability, record) -> bool:
    return actor is None or scope_for(actor, capability).covers_record(record)


def require_edit(actor, record) -> None:
    if not _covers(actor, EDIT_ARCHIVES, record):
        raise PermissionDenied(_("You may not change archives here."))


def require_edit_division(actor, division) -> None:
    if actor is not None and not has_capability(actor, EDIT_ARCHIVES, division):
        raise PermissionDenied(_("You may not change archives in %(division)s.") % {"division": division})


def require_reveal(actor, record) -> None:
    if not _covers(actor, REVEAL_PII, record):
        raise PermissionDenied(_("You may not reveal personal information of this person."))


# ---------------------------------------------------------------- what the pages ask (links, buttons, menus)


def may_view(actor, record) -> bool:
    return _covers(actor, VIEW_ARCHIVES, record)


def may_view_somewhere(actor) -> bool:
    return actor is None or not scope_for(actor, VIEW_ARCHIVES).empty


def may_import_somewhere(actor) -> bool:
    return actor is None or not scope_for(actor, IMPORT_ARCHIVES).empty


def may_edit(actor, record) -> bool:
    return _covers(actor, EDIT_ARCHIVES, record)


def may_view_pii(actor, record) -> bool:
    """ID numbers, phones and sensitive tags, masked (the same scope as selectors.pii_scope)."""
    return _covers(actor, VIEW_ARCHIVES_PII, record)


def may_reveal(actor, record) -> bool:
    return _covers(actor, REVEAL_PII, record)
