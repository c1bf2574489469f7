"""API throttling per user (issue 13, finding 9): past API_THROTTLE_USER a user gets 429 `throttled` with
Retry-After, and another user is not slowed by it."""
import datetime as dt

import pytest
from django.core.cache import cache

URL = "/api/v1/divisions/"


@pytest.fixture
def throttled(settings, time_machine):
    settings.API_THROTTLE_USER = "3/minute"
    time_machine.move_to(dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False)
    cache.clear()
    yield time_machine
    cache.clear()


def test_a_user_past_the_rate_is_refused_for_a_while(api, district, personas, throttled):
    client = api.as_(personas.township_cadre)
    assert [client.get(URL).status_code for _i in range(3)] == [200, 200, 200]
    response = client.get(URL)
    assert response.status_code == 429 and response.json()["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60
    # Per user: another account goes on.
    assert api.as_(personas.county_office).get(URL).status_code == 200
    throttled.shift(dt.timedelta(seconds=61))
    assert api.as_(personas.township_cadre).get(URL).status_code == 200


def test_an_empty_rate_turns_it_off(api, district, personas, throttled, settings):
    settings.API_THROTTLE_USER = ""
    client = api.as_(personas.township_cadre)
    assert {client.get(URL).status_code for _i in range(6)} == {200}


def test_anonymous_calls_are_limited_per_address_when_configured(api, district, throttled, settings):
    settings.API_THROTTLE_ANON = "2/minute"
    guide = "/api/v1/service-points/"
    assert [api.get(guide).status_code for _i in range(3)] == [200, 200, 429]
