"""One demo account per role, all with the same printed password. Made through the account services."""
from dataclasses import dataclass

from shuanglian.access.roles import Role
from shuanglian.accounts.models import User
from shuanglian.accounts.services import grant_create, user_create
from shuanglian.divisions.models import Division
from shuanglian.organizations.choices import Function, OrganizationKind
from shuanglian.organizations.models import Organization

from .. import figures
from ..context import DemoContext

# Satisfies the validators (8+ characters of 3 kinds). A demo password: printed, never for production.
PASSWORD = "Qujiang-2010!"
DEMO_TOWNSHIP = figures.STREET_OFFICES[0]  # 樟潭街道


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    at: str  # a key of demo_targets()


USERS = [
    DemoUser("demo_admin", "方志远", Role.ADMIN, "county"),
    DemoUser("demo_auditor", "余静", Role.AUDITOR, "county"),
    DemoUser("demo_county", "郑国平", Role.COUNTY_OFFICE, "county"),
    DemoUser("demo_township", "徐晓东", Role.TOWNSHIP_CADRE, "township"),
    DemoUser("demo_village", "周建国", Role.VILLAGE_CADRE, "village"),
    DemoUser("demo_archive", "王丽娟", Role.ARCHIVE_KEEPER, "village"),
    DemoUser("demo_promoter", "毛根土", Role.GRID_PROMOTER, "grid"),
    DemoUser("demo_volunteer", "叶春燕", Role.GRID_VOLUNTEER, "grid"),
    DemoUser("demo_service", "汪敏", Role.SERVICE_STAFF, "service_center"),
    DemoUser("demo_police", "姜伟", Role.DEPARTMENT_MEMBER, "police"),
    # Handles the applications of low-income allowance, five-guarantee, relief ... (services demo).
    DemoUser("demo_civil", "柴丽萍", Role.DEPARTMENT_MEMBER, "civil_affairs"),
    # The county's petition office (信访局): registers, routes and replies to petitions.
    DemoUser("demo_petition", "陈信平", Role.PETITION_OFFICER, "county"),
]


@dataclass(frozen=True)
class DemoAccount:
    """A row of the log-in table."""

    username: str
    role: str
    where: str
    created: bool


def demo_targets(county: Division) -> dict[str, Division | Organization | None]:
    """Where the demo accounts work, looked up in the database (so a second run finds them too)."""
    township = Division.objects.current().filter(code=DEMO_TOWNSHIP).first()
    village = township.children.current().order_by("code").first() if township else None
    grid = village.children.current().order_by("code").first() if village else None
    return {
        "county": county,
        "township": township,
        "village": village,
        "grid": grid,
        "service_center": Organization.objects.filter(division=township, kind=OrganizationKind.SERVICE_CENTER)
        .order_by("pk").first() if township else None,
        "police": Organization.objects.filter(division=county, function=Function.PUBLIC_SECURITY)
        .order_by("pk").first(),
        "civil_affairs": Organization.objects.filter(division=county, function=Function.CIVIL_AFFAIRS)
        .order_by("pk").first(),
    }


def _where(target) -> str:
    return f"{target.name} ({target.code})" if isinstance(target, Division) else target.name


def ensure_demo_users(county: Division, log=print) -> tuple[list[DemoAccount], dict[str, User]]:
    """Create the demo accounts that do not exist yet; existing accounts are left as they are."""
    targets = demo_targets(county)
    accounts, users = [], {}
    for spec in USERS:
        target = targets[spec.at]
        if target is None:
            log(f"  {spec.username}: skipped, the demo district has no {spec.at.replace('_', ' ')}")
            continue
        user = User.objects.filter(username__iexact=spec.username).first()
        created = user is None
        if created:
            on_organization = isinstance(target, Organization)
            user = user_create(actor=None, username=spec.username, password=PASSWORD, full_name=spec.full_name,
                               division=target.division if on_organization else target)
            grant_create(actor=None, user=user, role=spec.role, division=None if on_organization else target,
                         organization=target if on_organization else None)
        users[user.username] = user
        accounts.append(DemoAccount(user.username, spec.role, _where(target), created))
    return accounts, users


def build(ctx: DemoContext) -> None:
    ctx.accounts, ctx.users = ensure_demo_users(ctx.county, ctx.log)
    ctx.log(f"  {sum(a.created for a in ctx.accounts)} demo accounts")
