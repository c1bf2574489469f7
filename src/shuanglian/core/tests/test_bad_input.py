"""Bad input answers 400 in the one error shape, never a 500 (finding 14)."""
import pytest

from .test_api import assert_error

DEEP = "[" * 100_000 + "]" * 100_000


def test_deeply_nested_json_is_a_400_even_anonymous(client):
    response = client.post("/api/v1/auth/token/", DEEP, content_type="application/json")
    assert_error(response, 400, "parse_error")


def test_nested_json_past_the_depth_limit_is_a_400(api, personas):
    body = '{"full_name": ' + "[" * 40 + "]" * 40 + "}"
    response = api.as_(personas.township_admin).generic(
        "PATCH", f"/api/v1/users/{personas.promoter.pk}/", body, content_type="application/json")
    assert_error(response, 400, "parse_error")


def test_a_lone_surrogate_in_a_choice_field_is_a_400(api, district, personas):
    body = '{"user": ' + str(personas.nobody.pk) + ', "role": "\\ud800", "division": "' + district.village.code + '"}'
    response = api.as_(personas.township_admin).generic("POST", "/api/v1/grants/", body,
                                                        content_type="application/json")
    assert "surrogate" in assert_error(response, 400, "parse_error")["message"]


@pytest.mark.parametrize("url, params", [
    ("/api/v1/matters/", {"household": str(2**64)}),
    ("/api/v1/matters/", {"household": "-" + str(2**70)}),
    ("/api/v1/matters/", {"reported_after": "0001-01-01T00:00:00"}),
    ("/api/v1/audit/", {"since": "0001-01-01T00:00:00"}),
    ("/api/v1/training-sessions/", {"since": "0001-01-01"}),
    ("/api/v1/grants/", {"user": "1" * 30}),
    ("/api/v1/training-sessions/", {"year": "-1"}),  # found by tests/test_api_fuzz.py
    ("/api/v1/calendar/", {"year": str(2**64)}),
    ("/api/v1/calendar/", {"year": "-1"}),
])
def test_filters_past_64_bits_or_near_year_1_are_a_400(api, district, personas, url, params):
    who = personas.auditor if url.startswith("/api/v1/audit") else personas.county_office
    body = assert_error(api.as_(who).get(url, params), 400, "invalid")
    assert set(body["details"]) == set(params)


def test_pages_say_the_filter_is_invalid_instead_of_failing(client, district, personas):
    client.force_login(personas.county_office)
    response = client.get("/matters/", {"household": str(2**64), "reported_after": "0001-01-01T00:00"})
    assert response.status_code in (200, 400)
