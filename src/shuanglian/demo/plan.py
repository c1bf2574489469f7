"""The demo district's plan: which villages stood in 2001, how they merged in 2010, and its grids.

A pure function of the random generator and the township codes, so it is tested without a database
and the same seed always plans the same district. builders/divisions.py carries it out.
"""
import random
from dataclasses import dataclass, field

from . import figures
from .names import apportion, spread, village_names


@dataclass(frozen=True)
class VillagePlan:
    code: str
    name: str

    @property
    def township(self) -> str:
        return self.code[:9]


@dataclass
class TownshipPlan:
    code: str
    villages: list[VillagePlan] = field(default_factory=list)  # as they stood from 2001
    merges: list[tuple[str, list[str]]] = field(default_factory=list)  # (target, sources) in 2010


@dataclass
class DistrictPlan:
    townships: list[TownshipPlan]
    communities: list[VillagePlan]
    grids: dict[str, list[int]]  # current village or community code -> planned households of each grid


def plan_district(rng: random.Random, township_codes: list[str]) -> DistrictPlan:
    rural = sorted(c for c in township_codes if c not in figures.STREET_OFFICES)
    sizes = apportion(figures.VILLAGES_BEFORE, [rng.uniform(0.6, 1.5) for _ in rural], minimum=12)
    kept = apportion(figures.VILLAGES_AFTER, [s * rng.uniform(0.9, 1.1) for s in sizes], minimum=1)
    townships, group_sizes = [], {}
    for code, size, keep in zip(rural, sizes, kept, strict=True):
        if keep > size or size > 99:
            raise ValueError(f"cannot plan {size} villages merging into {keep} in {code}")
        plan = TownshipPlan(code)
        # Village codes 2NN: villagers' committees (RULES.md, division codes).
        plan.villages = [VillagePlan(f"{code}{200 + i}", name)
                         for i, name in enumerate(village_names(rng, size), start=1)]
        # Neighbours (consecutive codes) merge: cut the row of villages into `keep` runs.
        cuts = [0, *sorted(rng.sample(range(1, size), keep - 1)), size]
        for start, end in zip(cuts, cuts[1:], strict=False):
            group = [v.code for v in plan.villages[start:end]]
            target = rng.choice(group)
            group_sizes[target] = len(group)
            if len(group) > 1:
                plan.merges.append((target, [c for c in group if c != target]))
        townships.append(plan)
    communities, seq = [], {}
    for township, name in figures.COMMUNITIES:
        seq[township] = seq.get(township, 0) + 1
        communities.append(VillagePlan(f"{township}{seq[township]:03d}", name))
    # Grids follow size: a village merged from three has about three times the grids of one left alone.
    current = sorted([*group_sizes.items(), *((c.code, 2.5) for c in communities)])
    counts = apportion(figures.GRIDS, [w * rng.uniform(0.8, 1.2) for _, w in current], minimum=3)
    households = spread(rng, figures.HOUSEHOLDS, figures.GRIDS, *figures.GRID_HOUSEHOLDS)
    grids, at = {}, 0
    for (code, _), n in zip(current, counts, strict=True):
        grids[code] = households[at:at + n]
        at += n
    return DistrictPlan(townships=townships, communities=communities, grids=grids)
