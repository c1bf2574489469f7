"""What the demo builders share: the seed, a random generator, the county and lookups built so far."""
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class DemoContext:
    seed: int
    # Each step gets its own generator, seeded from the seed and the step's name, so a step added
    # later (or one that draws more numbers) leaves the others' results unchanged.
    rng: random.Random = field(default_factory=random.Random)
    log: Callable[[str], None] = print
    county: Any = None  # Division 衢江区
    townships: dict[str, Any] = field(default_factory=dict)  # code -> current township (21)
    villages: dict[str, Any] = field(default_factory=dict)  # code -> current village or community (274)
    retired_villages: dict[str, Any] = field(default_factory=dict)  # code -> merged away in 2010 (235)
    grids: dict[str, Any] = field(default_factory=dict)  # code -> grid (2,556)
    departments: dict[str, Any] = field(default_factory=dict)  # Function -> county department or office
    service_centers: dict[str, Any] = field(default_factory=dict)  # township code -> 便民服务中心
    associations: dict[str, Any] = field(default_factory=dict)  # township/village code -> 和谐平安促进(总)会
    users: dict[str, Any] = field(default_factory=dict)  # username -> demo user
    accounts: list[Any] = field(default_factory=list)  # the log-in table (users.DemoAccount)
    data: dict[str, Any] = field(default_factory=dict)  # anything else a builder leaves for later ones

    def rng_for(self, step: str) -> random.Random:
        return random.Random(f"shuanglian-demo:{self.seed}:{step}")
