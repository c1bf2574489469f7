"""pytest fixtures shared by every app's tests (registered in the root conftest)."""
import os
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import setup_databases, teardown_databases
from pytest_django.fixtures import _disable_migrations
from rest_framework.test import APIClient

from . import databases, world
from .personas import PASSWORD


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_use_migrations,
                    django_db_keepdb, django_db_createdb, django_db_modify_db_settings):
    """pytest-django's test databases, except on PostgreSQL with migrations: there each worker's database is
    a copy of one migrated template (testing/databases.py) instead of a migration of its own."""
    verbosity = request.config.option.verbose
    if connection.vendor == "postgresql" and django_db_use_migrations and not django_db_keepdb:
        with django_db_blocker.unblock():
            old_name = databases.setup_postgres(verbosity=verbosity)
        yield
        with django_db_blocker.unblock():
            databases.teardown_postgres(old_name, verbosity=verbosity)
        return
    if not django_db_use_migrations:
        _disable_migrations()
    keep = django_db_keepdb and not django_db_createdb
    with django_db_blocker.unblock():
        config = setup_databases(verbosity=verbosity, interactive=False, keepdb=keep)
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            teardown_databases(config, verbosity=verbosity)


@pytest.fixture
def separate_database(tmp_path, django_db_setup, django_db_blocker):
    """Settings (an environment) for a `shuanglian` subprocess with a migrated database of its own, as a
    fresh install has: a copy of the template on PostgreSQL, of the in-memory test database on SQLite
    (the test database itself may be in memory, and in a transaction the subprocess cannot see)."""
    env = {**os.environ, "SHUANGLIAN_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "shuanglian.config.settings"}
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            name = f"{connection.settings_dict['NAME']}_sub"
            databases.copy_template(name)
            params = connection.settings_dict
            auth = params["USER"] + (f":{params['PASSWORD']}" if params.get("PASSWORD") else "")
            env["DATABASE_URL"] = f"postgres://{auth}@{params.get('HOST') or 'localhost'}:{params.get('PORT') or 5432}/{name}"
            yield env
            databases.drop(name)
            return
        env.pop("DATABASE_URL", None)
        databases.copy_sqlite(tmp_path / "shuanglian.sqlite3")
    yield env


@pytest.fixture(scope="session")
def world_snapshot(django_db_setup, django_db_blocker):
    """The district and personas built once per test database (see world.py)."""
    with django_db_blocker.unblock():
        return world.take()


@pytest.fixture
def district(world_snapshot, db):
    return world.restore_district(world_snapshot)


@pytest.fixture
def personas(world_snapshot, district):
    return world.restore_personas(world_snapshot, district)


@pytest.fixture
def api():
    """An API client; `api.as_(user)` authenticates with a real token (one per user and test, issued as
    after a second factor, and without an audit event so tests that count events are not disturbed)."""
    from shuanglian.accounts.models import ApiToken
    from shuanglian.accounts.tokens import hash_secret
    from shuanglian.core import clock

    # Messages in assertions are the English source strings (as for pages: see _english_messages); a
    # test of the Chinese answers sends its own Accept-Language.
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")

    secrets: dict[int, str] = {}

    def as_(user):
        if user.pk not in secrets or not ApiToken.objects.filter(key_hash=hash_secret(secrets[user.pk])).exists():
            secret = f"{user.pk:08x}{uuid.uuid4().hex}"
            now = clock.now()
            ApiToken.objects.create(user=user, key_hash=hash_secret(secret), prefix=secret[:8], created_at=now,
                                    expires_at=now + timedelta(days=3650), last_used_at=now, second_factor=True)
            secrets[user.pk] = secret
        client.credentials(HTTP_AUTHORIZATION=f"Token {secrets[user.pk]}")
        return client

    client.as_ = as_
    return client


@pytest.fixture(scope="session")
def openapi_schema(django_db_blocker):
    """The API's OpenAPI document as `shuanglian spectacular` makes it: --fail-on-warn fails on any generator
    warning, --validate checks it against the OpenAPI 3 spec. Generated once per code version for all
    workers and both passes (testing/databases.py)."""
    with django_db_blocker.unblock():
        return databases.openapi_document()


@pytest.fixture
def persona_password():
    return PASSWORD



@pytest.fixture(autouse=True)
def _english_messages():
    """Messages in assertions are the English source strings; tests of the Chinese UI ask for it."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_query_log():
    """Query-count assertions read Django's per-connection query log, a deque capped at 9,000 entries that
    earlier tests fill: once full, a capture of any page reads 0 queries and every budget passes. Start
    each test with an empty log so those assertions can fail."""
    from django.db import connections

    for each in connections.all(initialized_only=True):
        each.queries_log.clear()
    yield
