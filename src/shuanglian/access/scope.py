"""The permissions engine: a user's grants -> the part of the tree they may act in, per capability.

A grant at a division covers its subtree; a grant at an organization covers the organization and
the subtree of the division it serves. Every selector filters through a Scope.
"""
from __future__ import annotations

from typing import Any

from shuanglian.access.roles import ADMINISTRATION, CAPABILITIES

# One definition, in core (it asks the scope_for installed below); the apps import it from here.
from shuanglian.core.capabilities import has_capability as has_capability
from shuanglian.divisions.scope import Scope


def _minimal(codes: dict[str, tuple[str, int]]) -> list[str]:
    ordered = sorted(codes, key=len)
    roots: list[str] = []
    for code in ordered:
        if not any(code.startswith(r) for r in roots):
            roots.append(code)
    return roots


def active_grants(user: Any) -> list[Any]:
    """The user's unrevoked grants, cached on the user. Read through the reverse relation the Grant
    model declares (User.grants), so access needs no import of accounts, which sits above it."""
    cache = getattr(user, "_active_grants", None)
    if cache is None:
        cache = list(user.grants.filter(revoked_at__isnull=True).select_related("division", "organization__division"))
        user._active_grants = cache
    return cache


def scope_for(user: Any, capability: str, *, via_organizations: bool = True) -> Scope:
    """What the user may do `capability` on. Cached on the user object for the request.

    With via_organizations=False a grant at an organization adds nothing to the division part (a
    department serves the whole county, yet sees only the matters assigned to it); its id is still
    in `organization_ids`.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    if user.is_superuser and capability in ADMINISTRATION:
        return Scope(everything=True)
    cache = user.__dict__.setdefault("_scope_cache", {})
    key = capability if via_organizations else (capability, "divisions-only")
    if key in cache:
        return cache[key]
    found: dict[str, tuple[str, int]] = {}
    orgs: set[int] = set()
    for grant in active_grants(user):
        if capability not in CAPABILITIES.get(grant.role, ()):
            continue
        division = grant.division
        if grant.organization_id:
            orgs.add(grant.organization_id)
            if via_organizations:
                division = grant.organization.division
        if division is not None and division.retired_on is None:
            found[division.code] = (division.level, division.pk)
    roots = _minimal(found)
    scope = Scope(codes=roots, levels={c: found[c][0] for c in roots}, ids={c: found[c][1] for c in roots},
                  organization_ids=orgs)
    cache[key] = scope
    return scope


def forget(user: Any) -> None:
    """Drop cached grants after they change within the same request."""
    user.__dict__.pop("_scope_cache", None)
    user.__dict__.pop("_active_grants", None)
