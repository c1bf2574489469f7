"""division_create_bulk: many divisions in one batch, under the same rules as division_create."""
import datetime as dt

import pytest

from shuanglian.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from shuanglian.core.models import AuditEvent
from shuanglian.divisions import selectors, services
from shuanglian.divisions.models import Division, DivisionVersion
from shuanglian.divisions.services import NewDivision, division_create_bulk

D2010 = dt.date(2010, 3, 1)


def counts():
    return Division.objects.count(), DivisionVersion.objects.count(), AuditEvent.objects.count()


def test_codes_continue_under_each_parent_and_history_opens(district):
    d = district
    created = division_create_bulk(actor=None, effective_on=D2010, parent_rows=[
        (d.village, [NewDivision("第三网格", planned_households=42), {"name": " 第四网格 ", "planned_households": 31}]),
        (d.village3, [NewDivision("第二网格", planned_households=50)]),
        (d.township2, [NewDivision("下方村"), NewDivision("新区社区", code="330803100001")]),
    ])
    assert [c.code for c in created] == [
        d.village.code + "003", d.village.code + "004", d.village3.code + "002", "330803100202", "330803100001"]
    assert [c.name for c in created][:2] == ["第三网格", "第四网格"]
    assert all(c.pk for c in created)
    grid = Division.objects.get(pk=created[0].pk)
    assert grid.level == "grid" and grid.kind == "" and grid.planned_households == 42 and grid.valid_from == D2010
    assert grid.code_key == int(grid.code) and grid.parent == d.village
    village, community = (Division.objects.get(pk=c.pk) for c in created[3:])
    assert (village.level, village.kind, village.kind_explicit) == ("village", "village", False)
    assert community.kind == "community" and community.planned_households is None
    versions = DivisionVersion.objects.filter(division__in=[c.pk for c in created])
    assert versions.count() == 5 and {(v.change, v.valid_from, v.valid_to) for v in versions} == {("create", D2010, None)}
    # One event for the batch, summarised per parent.
    event = AuditEvent.objects.get(action="division.create_bulk")
    assert event.actor_label == "system" and event.after["created"] == 5
    assert event.after["by_level"] == {"grid": 3, "village": 2}
    assert event.after["parents"][0] == {"parent": d.village.code, "count": 2, "first": d.village.code + "003",
                                         "last": d.village.code + "004"}
    # The tree as it was: the new villages did not stand the day before.
    assert selectors.division_counts_as_of(d.county, D2010)["village"] == 5
    assert selectors.division_counts_as_of(d.county, D2010 - dt.timedelta(days=1))["village"] == 3


def test_retired_codes_are_not_reused(district):
    d = district
    services.division_retire(actor=None, division=d.grid2, effective_on=dt.date(2005, 1, 1))
    [grid] = division_create_bulk(actor=None, effective_on=D2010, parent_rows=[(d.village, [NewDivision("新网格")])])
    assert grid.code == d.village.code + "003"


def test_explicit_kind_is_checked_and_kept(district):
    [village] = division_create_bulk(actor=None, effective_on=D2010, parent_rows=[
        (district.township2, [NewDivision("林场", kind="other")])])
    assert village.kind == "other" and village.kind_explicit
    with pytest.raises(ValidationFailed) as exc:
        division_create_bulk(actor=None, parent_rows=[(district.township2, [NewDivision("x", kind="street")])])
    assert exc.value.code == "invalid_kind"


@pytest.mark.parametrize("rows, code", [
    ([NewDivision("甲社区", code="330803001001")], "code_in_use"),  # 樟潭社区 holds it
    ([NewDivision("甲村", code="330803001205"), NewDivision("乙村", code="330803001205")], "code_in_use"),
    ([NewDivision("甲村"), NewDivision("乙村", code="330803001202")], "code_in_use"),  # auto took 202
    ([NewDivision("甲村"), NewDivision("  ")], "invalid"),
    ([NewDivision("甲村", code="330803100201")], "invalid"),  # not under this parent
    ([NewDivision("甲村", code="33080300120")], "invalid"),  # too short
])
def test_a_refused_row_writes_nothing(district, rows, code):
    before = counts()
    with pytest.raises((Conflict, ValidationFailed)) as exc:
        division_create_bulk(actor=None, effective_on=D2010, parent_rows=[(district.township, rows)])
    assert exc.value.code == code
    assert counts() == before


def test_negative_households_refused(district):
    with pytest.raises(ValidationFailed) as exc:
        division_create_bulk(actor=None, parent_rows=[(district.village, [NewDivision("g", planned_households=-1)])])
    assert "planned_households" in exc.value.details


def test_parents_and_dates_are_checked(district):
    d = district
    with pytest.raises(ValidationFailed) as exc:
        division_create_bulk(actor=None, parent_rows=[(d.grid, [NewDivision("x")])])
    assert exc.value.code == "invalid_parent"
    with pytest.raises(ValidationFailed) as exc:
        division_create_bulk(actor=None, effective_on=dt.date(2000, 12, 31),
                             parent_rows=[(d.village, [NewDivision("x")])])
    assert exc.value.code == "effective_before_history"
    with pytest.raises(ValidationFailed) as exc:
        division_create_bulk(actor=None, effective_on=dt.date.today() + dt.timedelta(days=2),
                             parent_rows=[(d.village, [NewDivision("x")])])
    assert exc.value.code == "effective_in_future"
    services.village_merge(actor=None, sources=[d.village2], target=d.village, effective_on=dt.date(2005, 1, 1))
    d.village2.refresh_from_db()
    with pytest.raises(ValidationFailed) as exc:
        division_create_bulk(actor=None, parent_rows=[(d.village2, [NewDivision("x")])])
    assert exc.value.code == "invalid_parent"
    assert division_create_bulk(actor=None, parent_rows=[(d.village, [])]) == []


def test_actor_needs_restructure_at_every_parent(district, personas):
    d = district
    created = division_create_bulk(actor=personas.township_cadre, effective_on=D2010,
                                   parent_rows=[(d.village, [NewDivision("新网格", planned_households=40)])])
    assert AuditEvent.objects.get(action="division.create_bulk").actor == personas.township_cadre
    assert len(created) == 1
    before = counts()
    with pytest.raises(PermissionDenied):
        division_create_bulk(actor=personas.township_cadre, effective_on=D2010, parent_rows=[
            (d.village, [NewDivision("甲")]), (d.village3, [NewDivision("乙")])])
    assert counts() == before
