"""Database-level protection of the audit log, beside the model's own refusals.

PostgreSQL refuses UPDATE always and DELETE of events younger than the legal floor (183 days);
TRUNCATE stays possible for the owner (test flushes). SQLite refuses UPDATE; its DELETE stays
open because test flushes use it. `shuanglian audit verify` detects what slips past either.

Installed by migration core 0002 and again, where missing, after every migrate (a database made
without migrations, as the SQLite test pass makes it, gets the same guard).
"""
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
DROP TRIGGER IF EXISTS core_auditevent_guard ON core_auditevent;
CREATE TRIGGER core_auditevent_guard BEFORE UPDATE OR DELETE ON core_auditevent
  FOR EACH ROW EXECUTE FUNCTION core_auditevent_guard();
"""
PG_DOWN = "DROP TRIGGER IF EXISTS core_auditevent_guard ON core_auditevent; DROP FUNCTION IF EXISTS core_auditevent_guard();"
PG_PRESENT = "SELECT 1 FROM pg_trigger WHERE tgname = 'core_auditevent_guard' AND NOT tgisinternal"
SQLITE_UP = """
CREATE TRIGGER IF NOT EXISTS core_auditevent_no_update BEFORE UPDATE ON core_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS core_auditevent_no_update;"


def install_audit_guard(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_PRESENT)
            if cursor.fetchone() is None:
                cursor.execute(PG_UP)
        elif connection.vendor == "sqlite":
            cursor.execute(SQLITE_UP)


def remove_audit_guard(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_DOWN)
        elif connection.vendor == "sqlite":
            cursor.execute(SQLITE_DOWN)
