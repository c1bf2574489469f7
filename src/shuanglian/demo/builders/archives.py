"""Demo step: the seed's 115,390 household archives, one per planned household of every grid.

The rows go through the real import (checked, encrypted, versioned, audited), then a few thousand
social relations link people across households of the same village.
"""
from django.utils.translation import gettext as _

from shuanglian.archives.choices import RelationKind
from shuanglian.archives.generate import HEADER, household_rows
from shuanglian.archives.importing import import_rows
from shuanglian.archives.models import Person, Relation
from shuanglian.archives.services import ensure_default_tags
from shuanglian.core.exceptions import DomainError


def build(ctx):
    ensure_default_tags()
    grids = sorted(ctx.grids.values(), key=lambda g: g.code)
    plan = [(g.code, g.planned_households or 0) for g in grids]
    rows = [(n, row) for n, row in enumerate(household_rows(plan, seed=ctx.rng.randrange(2**31)), start=2)]
    result = import_rows(HEADER, rows, source="demo-archives.csv", actor=None)
    if result.errors:
        raise DomainError(_("The demo archives did not import: %(e)s") % {"e": result.errors[0]})
    ctx.log(f"  {result.households_created:,} households, {result.persons_created:,} persons "
            f"in {result.seconds:.1f}s")
    heads = list(Person.objects.filter(relation_to_head="head").order_by("village_id", "id")
                 .values_list("id", "village_id"))
    links = []
    for (a, village_a), (b, village_b) in zip(heads, heads[1:], strict=False):
        if village_a == village_b and ctx.rng.random() < 0.05:
            kind = ctx.rng.choice([RelationKind.RELATIVE, RelationKind.NEIGHBOR, RelationKind.SIBLING])
            links.append(Relation(person_id=a, other_id=b, kind=kind))
    Relation.objects.bulk_create(links, batch_size=2000)
    ctx.data["archives.households"] = result.households_created
    ctx.log(f"  {len(links):,} relations between households")
