"""Capabilities core's own pages and services check, and the one way core and divisions ask about them.

The engine that turns a user's grants into a scope (`shuanglian.access.scope.scope_for`) sits above
core and divisions, so they cannot import it; the access app installs it here at start-up
(AccessConfig.ready). Packages above access import `shuanglian.access.scope` directly: it is the
same function.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

VIEW_AUDIT = "audit.view"
# Correcting the working-day calendar (holidays, make-up days): the county office, county-wide.
CONFIGURE_CALENDAR = "calendar.configure"


class ScopeView(Protocol):
    """What core and divisions read of a scope (shuanglian.divisions.scope.Scope)."""

    everything: bool
    codes: list[str]
    levels: dict[str, str]

    @property
    def empty(self) -> bool: ...

    def covers(self, division: Any) -> bool: ...

    def division_q(self, prefix: str = "") -> Any: ...


Resolver = Callable[..., ScopeView]
_resolver: Resolver | None = None


def install_resolver(resolver: Resolver) -> None:
    global _resolver
    _resolver = resolver


def scope_for(user: Any, capability: str, *, via_organizations: bool = True) -> ScopeView:
    if _resolver is None:  # the access app is missing from INSTALLED_APPS
        raise RuntimeError("no scope resolver installed (is shuanglian.access in INSTALLED_APPS?)")
    return _resolver(user, capability, via_organizations=via_organizations)


def has_capability(user: Any, capability: str, division: Any = None) -> bool:
    scope = scope_for(user, capability)
    if division is None:
        return not scope.empty
    return scope.covers(division)


def county_wide(scope: ScopeView) -> bool:
    """Whether a scope (a user's grants for one capability) reaches a whole county: the county office's
    rules (time limits, categories, the service catalog) are county-wide."""
    return scope.everything or "county" in scope.levels.values()
