"""The division tree of 衢江区 and its history: the real townships from the national list, 506 villages
from 2001, the 2010 restructuring into 271 villages and 3 communities, then 2,556 grids."""
from pathlib import Path

from shuanglian.divisions.importing import import_divisions
from shuanglian.divisions.models import Division
from shuanglian.divisions.services import NewDivision, division_create, division_create_bulk, village_merge

from .. import figures
from ..context import DemoContext
from ..names import grid_name
from ..plan import plan_district

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def division_files() -> list[Path]:
    """An extract of the national lists (shared/data/divisions/): 浙江省, 衢州市, 衢江区 and its 20 townships."""
    return [DATA_DIR / name for name in ("provinces.csv", "cities.csv", "areas.csv", "streets.csv")]


def build(ctx: DemoContext) -> None:
    report = import_divisions(actor=None, paths=division_files(), effective_on=figures.ESTABLISHED)
    ctx.log(f"  national list extract: {report.created} created, {report.unchanged} already present")
    current = Division.objects.current()
    county = ctx.county = current.get(code=figures.COUNTY_CODE)
    code, name = figures.EXTRA_TOWNSHIP
    if not current.filter(code=code).exists():
        division_create(actor=None, parent=county, name=name, code=code, effective_on=figures.ESTABLISHED)
    townships = {d.code: d for d in county.children.current()}
    plan = plan_district(ctx.rng, sorted(townships))
    ctx.data["demo.plan"] = plan

    created = division_create_bulk(actor=None, effective_on=figures.ESTABLISHED, parent_rows=[
        (townships[t.code], [NewDivision(v.name, code=v.code) for v in t.villages]) for t in plan.townships])
    villages = {d.code: d for d in created}
    for township in plan.townships:
        for target, sources in township.merges:
            village_merge(actor=None, sources=[villages[c] for c in sources], target=villages[target],
                          effective_on=figures.RESTRUCTURED, reason="村规模调整")
    for community in plan.communities:
        villages[community.code] = division_create(actor=None, parent=townships[community.township],
                                                   name=community.name, code=community.code,
                                                   effective_on=figures.RESTRUCTURED)
    current_villages = {c: d for c, d in villages.items() if d.retired_on is None}
    grids = division_create_bulk(actor=None, effective_on=figures.GRIDDED, parent_rows=[
        (current_villages[code], [NewDivision(grid_name(i), planned_households=n) for i, n in enumerate(households, 1)])
        for code, households in plan.grids.items()])

    ctx.townships = townships
    ctx.villages = dict(sorted(current_villages.items()))
    ctx.retired_villages = {c: d for c, d in sorted(villages.items()) if d.retired_on is not None}
    ctx.grids = {g.code: g for g in grids}
    ctx.log(f"  {len(townships)} townships, {len(created)} villages from {figures.ESTABLISHED}, "
            f"{len(ctx.retired_villages)} merged away on {figures.RESTRUCTURED}, "
            f"{len(ctx.villages)} villages and communities, {len(ctx.grids)} grids")
