"""The records of `outreach` a matter links to: the contact day it was raised at or sent to, and the visit it
came from. Outreach builds on matters (it raises matters on contact days and visits), so matters cannot
import it; at start-up outreach registers how a user's visible contact days and visits are listed and
which contact day receives a matter sent up to the county. `Matter.contact_day` and `Matter.visit` name
the models by string for the same reason."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class Links:
    contact_days_visible_to: Callable[[Any], QuerySet]
    visits_visible_to: Callable[[Any], QuerySet]
    next_county_contact_day: Callable[[int, dt.date], Model | None]


_registered: list[Links] = []


def register(links: Links) -> None:
    _registered[:] = [links]


def links() -> Links:
    if not _registered:
        raise LookupError("No app has registered the records matters link to (is shuanglian.outreach installed?).")
    return _registered[0]
