"""The demo's plan and name generators: pure functions of the seed, tested without a database."""
import random
from collections import Counter
from importlib import import_module
from types import SimpleNamespace

import pytest

from shuanglian.demo import figures
from shuanglian.demo.builders.divisions import division_files
from shuanglian.demo.context import DemoContext
from shuanglian.demo.names import apportion, chinese_number, grid_name, spread, village_names
from shuanglian.demo.plan import plan_district
from shuanglian.demo.registry import APP_STEPS, OWN_STEPS, app_steps, steps

TOWNSHIPS = sorted([line.split(",")[0] for line in division_files()[-1].read_text(encoding="utf-8").splitlines()[1:]]
                   + [figures.EXTRA_TOWNSHIP[0]])


def test_the_shipped_extract_has_the_county_and_20_townships():
    assert len(TOWNSHIPS) == figures.TOWNSHIPS and all(c.startswith("330803") for c in TOWNSHIPS)
    headers = [p.read_text(encoding="utf-8").splitlines()[0] for p in division_files()]
    assert headers == ["code,name", "code,name,provinceCode", "code,name,cityCode,provinceCode",
                       "code,name,areaCode,provinceCode,cityCode"]


def test_same_seed_same_plan_other_seed_other_names():
    plan = plan_district(random.Random(2010), TOWNSHIPS)
    assert plan == plan_district(random.Random(2010), TOWNSHIPS)
    other = plan_district(random.Random(2011), TOWNSHIPS)
    assert [v.name for t in plan.townships for v in t.villages] != [v.name for t in other.townships for v in t.villages]


@pytest.mark.parametrize("seed", [2010, 1, 99])
def test_plan_meets_the_seed_figures(seed):
    plan = plan_district(random.Random(seed), TOWNSHIPS)
    assert len(plan.townships) == 19 and not {t.code for t in plan.townships} & set(figures.STREET_OFFICES)
    villages = [v for t in plan.townships for v in t.villages]
    assert len(villages) == 506 and len({v.code for v in villages}) == 506
    assert all(200 < int(v.code[9:]) < 300 and v.code[:9] == t.code for t in plan.townships for v in t.villages)
    for township in plan.townships:
        names = [v.name for v in township.villages]
        assert len(set(names)) == len(names) and all(n.endswith("村") for n in names)
    sources = [c for t in plan.townships for _, group in t.merges for c in group]
    targets = [target for t in plan.townships for target, _ in t.merges]
    assert len(sources) == len(set(sources)) == 235 and not set(sources) & set(targets)
    assert [c.code for c in plan.communities] == ["330803001001", "330803001002", "330803002001"]
    assert len(plan.grids) == 274 and not set(plan.grids) & set(sources)
    households = [h for grid in plan.grids.values() for h in grid]
    assert len(households) == 2556 and sum(households) == 115_390 and min(households) >= 30 and max(households) <= 50
    assert min(len(g) for g in plan.grids.values()) >= 3


def test_village_names_are_deterministic_and_unique():
    names = village_names(random.Random(7), 60, taken=["周家村"])
    assert names == village_names(random.Random(7), 60, taken=["周家村"])
    assert len(set(names)) == 60 and "周家村" not in names
    assert all(n.endswith("村") and 3 <= len(n) <= 4 for n in names)
    assert names != village_names(random.Random(8), 60)


@pytest.mark.parametrize("n, text", [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (21, "二十一"),
                                     (99, "九十九"), (100, "一百"), (105, "一百零五"), (110, "一百一十"),
                                     (999, "九百九十九")])
def test_chinese_numbers(n, text):
    assert chinese_number(n) == text


def test_grid_names_and_bounds():
    assert grid_name(1) == "第一网格" and grid_name(12) == "第十二网格"
    with pytest.raises(ValueError):
        chinese_number(0)


def test_apportion_is_exact():
    shares = apportion(2556, [1.0, 2.5, 0.3, 7], minimum=3)
    assert sum(shares) == 2556 and min(shares) >= 3
    assert apportion(10, [1, 1, 1]) == [4, 3, 3]
    with pytest.raises(ValueError):
        apportion(5, [1, 1], minimum=3)


def test_spread_is_exact_and_bounded():
    values = spread(random.Random(3), 115_390, 2556, 30, 50)
    assert sum(values) == 115_390 and min(values) >= 30 and max(values) <= 50
    assert Counter(values)[50] < 2556 // 4  # not piled on the bound
    assert spread(random.Random(3), 200, 4, 30, 50) == [50] * 4
    with pytest.raises(ValueError):
        spread(random.Random(3), 201, 4, 30, 50)


def _config(name):
    return SimpleNamespace(name=name, label=name.rsplit(".", 1)[-1], module=import_module(name))


def test_registry_runs_own_builders_first_then_the_installed_apps_steps():
    configs = [_config("shuanglian.divisions"), _config("shuanglian.teams"), _config("shuanglian.archives"),
               _config("shuanglian.demo"), _config("json")]
    found = steps(configs)
    assert [s.name for s in found] == [name for name, _ in OWN_STEPS] + ["archives.demo", "teams.demo"]
    assert [s.name for s in found][:3] == ["demo.divisions", "demo.organizations", "demo.users"]
    assert [s.name for s in steps([])] == [name for name, _ in OWN_STEPS]
    assert [s.name for s in app_steps()] == [f"{label}.demo" for label, _ in APP_STEPS]


def test_each_step_draws_from_its_own_seeded_generator():
    ctx, again = DemoContext(seed=1), DemoContext(seed=1)
    assert ctx.rng_for("teams.demo").random() == again.rng_for("teams.demo").random()
    assert ctx.rng_for("teams.demo").random() != DemoContext(seed=2).rng_for("teams.demo").random()
    assert ctx.rng_for("teams.demo").random() != ctx.rng_for("archives.demo").random()
