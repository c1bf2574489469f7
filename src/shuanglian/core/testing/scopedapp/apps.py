from django.apps import AppConfig


class ScopedAppConfig(AppConfig):
    name = "shuanglian.core.testing.scopedapp"
    label = "scopedapp"
