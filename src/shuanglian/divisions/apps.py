from django.apps import AppConfig


class DivisionsConfig(AppConfig):
    name = "shuanglian.divisions"
    label = "divisions"
    verbose_name = "Divisions"
