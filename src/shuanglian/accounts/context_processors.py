from django.conf import settings

from shuanglian.access.roles import ADMINISTRATION, CAPABILITIES
from shuanglian.access.scope import active_grants


def grants(request):
    """The signed-in user's roles, for the navigation. Lazy: pages that never ask pay nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def caps():
        found = set()
        for g in active_grants(user):
            found |= CAPABILITIES.get(g.role, set())
        if user.is_superuser:
            found |= ADMINISTRATION  # an administrator only, as access.scope says
        return {c.replace(".", "_"): True for c in found}

    return {"my_caps": caps}


def mfa_banner(request):
    """Every page says so while the second factor is turned off (MFA_REQUIRED=0, a local trial)."""
    return {"mfa_off": not settings.MFA_REQUIRED}
