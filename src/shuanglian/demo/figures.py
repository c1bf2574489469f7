"""The seed's structure figures (shared/SEED-FIGURES.md) and the dates the demo history uses."""
import datetime as dt

COUNTY_CODE = "330803"  # 衢江区
ESTABLISHED = dt.date(2001, 1, 1)  # 衢江区 was established; the demo's history starts here
RESTRUCTURED = dt.date(2010, 1, 1)  # 村规模调整: 506 villages merged into 271
GRIDDED = dt.date(2010, 3, 1)  # the grids were drawn
AS_BEFORE = dt.date(2009, 12, 31)

TOWNSHIPS = 21
STREET_OFFICES = ("330803001", "330803002")  # 樟潭街道, 浮石街道: only communities under them
EXTRA_TOWNSHIP = ("330803400", "横路办事处")  # not in the national list of 2022; its kind derives as "other"
VILLAGES_BEFORE = 506
VILLAGES_AFTER = 271
MERGED_AWAY = VILLAGES_BEFORE - VILLAGES_AFTER  # 235, -46.4%
COMMUNITIES = (  # (township code, name); created with the restructuring
    ("330803001", "樟潭社区"),
    ("330803001", "江滨社区"),
    ("330803002", "浮石社区"),
)
GRIDS = 2556
HOUSEHOLDS = 115_390  # household archives; the grids' planned households add up to it
GRID_HOUSEHOLDS = (30, 50)
SERVICE_CENTERS = 21
