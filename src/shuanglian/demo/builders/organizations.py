"""The county's departments and offices, a service center and a general association per township,
and a promotion association per village and community (乡一级建总会, 村一级建促进会)."""
from shuanglian.organizations.choices import Function, OrganizationKind
from shuanglian.organizations.services import organization_create

from ..context import DemoContext

Kind = OrganizationKind

# At the county: (name, kind, function). The 区行政服务中心 is a county body, not one of the seed's
# 21 service centers, so it is a department here.
COUNTY = [
    ("区公安分局", Kind.DEPARTMENT, Function.PUBLIC_SECURITY),
    ("区人民法院", Kind.DEPARTMENT, Function.COURT),
    ("区人民检察院", Kind.DEPARTMENT, Function.PROCURATORATE),
    ("区司法局", Kind.DEPARTMENT, Function.JUSTICE),
    ("区信访局", Kind.DEPARTMENT, Function.PETITION),
    ("区民政局", Kind.DEPARTMENT, Function.CIVIL_AFFAIRS),
    ("区人力社保局", Kind.DEPARTMENT, Function.HUMAN_RESOURCES),
    ("区自然资源局", Kind.DEPARTMENT, Function.NATURAL_RESOURCES),
    ("区卫生局", Kind.DEPARTMENT, Function.HEALTH),
    ("区教育局", Kind.DEPARTMENT, Function.EDUCATION),
    ("区委组织部", Kind.DEPARTMENT, Function.ORGANIZATION_DEPT),
    ("区委政法委", Kind.DEPARTMENT, Function.POLITICAL_LEGAL),
    ("区行政服务中心", Kind.DEPARTMENT, Function.ADMIN_SERVICE),
    ("区“双连”办", Kind.OFFICE, Function.SHUANGLIAN_OFFICE),
    ("区民情沟通日办公室", Kind.OFFICE, Function.CONTACT_DAY_OFFICE),
]


def service_center_name(township) -> str:
    return f"{township.name}便民服务中心"


def build(ctx: DemoContext) -> None:
    county = ctx.county
    for name, kind, function in COUNTY:
        ctx.departments[function] = organization_create(actor=None, division=county, name=name, kind=kind,
                                                        function=function)
    county_center = ctx.departments[Function.ADMIN_SERVICE]
    for code, township in sorted(ctx.townships.items()):
        ctx.service_centers[code] = organization_create(
            actor=None, division=township, name=service_center_name(township), kind=Kind.SERVICE_CENTER,
            function=Function.ADMIN_SERVICE, parent=county_center)
        ctx.associations[code] = organization_create(
            actor=None, division=township, name=f"{township.name}和谐平安促进总会", kind=Kind.ASSOCIATION)
    for code, village in ctx.villages.items():
        ctx.associations[code] = organization_create(
            actor=None, division=village, name=f"{village.name}和谐平安促进会", kind=Kind.ASSOCIATION,
            parent=ctx.associations[code[:9]])
    ctx.log(f"  {len(COUNTY)} county departments and offices, {len(ctx.service_centers)} service centers, "
            f"{len(ctx.associations)} associations")
