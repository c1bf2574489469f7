"""The demo's builder steps, and how later modules add their records to the demo district.

`shuanglian demo` runs steps in order inside one transaction, with the system as the actor and the
"command" channel, so every record is written by the services and audited as in production:

1. the demo app's own builders (shuanglian/demo/builders/): the division tree with its 2001-2010
   history, then the organizations, then the demo accounts;
2. then, in INSTALLED_APPS order, every Shuanglian app (a ``shuanglian.*`` app) that has a module
   ``demo.py`` defining ``build(ctx)``.

Adding a module's records (archives, matters, teams, services ...): write ``<app>/demo.py``::

    def build(ctx):
        # households for the demo: fill each grid up to its planned households
        for code, grid in ctx.grids.items():
            ...  # call this app's services with actor=None; draw randomness from ctx.rng only
        ctx.data["archives.households"] = ...  # share lookups with later steps

``ctx`` is a `DemoContext`: ``seed``; ``rng`` (a `random.Random` seeded from the seed and the step
name, fresh for each step; never use the global `random`); ``county``; ``townships``, ``villages``,
``retired_villages`` and ``grids`` (code -> Division); ``departments`` (Function -> county
organization); ``service_centers`` and ``associations`` (division code -> Organization); ``users``
(username -> User); ``data`` (a dict for anything a step leaves to later ones); ``log(text)`` to print
progress. A step raises a `DomainError` to abort: the whole build rolls back.

Steps run only when the demo district is built, on a database without it; running the command
again prints the existing log-ins. Figures the demo must reach are in shared/SEED-FIGURES.md.
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module

from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule

from .builders import divisions, organizations, users
from .context import DemoContext

Builder = Callable[[DemoContext], None]

OWN_STEPS: list[tuple[str, Builder]] = [
    ("demo.divisions", divisions.build),
    ("demo.organizations", organizations.build),
    ("demo.users", users.build),
]


@dataclass(frozen=True)
class Step:
    name: str
    build: Builder


def app_steps(app_configs: Iterable[AppConfig] | None = None) -> list[Step]:
    """`build` of each Shuanglian app's demo module, in INSTALLED_APPS order (the demo app excluded)."""
    found = []
    for config in apps.get_app_configs() if app_configs is None else app_configs:
        if not config.name.startswith("shuanglian.") or config.name == "shuanglian.demo":
            continue
        if module_has_submodule(config.module, "demo"):
            build = getattr(import_module(f"{config.name}.demo"), "build", None)
            if callable(build):
                found.append(Step(f"{config.label}.demo", build))
    return found


def steps(app_configs: Iterable[AppConfig] | None = None) -> list[Step]:
    return [Step(name, build) for name, build in OWN_STEPS] + app_steps(app_configs)
