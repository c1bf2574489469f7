from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "shuanglian.demo"
    label = "demo"
    verbose_name = "Demo district"
