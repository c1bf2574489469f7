from django.apps import AppConfig
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate

from shuanglian.core.capabilities import CONFIGURE_CALENDAR, VIEW_AUDIT

from . import clock
from .guards import install_audit_guard, register_sqlite_clock
from .logging import scrub_every_handler


def _guard_audit(sender, using, **kwargs):  # a signal receiver takes **kwargs by contract
    install_audit_guard(connections[using])


def _sqlite_clock(sender, connection, **kwargs):  # a signal receiver takes **kwargs by contract
    register_sqlite_clock(connection, clock.now)


class CoreConfig(AppConfig):
    name = "shuanglian.core"
    label = "core"
    verbose_name = "Core"
    # The capabilities this app checks; access.checks holds them against the role table.
    capabilities = frozenset({VIEW_AUDIT, CONFIGURE_CALENDAR})

    def ready(self):
        post_migrate.connect(_guard_audit, sender=self, dispatch_uid="core.audit_guard")
        connection_created.connect(_sqlite_clock, dispatch_uid="core.sqlite_clock")
        # LOGGING is applied before the apps are ready: every handler it and Django's defaults made is there.
        scrub_every_handler()
