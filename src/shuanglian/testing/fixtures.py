"""pytest fixtures shared by every app's tests (registered in the root conftest)."""
import pytest
from rest_framework.test import APIClient

from .district import build_district
from .personas import PASSWORD, make_personas


@pytest.fixture
def district(db):
    return build_district()


@pytest.fixture
def personas(district):
    return make_personas(district)


@pytest.fixture
def api():
    """An API client; `api.as_(user)` authenticates with a real token."""
    from rest_framework.authtoken.models import Token

    # Messages in assertions are the English source strings (as for pages: see _english_messages); a
    # test of the Chinese answers sends its own Accept-Language.
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")

    def as_(user):
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    client.as_ = as_
    return client


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
