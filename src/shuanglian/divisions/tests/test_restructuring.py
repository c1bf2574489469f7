"""Restructuring, as the seed's county did when it merged 506 villages into 271."""
import datetime as dt

import pytest

from shuanglian.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from shuanglian.core.models import AuditEvent
from shuanglian.divisions import selectors, services
from shuanglian.divisions.models import Division
from shuanglian.testing.scopedapp.models import ScopedThing

D2009 = dt.date(2009, 12, 31)
D2010 = dt.date(2010, 1, 1)


def thing(division, label="x") -> ScopedThing:
    record = ScopedThing(label=label)
    record.attach_to(division)
    record.save()
    return record


def refresh(*objs):
    for obj in objs:
        obj.refresh_from_db()


def test_attach_sets_every_scope_column(district):
    record = thing(district.grid3)
    assert (record.county, record.township, record.village, record.grid) == (
        district.county, district.township, district.village2, district.grid3)


def test_merge_moves_grids_and_records_and_keeps_history(district, personas):
    d = district
    on_grid, on_village = thing(d.grid3, "on grid"), thing(d.village2, "on village")
    old_code = d.grid3.code
    services.village_merge(actor=personas.county_office, sources=[d.village2], target=d.village,
                           effective_on=dt.date(2020, 6, 1), reason="村规模调整")
    refresh(d.village2, d.grid3, on_grid, on_village)
    assert d.village2.retired_on == dt.date(2020, 6, 1) and d.village2.successor == d.village
    assert d.grid3.parent == d.village and d.grid3.code.startswith(d.village.code) and d.grid3.code != old_code
    assert on_grid.village == d.village and on_grid.grid == d.grid3 and on_grid.division == d.grid3
    assert on_village.village == d.village and on_village.division == d.village2  # attach point is history
    event = AuditEvent.objects.get(action="division.village_merge")
    assert event.actor == personas.county_office and event.after["grids_moved"][0]["from"] == old_code
    # The tree as it was: before the merge the grid hung under its old village, under its old code.
    before = selectors.group_as_of([d.grid3.pk], dt.date(2020, 5, 31))
    after = selectors.group_as_of([d.grid3.pk], dt.date(2020, 6, 1))
    assert before[d.grid3.pk] == d.village2.pk and after[d.grid3.pk] == d.village.pk
    assert selectors.division_counts_as_of(d.county, dt.date(2020, 5, 31))["village"] == 3
    assert selectors.division_counts_as_of(d.county, dt.date(2020, 6, 1))["village"] == 2


def test_merge_across_townships_updates_township_column(district, personas):
    d = district
    record = thing(d.grid4)
    services.village_merge(actor=personas.county_office, sources=[d.village3], target=d.village2)
    refresh(record)
    assert record.township == d.township and record.village == d.village2


def test_move_grid_between_villages(district, personas):
    d = district
    record = thing(d.grid2)
    services.grid_move(actor=personas.township_cadre, grid=d.grid2, village=d.village2)
    refresh(d.grid2, record)
    assert d.grid2.parent == d.village2 and d.grid2.code.startswith(d.village2.code)
    assert record.village == d.village2 and record.grid == d.grid2
    assert AuditEvent.objects.filter(action="division.grid_move", object_id=str(d.grid2.pk)).exists()


def test_township_cadre_cannot_move_a_grid_out_of_their_township(district, personas):
    with pytest.raises(PermissionDenied):
        services.grid_move(actor=personas.township_cadre, grid=district.grid, village=district.village3)


def test_split_grid(district, personas):
    new = services.grid_split(actor=personas.county_office, grid=district.grid, names=["第一网格东", "第一网格西"],
                              planned_households=[20, 25, 30])
    district.grid.refresh_from_db()
    assert [g.parent for g in new] == [district.village, district.village]
    assert [g.planned_households for g in new] == [25, 30] and district.grid.planned_households == 20
    assert len({g.code for g in [district.grid, *new]}) == 3


def test_rename_keeps_the_old_name_for_earlier_dates(district, personas):
    v = district.village
    services.division_rename(actor=personas.township_cadre, division=v, name="樟潭新社区",
                             effective_on=dt.date(2024, 1, 1))
    names = {ver.name for ver in selectors.versions_as_of(dt.date(2023, 12, 31)).filter(division=v)}
    assert names == {"樟潭社区"}
    names = {ver.name for ver in selectors.versions_as_of(dt.date(2024, 1, 1)).filter(division=v)}
    assert names == {"樟潭新社区"}


def test_retire_refuses_while_records_or_children_remain(district, personas):
    with pytest.raises(Conflict, match="still has divisions"):
        services.division_retire(actor=personas.county_office, division=district.village3)
    record = thing(district.grid4)
    with pytest.raises(Conflict, match="Records are still attached"):
        services.division_retire(actor=personas.county_office, division=district.grid4)
    record.attach_to(district.grid3)
    record.save()
    services.division_retire(actor=personas.county_office, division=district.grid4)
    assert Division.objects.get(pk=district.grid4.pk).retired_on is not None


def test_effective_dates_are_checked(district, personas):
    with pytest.raises(ValidationFailed, match="future"):
        services.division_rename(actor=personas.county_office, division=district.village, name="x",
                                 effective_on=dt.date(2999, 1, 1))
    services.division_rename(actor=personas.county_office, division=district.village, name="y",
                             effective_on=dt.date(2024, 1, 1))
    with pytest.raises(ValidationFailed, match="cannot take effect before"):
        services.grid_move(actor=personas.county_office, grid=district.grid, village=district.village2,
                           effective_on=dt.date(2000, 1, 1))


def test_only_restructurers_restructure(district, personas):
    for who in (personas.promoter, personas.village_cadre, personas.admin, personas.auditor, personas.outsider):
        with pytest.raises(PermissionDenied):
            services.division_rename(actor=who, division=district.village, name="改名")
    assert Division.objects.get(pk=district.village.pk).name == "樟潭社区"


def test_a_failed_merge_changes_nothing(district, personas):
    """The second source is out of the actor's scope: the first must not have been merged either."""
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.village_merge(actor=personas.township_cadre, sources=[district.village2, district.village3],
                               target=district.village)
    district.village2.refresh_from_db()
    assert district.village2.retired_on is None and AuditEvent.objects.count() == before


def test_kind_follows_code_unless_set(district, personas):
    v = services.division_create(actor=personas.county_office, parent=district.township2, name="新村",
                                 code="330803100250")
    c = services.division_create(actor=personas.county_office, parent=district.township2, name="新社区",
                                 code="330803100002")
    x = services.division_create(actor=personas.county_office, parent=district.township2, name="农场",
                                 code="330803100450")
    e = services.division_create(actor=personas.county_office, parent=district.township2, name="特设社区",
                                 code="330803100260", kind="community")
    assert (v.kind, c.kind, x.kind, e.kind, e.kind_explicit) == ("village", "community", "other", "community", True)
    with pytest.raises(ValidationFailed):
        services.division_create(actor=personas.county_office, parent=district.township2, name="错",
                                 kind="street")
