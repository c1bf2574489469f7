"""Sign-in and the account pages: no permission, permitted, out of scope."""
import pytest
from django.urls import reverse

from shuanglian.access.roles import Role
from shuanglian.accounts.models import Grant, User
from shuanglian.core.models import AuditEvent

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "main"}
USERS = reverse("accounts:user_list")
CREATE = reverse("accounts:user_create")


def detail_url(user) -> str:
    return reverse("accounts:user_detail", kwargs={"pk": user.pk})


@pytest.fixture
def as_(client):
    def login(user):
        client.force_login(user)
        return client

    return login


# Sign-in

def test_login_page_signs_in_and_lands_on_the_division_browser(client, personas, persona_password):
    page = client.get(reverse("accounts:login"))
    assert page.status_code == 200 and 'name="password"' in page.content.decode()
    response = client.post(reverse("accounts:login"), {"username": "township_cadre", "password": persona_password},
                           follow=True)
    assert response.redirect_chain[-1][0] == reverse("divisions:detail", kwargs={"code": "330803001"})
    assert response.context["user"] == personas.township_cadre


def test_login_with_a_wrong_password_stays_on_the_form(client, personas):
    response = client.post(reverse("accounts:login"), {"username": "township_cadre", "password": "wrong"})
    assert response.status_code == 200 and response.context["form"].errors


def test_logout_is_a_post(as_, personas):
    client = as_(personas.promoter)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert client.get(reverse("divisions:browse")).status_code == 302


# The user list

def test_users_page_needs_a_role_that_sees_accounts(client, as_, personas):
    assert client.get(USERS).status_code == 302
    for persona in (personas.promoter, personas.township_cadre, personas.county_office, personas.nobody):
        assert as_(persona).get(USERS).status_code == 403
    assert as_(personas.promoter).get(CREATE).status_code == 403
    assert as_(personas.auditor).get(CREATE).status_code == 403  # auditors read, they do not manage


def test_admin_lists_users_with_roles_and_filters(as_, personas):
    client = as_(personas.admin)
    response = client.get(USERS)
    names = [u.username for u in response.context["page_obj"]]
    assert response.status_code == 200 and "promoter" in names and "outsider" not in names  # 柯城区 is not theirs
    assert "网格和谐促进员" in response.content.decode()
    response = client.get(USERS, {"role": Role.GRID_PROMOTER})
    assert [u.username for u in response.context["page_obj"]] == ["promoter"]
    response = client.get(USERS, {"q": "township"})
    assert [u.username for u in response.context["page_obj"]] == ["township_admin", "township_cadre"]


def test_township_admin_sees_only_their_township(as_, personas):
    client = as_(personas.township_admin)
    names = {u.username for u in client.get(USERS).context["page_obj"]}
    assert "promoter" in names and "county_office" not in names
    assert client.get(detail_url(personas.county_office)).status_code == 404
    assert client.get(detail_url(personas.outsider)).status_code == 404
    assert client.get(detail_url(personas.promoter)).status_code == 200


def test_user_list_queries_do_not_grow_with_the_page(as_, personas, django_assert_max_num_queries):
    client = as_(personas.admin)
    client.get(USERS)
    with django_assert_max_num_queries(10):
        response = client.get(USERS)
    assert len(response.context["page_obj"]) >= 10


# Create, update, grant, revoke

def test_admin_creates_an_account(as_, personas, district):
    client = as_(personas.admin)
    response = client.post(CREATE, {"username": "new_promoter", "full_name": "王五", "division": district.grid2.code,
                                    "password": "Grid-Work-2010", "password_confirm": "Grid-Work-2010"})
    user = User.objects.get(username="new_promoter")
    assert response.status_code == 302 and response["Location"] == detail_url(user)
    assert user.division == district.grid2 and user.full_name == "王五"
    assert AuditEvent.objects.filter(action="user.create", actor=personas.admin, object_id=str(user.pk)).exists()


