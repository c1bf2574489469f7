"""Database-level protection of the audit log, beside the model's own refusals.

Both refuse UPDATE always and DELETE of events younger than the legal floor (183 days).
PostgreSQL's TRUNCATE stays possible for the owner (test flushes); on SQLite, whose flush is a
DELETE, our `flush` command lifts the guard for its own run. SQLite's floor is measured with the
app's clock (`shuanglian_now()`, registered on every connection Django opens); a connection without
it (the sqlite3 shell) cannot delete at all. `shuanglian audit verify` detects what slips past
either, with the key and the checkpoints outside the database.

Installed by migration core 0002 and again, where missing, after every migrate (a database made
without migrations, as the SQLite test pass makes it, gets the same guard).
"""
import datetime as dt

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
SQLITE_UP = [
    """CREATE TRIGGER IF NOT EXISTS core_auditevent_no_update BEFORE UPDATE ON core_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
    # Django stores datetimes on SQLite as UTC text "YYYY-MM-DD HH:MM:SS[.ffffff]", which compares as text.
    """CREATE TRIGGER IF NOT EXISTS core_auditevent_no_delete BEFORE DELETE ON core_auditevent
    WHEN OLD.occurred_at > datetime(shuanglian_now(), '-183 days')
    BEGIN SELECT RAISE(ABORT, 'audit events younger than 183 days cannot be deleted'); END;""",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS core_auditevent_no_update;", "DROP TRIGGER IF EXISTS core_auditevent_no_delete;"]
SQLITE_DELETE_DOWN = SQLITE_DOWN[1]


def install_audit_guard(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_PRESENT)
            if cursor.fetchone() is None:
                cursor.execute(PG_UP)
        elif connection.vendor == "sqlite":
            for statement in SQLITE_UP:
                cursor.execute(statement)


def remove_audit_guard(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_DOWN)
        elif connection.vendor == "sqlite":
            for statement in SQLITE_DOWN:
                cursor.execute(statement)


def lift_sqlite_delete_guard(connection) -> None:
    """For `flush` only, which empties every table with DELETE on SQLite (TRUNCATE on PostgreSQL)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(SQLITE_DELETE_DOWN)


def register_sqlite_clock(connection, now) -> None:
    """`shuanglian_now()` on a new SQLite connection: the app's clock as UTC text, for the delete floor."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "shuanglian_now", 0, lambda: now().astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"))
