"""Separation of duties around grants: administrators cannot change auditors' accounts, and a grant of a role
that reveals personal information alerts the auditors (default) or waits for a second administrator
(GRANT_APPROVAL=two_person). Through the page and the API."""
import pytest
from django.urls import reverse

from shuanglian.access.roles import Role
from shuanglian.accounts.models import Grant, PendingGrant, User
from shuanglian.accounts.services import grant_create, user_create, user_set_password, user_update
from shuanglian.core.exceptions import PermissionDenied
from shuanglian.core.models import AuditEvent
from shuanglian.notifications.models import Notification
from shuanglian.testing.personas import PASSWORD

NEW = "Qujiang-Harmony-2010!"


@pytest.fixture(autouse=True)
def english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def newcomer(district):
    return user_create(actor=None, username="newcomer", password=PASSWORD, division=district.village)


# --- auditors' accounts ---------------------------------------------------------------------------


def test_an_administrator_cannot_change_an_auditors_account(personas, district):
    auditor, admin = personas.auditor, personas.admin
    with pytest.raises(PermissionDenied):
        user_update(actor=admin, user=auditor, is_active=False)
    with pytest.raises(PermissionDenied):
        user_set_password(actor=admin, user=auditor, password=NEW)
    with pytest.raises(PermissionDenied):
        grant_create(actor=admin, user=auditor, role=Role.AUDITOR, division=district.township)
    from shuanglian.accounts.services import grant_revoke

    with pytest.raises(PermissionDenied):
        grant_revoke(actor=admin, grant=auditor.grants.get())
    auditor.refresh_from_db()
    assert auditor.is_active and auditor.check_password(PASSWORD)


def test_the_auditors_page_and_api_offer_no_change(client, api, personas):
    client.force_login(personas.admin)
    url = reverse("accounts:user_detail", kwargs={"pk": personas.auditor.pk})
    page = client.get(url)
    assert page.status_code == 200 and not page.context["may_manage"]
    assert client.post(url, {"action": "update", "update-division": "330803", "update-is_active": ""}
                       ).status_code == 403
    api.as_(personas.admin)
    assert api.patch(f"/api/v1/users/{personas.auditor.pk}/", {"is_active": False}, format="json").status_code == 403
    assert api.post(f"/api/v1/users/{personas.auditor.pk}/password/", {"password": NEW},
                    format="json").status_code == 403
    assert User.objects.get(pk=personas.auditor.pk).is_active


def test_an_administrator_may_still_make_a_new_auditor(personas, newcomer, district):
    grant = grant_create(actor=personas.admin, user=newcomer, role=Role.AUDITOR, division=district.county)
    assert grant.pk and not grant.revoked_at


# --- alert (the default) --------------------------------------------------------------------------


def test_a_grant_that_reveals_personal_information_alerts_the_auditors(client, personas, newcomer, district):
    client.force_login(personas.township_admin)
    client.post(reverse("accounts:user_detail", kwargs={"pk": newcomer.pk}),
                {"action": "grant", "grant-role": Role.ARCHIVE_KEEPER, "grant-division": district.village.code})
    assert Grant.objects.filter(user=newcomer, role=Role.ARCHIVE_KEEPER, revoked_at__isnull=True).exists()
    alert = Notification.objects.get(kind="grant.pii")
    assert alert.recipient == personas.auditor
    assert "newcomer" in alert.title and "township_admin" in alert.title and "personal information" in alert.title
    # A role that does not reveal personal information alerts nobody.
    other = user_create(actor=None, username="other", password=PASSWORD, division=district.village)
    grant_create(actor=personas.township_admin, user=other, role=Role.GRID_VOLUNTEER, division=district.grid)
    assert Notification.objects.filter(kind="grant.pii").count() == 1


# --- two_person -----------------------------------------------------------------------------------


@pytest.fixture
def two_person(settings):
    settings.GRANT_APPROVAL = "two_person"


def test_two_person_grants_wait_for_a_second_administrator_on_the_pages(client, personas, newcomer, district,
                                                                         two_person):
    client.force_login(personas.township_admin)
    response = client.post(reverse("accounts:user_detail", kwargs={"pk": newcomer.pk}),
                           {"action": "grant", "grant-role": Role.GRID_PROMOTER,
                            "grant-division": district.grid.code}, follow=True)
    assert "awaits a second administrator" in response.content.decode()
    assert not Grant.objects.filter(user=newcomer).exists()
    pending = PendingGrant.objects.get(user=newcomer)
    # The other administrators hear of it; the one who asked cannot approve it.
    assert Notification.objects.get(kind="grant.pending").recipient == personas.admin
    decide = reverse("accounts:pending_grant_decide", kwargs={"pk": pending.pk})
    page = client.post(decide, {"decision": "approve"})
    assert page.status_code == 422 and "not the one who asked" in page.content.decode()
    assert not Grant.objects.filter(user=newcomer).exists()
    client.force_login(personas.admin)
    assert "newcomer" in client.get(reverse("accounts:pending_grants")).content.decode()
    response = client.post(decide, {"decision": "approve"}, follow=True)
    assert response.status_code == 200 and "approved" in response.content.decode()
    grant = Grant.objects.get(user=newcomer, role=Role.GRID_PROMOTER)
    assert grant.granted_by == personas.township_admin
    assert list(AuditEvent.objects.filter(action__startswith="grant.", actor__isnull=False).order_by("seq").values_list("action", "actor__username")) == [
        ("grant.request", "township_admin"), ("grant.create", "admin"), ("grant.approve", "admin")]
    assert Notification.objects.get(kind="grant.pii").recipient == personas.auditor


def test_two_person_grants_over_the_api_and_rejection(api, personas, newcomer, district, two_person):
    api.as_(personas.admin)
    response = api.post("/api/v1/grants/", {"user": newcomer.pk, "role": Role.ARCHIVE_KEEPER,
                                            "division": district.village.code}, format="json")
    assert response.status_code == 202 and response.json()["status"] == "pending"
    pk = response.json()["id"]
    refused = api.post(f"/api/v1/pending-grants/{pk}/approve/")
    assert refused.status_code == 403 and refused.json()["code"] == "same_administrator"
    api.as_(personas.township_admin)
    assert [r["id"] for r in api.get("/api/v1/pending-grants/").json()["results"]] == [pk]
    response = api.post(f"/api/v1/pending-grants/{pk}/reject/")
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    assert api.post(f"/api/v1/pending-grants/{pk}/approve/").json()["code"] == "already_decided"
    assert not Grant.objects.filter(user=newcomer).exists()
    # Roles that reveal nothing personal take effect at once, two-person or not.
    response = api.post("/api/v1/grants/", {"user": newcomer.pk, "role": Role.GRID_VOLUNTEER,
                                            "division": district.grid.code}, format="json")
    assert response.status_code == 201
