"""Who may do what in village affairs: village cadres record in their village, township cadres review the
filing step (报审) under their township, the county office and auditors read."""
from django.utils.translation import gettext as _

from shuanglian.access.roles import RECORD_VILLAGE_AFFAIRS, REVIEW_VILLAGE_AFFAIRS, VIEW_VILLAGE_AFFAIRS
from shuanglian.access.scope import has_capability, scope_for
from shuanglian.core.exceptions import PermissionDenied


def may_view(user) -> bool:
    return user is None or not scope_for(user, VIEW_VILLAGE_AFFAIRS).empty


def may_record(user, division) -> bool:
    return user is None or has_capability(user, RECORD_VILLAGE_AFFAIRS, division)


def may_review(user, division) -> bool:
    return user is None or has_capability(user, REVIEW_VILLAGE_AFFAIRS, division)


def may_record_anywhere(user) -> bool:
    return user is None or not scope_for(user, RECORD_VILLAGE_AFFAIRS).empty


def require_view(user) -> None:
    if not may_view(user):
        raise PermissionDenied(_("You may not see village affairs."))


def require_record(user, division) -> None:
    if not may_record(user, division):
        raise PermissionDenied(_("You may not record village affairs for %(division)s.") % {"division": division})


def require_review(user, division) -> None:
    if not may_review(user, division):
        raise PermissionDenied(_("You may not review the village matters of %(division)s.") % {"division": division})
