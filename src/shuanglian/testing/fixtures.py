"""pytest fixtures shared by every app's tests (registered in the root conftest)."""
import uuid
from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from . import world
from .personas import PASSWORD


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
def openapi_schema(tmp_path_factory, django_db_blocker):
    """The API's OpenAPI document, generated once per test process as `shuanglian spectacular` does:
    --fail-on-warn fails on any generator warning, --validate checks it against the OpenAPI 3 spec."""
    import yaml
    from django.core.management import call_command

    path = tmp_path_factory.mktemp("openapi") / "schema.yaml"
    with django_db_blocker.unblock():
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text(encoding="utf-8"))


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

    for connection in connections.all(initialized_only=True):
        connection.queries_log.clear()
    yield
