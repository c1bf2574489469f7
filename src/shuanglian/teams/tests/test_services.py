"""The one-promoter rule, volunteers across grids, ended posts as history, the user link, and audit."""
import datetime as dt

import pytest

from shuanglian.access.roles import Role
from shuanglian.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from shuanglian.core.models import AuditEvent
from shuanglian.teams import selectors, services
from shuanglian.teams.models import Member, Membership

D = dt.date(2010, 3, 1)


def appoint(actor, grid, role="volunteer", name="张三", phone="", category="doctor", **kw):
    return services.membership_appoint(actor=actor, grid=grid, role=role, name=name, phone=phone, category=category,
                                       started_on=D, **kw)


def test_a_second_promoter_is_refused_naming_the_holder(district, personas):
    first = appoint(personas.village_cadre, district.grid, "promoter", "王大明", "13912345678", "five_elders")
    with pytest.raises(Conflict) as exc:
        appoint(personas.village_cadre, district.grid, "promoter", "李四", "13900000000", "safety_activist")
    assert exc.value.code == "promoter_taken" and exc.value.http_status == 409
    assert "王大明" in exc.value.message and "2010-03-01" in exc.value.message
    assert exc.value.details["holder"] == first.pk
    assert not Member.objects.filter(name="李四").exists()
    # another grid may have its own
    appoint(personas.village_cadre, district.grid2, "promoter", "李四", "13900000000", "safety_activist")


def test_ending_the_post_keeps_history_and_frees_it(district, personas):
    first = appoint(personas.village_cadre, district.grid, "promoter", "王大明", "13912345678", "five_elders")
    services.membership_end(actor=personas.village_cadre, membership=first, ended_on=dt.date(2012, 1, 1),
                            reason="moved away")
    second = appoint(personas.village_cadre, district.grid, "promoter", "李四", "13900000000", "safety_activist")
    rows = Membership.objects.filter(grid=district.grid, role="promoter").order_by("id")
    assert [(r.member.name, r.ended_on) for r in rows] == [("王大明", dt.date(2012, 1, 1)), ("李四", None)]
    assert services.current_promoter(district.grid) == second
    with pytest.raises(Conflict):
        services.membership_end(actor=personas.village_cadre, membership=first)
    with pytest.raises(ValidationFailed):
        services.membership_end(actor=personas.village_cadre, membership=second, ended_on=dt.date(2009, 1, 1))
    with pytest.raises(ValidationFailed) as too_long:  # refused, never cut
        services.membership_end(actor=personas.village_cadre, membership=second, reason="因" * 201)
    assert too_long.value.details == {"reason": ["Too long."]}
    second.refresh_from_db()
    assert second.ended_on is None


def test_a_person_volunteers_in_several_grids_once_each(district, personas):
    a = appoint(personas.township_cadre, district.grid, phone="13700001111", employer="县人民医院",
                from_public_institution=True)
    b = appoint(personas.township_cadre, district.grid3, phone="137-0000-1111")
    assert a.member_id == b.member_id and Member.objects.count() == 1
    with pytest.raises(Conflict) as exc:
        appoint(personas.township_cadre, district.grid, phone="13700001111")
    assert exc.value.code == "already_on_team"
    with pytest.raises(Conflict) as exc:
        appoint(personas.township_cadre, district.grid2, name="别人", phone="13700001111")
    assert exc.value.code == "phone_taken" and "张三" not in exc.value.message


def test_scope_and_permission(district, personas):
    with pytest.raises(PermissionDenied):
        appoint(personas.village_cadre, district.grid4)  # another township's village
    with pytest.raises(PermissionDenied):
        appoint(personas.promoter, district.grid)  # promoters view, cadres manage
    with pytest.raises(PermissionDenied):
        appoint(personas.outsider, district.grid)
    with pytest.raises(ValidationFailed):
        appoint(personas.county_office, district.village)  # not a grid
    post = appoint(personas.county_office, district.grid4)
    with pytest.raises(PermissionDenied):
        services.membership_end(actor=personas.village_cadre, membership=post)


