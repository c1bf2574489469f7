"""Start-up check: the role -> capability table and what the apps declare agree.

Each app lists the capabilities it checks on its AppConfig (`capabilities`). A capability the table
grants that no app declares is a typo or a leftover; one an app declares that no role is granted is
a feature nobody can use. Either fails `shuanglian check` (and every management command).
"""
from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core import checks

from .roles import CAPABILITIES


@checks.register()
def capability_table_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    owners: dict[str, list[str]] = {}
    for config in apps.get_app_configs():
        for capability in getattr(config, "capabilities", ()):
            owners.setdefault(capability, []).append(config.label)
    granted = {capability for capabilities in CAPABILITIES.values() for capability in capabilities}
    for capability in sorted(granted - owners.keys()):
        errors.append(checks.Error(f"The role table grants {capability!r}, which no app declares.",
                                   hint="Add it to the owning app's AppConfig.capabilities.",
                                   id="access.E001"))
    for capability in sorted(owners.keys() - granted):
        errors.append(checks.Error(f"App {owners[capability][0]!r} declares {capability!r}, which no role is granted.",
                                   hint="Grant it in shuanglian.access.roles.CAPABILITIES or drop it.",
                                   id="access.E002"))
    for capability, labels in sorted(owners.items()):
        if len(labels) > 1:
            errors.append(checks.Error(f"{capability!r} is declared by more than one app: {', '.join(labels)}.",
                                       id="access.E003"))
    return errors
