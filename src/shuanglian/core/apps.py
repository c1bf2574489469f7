from django.apps import AppConfig

from shuanglian.core.capabilities import CONFIGURE_CALENDAR, VIEW_AUDIT


class CoreConfig(AppConfig):
    name = "shuanglian.core"
    label = "core"
    verbose_name = "Core"
    # The capabilities this app checks; access.checks holds them against the role table.
    capabilities = frozenset({VIEW_AUDIT, CONFIGURE_CALENDAR})