def test_user_link_needs_the_matching_grant(district, personas):
    with pytest.raises(ValidationFailed) as exc:
        appoint(personas.village_cadre, district.grid, "promoter", "promoter", category="five_elders",
                user=personas.volunteer)
    assert exc.value.code == "no_matching_grant"
    post = appoint(personas.village_cadre, district.grid, "promoter", "promoter", category="five_elders",
                   user=personas.promoter)
    assert post.member.user == personas.promoter
    assert personas.promoter.grants.filter(role=Role.GRID_PROMOTER).exists()


def test_audited_with_the_phone_masked(district, personas):
    post = appoint(personas.village_cadre, district.grid, "promoter", "王大明", "13912345678", "five_elders")
    services.membership_end(actor=personas.village_cadre, membership=post)
    events = AuditEvent.objects.filter(object_type="teams.membership", object_id=str(post.pk)).order_by("seq")
    assert [e.action for e in events] == ["teams.promoter_appoint", "teams.promoter_end"]
    assert events[0].after["phone"] == "139****5678"
    assert "13912345678" not in str([(e.before, e.after) for e in events])
    assert str(Member.objects.get().phone) == "139****5678"


def test_coverage_reports(district, personas):
    actor = personas.county_office
    appoint(actor, district.grid, "promoter", "甲", "13900000001", "five_elders")
    appoint(actor, district.grid, name="乙", phone="13900000002")
    appoint(actor, district.grid, name="丙", phone="13900000003")
    for grid in (district.grid2, district.grid3, district.grid4):
        appoint(actor, grid, name="忙人", phone="13900000009")
    missing = set(selectors.grids_without_promoter(actor).values_list("pk", flat=True))
    assert missing == {district.grid2.pk, district.grid3.pk, district.grid4.pk}
    assert selectors.grids_without_promoter(actor, within=district.village).count() == 1
    small = {g.pk: g.team_size for g in selectors.teams_below_size(actor, size=3)}
    assert small == {district.grid2.pk: 1, district.grid3.pk: 1, district.grid4.pk: 1}
    assert not selectors.teams_below_size(actor, within=district.grid, size=3).exists()
    busy = list(selectors.members_in_too_many_grids(actor, limit=2))
    assert [(m.name, m.grids) for m in busy] == [("忙人", 3)]
    assert not selectors.members_in_too_many_grids(personas.village_cadre, limit=2).exists()  # sees one grid
    assert not selectors.grids_without_promoter(personas.outsider).filter(pk=district.grid2.pk).exists()


def test_stats_count_people_and_public_share(district, personas):
    actor = personas.county_office
    appoint(actor, district.grid, "promoter", "甲", "13900000001", "five_elders")
    appoint(actor, district.grid, name="乙", phone="13900000002", category="county_official",
            from_public_institution=True)
    appoint(actor, district.grid2, name="乙", phone="13900000002", category="county_official",
            from_public_institution=True)
    appoint(actor, district.grid, name="丙", phone="13900000003", category="notable")
    ended = appoint(actor, district.grid3, name="丁", phone="13900000004", category="teacher",
                    from_public_institution=True)
    services.membership_end(actor=actor, membership=ended)
    stats = selectors.team_stats(actor)
    assert stats["promoters"] == 1 and stats["volunteers"] == 2 and stats["public_share"] == 0.5
    assert stats["categories"]["county_official"] == 1 and stats["categories"]["teacher"] == 0
    assert stats["categories"]["five_elders"] == 1
    grids_in_county = selectors.grids_without_promoter(actor).count()
    assert stats["grids_without_promoter"] == grids_in_county
    assert selectors.team_stats(actor, within=district.township2)["volunteers"] == 0
    assert selectors.team_stats(personas.outsider)["promoters"] == 0
