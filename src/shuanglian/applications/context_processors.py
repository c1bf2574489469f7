from functools import cache


def service_nav(request):
    """Whether the navigation shows the counter and the applications. From postings and grants, not
    capabilities alone: a clerk posted at an agent point may hold no grant at all, and the county office
    holds the capability to handle applications but has no counter of its own. Lazy, and asked once."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def nav():
        from . import policies, selectors

        return {"counter": selectors.may_use_counter(user), "applications": policies.may_view_any(user)}

    return {"service_nav": nav}
