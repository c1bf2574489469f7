"""The public status lookup: a receipt number and the last four digits of the applicant's phone answer the
status and the promised date, nothing else. Wrong guesses are counted per client and per receipt number;
past the limit every answer is 429 until the window passes, right guesses included, so the four digits
cannot be found by trying.

The counters live in Django's cache. The default (locmem) is per process: with several app processes or
servers, configure a shared cache (Redis, or Django's database cache) so they count together.
"""
from __future__ import annotations

import hmac

from django.core.cache import cache
from django.utils.translation import gettext as _

from shuanglian.core.exceptions import DomainError, NotFound, ValidationFailed

from .models import Application

LIMIT_PER_CLIENT = 10
LIMIT_PER_RECEIPT = 5
WINDOW_SECONDS = 3600


class TooManyGuesses(DomainError):
    code = "throttled"
    http_status = 429


def _keys(client: str, receipt_no: str) -> tuple[str, str]:
    return f"services:lookup:client:{client}", f"services:lookup:receipt:{receipt_no}"


def _count(key: str) -> None:
    cache.add(key, 0, WINDOW_SECONDS)  # starts the window on the first wrong guess
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)


def lookup(*, receipt_no: str, phone_last4: str, client: str) -> dict:
    """{"status", "promised_date"} for a matching receipt and phone; NotFound (the same answer whether the
    receipt or the digits were wrong), ValidationFailed for a malformed guess, TooManyGuesses (429)."""
    receipt_no = (receipt_no or "").strip()[:20]
    client_key, receipt_key = _keys(client or "unknown", receipt_no)
    if cache.get(client_key, 0) >= LIMIT_PER_CLIENT or cache.get(receipt_key, 0) >= LIMIT_PER_RECEIPT:
        raise TooManyGuesses(_("Too many wrong guesses. Try again later, or ask at the service center."),
                             details={"retry_after": WINDOW_SECONDS})
    if not (len(phone_last4 or "") == 4 and phone_last4.isdigit()):
        raise ValidationFailed(_("Give the last four digits of the phone number given when applying."),
                               details={"phone_last4": [_("Four digits.")]})
    app = Application.objects.filter(receipt_no=receipt_no).only("status", "promised_date", "applicant_phone").first()
    phone = app.applicant_phone.reveal() if app is not None else ""
    if app is None or len(phone) < 4 or not hmac.compare_digest(phone[-4:], phone_last4):
        _count(client_key)
        _count(receipt_key)
        raise NotFound(_("No application with that receipt number and phone."))
    return {"status": app.status, "promised_date": app.promised_date}
