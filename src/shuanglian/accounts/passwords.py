"""The password lifecycle's rules: when a change is due, and which former passwords may not come back.

A password chosen by someone else (an administrator creating the account or resetting its password)
must be changed at the next sign-in; every password expires PASSWORD_MAX_AGE_DAYS after it was set
(0: never); a new password may not be one of the last PASSWORD_HISTORY. Passwords set by the system
(commands, the demo builder, the test world: actor None) are not temporary: the demo prints its
accounts for a local trial, and they sign in without a forced change.
"""
import datetime as dt

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.utils.translation import gettext as _

from shuanglian.core import clock
from shuanglian.core.exceptions import DomainError, ValidationFailed

from .models import PasswordHistory, User

REQUIRED, EXPIRED = "required", "expired"


class PasswordChangeRequired(DomainError):
    code = "password_change_required"
    http_status = 403


def change_due(user) -> str | None:
    """REQUIRED (someone else chose it), EXPIRED (too old), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.must_change_password:
        return REQUIRED
    days = settings.PASSWORD_MAX_AGE_DAYS
    if days and user.password_changed_at and user.password_changed_at + dt.timedelta(days=days) <= clock.now():
        return EXPIRED
    return None


def due_message(reason: str) -> str:
    if reason == EXPIRED:
        return _("Your password is more than %(n)d days old. Choose a new one to continue.") % {
            "n": settings.PASSWORD_MAX_AGE_DAYS}
    return _("Your password was set by an administrator. Choose your own to continue.")


def require_current(user) -> None:
    """Refuse (403, password_change_required) while a change is due."""
    reason = change_due(user)
    if reason:
        raise PasswordChangeRequired(due_message(reason), details={"reason": reason})


def refuse_reuse(user: User, password: str) -> None:
    keep = settings.PASSWORD_HISTORY
    if not keep or user.pk is None:
        return
    for former in user.password_history.order_by("-set_at", "-pk")[:keep]:
        if check_password(password, former.password):
            raise ValidationFailed(
                _("This password was used recently. Choose one that differs from your last %(n)d.") % {"n": keep},
                code="password_reused", details={"password": ["reused"]})


def remember(user: User) -> None:
    """Keep the user's current hash in the history, and only the last PASSWORD_HISTORY of them."""
    PasswordHistory.objects.create(user=user, password=user.password, set_at=clock.now())
    keep = max(settings.PASSWORD_HISTORY, 1)
    stale = user.password_history.order_by("-set_at", "-pk").values_list("pk", flat=True)[keep:]
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()
