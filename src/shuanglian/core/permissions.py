"""The permissions engine: a user's grants -> the part of the tree they may act in, per capability.

A grant at a division covers its subtree; a grant at an organization covers the organization and
the subtree of the division it serves. Every selector filters through a Scope.
"""
from dataclasses import dataclass, field

from django.db.models import Q

from shuanglian.divisions.choices import Level, code_key, code_key_upper


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

    def covers(self, division) -> bool:
        return self.covers_code(division.code)

    def covers_record(self, record) -> bool:
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


def _minimal(codes: dict[str, tuple[str, int]]) -> list[str]:
    ordered = sorted(codes, key=len)
    roots: list[str] = []
    for code in ordered:
        if not any(code.startswith(r) for r in roots):
            roots.append(code)
    return roots


def active_grants(user):
    from shuanglian.accounts.models import Grant

    cache = getattr(user, "_active_grants", None)
    if cache is None:
        cache = list(
            Grant.objects.filter(user=user, revoked_at__isnull=True)
            .select_related("division", "organization__division")
        )
        user._active_grants = cache
    return cache


def scope_for(user, capability: str, *, via_organizations: bool = True) -> Scope:
    """What the user may do `capability` on. Cached on the user object for the request.

    With via_organizations=False a grant at an organization adds nothing to the division part (a
    department serves the whole county, yet sees only the matters assigned to it); its id is still
    in `organization_ids`.
    """
    from shuanglian.access.roles import CAPABILITIES

    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    if user.is_superuser:
        return Scope(everything=True)
    cache = user.__dict__.setdefault("_scope_cache", {})
    key = capability if via_organizations else (capability, "divisions-only")
    if key in cache:
        return cache[key]
    found: dict[str, tuple[str, int]] = {}
    orgs: set[int] = set()
    for grant in active_grants(user):
        if capability not in CAPABILITIES.get(grant.role, ()):
            continue
        division = grant.division
        if grant.organization_id:
            orgs.add(grant.organization_id)
            if via_organizations:
                division = grant.organization.division
        if division is not None and division.retired_on is None:
            found[division.code] = (division.level, division.pk)
    roots = _minimal(found)
    scope = Scope(codes=roots, levels={c: found[c][0] for c in roots}, ids={c: found[c][1] for c in roots},
                  organization_ids=orgs)
    cache[key] = scope
    return scope


def has_capability(user, capability: str, division=None) -> bool:
    scope = scope_for(user, capability)
    if division is None:
        return not scope.empty
    return scope.covers(division)


def forget(user) -> None:
    """Drop cached grants after they change within the same request."""
    user.__dict__.pop("_scope_cache", None)
    user.__dict__.pop("_active_grants", None)
