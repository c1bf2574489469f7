from django.apps import AppConfig


class ScopedAppConfig(AppConfig):
    name = "shuanglian.testing.scopedapp"
    label = "scopedapp"
