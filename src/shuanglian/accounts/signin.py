"""Login protection and the sign-in audit trail, shared by the web login and the API token endpoint.

An account is locked for LOGIN_LOCKOUT_MINUTES after LOGIN_LOCKOUT_FAILURES wrong passwords in a row.
A client address that keeps failing (any usernames) past LOGIN_ADDRESS_FREE_FAILURES within an hour
must wait before its next try, twice as long after each further failure (at most
LOGIN_ADDRESS_MAX_DELAY_SECONDS): guessing slows down without locking out the people behind a shared
address. The account lock lives in the database, the address counter in the shared cache (CACHE_URL).
Every sign-in, failure, lock and sign-out is an audit event.
"""
import datetime as dt

from django.conf import settings
from django.contrib.auth import authenticate as django_authenticate
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from shuanglian.core import audit, clock
from shuanglian.core.exceptions import DomainError, ValidationFailed
from shuanglian.core.http import client_ip

from .models import User


class AccountLocked(DomainError):
    code = "account_locked"
    http_status = 403


class TooManyAttempts(DomainError):
    code = "too_many_attempts"
    http_status = 429


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _locked_error(until: dt.datetime) -> AccountLocked:
    return AccountLocked(
        _("This account is locked after too many wrong passwords, until %(until)s. Try again then, or ask an "
          "administrator to reset the password.") % {"until": _local(until)},
        details={"locked_until": until.isoformat()})


def _address_keys(address: str) -> tuple[str, str]:
    return f"signin:failures:{address}", f"signin:wait:{address}"


def _check_address(address: str) -> None:
    if not address:
        return
    wait_until = cache.get(_address_keys(address)[1])
    now = clock.now().timestamp()
    if wait_until and wait_until > now:
        seconds = int(wait_until - now) + 1
        raise TooManyAttempts(
            _("Too many failed sign-ins from your address. Wait %(n)d seconds before trying again.") % {"n": seconds},
            details={"retry_after": seconds})


def _count_address_failure(address: str) -> None:
    if not address:
        return
    count_key, wait_key = _address_keys(address)
    cache.add(count_key, 0, timeout=3600)
    try:
        count = cache.incr(count_key)  # atomic in every cache backend that shares state
    except ValueError:  # expired between add and incr
        cache.set(count_key, 1, timeout=3600)
        count = 1
    over = count - settings.LOGIN_ADDRESS_FREE_FAILURES
    if over > 0:
        delay = min(2 ** (over - 1), settings.LOGIN_ADDRESS_MAX_DELAY_SECONDS)
        cache.set(wait_key, clock.now().timestamp() + delay, timeout=delay + 1)


def _record_failure(username: str, user: User | None) -> dt.datetime | None:
    """Count one wrong password; return the end of the lock when this failure locks the account."""
    with transaction.atomic():
        if user is None:
            audit.record(actor=None, action="auth.login_failed", object_type="accounts.user",
                         object_repr=username[:150], after={"username": username[:150], "known": False})
            return None
        User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
        failures = User.objects.values_list("failed_logins", flat=True).get(pk=user.pk)
        audit.record(actor=None, action="auth.login_failed", obj=user,
                     after={"username": user.username, "known": True, "failures": failures})
        if failures < settings.LOGIN_LOCKOUT_FAILURES:
            return None
        until = clock.now() + dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=until)
        audit.record(actor=None, action="auth.lockout", obj=user,
                     after={"username": user.username, "failures": failures, "locked_until": until})
        return until


def check_password(*, request, username: str, password: str, purpose: str = "login") -> User:
    """The account for these credentials, or a DomainError saying why not (wrong, locked, slowed down).

    Failures are committed before the error is raised, so the count holds although the request fails.
    `purpose` names what the password opens ("login", "token", "password_change") in the audit trail.
    """
    address = client_ip(request)
    _check_address(address)
    user = User.objects.filter(username=username).first()
    if user is not None and user.locked_until and user.locked_until > clock.now():
        with transaction.atomic():
            audit.record(actor=None, action="auth.login_refused", obj=user,
                         after={"username": user.username, "reason": "locked", "purpose": purpose})
        raise _locked_error(user.locked_until)
    found = django_authenticate(request, username=username, password=password)
    if found is None:
        # An inactive account lands here too: the answer does not say which part was wrong.
        until = _record_failure(username, user)
        _count_address_failure(address)
        if until is not None:
            raise _locked_error(until)
        raise ValidationFailed(_("Unable to log in with the username and password given."))
    with transaction.atomic():
        if found.failed_logins or found.locked_until:
            User.objects.filter(pk=found.pk).update(failed_logins=0, locked_until=None)
            found.failed_logins, found.locked_until = 0, None
        audit.record(actor=found, action="auth.login", obj=found, after={"purpose": purpose})
    return found


def unlock(user: User) -> None:
    """Clear a lock (an administrator set a new password). The caller audits its own change."""
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    user.failed_logins, user.locked_until = 0, None


def record_logout(user, *, reason: str = "user") -> None:
    if getattr(user, "is_authenticated", False):
        with transaction.atomic():
            audit.record(actor=user, action="auth.logout", obj=user, after={"reason": reason})
