from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "shuanglian.teams"
    label = "teams"
    verbose_name = "Grid teams"
