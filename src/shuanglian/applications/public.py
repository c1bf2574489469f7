"""The public status lookup: a receipt number and the last four digits of the applicant's phone answer the
status and the promised date, nothing else.

Guessing is slowed, not stopped for good: wrong guesses are counted per client address (core.http.client_ip,
which believes X-Forwarded-For only from TRUSTED_PROXIES) and per receipt number. Up to the limit each
guess is answered at once; past it a key is locked after every wrong guess for a delay that doubles
(LOCK_BASE_SECONDS up to LOCK_MAX_SECONDS), during which every answer is 429 with the seconds left. Refused
attempts do not count, so nobody can keep a citizen locked out: when the lock passes, the right digits
answer. With four digits and one guess per LOCK_MAX_SECONDS, finding them takes months.

The counter is reserved before the guess is checked (cache.incr, atomic), and past the limit one guess at a
time claims the key (cache.add, atomic), so guesses sent at once cannot all slip under the limit. The
counters live in Django's cache: with several app processes or servers, configure a shared one (Redis; the
database cache works too, though its incr is not atomic across processes).
"""
from __future__ import annotations

import hmac
import time

from django.core.cache import cache
from django.utils.translation import gettext as _

from shuanglian.core.exceptions import DomainError, NotFound, ValidationFailed

from .models import Application

LIMIT_PER_CLIENT = 10
LIMIT_PER_RECEIPT = 5
WINDOW_SECONDS = 24 * 3600  # wrong guesses are forgotten after a day without one
LOCK_BASE_SECONDS = 60
LOCK_MAX_SECONDS = 15 * 60


class TooManyGuesses(DomainError):
    code = "throttled"
    http_status = 429


def _keys(client: str, receipt_no: str) -> list[tuple[str, int]]:
    return [(f"services:lookup:client:{client}", LIMIT_PER_CLIENT),
            (f"services:lookup:receipt:{receipt_no}", LIMIT_PER_RECEIPT)]


def _reserve(key: str) -> int:
    """Count this guess before checking it; returns the count including it."""
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        return 1


def _give_back(key: str) -> None:
    try:
        cache.decr(key)
    except ValueError:
        pass


def lock_seconds(count: int, limit: int) -> int:
    """The lock after the `count`-th wrong guess: none up to the limit, then doubling, capped."""
    if count < limit:
        return 0
    return min(LOCK_BASE_SECONDS * 2 ** (count - limit), LOCK_MAX_SECONDS)


def _refuse(keys) -> TooManyGuesses:
    left = max((cache.get(f"{key}:until", 0) - time.time() for key, _limit in keys), default=0)
    retry = max(1, int(left + 0.999))
    return TooManyGuesses(_("Too many wrong guesses. Try again in %(minutes)d minutes, or ask at the service "
                            "center.") % {"minutes": max(1, (retry + 59) // 60)}, details={"retry_after": retry})


def lookup(*, receipt_no: str, phone_last4: str, client: str) -> dict:
    """{"status", "promised_date"} for a matching receipt and phone; NotFound (the same answer whether the
    receipt or the digits were wrong), ValidationFailed for a malformed guess, TooManyGuesses (429)."""
    receipt_no = (receipt_no or "").strip()[:20]
    if not (len(phone_last4 or "") == 4 and phone_last4.isdigit()):
        raise ValidationFailed(_("Give the last four digits of the phone number given when applying."),
                               details={"phone_last4": [_("Four digits.")]})
    keys = _keys(client or "unknown", receipt_no)
    counts = {key: _reserve(key) for key, _limit in keys}
    # Past the limit a key is locked (":until" set after a wrong guess); when the lock has passed, one
    # guess at a time may claim it (":gate"), so guesses at once cannot all be checked.
    claimed = []
    for key, limit in keys:
        if counts[key] > limit and (cache.get(f"{key}:until", 0) > time.time()
                                    or not cache.add(f"{key}:gate", 1, 30)):
            for k, _limit in keys:
                _give_back(k)  # a refused attempt is not a guess: it must not lengthen anyone's lock
            for k in claimed:
                cache.delete(f"{k}:gate")
            raise _refuse(keys)
        if counts[key] > limit:
            claimed.append(key)
    try:
        app = Application.objects.filter(receipt_no=receipt_no).only(
            "status", "promised_date", "applicant_phone").first()
        phone = app.applicant_phone.reveal() if app is not None else ""
        right = app is not None and len(phone) >= 4 and hmac.compare_digest(phone[-4:], phone_last4)
    finally:
        for key in claimed:
            cache.delete(f"{key}:gate")
    if not right:
        for key, limit in keys:
            seconds = lock_seconds(counts[key], limit)
            if seconds:
                cache.set(f"{key}:until", time.time() + seconds, WINDOW_SECONDS)
        raise NotFound(_("No application with that receipt number and phone."))
    # The right answer: the receipt's count starts again; the client's guess is given back (not reset,
    # or one known receipt would clear a client's count of guesses at others).
    client_key, receipt_key = (key for key, _limit in keys)
    cache.delete_many([receipt_key, f"{receipt_key}:until"])
    _give_back(client_key)
    return {"status": app.status, "promised_date": app.promised_date}
