"""API tokens (issue 13, finding 7): stored hashed, expiring, listed and revoked by their owner and by an
administrator, revoked when the account is disabled; existing clear-text tokens carried over as hashes."""
import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from shuanglian.accounts.models import ApiToken
from shuanglian.accounts.services import user_update
from shuanglian.accounts.tokens import hash_secret, token_issue, tokens_revoke_all
from shuanglian.core.models import AuditEvent
from shuanglian.testing.personas import PASSWORD

TOKEN, MINE = "/api/v1/auth/token/", "/api/v1/auth/tokens/"
DIVISIONS = "/api/v1/divisions/"


def obtain(api, username, **extra):
    api.credentials()
    response = api.post(TOKEN, {"username": username, "password": PASSWORD, **extra}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def use(api, secret):
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return api.get(DIVISIONS)


def test_only_a_hash_of_the_token_is_stored(api, district, personas):
    secret = obtain(api, "township_cadre")
    assert use(api, secret).status_code == 200
    # Nowhere in the token table, nor in the audit trail, is the secret itself.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        stored = " ".join(str(v) for row in cursor.fetchall() for v in row)
    assert secret not in stored and hash_secret(secret) in stored
    assert not any(secret in str(e.after) for e in AuditEvent.objects.filter(action="token.issue"))
    token = ApiToken.objects.get(key_hash=hash_secret(secret))
    assert token.prefix == secret[:8] and token.user == personas.township_cadre


def test_a_token_expires_after_the_configured_days(api, district, personas, settings, time_machine):
    settings.API_TOKEN_DAYS = 30
    time_machine.move_to(dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False)
    response = api.post(TOKEN, {"username": "township_cadre", "password": PASSWORD}, format="json")
    secret = response.json()["token"]
    assert response.json()["expires_at"].startswith("2026-07-01")
    time_machine.move_to(dt.datetime(2026, 6, 30, 9, 0, tzinfo=dt.UTC), tick=False)
    assert use(api, secret).status_code == 200
    time_machine.move_to(dt.datetime(2026, 7, 1, 9, 1, tzinfo=dt.UTC), tick=False)
    response = use(api, secret)
    assert response.status_code == 401 and "expired" in response.json()["message"]


def test_the_owner_lists_and_revokes_a_token_over_the_api(api, district, personas):
    first = obtain(api, "township_cadre", name="reports script")
    second = obtain(api, "township_cadre")
    listed = use(api, second) and api.get(MINE).json()["results"]
    mine = [row for row in listed if row["username"] == "township_cadre"]
    assert {row["name"] for row in mine} == {"reports script", "API"}
    assert all(first not in str(row) and second not in str(row) for row in listed)  # never the secret
    script = next(row for row in mine if row["name"] == "reports script")
    assert script["prefix"] == first[:8] and script["active"] is True
    response = api.delete(f"{MINE}{script['id']}/?reason=leaked")
    assert response.status_code == 200 and response.json()["active"] is False
    assert response.json()["revoked_reason"] == "leaked"
    assert use(api, first).status_code == 401  # the revoked one stops
    assert use(api, second).status_code == 200  # the other goes on
    assert api.delete(f"{MINE}{script['id']}/").json()["code"] == "already_revoked"


def test_an_administrator_revokes_a_users_token_but_not_out_of_scope(api, district, personas):
    secret = obtain(api, "promoter")
    token = ApiToken.objects.get(key_hash=hash_secret(secret))
    outsider_secret = obtain(api, "outsider")
    outsider_token = ApiToken.objects.get(key_hash=hash_secret(outsider_secret))
    admin = api.as_(personas.township_admin)
    assert admin.delete(f"{MINE}{outsider_token.pk}/").status_code == 404
    listed = admin.get(MINE, {"user": personas.promoter.pk}).json()["results"]
    assert [row["id"] for row in listed] == [token.pk]
    # Another user's token: an operator neither sees nor revokes it.
    assert api.as_(personas.volunteer).delete(f"{MINE}{token.pk}/").status_code == 404
    assert api.as_(personas.auditor).delete(f"{MINE}{token.pk}/").status_code == 403  # auditors only read
    response = api.as_(personas.township_admin).delete(f"{MINE}{token.pk}/", {"reason": "left the post"},
                                                       format="json")
    assert response.status_code == 200
    assert use(api, secret).status_code == 401
    assert use(api, outsider_secret).status_code == 200
    event = AuditEvent.objects.filter(action="token.revoke").latest("seq")
    assert event.actor == personas.township_admin and event.after["reason"] == "left the post"


def test_the_token_pages_show_the_secret_once_and_revoke(client, district, personas):
    client.force_login(personas.promoter)
    page = client.post(reverse("accounts:token_list"), {"action": "issue", "name": "phone app"})
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    token = ApiToken.objects.get(user=personas.promoter)
    html = page.content.decode()
    secret = html.split('id="new-token">', 1)[1].split("<", 1)[0]
    assert hash_secret(secret) == token.key_hash
    again = client.get(reverse("accounts:token_list")).content.decode()
    assert "phone app" in again and secret not in again and token.prefix in again
    # The administrator sees it on the user's token page and revokes it there.
    client.force_login(personas.township_admin)
    page = client.get(reverse("accounts:user_tokens", args=[personas.promoter.pk]))
    assert "phone app" in page.content.decode()
    response = client.post(reverse("accounts:user_tokens", args=[personas.promoter.pk]),
                           {"action": "revoke", "token": token.pk, "reason": "lost phone"})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_reason == "lost phone"
    # The outsider administrator reaches neither the page nor the token.
    client.force_login(personas.outsider)
    assert client.get(reverse("accounts:user_tokens", args=[personas.promoter.pk])).status_code in (403, 404)


def test_disabling_an_account_revokes_its_tokens(api, district, personas):
    secret = obtain(api, "promoter")
    assert use(api, secret).status_code == 200
    user_update(actor=personas.township_admin, user=personas.promoter, is_active=False)
    user_update(actor=personas.township_admin, user=personas.promoter, is_active=True)
    # Enabled again, the old token stays revoked: the client must obtain a new one.
    assert use(api, secret).status_code == 401
    assert ApiToken.objects.get(key_hash=hash_secret(secret)).revoked_reason == "deactivated"


def test_revoke_all_is_the_hook_for_password_changes(district, personas):
    live = [token_issue(actor=None, user=personas.promoter)[0] for _i in range(3)]
    assert tokens_revoke_all(user=personas.promoter, reason="password changed") == 3
    assert all(ApiToken.objects.get(pk=t.pk).revoked_at for t in live)
    assert tokens_revoke_all(user=personas.promoter, reason="password changed") == 0


@pytest.mark.django_db(transaction=True)
def test_the_migration_hashes_existing_clear_text_tokens(district, personas):
    """Tokens of rest_framework.authtoken keep working after the upgrade, and the clear table is gone."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("shuanglian.accounts.migrations.0004_hash_existing_tokens")
    secret = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp with time zone,"
                       " user_id bigint)" if connection.vendor == "postgresql" else
                       "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created datetime, user_id bigint)")
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, %s, %s)",
                       [secret, dt.datetime(2025, 1, 1, tzinfo=dt.UTC), personas.township_cadre.pk])
    with connection.schema_editor() as editor:
        migration.forwards(apps, editor)
    assert "authtoken_token" not in connection.introspection.table_names()
    token = ApiToken.objects.get(key_hash=hash_secret(secret))
    assert token.user == personas.township_cadre and token.revoked_at is None and not token.second_factor


def test_a_password_change_revokes_the_tokens_issued_under_the_old_one(personas, api):
    """Changed over the API (no token needed), the old token stops working at once."""
    from rest_framework.test import APIClient

    from shuanglian.accounts.tokens import token_issue
    from shuanglian.testing.personas import PASSWORD

    _token, secret = token_issue(actor=None, user=personas.promoter, name="phone")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert client.get("/api/v1/divisions/").status_code == 200
    r = APIClient().post("/api/v1/auth/password/", {"username": "promoter", "old_password": PASSWORD,
                                                    "new_password": "Grid-worker-2027!"}, format="json")
    assert r.status_code in (200, 204), r.content
    assert client.get("/api/v1/divisions/").status_code == 401
