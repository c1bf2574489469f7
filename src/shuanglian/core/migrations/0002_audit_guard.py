"""Database-level protection of the audit log, beside the model's own refusals.

PostgreSQL refuses UPDATE always and DELETE of events younger than the legal floor (183 days);
TRUNCATE stays possible for the owner (test flushes). SQLite refuses UPDATE; its DELETE stays
open because test flushes use it. `shuanglian audit verify` detects what slips past either.
"""
from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION core_auditevent_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    RAISE EXCEPTION 'audit events are append-only';
  END IF;
  IF OLD.occurred_at > now() - interval '183 days' THEN
    RAISE EXCEPTION 'audit events younger than 183 days cannot be deleted';
  END IF;
  RETURN OLD;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditevent_guard BEFORE UPDATE OR DELETE ON core_auditevent
  FOR EACH ROW EXECUTE FUNCTION core_auditevent_guard();
"""
PG_DOWN = "DROP TRIGGER IF EXISTS core_auditevent_guard ON core_auditevent; DROP FUNCTION IF EXISTS core_auditevent_guard();"
SQLITE_UP = """
CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS core_auditevent_no_update;"


def up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
