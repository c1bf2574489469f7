from django.apps import AppConfig


class AssociationsConfig(AppConfig):
    name = "shuanglian.associations"
    label = "associations"
    verbose_name = "Associations"
