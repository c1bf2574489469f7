"""A small real-shaped district for tests: two counties of 衢州, townships, villages, grids.

Made through the import service (real CSV files) and the division services, as data is in production.
"""
import csv
import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

from shuanglian.divisions.importing import import_divisions
from shuanglian.divisions.models import Division
from shuanglian.divisions.services import division_create

PROVINCES = [("33", "浙江省")]
CITIES = [("3308", "衢州市", "33")]
AREAS = [("330802", "柯城区", "3308", "33"), ("330803", "衢江区", "3308", "33")]
STREETS = [
    ("330803001", "樟潭街道", "330803", "33", "3308"),
    ("330803100", "上方镇", "330803", "33", "3308"),
    ("330802001", "府山街道", "330802", "33", "3308"),
]


def write_division_files(folder: Path) -> list[Path]:
    tables = {
        "provinces.csv": (["code", "name"], PROVINCES),
        "cities.csv": (["code", "name", "provinceCode"], CITIES),
        "areas.csv": (["code", "name", "cityCode", "provinceCode"], AREAS),
        "streets.csv": (["code", "name", "areaCode", "provinceCode", "cityCode"], STREETS),
    }
    paths = []
    for name, (header, rows) in tables.items():
        path = folder / name
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(rows)
        paths.append(path)
    return paths


@dataclass
class District:
    county: Division  # 衢江区
    other_county: Division  # 柯城区
    township: Division  # 樟潭街道
    township2: Division  # 上方镇
    outside_township: Division  # 府山街道 (柯城区)
    village: Division  # 樟潭 community
    village2: Division  # a village in 樟潭
    village3: Division  # a village in 上方镇
    grid: Division  # first grid of `village`
    grid2: Division  # second grid of `village`
    grid3: Division  # grid of village2
    grid4: Division  # grid of village3
    outside_village: Division
    outside_grid: Division


SINCE = dt.date(2001, 1, 1)  # the district has existed since; tests restructure at later dates


def build_district() -> District:
    with tempfile.TemporaryDirectory() as tmp:
        import_divisions(actor=None, paths=write_division_files(Path(tmp)), effective_on=SINCE)
    get = Division.objects.current().get
    county, other = get(code="330803"), get(code="330802")
    t1, t2, t_out = get(code="330803001"), get(code="330803100"), get(code="330802001")
    v1 = division_create(actor=None, parent=t1, name="樟潭社区", code="330803001001", effective_on=SINCE)
    v2 = division_create(actor=None, parent=t1, name="樟树潭村", code="330803001201", effective_on=SINCE)
    v3 = division_create(actor=None, parent=t2, name="上方村", code="330803100201", effective_on=SINCE)
    v_out = division_create(actor=None, parent=t_out, name="府山社区", code="330802001001", effective_on=SINCE)
    g1 = division_create(actor=None, parent=v1, name="第一网格", planned_households=40, effective_on=SINCE)
    g2 = division_create(actor=None, parent=v1, name="第二网格", planned_households=35, effective_on=SINCE)
    g3 = division_create(actor=None, parent=v2, name="第一网格", planned_households=45, effective_on=SINCE)
    g4 = division_create(actor=None, parent=v3, name="第一网格", planned_households=50, effective_on=SINCE)
    g_out = division_create(actor=None, parent=v_out, name="第一网格", planned_households=30, effective_on=SINCE)
    return District(county=county, other_county=other, township=t1, township2=t2, outside_township=t_out,
                    village=v1, village2=v2, village3=v3, grid=g1, grid2=g2, grid3=g3, grid4=g4,
                    outside_village=v_out, outside_grid=g_out)
