"""Links an organization's page offers to pages of apps above organizations (which it may not import).

Such an app registers, at start-up (its AppConfig.ready), a function per organization kind that
returns the URL of its own page for that organization, or None when the viewer may not see it.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

LinkFor = Callable[[Any, Any], "str | None"]  # (user, organization) -> url or None
_LINKS: dict[str, LinkFor] = {}


def register(kind: str, link_for: LinkFor) -> None:
    _LINKS[kind] = link_for


def link_for(user: Any, organization: Any) -> str | None:
    found = _LINKS.get(organization.kind)
    return found(user, organization) if found is not None else None
