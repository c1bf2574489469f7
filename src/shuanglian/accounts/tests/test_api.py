"""Tokens, users and grants over the API: administrators act within their subtree, auditors only read."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuanglian.access.roles import Role
from shuanglian.accounts.models import Grant, User
from shuanglian.accounts.services import grant_create, user_create
from shuanglian.core.models import AuditEvent
from shuanglian.testing.personas import PASSWORD

TOKEN, USERS, GRANTS = "/api/v1/auth/token/", "/api/v1/users/", "/api/v1/grants/"
NEW_PASSWORD = "Qujiang-Harmony-2010!"


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == code and body["message"]
    return body


def usernames(response):
    assert response.status_code == 200, response.content
    return {row["username"] for row in response.json()["results"]}


# --- tokens ---------------------------------------------------------------------------------------


def test_token_flow(api, district, personas):
    response = api.post(TOKEN, {"username": "township_cadre", "password": PASSWORD}, format="json")
    assert response.status_code == 200 and set(response.json()) == {"token", "expires_at"}
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert district.village2.code in {r["code"] for r in api.get("/api/v1/divisions/").json()["results"]}
    # Each call issues a new token (only hashes are kept, so an old one cannot be handed out again).
    again = api.post(TOKEN, {"username": "township_cadre", "password": PASSWORD}, format="json")
    assert again.json()["token"] != response.json()["token"]


def test_token_errors(api, district, personas):
    body = assert_error(api.post(TOKEN, {"username": "township_cadre", "password": "wrong"}, format="json"),
                        400, "invalid")
    assert "wrong" not in body["message"]
    body = assert_error(api.post(TOKEN, {"username": "township_cadre"}, format="json"), 400, "invalid")
    assert "password" in body["details"]
    User.objects.filter(pk=personas.promoter.pk).update(is_active=False)
    assert_error(api.post(TOKEN, {"username": "promoter", "password": PASSWORD}, format="json"), 400, "invalid")


def test_a_bad_token_is_401(api, district):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert_error(api.get(USERS), 401, "authentication_failed")


# --- users: reads ---------------------------------------------------------------------------------

TOWNSHIP_USERS = {"promoter", "volunteer", "village_cadre", "archive_keeper", "township_cadre", "service_staff",
                  "township_admin"}


def test_user_list_scope(api, district, personas):
    assert usernames(api.as_(personas.township_admin).get(USERS)) == TOWNSHIP_USERS
    county = usernames(api.as_(personas.admin).get(USERS))
    assert county >= TOWNSHIP_USERS | {"county_office", "auditor", "nobody"} and "outsider" not in county
    assert usernames(api.as_(personas.auditor).get(USERS)) == county
    assert usernames(api.as_(personas.promoter).get(USERS)) == set()  # operators do not read accounts


def test_user_detail_and_no_password_hash(api, district, personas):
    client = api.as_(personas.township_admin)
    response = client.get(f"{USERS}{personas.promoter.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["division"] == district.grid.code and body["full_name"] == "promoter"
    assert [(g["role"], g["division"]) for g in body["grants"]] == [("grid_promoter", district.grid.code)]
    assert "password" not in body
    listing = client.get(USERS).content.decode()
    assert "password" not in listing and "md5$" not in listing and "pbkdf2" not in listing
    assert_error(client.get(f"{USERS}{personas.outsider.pk}/"), 404, "not_found")
    assert_error(client.get(f"{USERS}{personas.county_office.pk}/"), 404, "not_found")


@pytest.mark.parametrize("params, expected", [
    ({"role": "grid_promoter"}, {"promoter"}),
    ({"q": "cadre"}, {"village_cadre", "township_cadre"}),
    ({"within": "330803001001"}, {"promoter", "volunteer", "village_cadre", "archive_keeper"}),
])
def test_user_filters(api, district, personas, params, expected):
    assert usernames(api.as_(personas.township_admin).get(USERS, params)) == expected


# --- users: writes --------------------------------------------------------------------------------


def test_township_admin_creates_users_only_within_the_township(api, district, personas):
    client = api.as_(personas.township_admin)
    response = client.post(USERS, {"username": "grid_worker", "password": NEW_PASSWORD, "full_name": "王网格",
                                   "division": district.grid3.code}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["username"] == "grid_worker" and body["division"] == district.grid3.code and body["grants"] == []
    assert "password" not in body
    assert User.objects.get(username="grid_worker").check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="user.create", object_id=str(body["id"]))
    assert event.actor == personas.township_admin and "password" not in event.after
    outside = client.post(USERS, {"username": "elsewhere", "password": NEW_PASSWORD,
                                  "division": district.village3.code}, format="json")
    assert_error(outside, 403, "permission_denied")
    assert not User.objects.filter(username="elsewhere").exists()


def test_user_create_errors(api, district, personas):
    client = api.as_(personas.admin)
    base = {"username": "x1", "password": NEW_PASSWORD, "division": district.village.code}
    body = assert_error(client.post(USERS, {**base, "password": "short"}, format="json"), 400, "weak_password")
    assert "password" in body["details"]
    assert_error(client.post(USERS, {**base, "username": "Promoter"}, format="json"), 409, "username_taken")
    body = assert_error(client.post(USERS, {**base, "division": "999999"}, format="json"), 400, "invalid")
    assert "division" in body["details"]
    body = assert_error(client.post(USERS, {"username": "x2"}, format="json"), 400, "invalid")
    assert {"password", "division"} <= set(body["details"])


def test_update_a_user(api, district, personas):
    client = api.as_(personas.township_admin)
    target = f"{USERS}{personas.promoter.pk}/"
    response = client.patch(target, {"full_name": "李促进", "division": district.grid2.code}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["full_name"] == "李促进" and response.json()["division"] == district.grid2.code
    event = AuditEvent.objects.get(action="user.update")
    assert event.before["full_name"] == "promoter" and event.after["division"] == district.grid2.code
    assert_error(client.patch(target, {"division": district.village3.code}, format="json"), 403,
                 "permission_denied")
    assert_error(client.patch(f"{USERS}{personas.township_admin.pk}/", {"is_active": False}, format="json"), 403,
                 "permission_denied")  # not one's own account
    assert_error(client.patch(f"{USERS}{personas.outsider.pk}/", {"full_name": "x"}, format="json"), 404,
                 "not_found")
    assert client.put(target, {"full_name": "x"}, format="json").status_code == 405


# --- grants ---------------------------------------------------------------------------------------


def test_township_admin_grants_only_within_the_township(api, district, personas):
    worker = user_create(actor=None, username="worker", password=NEW_PASSWORD, division=district.village2)
    client = api.as_(personas.township_admin)
    response = client.post(GRANTS, {"user": worker.pk, "role": "village_cadre", "division": district.village2.code},
                           format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["username"], body["role"], body["division"], body["granted_by"], body["active"]) == (
        "worker", "village_cadre", district.village2.code, "township_admin", True)
    assert AuditEvent.objects.filter(action="grant.create", object_id=str(body["id"])).exists()
    outside = client.post(GRANTS, {"user": worker.pk, "role": "village_cadre", "division": district.village3.code},
                          format="json")
    assert_error(outside, 403, "permission_denied")
    # A county organization is visible (work routes upward) but not the township administrator's to staff.
    at_police = client.post(GRANTS, {"user": worker.pk, "role": "department_member",
                                     "organization": personas.police.pk}, format="json")
    assert_error(at_police, 403, "permission_denied")
    unseen = client.post(GRANTS, {"user": personas.outsider.pk, "role": "village_cadre",
                                  "division": district.village.code}, format="json")
    assert_error(unseen, 404, "not_found")


def test_grant_at_an_organization(api, district, personas):
    worker = user_create(actor=None, username="clerk", password=NEW_PASSWORD, division=district.township)
    response = api.as_(personas.township_admin).post(
        GRANTS, {"user": worker.pk, "role": "service_staff", "organization": personas.service_center.pk},
        format="json")
    assert response.status_code == 201, response.content
    assert response.json()["organization"] == personas.service_center.pk and response.json()["division"] is None


def test_grant_conflicts(api, district, personas):
    client = api.as_(personas.admin)
    duplicate = client.post(GRANTS, {"user": personas.promoter.pk, "role": "grid_promoter",
                                     "division": district.grid.code}, format="json")
    assert_error(duplicate, 409, "duplicate_grant")
    mixed = client.post(GRANTS, {"user": personas.promoter.pk, "role": "admin", "division": district.grid.code},
                        format="json")
    assert_error(mixed, 409, "duty_separation")
    assert_error(client.post(GRANTS, {"user": personas.promoter.pk, "role": "grid_promoter",
                                      "division": district.village.code}, format="json"), 400, "invalid_target")
    assert_error(client.post(GRANTS, {"user": personas.promoter.pk, "role": "pope",
                                      "division": district.grid.code}, format="json"), 400, "invalid")
    assert_error(client.post(GRANTS, {"user": personas.promoter.pk, "role": "village_cadre"}, format="json"),
                 400, "invalid")


def test_revoke_a_grant(api, district, personas):
    grant = Grant.objects.get(user=personas.volunteer, revoked_at__isnull=True)
    client = api.as_(personas.township_admin)
    response = client.delete(f"{GRANTS}{grant.pk}/?reason=调离")
    assert response.status_code == 200, response.content
    assert response.json()["active"] is False and response.json()["revoked_at"]
    assert AuditEvent.objects.get(action="grant.revoke").after["reason"] == "调离"
    assert_error(client.delete(f"{GRANTS}{grant.pk}/"), 409, "already_revoked")
    # Revoked grants stay on record; the user's active grants no longer list it.
    assert client.get(f"{GRANTS}{grant.pk}/").status_code == 200
    assert client.get(f"{USERS}{personas.volunteer.pk}/").json()["grants"] == []
    # The volunteer lost their scope with it.
    assert api.as_(personas.volunteer).get("/api/v1/divisions/").json()["count"] == 0


def test_revoke_with_the_reason_in_the_body(api, district, personas):
    grant = Grant.objects.get(user=personas.village_cadre)
    response = api.as_(personas.admin).delete(f"{GRANTS}{grant.pk}/", {"reason": "换届"}, format="json")
    assert response.status_code == 200
    assert AuditEvent.objects.get(action="grant.revoke").after["reason"] == "换届"


def test_grant_list_scope_and_filters(api, district, personas):
    client = api.as_(personas.township_admin)
    rows = client.get(GRANTS).json()["results"]
    assert {r["username"] for r in rows} == TOWNSHIP_USERS
    assert_error(client.get(f"{GRANTS}{Grant.objects.get(user=personas.outsider).pk}/"), 404, "not_found")
    only = client.get(GRANTS, {"role": "grid_promoter"}).json()["results"]
    assert [(r["username"], r["division"]) for r in only] == [("promoter", district.grid.code)]
    assert client.get(GRANTS, {"user": personas.promoter.pk, "active": "true"}).json()["count"] == 1
    assert client.get(GRANTS, {"division": district.village.code}).json()["count"] == 2


def test_auditor_reads_accounts_but_every_write_is_refused(api, district, personas):
    client = api.as_(personas.auditor)
    assert client.get(USERS).status_code == 200 and client.get(GRANTS).status_code == 200
    grant = Grant.objects.get(user=personas.promoter)
    refused = [
        client.post(USERS, {"username": "x", "password": NEW_PASSWORD, "division": district.village.code},
                    format="json"),
        client.patch(f"{USERS}{personas.promoter.pk}/", {"full_name": "x"}, format="json"),
        client.post(GRANTS, {"user": personas.nobody.pk, "role": "auditor", "division": district.county.code},
                    format="json"),
        client.delete(f"{GRANTS}{grant.pk}/"),
        client.post("/api/v1/organizations/", {"name": "x", "kind": "office", "division": district.county.code},
                    format="json"),
    ]
    for response in refused:
        assert_error(response, 403, "permission_denied")
    assert not AuditEvent.objects.filter(actor=personas.auditor).exists()


# --- query counts ---------------------------------------------------------------------------------


def _count(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.json()["results"])


@pytest.mark.parametrize("url", [USERS, GRANTS])
def test_lists_run_a_constant_number_of_queries(api, district, personas, url):
    for i in range(10):
        user = user_create(actor=None, username=f"worker{i}", password=NEW_PASSWORD, division=district.grid3)
        grant_create(actor=None, user=user, role=Role.GRID_VOLUNTEER, division=district.grid3)
    client = api.as_(personas.admin)
    small, n_small = _count(client, url, {"page_size": 5})
    large, n_large = _count(client, url, {"page_size": 50})
    assert n_small == 5 and n_large > 20
    assert small == large