def test_create_account_errors_show_on_the_form(as_, personas, district):
    client = as_(personas.admin)
    data = {"username": "weak", "division": district.grid2.code, "password": "abc", "password_confirm": "abc"}
    response = client.post(CREATE, data)
    assert response.status_code == 422 and response.context["form"].errors["password"]  # from the service
    response = client.post(CREATE, {**data, "password": "Grid-Work-2010", "password_confirm": "Other-2010"})
    assert response.status_code == 422 and "password_confirm" in response.context["form"].errors
    response = client.post(CREATE, {**data, "username": "promoter", "password": "Grid-Work-2010",
                                    "password_confirm": "Grid-Work-2010"})
    assert response.status_code == 422 and response.context["form"].errors["username"]  # taken
    # A division outside the admin's subtree cannot be named.
    response = client.post(CREATE, {**data, "division": district.outside_grid.code, "password": "Grid-Work-2010",
                                    "password_confirm": "Grid-Work-2010"})
    assert response.status_code == 422 and response.context["form"].errors["division"]
    assert not User.objects.filter(username="weak").exists()


def test_admin_grants_and_revokes_a_role(as_, personas, district):
    client = as_(personas.admin)
    subject = personas.nobody
    response = client.post(detail_url(subject), {"action": "grant", "grant-role": Role.VILLAGE_CADRE,
                                                  "grant-division": district.village2.code})
    assert response.status_code == 302
    grant = Grant.objects.get(user=subject, role=Role.VILLAGE_CADRE, revoked_at__isnull=True)
    page = client.get(detail_url(subject))
    assert "樟树潭村" in page.content.decode() and len(list(page.context["messages"])) == 1
    response = client.post(detail_url(subject), {"action": "revoke", "revoke-grant": grant.pk,
                                                  "revoke-reason": "调岗"})
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    event = AuditEvent.objects.get(action="grant.revoke")
    assert event.actor == personas.admin and event.after["reason"] == "调岗"


def test_grant_rule_errors_show_on_the_form(as_, personas, district):
    client = as_(personas.admin)
    # Duty separation: an operator cannot also be an auditor.
    response = client.post(detail_url(personas.promoter), {"action": "grant", "grant-role": Role.AUDITOR,
                                                           "grant-division": district.county.code})
    assert response.status_code == 422
    assert response.context["grant_form"].non_field_errors()
    response = client.post(detail_url(personas.promoter), {"action": "grant", "grant-role": Role.AUDITOR,
                                                           "grant-division": district.county.code}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 422 and 'id="grant-form"' in body
    assert "<header" not in body
    assert not Grant.objects.filter(user=personas.promoter, role=Role.AUDITOR).exists()


def test_revoke_error_by_htmx_goes_to_the_message_area(as_, personas):
    client = as_(personas.admin)
    grant = Grant.objects.get(user=personas.promoter)
    client.post(detail_url(personas.promoter), {"action": "revoke", "revoke-grant": grant.pk})
    # Revoking again: the grant is no longer active, so the form refuses it.
    response = client.post(detail_url(personas.promoter), {"action": "revoke", "revoke-grant": grant.pk}, **HTMX)
    assert response.status_code == 422 and response["HX-Retarget"] == "#flash"
    assert 'class="msg msg-error"' in response.content.decode()


def test_auditor_reads_accounts_but_cannot_change_them(as_, personas, district):
    client = as_(personas.auditor)
    page = client.get(detail_url(personas.promoter))
    assert page.status_code == 200 and not page.context["may_manage"] and "grant_form" not in page.context
    response = client.post(detail_url(personas.promoter), {"action": "grant", "grant-role": Role.GRID_VOLUNTEER,
                                                           "grant-division": district.grid.code})
    assert response.status_code == 403


def test_admin_updates_an_account(as_, personas, district):
    client = as_(personas.township_admin)
    response = client.post(detail_url(personas.volunteer), {
        "action": "update", "update-full_name": "李四", "update-email": "", "update-division": district.grid2.code,
        "update-is_active": ""})
    assert response.status_code == 302
    personas.volunteer.refresh_from_db()
    assert personas.volunteer.full_name == "李四" and not personas.volunteer.is_active
    assert personas.volunteer.division == district.grid2
