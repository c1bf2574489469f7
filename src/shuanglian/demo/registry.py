"""The demo's builder steps: every step lives here, in shuanglian/demo/builders/, never in a domain app.

`shuanglian demo` runs steps in order inside one transaction, with the system as the actor and the
"command" channel, so every record is written by the services and audited as in production:

1. the demo app's own structure: the division tree with its 2001-2010 history, then the
   organizations, then the demo accounts;
2. then one step per domain app, in INSTALLED_APPS order (archives, matters, teams, associations,
   services), each run only when its app is installed.

The demo imports the apps, never the reverse. Adding a module's records: write
``builders/<app>.py`` with ``build(ctx)`` and list it in ``APP_STEPS`` under the app's label::

    def build(ctx):
        # households for the demo: fill each grid up to its planned households
        for code, grid in ctx.grids.items():
            ...  # call the app's services with actor=None; draw randomness from ctx.rng only
        ctx.data["archives.households"] = ...  # share lookups with later steps

A step is named ``<app label>.demo`` (the name it had when the builders lived in the apps): its random
generator is seeded from that name, so keeping it keeps the same seed building the same district.

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

from django.apps import AppConfig, apps

from .builders import (
    applications,
    archives,
    associations,
    divisions,
    matters,
    organizations,
    petitions,
    teams,
    users,
    village_affairs,
)
from .context import DemoContext

Builder = Callable[[DemoContext], None]

OWN_STEPS: list[tuple[str, Builder]] = [
    ("demo.divisions", divisions.build),
    ("demo.organizations", organizations.build),
    ("demo.users", users.build),
]
# app label -> its records' builder, in INSTALLED_APPS order (later steps read what earlier ones left).
APP_STEPS: list[tuple[str, Builder]] = [
    ("archives", archives.build),
    ("matters", matters.build),
    ("teams", teams.build),
    ("associations", associations.build),
    ("services", applications.build),
    ("petitions", petitions.build),
    ("village_affairs", village_affairs.build),
]


@dataclass(frozen=True)
class Step:
    name: str
    build: Builder


def app_steps(app_configs: Iterable[AppConfig] | None = None) -> list[Step]:
    """The domain apps' steps whose app is among `app_configs` (default: the installed apps)."""
    labels = {config.label for config in (apps.get_app_configs() if app_configs is None else app_configs)}
    return [Step(f"{label}.demo", build) for label, build in APP_STEPS if label in labels]


def steps(app_configs: Iterable[AppConfig] | None = None) -> list[Step]:
    return [Step(name, build) for name, build in OWN_STEPS] + app_steps(app_configs)
