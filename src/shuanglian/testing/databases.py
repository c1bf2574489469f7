"""Test databases and the OpenAPI document made once instead of once per worker, pass or test.

- PostgreSQL: the migrations run once into a template database named after a hash of the code
  (`test_<name>_tpl_<hash>`); each pytest-xdist worker's database is a copy of it (CREATE DATABASE ...
  TEMPLATE, about a second instead of a migration each), and so is the database the import-kill tests
  give their subprocesses. The template stays in the throwaway cluster, so the next run with the same
  code does not migrate at all; a change to any non-test module makes a new one (the old is dropped).
- SQLite: the subprocess tests get a file copy of the worker's in-memory test database (its schema and
  what the post-migrate hooks install), made with SQLite's backup API instead of running `migrate`.
- The OpenAPI document (`spectacular --validate --fail-on-warn`) is kept in a file under var/ keyed by
  the same hash, so the workers and both passes of `make test` generate it once between them.

Workers take turns through a file lock, so one builds and the others wait for its result.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

import yaml
from django.conf import settings
from django.core.management import call_command
from django.db import connection

PACKAGE = Path(__file__).resolve().parents[1]  # src/shuanglian
_key: str | None = None
# The template this session's databases were copied from (None: SQLite, or a database made otherwise).
template: str | None = None
# libyaml's loader where PyYAML has it (its wheels do): the pure-Python one takes seconds on the schema.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def code_key() -> str:
    """A hash of every module that can change the schema or the API (the package's .py files without its
    tests) and of the Python, Django, DRF and drf-spectacular versions. Computed once per process (about 20 ms)."""
    global _key
    if _key is None:
        digest = hashlib.sha256(f"{sys.version_info[:2]} {version('django')} {version('djangorestframework')} "
                                f"{version('drf-spectacular')}".encode())
        for path in sorted(PACKAGE.rglob("*.py")):
            relative = path.relative_to(PACKAGE)
            if "tests" in relative.parts:
                continue
            digest.update(str(relative).encode() + b"\0" + path.read_bytes() + b"\0")
        _key = digest.hexdigest()[:12]
    return _key


@contextmanager
def _lock(name: str) -> Iterator[None]:
    """One process at a time across the workers of this machine (the lock goes with the file's handle)."""
    path = Path(tempfile.gettempdir()) / f"shuanglian-test-{name}.lock"
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# ---------------------------------------------------------------- PostgreSQL: a template, copied


def _server() -> str:
    params = connection.settings_dict
    return f"{params.get('HOST') or 'local'}-{params.get('PORT') or 5432}"


def _exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


def _ensure_template(base: str, verbosity: int) -> str:
    """The migrated template for this code, built if missing. Called under the lock."""
    qn = connection.ops.quote_name
    name = f"{base}_tpl_{code_key()}"
    with connection.creation._nodb_cursor() as cursor:
        if _exists(cursor, name):
            return name
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{base}_tpl_%"])
        for (stale,) in cursor.fetchall():
            cursor.execute(f"DROP DATABASE {qn(stale)} WITH (FORCE)")
    # Django's own test-database build (migrate with the post-migrate hooks, the cache table) into a
    # database that takes the template's name only once it is whole.
    building = f"{name}_building"
    original = connection.settings_dict["TEST"].get("NAME")
    connection.settings_dict["TEST"]["NAME"] = building
    try:
        connection.creation.create_test_db(verbosity=verbosity, autoclobber=True, serialize=False, keepdb=False)
    finally:
        connection.settings_dict["TEST"]["NAME"] = original
    connection.close()
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"ALTER DATABASE {qn(building)} RENAME TO {qn(name)}")
    return name


def copy_template(target: str) -> None:
    """A new database `target` holding the migrated schema (the session's template)."""
    qn = connection.ops.quote_name
    assert template is not None
    with _lock(f"pg-{_server()}"), connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {qn(target)} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {qn(target)} TEMPLATE {qn(template)}")


def drop(name: str) -> None:
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)")


def setup_postgres(*, verbosity: int) -> str:
    """Make this worker's test database a copy of the template; answers the settings NAME to restore."""
    global template
    old_name = connection.settings_dict["NAME"]
    worker_db = connection.creation._get_test_db_name()  # test_<name>, with the xdist worker's suffix
    base = f"test_{old_name}"
    with _lock(f"pg-{_server()}"):
        template = _ensure_template(base, verbosity)
        settings.DATABASES[connection.alias]["NAME"] = old_name
        connection.settings_dict["NAME"] = old_name
        qn = connection.ops.quote_name
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {qn(worker_db)} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {qn(worker_db)} TEMPLATE {qn(template)}")
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = worker_db
    connection.settings_dict["NAME"] = worker_db
    connection.ensure_connection()
    return old_name


def teardown_postgres(old_name: str, *, verbosity: int) -> None:
    connection.creation.destroy_test_db(old_name, verbosity, keepdb=False)


# ---------------------------------------------------------------- SQLite: a file copy


def copy_sqlite(target: Path) -> None:
    """Write this process's test database (in memory) to the file `target`, for another process to open."""
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    copy.close()


# ---------------------------------------------------------------- the OpenAPI document


def openapi_document() -> dict:
    """The schema as `shuanglian spectacular --validate --fail-on-warn` writes it, generated at most once per
    code version (a failure is not kept, so every run that needs it fails the same way). Kept as JSON too:
    reading the YAML back costs seconds, the JSON a few milliseconds."""
    cache = Path(settings.VAR_DIR) / "test-cache"
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"openapi-{code_key()}.json"
    with _lock(f"openapi-{os.getuid()}"):
        if not path.exists():
            for stale in cache.glob("openapi-*"):
                stale.unlink()
            generated = cache / f"openapi-{code_key()}.yaml"
            try:
                call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(generated))
                document = yaml.load(generated.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
                partial = path.with_suffix(".partial")
                partial.write_text(json.dumps(document), encoding="utf-8")
                partial.replace(path)
            finally:
                generated.unlink(missing_ok=True)
    return json.loads(path.read_text(encoding="utf-8"))
