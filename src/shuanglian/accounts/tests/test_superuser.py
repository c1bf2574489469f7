"""A superuser is an administrator only (level 3 separation of duties): it manages accounts and roles
everywhere, and holds no auditor's or operator's duty."""
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from shuanglian.access.roles import Role
from shuanglian.accounts.models import User
from shuanglian.accounts.services import grant_create
from shuanglian.core.exceptions import Conflict


@pytest.fixture
def root(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Root-pass-2010")
    out = io.StringIO()
    call_command("createsuperuser", "--noinput", "--username", "root", "--email", "root@example.cn", stdout=out)
    user = User.objects.get(username="root")
    user.printed = out.getvalue()
    return user


def test_createsuperuser_says_the_account_is_an_administrator_only(root):
    assert "root is an administrator only" in root.printed and "audit trail" in root.printed
    assert root.password_changed_at is not None and not root.must_change_password


def test_a_superuser_administers_but_reads_no_audit_trail_or_personal_information(client, api, root, personas,
                                                                                   district):
    client.force_login(root)
    assert client.get(reverse("accounts:user_list")).status_code == 200
    assert client.get(reverse("accounts:user_detail", kwargs={"pk": personas.promoter.pk})).status_code == 200
    for refused in (reverse("audit:list"), reverse("archives:search"), reverse("matters:list")):
        assert client.get(refused).status_code == 403, refused
    api.as_(root)
    assert api.get("/api/v1/users/").status_code == 200
    for refused in ("/api/v1/audit/", "/api/v1/persons/", "/api/v1/matters/"):
        assert api.get(refused).status_code in (403, 404) or not api.get(refused).json()["results"], refused
    assert api.get("/api/v1/audit/").status_code == 403


def test_a_superuser_cannot_be_given_an_operators_or_auditors_role(root, personas, district):
    with pytest.raises(Conflict, match="different accounts"):
        grant_create(actor=None, user=root, role=Role.AUDITOR, division=district.county)
    with pytest.raises(Conflict):
        grant_create(actor=None, user=root, role=Role.TOWNSHIP_CADRE, division=district.township)
    grant_create(actor=None, user=root, role=Role.ADMIN, division=district.county)
