"""Posts and meetings through the services: the one-president rule naming the holder, history kept, one
current post per person, the same phone the same person as on a grid team, meeting validation, audit."""
import datetime as dt

import pytest

from shuanglian.associations import services
from shuanglian.associations.models import AssociationPost
from shuanglian.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from shuanglian.core.models import AuditEvent
from shuanglian.teams import services as team_services

from .conftest import D


def appoint(association, post, name, phone="", actor=None, **kw):
    return services.post_appoint(actor=actor, association=association, post=post, name=name, phone=phone,
                                 started_on=D, **kw)


def test_one_president_naming_the_holder_then_history(associations, personas):
    a = associations["village"]
    first = appoint(a, "president", "王会长", "13912345678")
    with pytest.raises(Conflict) as refused:
        appoint(a, "president", "李四", "13700000000")
    assert refused.value.code == "president_taken" and "王会长" in refused.value.message
    assert refused.value.details["holder"] == first.pk
    ended = services.post_end(actor=personas.village_cadre, post=first, ended_on=dt.date(2011, 1, 1), reason="term")
    assert ended.ended_on == dt.date(2011, 1, 1)
    second = appoint(a, "president", "李四", "13700000000")
    assert AssociationPost.objects.filter(association=a, post="president").count() == 2  # history kept
    assert AssociationPost.objects.get(association=a, post="president", ended_on__isnull=True) == second
    with pytest.raises(Conflict) as again:
        services.post_end(actor=None, post=first)
    assert again.value.code == "already_ended"
    # other associations are unaffected; vice-presidents are many
    appoint(associations["village2"], "president", "张三", "13600000000")
    appoint(a, "vice_president", "赵一", "13600000001")
    appoint(a, "vice_president", "赵二", "13600000002")


def test_one_current_post_per_person_and_the_same_phone_is_the_team_member(associations, district):
    promoter = team_services.membership_appoint(actor=None, grid=district.grid, role="promoter", name="王大明",
                                                phone="13912345678", category="five_elders", started_on=D)
    post = appoint(associations["village"], "member", "王大明", "139 1234 5678")
    assert post.member_id == promoter.member_id  # a member may be both
    with pytest.raises(Conflict) as refused:
        appoint(associations["village"], "secretary", "王大明", "13912345678")
    assert refused.value.code == "already_in_association" and "member" in refused.value.message
    assert appoint(associations["general"], "officer", "王大明", "13912345678").member_id == promoter.member_id
    with pytest.raises(Conflict):
        appoint(associations["village"], "member", "别人", "13912345678")  # the phone is someone else's


def test_refusals_say_what(associations, district, personas):
    a = associations["village"]
    with pytest.raises(ValidationFailed, match="Unknown post"):
        appoint(a, "chairman", "王")
    with pytest.raises(ValidationFailed) as future:
        services.post_appoint(actor=None, association=a, post="member", name="王", started_on=dt.date(2999, 1, 1))
    assert future.value.details == {"started_on": "future"}
    post = appoint(a, "member", "王")
    with pytest.raises(ValidationFailed, match="cannot end before it started"):
        services.post_end(actor=None, post=post, ended_on=dt.date(2009, 1, 1))
    with pytest.raises(PermissionDenied):
        appoint(associations["general"], "member", "李", actor=personas.village_cadre)  # above the village
    with pytest.raises(PermissionDenied):
        appoint(associations["village3"], "member", "李", actor=personas.township_cadre)  # another township
    appoint(associations["village2"], "member", "李", actor=personas.township_cadre)
    from shuanglian.organizations.models import Organization

    with pytest.raises(ValidationFailed, match="not a current association"):
        appoint(Organization.objects.get(pk=personas.police.pk), "member", "李")


