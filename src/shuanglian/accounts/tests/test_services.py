"""Accounts and grants: administrators act within their subtree; duties stay separate."""
import pytest

from shuanglian.accounts import selectors, services
from shuanglian.accounts.models import Grant
from shuanglian.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from shuanglian.core.models import AuditEvent

PW = "Strong-pass-2010"


def test_township_admin_manages_users_only_within_the_township(district, personas):
    admin = personas.township_admin
    user = services.user_create(actor=admin, username="wang", password=PW, division=district.village)
    services.grant_create(actor=admin, user=user, role="village_cadre", division=district.village)
    with pytest.raises(PermissionDenied):
        services.user_create(actor=admin, username="li", password=PW, division=district.township2)
    with pytest.raises(PermissionDenied):
        services.grant_create(actor=admin, user=user, role="village_cadre", division=district.village3)
    with pytest.raises(PermissionDenied):  # a county user is not theirs to manage
        services.user_update(actor=admin, user=personas.county_office, full_name="x")
    visible = set(selectors.user_list_visible_to(admin).values_list("username", flat=True))
    assert "wang" in visible and "village_cadre" in visible
    assert not visible & {"county_office", "admin", "outsider", "auditor"}


def test_duties_are_separate(district, personas):
    with pytest.raises(Conflict, match="different accounts") as exc:
        services.grant_create(actor=personas.admin, user=personas.township_cadre, role="auditor",
                              division=district.county)
    assert exc.value.code == "duty_separation"
    # Even the system (a command) cannot make an auditor an administrator; an administrator may not touch
    # the auditor's account at all (test_grant_duties).
    with pytest.raises(Conflict):
        services.grant_create(actor=None, user=personas.auditor, role="admin", division=district.township)
    # Operators may hold several operator roles.
    services.grant_create(actor=personas.admin, user=personas.village_cadre, role="archive_keeper",
                          division=district.village)


def test_nobody_grants_themselves(district, personas):
    with pytest.raises((ValidationFailed, PermissionDenied)):
        services.grant_create(actor=personas.admin, user=personas.admin, role="admin", division=district.county)


def test_auditor_and_operators_cannot_manage_accounts(district, personas):
    for who in (personas.auditor, personas.county_office, personas.township_cadre):
        with pytest.raises(PermissionDenied):
            services.user_create(actor=who, username=f"new_{who.username}", password=PW, division=district.village)
        with pytest.raises(PermissionDenied):
            services.grant_create(actor=who, user=personas.nobody, role="village_cadre", division=district.village)


def test_auditor_reads_users_in_scope(district, personas):
    visible = set(selectors.user_list_visible_to(personas.auditor).values_list("username", flat=True))
    assert {"admin", "county_office", "promoter"} <= visible and "outsider" not in visible


def test_grant_rules(district, personas):
    admin = personas.admin
    with pytest.raises(ValidationFailed, match="granted at a grid"):
        services.grant_create(actor=admin, user=personas.nobody, role="grid_promoter", division=district.village)
    with pytest.raises(ValidationFailed):
        services.grant_create(actor=admin, user=personas.nobody, role="no_such_role", division=district.village)
    grant = services.grant_create(actor=admin, user=personas.nobody, role="grid_promoter", division=district.grid)
    with pytest.raises(Conflict) as exc:
        services.grant_create(actor=admin, user=personas.nobody, role="grid_promoter", division=district.grid)
    assert exc.value.code == "duplicate_grant"
    services.grant_revoke(actor=admin, grant=grant, reason="任期届满")
    assert Grant.objects.get(pk=grant.pk).revoked_at is not None
    services.grant_create(actor=admin, user=personas.nobody, role="grid_promoter", division=district.grid)
    actions = list(AuditEvent.objects.filter(action__startswith="grant.", actor=admin)
                   .order_by("seq").values_list("action", flat=True))
    assert actions == ["grant.create", "grant.revoke", "grant.create"]


def test_weak_passwords_and_taken_usernames_are_refused(district, personas):
    with pytest.raises(ValidationFailed) as exc:
        services.user_create(actor=personas.admin, username="zhao", password="abcdefgh", division=district.village)
    assert exc.value.code == "weak_password"
    with pytest.raises(Conflict):
        services.user_create(actor=personas.admin, username="Promoter", password=PW, division=district.village)
