"""Scope: the part of the division tree a user may act in for one capability, and its filters.

Made by shuanglian.access.scope.scope_for from a user's grants; selectors filter through it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from .choices import Level, code_key, code_key_upper


@dataclass
class Scope:
    everything: bool = False
    codes: list[str] = field(default_factory=list)  # roots, none under another
    levels: dict[str, str] = field(default_factory=dict)  # code -> level
    ids: dict[str, int] = field(default_factory=dict)  # code -> division id
    organization_ids: set[int] = field(default_factory=set)

    @property
    def empty(self) -> bool:
        return not self.everything and not self.codes and not self.organization_ids

    def covers_code(self, code: str) -> bool:
        return self.everything or any(code.startswith(root) for root in self.codes)

    def covers(self, division: Any) -> bool:
        return self.covers_code(division.code)

    def covers_record(self, record: Any) -> bool:
        """For a DivisionScoped record in memory: the same rule as record_q()."""
        if self.everything:
            return True
        for code in self.codes:
            level = self.levels[code]
            if level in (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, Level.GRID):
                if getattr(record, f"{level}_id") == self.ids[code]:
                    return True
            elif record.county_id and record.county.code.startswith(code):
                return True
        return False

    def division_q(self, prefix: str = "") -> Q:
        """For the Division model, or a relation to it named by prefix ("division__")."""
        if self.everything:
            return Q()
        q = Q(pk__in=[])
        for code in self.codes:
            q |= Q(**{f"{prefix}code_key__gte": code_key(code), f"{prefix}code_key__lte": code_key_upper(code)})
        return q

    def record_q(self) -> Q:
        """For DivisionScoped records: an equality on the denormalized column of each root's level."""
        if self.everything:
            return Q()
        q = Q(pk__in=[])
        for code in self.codes:
            level = self.levels[code]
            if level in (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, Level.GRID):
                q |= Q(**{f"{level}_id": self.ids[code]})
            else:
                q |= Q(county__code_key__gte=code_key(code), county__code_key__lte=code_key_upper(code))
        return q
