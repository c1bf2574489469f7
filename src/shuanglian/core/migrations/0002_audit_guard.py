"""Database-level protection of the audit log (core.guards says what and why)."""
from django.db import migrations

from shuanglian.core.guards import install_audit_guard, remove_audit_guard


def up(apps, schema_editor):
    install_audit_guard(schema_editor.connection)


def down(apps, schema_editor):
    remove_audit_guard(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
