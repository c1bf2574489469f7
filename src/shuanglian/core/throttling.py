"""API throttles per user (signed in) and per client address (anonymous), DRF's, with their rates read
from the settings at each request: `API_THROTTLE_USER` and `API_THROTTLE_ANON` ("1200/hour"; empty turns
one off). Counters live in the default cache: with several app processes set CACHE_URL so they share one."""
from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class UserThrottle(UserRateThrottle):
    """Each signed-in user (token or session) has their own budget, whatever address they come from."""

    def get_rate(self) -> str | None:
        return getattr(settings, "API_THROTTLE_USER", "") or None


class AnonThrottle(AnonRateThrottle):
    def get_rate(self) -> str | None:
        return getattr(settings, "API_THROTTLE_ANON", "") or None
