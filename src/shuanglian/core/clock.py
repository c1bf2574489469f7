"""The one clock. Everything that asks "what time is it" asks here, so tests can freeze it."""
import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())
