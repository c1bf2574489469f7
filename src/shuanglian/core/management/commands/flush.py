"""Django's flush, which on SQLite empties tables with DELETE: the audit table's delete guard is lifted for
the run and put back after (PostgreSQL's flush is a TRUNCATE, which the row trigger does not see)."""
from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from shuanglian.core.guards import install_audit_guard, lift_sqlite_delete_guard


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options["database"]]
        lift_sqlite_delete_guard(connection)
        try:
            super().handle(**options)
        finally:
            install_audit_guard(connection)
