"""Figures: a statistic declared once, computed for a year and a division subtree, beside the year before.

An app declares each of its figures once, at import of its `figures.py` (found by `autodiscover()`):

    figures.declare(Figure(name="petitions.received", label=_("petitions received"),
                           count=lambda period, within: Petition.objects.filter(...).count()))

`count(period, within)` answers the figure's value for `period` (a `Period`: first day, the day after
the last) and a division subtree (`within`, a Division or None for everything); it reads records only.
`compute(name, year=..., within=...)` answers a `Value`: the year's value, the previous year's, and the
change in percent, rounded to the figure's places by its rule (`HALF_UP` by default, `DOWN` to cut, as
a provincial rule may require). `rate()` does the same for a ratio. The dashboard, the outcome report
and the assessment engine read the same declarations, so a figure is defined in one place.

core imports no app: the apps pass their counting functions in.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps

HALF_UP = ROUND_HALF_UP
DOWN = ROUND_DOWN  # cut toward zero: 86.67% -> 86.6%


@dataclass(frozen=True)
class Period:
    start: dt.date  # the first day
    end: dt.date  # the day after the last

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year + 1, 1, 1))


@dataclass(frozen=True)
class Figure:
    name: str  # "<app>.<figure>", stable: APIs and reports name it
    label: Any  # a (lazy) translated label for pages
    count: Callable[[Period, Any], int | Decimal]  # (period, within division or None) -> value
    places: int = 1  # decimals of the change (percent)
    rounding: str = HALF_UP


@dataclass(frozen=True)
class Value:
    name: str
    value: int | Decimal
    previous: int | Decimal
    change: float | None  # percent against the previous year; None when there was nothing before


FIGURES: dict[str, Figure] = {}


def declare(figure: Figure) -> Figure:
    """Declare (or re-declare, on a reload) a figure."""
    FIGURES[figure.name] = figure
    return figure


def autodiscover() -> None:
    for config in apps.get_app_configs():
        module = f"{config.name}.figures"
        if config.name.startswith("shuanglian.") and config.name != "shuanglian.core" and find_spec(module):
            import_module(module)


def get(name: str) -> Figure:
    if name not in FIGURES:
        autodiscover()
    return FIGURES[name]


def quantize(value: Decimal, places: int, rounding: str) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=rounding)


def change(current, previous, *, places: int = 1, rounding: str = HALF_UP) -> float | None:
    """The change from `previous` to `current` in percent, to `places` decimals: 2637 against 3150 is -16.3."""
    if not previous:
        return None
    percent = (Decimal(current) - Decimal(previous)) * 100 / Decimal(previous)
    return float(quantize(percent, places, rounding))


def rate(numerator, denominator, *, places: int = 1, rounding: str = HALF_UP) -> Decimal | None:
    """A ratio as a fraction whose percent has `places` decimals: 52/60 cut (DOWN) is 0.866, half-up 0.867."""
    if not denominator:
        return None
    percent = Decimal(numerator) * 100 / Decimal(denominator)
    return quantize(percent, places, rounding) / 100


def compute(name: str, *, year: int, within: Any = None) -> Value:
    """The figure for `year` in the subtree `within`, with the previous year and the change."""
    figure = get(name)
    current = figure.count(Period.year(year), within)
    previous = figure.count(Period.year(year - 1), within)
    return Value(name=name, value=current, previous=previous,
                 change=change(current, previous, places=figure.places, rounding=figure.rounding))
