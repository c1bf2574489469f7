from django.apps import AppConfig

from shuanglian.divisions.capabilities import RESTRUCTURE, VIEW_DIVISIONS


class DivisionsConfig(AppConfig):
    name = "shuanglian.divisions"
    label = "divisions"
    verbose_name = "Divisions"
    # The capabilities this app checks; access.checks holds them against the role table.
    capabilities = frozenset({VIEW_DIVISIONS, RESTRUCTURE})