def test_meeting_with_count_list_and_decisions(associations, personas):
    a = associations["village"]
    p1, p2 = appoint(a, "president", "王会长"), appoint(a, "member", "李")
    outsider = appoint(associations["village2"], "member", "外人")
    meeting = services.meeting_record(actor=personas.village_cadre, association=a, held_on=dt.date(2010, 3, 15),
                                      topic="一季度矛盾纠纷排查", attendees=[p1.member_id, p2.member_id],
                                      attendee_count=12, decisions=["排查三户", " ", "下月回访"])
    assert meeting.attendee_count == 12 and meeting.decisions == ["排查三户", "下月回访"]
    assert set(meeting.attendees.values_list("pk", flat=True)) == {p1.member_id, p2.member_id}
    assert meeting.village_id == a.division_id and meeting.township_id == a.division.parent_id
    counted = services.meeting_record(actor=None, association=a, held_on=dt.date(2010, 4, 1), topic="t",
                                      attendees=[p1.member_id])
    assert counted.attendee_count == 1
    cases = [
        ({"attendees": [outsider.member_id]}, {"attendees": [outsider.member_id]}),
        ({"attendee_count": 1, "attendees": [p1.member_id, p2.member_id]}, {"attendee_count": "below_list"}),
        ({}, {"attendee_count": "required"}),
    ]
    for extra, details in cases:
        with pytest.raises(ValidationFailed) as bad:
            services.meeting_record(actor=None, association=a, held_on=dt.date(2010, 4, 1), topic="t", **extra)
        assert bad.value.details == details
    with pytest.raises(ValidationFailed, match="held no post"):
        services.meeting_record(actor=None, association=a, held_on=dt.date(2010, 1, 1), topic="t",
                                attendees=[p1.member_id])
    with pytest.raises(ValidationFailed, match="in the future"):
        services.meeting_record(actor=None, association=a, held_on=dt.date(2999, 1, 1), topic="t", attendee_count=3)
    with pytest.raises(ValidationFailed, match="needs a topic"):
        services.meeting_record(actor=None, association=a, held_on=D, topic=" ", attendee_count=3)
    with pytest.raises(PermissionDenied):
        services.meeting_record(actor=personas.promoter, association=a, held_on=D, topic="t", attendee_count=3)


def test_writes_are_audited_with_masked_phones(associations):
    post = appoint(associations["village"], "president", "王会长", "13912345678")
    services.post_end(actor=None, post=post)
    actions = list(AuditEvent.objects.filter(action__startswith="associations.").order_by("seq").values_list("action", "after"))
    assert [a for a, _ in actions] == ["associations.president_appoint", "associations.president_end"]
    assert actions[0][1]["phone"] == "139****5678" and "13912345678" not in str(actions)


def test_bulk_load_keeps_the_rules(associations, district):
    promoter = team_services.membership_appoint(actor=None, grid=district.grid, role="promoter", name="王大明",
                                                phone="13912345678", category="five_elders", started_on=D)
    a, g = associations["village"], associations["general"]
    people = [{"name": "王会长", "phone": "13000000001"}, {"name": "李总", "phone": "13000000002"}]
    posts = [{"association": a, "post": "president", "started_on": D, "person": 0},
             {"association": a, "post": "member", "started_on": D, "member_id": promoter.member_id},
             {"association": g, "post": "president", "started_on": D, "person": 1},
             {"association": g, "post": "member", "started_on": D, "person": 0}]
    meetings = [{"association": a, "held_on": D, "topic": "t", "attendee_count": 1, "attendees": [{"person": 0}],
                 "decisions": ["一", " "]}]
    with pytest.raises(ValidationFailed) as twice:
        services.associations_load(actor=None, people=people, posts=[*posts, {**posts[0], "person": 1}],
                                   meetings=[])
    assert twice.value.code == "president_taken"
    assert not AssociationPost.objects.exists()
    counts = services.associations_load(actor=None, people=people, posts=posts, meetings=meetings)
    assert counts == {"associations": 2, "people": 2, "posts": 4, "presidents": 2, "meetings": 1}
    row = AssociationPost.objects.get(association=a, post="member")
    assert row.member_id == promoter.member_id and row.village_id == district.village.pk
    assert AssociationPost.objects.get(association=g, post="president").township_id == district.township.pk
    meeting = a.association_meetings.get()
    assert meeting.decisions == ["一"] and list(meeting.attendees.values_list("name", flat=True)) == ["王会长"]
    with pytest.raises(Conflict, match="already has a president: 王会长"):
        services.associations_load(actor=None, people=[], meetings=[], posts=[
            {"association": a, "post": "president", "started_on": D, "member_id": promoter.member_id}])
