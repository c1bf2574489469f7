from django.apps import AppConfig

from shuanglian.core import capabilities

from . import checks  # noqa: F401  (registers the capability check)
from .scope import scope_for


class AccessConfig(AppConfig):
    name = "shuanglian.access"
    label = "access"
    verbose_name = "Access"

    def ready(self) -> None:
        # Core and divisions sit below access: they reach the engine through this port.
        capabilities.install_resolver(scope_for)
