"""The audit log over /api/v1/audit/ (auditors only), and the OpenAPI schema."""
import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuanglian.core.models import AuditEvent

URL = "/api/v1/audit/"
FIELDS = {"seq", "occurred_at", "actor", "action", "object_type", "object_id", "object_repr", "before", "after",
          "request_id", "ip", "channel", "hash", "prev_hash"}


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == code and body["message"]
    return body


def test_auditor_reads_the_log_newest_first(api, district, personas):
    api.as_(personas.county_office).post(f"/api/v1/divisions/{district.village2.code}/rename/",
                                         {"name": "樟树潭新村"}, format="json", HTTP_X_REQUEST_ID="req-42")
    response = api.as_(personas.auditor).get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == AuditEvent.objects.count() > 20
    newest = body["results"][0]
    assert set(newest) == FIELDS
    assert (newest["actor"], newest["action"], newest["channel"]) == ("county_office", "division.rename", "api")
    assert newest["request_id"] and newest["request_id"] != "req-42"  # the client does not name its records
    assert newest["after"]["name"] == "樟树潭新村" and newest["ip"] == "127.0.0.1"
    seqs = [row["seq"] for row in body["results"]]
    assert seqs == sorted(seqs, reverse=True)
    assert body["results"][0]["prev_hash"] == body["results"][1]["hash"]  # the chain, as stored


def test_request_id_and_client_address_are_believed_only_from_a_trusted_proxy(api, district, personas, settings):
    settings.TRUSTED_PROXIES = ["10.20.0.1"]
    client = api.as_(personas.county_office)
    client.post(f"/api/v1/divisions/{district.village2.code}/rename/", {"name": "甲"}, format="json",
                REMOTE_ADDR="10.20.0.1", HTTP_X_REQUEST_ID="proxy-7", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.8")
    client.post(f"/api/v1/divisions/{district.village2.code}/rename/", {"name": "乙"}, format="json",
                REMOTE_ADDR="203.0.113.9", HTTP_X_REQUEST_ID="mine", HTTP_X_FORWARDED_FOR="198.51.100.8")
    proxied, direct = AuditEvent.objects.filter(action="division.rename").order_by("seq")
    assert (proxied.request_id, proxied.ip) == ("proxy-7", "198.51.100.8")
    assert direct.request_id != "mine" and direct.ip == "203.0.113.9"


def test_detail_by_sequence_number(api, district, personas):
    event = AuditEvent.objects.order_by("seq").first()
    client = api.as_(personas.auditor)
    body = client.get(f"{URL}{event.seq}/").json()
    assert body["seq"] == event.seq and body["hash"] == event.hash and body["actor"] == "system"
    assert_error(client.get(f"{URL}999999/"), 404, "not_found")


def test_filters(api, district, personas):
    api.as_(personas.township_admin).patch(f"/api/v1/users/{personas.promoter.pk}/", {"full_name": "李"},
                                           format="json")
    client = api.as_(personas.auditor)
    rows = client.get(URL, {"actor": "township_admin"}).json()["results"]
    assert [r["action"] for r in rows] == ["user.update"]
    grants = client.get(URL, {"action": "grant."}).json()["results"]
    assert grants and all(r["action"] == "grant.create" for r in grants)
    target = client.get(URL, {"object_type": "accounts.user", "object_id": str(personas.promoter.pk)}).json()
    assert {r["action"] for r in target["results"]} == {"user.create", "user.update"}
    assert client.get(URL, {"since": "2999-01-01T00:00:00+08:00"}).json()["count"] == 0
    assert_error(client.get(URL, {"since": "yesterday"}), 400, "invalid")


@pytest.mark.parametrize("who", ["admin", "county_office", "township_cadre", "promoter", "nobody"])
def test_everyone_else_is_refused(api, district, personas, who):
    client = api.as_(getattr(personas, who))
    assert_error(client.get(URL), 403, "permission_denied")
    assert_error(client.get(f"{URL}1/"), 403, "permission_denied")


def test_the_log_is_read_only(api, district, personas):
    client = api.as_(personas.auditor)
    assert_error(client.post(URL, {}, format="json"), 405, "method_not_allowed")
    assert_error(client.delete(f"{URL}1/"), 405, "method_not_allowed")
    client.credentials()  # no token: anonymous
    assert_error(client.get(URL), 401, "not_authenticated")


def _count(client, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.json()["results"])


def test_list_runs_a_constant_number_of_queries(api, district, personas):
    client = api.as_(personas.auditor)
    small, n_small = _count(client, {"page_size": 5})
    large, n_large = _count(client, {"page_size": 50})
    assert n_small == 5 and n_large > 20
    assert small == large


# --- the schema -----------------------------------------------------------------------------------


def test_schema_is_served_and_lists_every_resource(api, district, personas, openapi_schema):
    response = api.as_(personas.auditor).get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi")
    assert response.status_code == 200
    # libyaml's loader: the pure-Python one takes seconds on the whole schema.
    served = yaml.load(response.content, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    assert set(served["paths"]) == set(openapi_schema["paths"])
    schema = openapi_schema
    paths = set(schema["paths"])
    assert {"/api/v1/auth/token/", "/api/v1/divisions/", "/api/v1/divisions/{code}/",
            "/api/v1/divisions/{code}/merge/", "/api/v1/users/{id}/", "/api/v1/grants/{id}/",
            "/api/v1/organizations/", "/api/v1/audit/{seq}/"} <= paths
    assert "Error" in schema["components"]["schemas"]
    assert schema["paths"]["/api/v1/grants/{id}/"]["delete"]["responses"]["409"]
    assert api.as_(personas.promoter).get("/api/v1/docs/").status_code == 200
    assert api.as_(personas.promoter).get("/api/v1/docs/?script=").status_code == 200  # its script, as a file


def test_schema_and_docs_are_for_signed_in_users_only(client):
    for url in ("/api/v1/schema/", "/api/v1/docs/"):
        assert client.get(url).status_code in (401, 403)


def test_schema_generates_without_warnings_and_validates(openapi_schema):
    # The fixture fails on any generator warning or error and validates against the OpenAPI 3 spec.
    assert len(openapi_schema["paths"]) > 50
