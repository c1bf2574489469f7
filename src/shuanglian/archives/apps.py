from django.apps import AppConfig


class ArchivesConfig(AppConfig):
    name = "shuanglian.archives"
    label = "archives"
    verbose_name = "Household archives"
