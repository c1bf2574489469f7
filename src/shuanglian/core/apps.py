from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "shuanglian.core"
    label = "core"
    verbose_name = "Core"
