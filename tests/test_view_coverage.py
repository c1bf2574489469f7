"""Every URL of the project is checked three ways (shuanglian.testing.views) or says here why not."""
import importlib

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

# Open to anyone by design: the login pages, the language switch, the API's token, password change (it works
# before a token can be had, with the old password; tested in accounts/tests/test_passwords.py),
# the citizens' service guide and their status look-up by receipt (rate-limited, tested in its app), the
# service points the guide lists, and a village's public disclosure board.
PUBLIC = {
    "accounts:login", "accounts:logout", "set_language", "api-token", "api-password-change",
    "services:guide", "services:status", "api-public-application-status",
    "api-service-point-list", "api-service-point-detail",
    "village_affairs:public-board",  # what a village disclosed, read-only, no personal information
}


def url_names() -> set[str]:
    def walk(resolver, namespace=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (
                    entry.namespace or namespace)
                yield from walk(entry, inner)
            elif isinstance(entry, URLPattern) and entry.name:
                yield f"{namespace}:{entry.name}" if namespace else entry.name

    return set(walk(get_resolver()))


def covered() -> set[str]:
    names: set[str] = set()
    for config in apps.get_app_configs():
        if not config.name.startswith("shuanglian."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.test_three_ways")
        except ModuleNotFoundError:
            continue
        names |= set(module.CASES)
    return names


def test_every_case_names_a_url():
    assert covered() - url_names() == set()


def test_every_url_is_covered_three_ways_or_public():
    missing = url_names() - covered() - PUBLIC - NOT_YET
    assert not missing, f"URLs with no three-way case: {sorted(missing)}"
    assert not (NOT_YET & covered()), "covered now: take these off NOT_YET"

# Views without a three-way case yet (none now): a new view comes with its case instead.
NOT_YET: set[str] = set()
