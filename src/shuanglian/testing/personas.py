"""Named personas, so scope tests read like stories: who is asking, and what they may see."""
from dataclasses import dataclass

from shuanglian.access.roles import Role
from shuanglian.accounts.models import User
from shuanglian.accounts.services import grant_create, user_create
from shuanglian.organizations.choices import Function, OrganizationKind
from shuanglian.organizations.models import Organization
from shuanglian.organizations.services import organization_create

from .district import District

PASSWORD = "Persona-2010!"


@dataclass
class Personas:
    promoter: User  # grid_promoter at district.grid
    volunteer: User  # grid_volunteer at district.grid
    village_cadre: User  # at district.village
    archive_keeper: User  # at district.village
    township_cadre: User  # at district.township (樟潭街道)
    county_office: User  # at the county
    department_member: User  # member of the county public security bureau
    service_staff: User  # staff of 樟潭 service center
    auditor: User  # at the county
    admin: User  # administrator at the county
    township_admin: User  # administrator at 樟潭街道
    outsider: User  # township cadre in 柯城区
    nobody: User  # an account with no grants
    police: Organization
    service_center: Organization


def _person(username: str, division, role: str | None = None, *, at=None, organization=None) -> User:
    user = user_create(actor=None, username=username, password=PASSWORD, division=division, full_name=username)
    if role:
        grant_create(actor=None, user=user, role=role, division=None if organization else (at or division),
                     organization=organization)
    return user


def make_personas(d: District) -> Personas:
    police = organization_create(actor=None, division=d.county, name="衢江区公安分局",
                                 kind=OrganizationKind.DEPARTMENT, function=Function.PUBLIC_SECURITY)
    center = organization_create(actor=None, division=d.township, name="樟潭街道便民服务中心",
                                 kind=OrganizationKind.SERVICE_CENTER, function=Function.ADMIN_SERVICE)
    return Personas(
        promoter=_person("promoter", d.grid, Role.GRID_PROMOTER),
        volunteer=_person("volunteer", d.grid, Role.GRID_VOLUNTEER),
        village_cadre=_person("village_cadre", d.village, Role.VILLAGE_CADRE),
        archive_keeper=_person("archive_keeper", d.village, Role.ARCHIVE_KEEPER),
        township_cadre=_person("township_cadre", d.township, Role.TOWNSHIP_CADRE),
        county_office=_person("county_office", d.county, Role.COUNTY_OFFICE),
        department_member=_person("department_member", d.county, Role.DEPARTMENT_MEMBER, organization=police),
        service_staff=_person("service_staff", d.township, Role.SERVICE_STAFF, organization=center),
        auditor=_person("auditor", d.county, Role.AUDITOR),
        admin=_person("admin", d.county, Role.ADMIN),
        township_admin=_person("township_admin", d.township, Role.ADMIN),
        outsider=_person("outsider", d.outside_township, Role.TOWNSHIP_CADRE),
        nobody=_person("nobody", d.county),
        police=police,
        service_center=center,
    )
