from django.apps import AppConfig

from shuanglian.access import roles


class TeamsConfig(AppConfig):
    name = "shuanglian.teams"
    label = "teams"
    verbose_name = "Grid teams"
    # The capabilities this app checks; access.checks holds them against the role table.
    capabilities = frozenset({roles.VIEW_TEAMS, roles.MANAGE_TEAMS, roles.MANAGE_LECTURERS,
                              roles.SUBMIT_STAFF})
