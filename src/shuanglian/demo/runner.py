"""Runs the demo's builder steps (see registry) and reports what the platform now counts."""
import time

from django.db import transaction
from django.db.models import Count, Sum

from shuanglian.divisions.choices import Level
from shuanglian.divisions.models import Division
from shuanglian.divisions.selectors import division_counts_as_of
from shuanglian.organizations.models import Organization

from . import figures
from .context import DemoContext
from .registry import steps


def demo_county() -> Division | None:
    return Division.objects.current().filter(code=figures.COUNTY_CODE).first()


def district_exists() -> bool:
    """The demo county is there with villages (current or merged away): the demo was built, or real data."""
    county = demo_county()
    return county is not None and Division.objects.within(county).filter(level=Level.VILLAGE).exists()


def build_demo(*, seed: int, log=print, app_configs=None) -> DemoContext:
    """Build the district in one transaction: any step failing leaves the database as it was."""
    ctx = DemoContext(seed=seed, log=log)
    with transaction.atomic():
        for step in steps(app_configs):
            started = time.perf_counter()
            ctx.rng = ctx.rng_for(step.name)
            log(f"{step.name} ...")
            step.build(ctx)
            log(f"  done in {time.perf_counter() - started:.1f}s")
    return ctx


def summary(county: Division) -> list[tuple[str, str]]:
    """The structure figures, as the platform's own queries count them (shared/SEED-FIGURES.md)."""
    before = division_counts_as_of(county, figures.AS_BEFORE)
    now = Division.objects.current().within(county)
    kinds = dict(now.filter(level=Level.VILLAGE).values_list("kind").annotate(n=Count("id")))
    grids = now.filter(level=Level.GRID).aggregate(n=Count("id"), households=Sum("planned_households"))
    merged = Division.objects.within(county).filter(level=Level.VILLAGE, retired_on__isnull=False).count()
    orgs = dict(Organization.objects.filter(division__in=now).values_list("kind").annotate(n=Count("id")))
    return [
        ("townships", f"{now.filter(level=Level.TOWNSHIP).count()}"),
        (f"villages on {figures.AS_BEFORE}", f"{before.get(Level.VILLAGE, 0)}"),
        ("villages today", f"{kinds.get('village', 0)} villages + {kinds.get('community', 0)} communities "
                           f"({merged} merged away)"),
        ("grids", f"{grids['n']} grids, {grids['households'] or 0:,} planned households"),
        ("organizations", ", ".join(f"{n} {kind}" for kind, n in sorted(orgs.items())) or "none"),
    ]
