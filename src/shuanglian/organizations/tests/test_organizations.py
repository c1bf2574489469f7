"""Organizations serve a division; work is routed to them, so those above one's own are visible too."""
import pytest

from shuanglian.core.exceptions import Conflict, PermissionDenied
from shuanglian.organizations.choices import Function, OrganizationKind
from shuanglian.organizations.selectors import organization_list_visible_to
from shuanglian.organizations.services import organization_create, organization_update


def names(user):
    return set(organization_list_visible_to(user).values_list("name", flat=True))


def test_visibility_follows_the_tree_and_reaches_upward(district, personas):
    court_elsewhere = organization_create(actor=None, division=district.other_county, name="柯城区人民法院",
                                          kind=OrganizationKind.DEPARTMENT, function=Function.COURT)
    assert names(personas.township_cadre) == {"衢江区公安分局", "樟潭街道便民服务中心"}
    assert names(personas.promoter) == {"衢江区公安分局", "樟潭街道便民服务中心"}  # routes matters upward
    assert court_elsewhere.name not in names(personas.county_office)
    assert "樟潭街道便民服务中心" not in names(personas.outsider)
    assert names(personas.department_member) >= {"衢江区公安分局", "樟潭街道便民服务中心"}


def test_only_the_county_office_manages_organizations(district, personas):
    with pytest.raises(PermissionDenied):
        organization_create(actor=personas.township_cadre, division=district.township, name="x",
                            kind=OrganizationKind.OFFICE)
    org = organization_create(actor=personas.county_office, division=district.township, name="樟潭街道综治中心",
                              kind=OrganizationKind.OFFICE, function=Function.POLITICAL_LEGAL)
    organization_update(actor=personas.county_office, organization=org, phone="0570-1234567")
    org.refresh_from_db()
    assert org.phone == "0570-1234567"
    with pytest.raises(Conflict):
        organization_create(actor=personas.county_office, division=district.township, name="樟潭街道综治中心",
                            kind=OrganizationKind.OFFICE)
