"""Petitions: registration, every transition of the table and its refusals, the statutory clocks with their
numbers (calendar days, a last day on a holiday or weekend moving to the next working day), batches and
person-times, and the refusal after re-review (Art. 36)."""
# ruff: noqa: F811  (pytest fixtures imported from fixtures, local to this module)
import datetime as dt

import pytest

from shuanglian.core import deadlines as engine
from shuanglian.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from shuanglian.core.models import AuditEvent
from shuanglian.core.workflow import IllegalTransition
from shuanglian.petitions import services
from shuanglian.petitions.choices import Action, Status
from shuanglian.petitions.models import Petition

from .fixtures import NOW, PHONE, REPLY, SH, TODAY, accepted, clock, officer, register, township_officer  # noqa: F401


def end_of(day):
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=SH)


def test_a_petition_goes_the_whole_way_with_its_clocks(clock, district, personas, officer):
    petition = register(officer, district.village)
    assert petition.number == "信〔2010〕00001号" and petition.status == Status.REGISTERED
    # 15 days to register and route from the day received (1 June): 16 June is the Dragon Boat holiday,
    # so the period ends on the 17th.
    assert petition.deadline_at == end_of(dt.date(2010, 6, 17))
    petition = services.transition(actor=officer, petition=petition, action=Action.ROUTE,
                                   organization=personas.police)
    assert petition.status == Status.ROUTED and petition.handling_organization == personas.police
    assert petition.deadline_at == end_of(dt.date(2010, 6, 17))  # 15 days for the written notice, from routing
    petition = services.transition(actor=officer, petition=petition, action=Action.ACCEPT)
    # 60 days from acceptance: 31 July is a Saturday, so the reply is due by Monday 2 August.
    assert petition.deadline_at == end_of(dt.date(2010, 8, 2))
    assert petition.yellow_at == end_of(dt.date(2010, 7, 26))
    clock.move_to(dt.datetime(2010, 7, 20, 9, tzinfo=SH), tick=False)
    petition = services.transition(actor=officer, petition=petition, action=Action.EXTEND, days=30,
                                   approver="县信访局局长 李明", reason="涉及多个部门，需进一步调查")
    assert petition.deadline_at == end_of(dt.date(2010, 8, 30))  # 90 days from 1 June, a Monday
    assert petition.extension_days == 30 and petition.status == Status.ACCEPTED
    # The handling unit replies (a department member of the unit it was routed to).
    petition = services.transition(actor=personas.department_member, petition=petition, action=Action.REPLY,
                                   outcome="explain", texts=REPLY)
    assert petition.status == Status.REPLIED and petition.deadline_at is None and petition.outcome == "explain"
    clock.move_to(dt.datetime(2010, 8, 2, 9, tzinfo=SH), tick=False)
    petition = services.transition(actor=officer, petition=petition, action=Action.REQUEST_REVIEW)
    assert petition.deadline_at == end_of(dt.date(2010, 9, 1))  # 30 days to answer the review
    petition = services.transition(actor=officer, petition=petition, action=Action.ANSWER_REVIEW,
                                   outcome="not_support")
    petition = services.transition(actor=officer, petition=petition, action=Action.REQUEST_REREVIEW)
    assert petition.status == Status.UNDER_REREVIEW and petition.deadline_at == end_of(dt.date(2010, 9, 1))
    petition = services.transition(actor=officer, petition=petition, action=Action.ANSWER_REREVIEW,
                                   outcome="not_support")
    petition = services.transition(actor=officer, petition=petition, action=Action.CLOSE)
    assert petition.status == Status.CLOSED and petition.closed_at is not None
    actions = list(petition.transitions.values_list("action", flat=True))
    assert actions == ["register", "route", "accept", "extend", "reply", "request_review", "answer_review",
                       "request_rereview", "answer_rereview", "close"]
    assert AuditEvent.objects.filter(action__startswith="petitions.", object_id=str(petition.pk)).count() == 10


def test_a_period_ending_on_national_day_ends_on_the_next_working_day(clock, district, officer):
    clock.move_to(dt.datetime(2010, 9, 20, 9, tzinfo=SH), tick=False)
    petition = register(officer, district.village, received_on=dt.date(2010, 9, 16))
    # 16 Sept + 15 days = 1 October, National Day (1-7 October): the period ends on Friday 8 October.
    assert petition.deadline_at == end_of(dt.date(2010, 10, 8))
    assert petition.yellow_at == end_of(dt.date(2010, 10, 5))


def test_a_transfer_from_beijing_keeps_its_date_and_runs_from_registration(clock, district, officer):
    petition = register(officer, district.village, lodged_at="beijing", received_on=dt.date(2010, 5, 20))
    assert (petition.received_on, petition.lodged_at) == (dt.date(2010, 5, 20), "beijing")
    assert petition.deadline_at == end_of(dt.date(2010, 6, 17))  # from 1 June, when the county registered it


def test_the_sweep_turns_petitions_yellow_then_red_once(clock, district, officer):
    petition = register(officer, district.village, received_on=dt.date(2010, 6, 1))
    services.transition(actor=officer, petition=petition, action=Action.ROUTE, handler=officer)
    first = engine.sweep_all(at=dt.datetime(2010, 6, 16, 9, tzinfo=SH))["petitions"]
    assert first.yellow == 1 and first.red == 0
    second = engine.sweep_all(at=dt.datetime(2010, 6, 18, 9, tzinfo=SH))["petitions"]
    assert second.red == 1
    again = engine.sweep_all(at=dt.datetime(2010, 6, 18, 9, tzinfo=SH))["petitions"]
    assert (again.red, again.yellow, again.back_to_ok) == (0, 0, 0)
    assert Petition.objects.get(pk=petition.pk).deadline_state == "red"


def test_an_action_the_status_does_not_allow_is_409_illegal_transition(clock, district, officer):
    petition = register(officer, district.village)
    with pytest.raises(IllegalTransition) as caught:
        services.transition(actor=officer, petition=petition, action=Action.REPLY, outcome="support", texts=REPLY)
    assert caught.value.http_status == 409 and caught.value.code == "illegal_transition"
    assert set(caught.value.details["allowed"]) == {"route", "not_accept"}


def test_not_accepting_needs_a_reason_and_ends_the_clock(clock, district, officer):
    petition = register(officer, district.village)
    with pytest.raises(ValidationFailed) as caught:
        services.transition(actor=officer, petition=petition, action=Action.NOT_ACCEPT)
    assert "reason" in caught.value.details
    petition = services.transition(actor=officer, petition=petition, action=Action.NOT_ACCEPT,
                                   reason="已经人民法院判决，应通过诉讼途径解决")
    assert petition.status == Status.NOT_ACCEPTED and petition.deadline_at is None
    assert petition.transitions.last().reason == "已经人民法院判决，应通过诉讼途径解决"


def test_one_extension_of_at_most_30_days_with_a_named_approver(clock, district, officer):
    petition = accepted(officer, register(officer, district.village))
    with pytest.raises(ValidationFailed):
        services.transition(actor=officer, petition=petition, action=Action.EXTEND, days=31, approver="李明",
                            reason="复杂")
    with pytest.raises(ValidationFailed):
        services.transition(actor=officer, petition=petition, action=Action.EXTEND, days=10, reason="复杂")
    services.transition(actor=officer, petition=petition, action=Action.EXTEND, days=10, approver="李明", reason="复杂")
    with pytest.raises(Conflict) as caught:
        services.transition(actor=officer, petition=petition, action=Action.EXTEND, days=5, approver="李明",
                            reason="再延")
    assert caught.value.code == "already_extended"


def test_the_reply_states_request_facts_reasons_and_basis(clock, district, officer):
    petition = accepted(officer, register(officer, district.village))
    with pytest.raises(ValidationFailed) as caught:
        services.transition(actor=officer, petition=petition, action=Action.REPLY, outcome="support",
                            texts={**REPLY, "basis": ""})
    assert "basis" in caught.value.details
    with pytest.raises(ValidationFailed):
        services.transition(actor=officer, petition=petition, action=Action.REPLY, outcome="maybe", texts=REPLY)


def test_review_is_asked_for_within_30_days_of_the_reply(clock, district, officer):
    petition = accepted(officer, register(officer, district.village))
    petition = services.transition(actor=officer, petition=petition, action=Action.REPLY, outcome="support",
                                   texts=REPLY)
    # Replied 1 June: 1 July is a Thursday, the last day to ask.
    clock.move_to(dt.datetime(2010, 7, 2, 9, tzinfo=SH), tick=False)
    with pytest.raises(Conflict) as caught:
        services.transition(actor=officer, petition=petition, action=Action.REQUEST_REVIEW)
    assert caught.value.code == "request_window_closed" and "2010-07-01" in caught.value.message


def test_after_re_review_the_same_request_is_refused_with_the_earlier_number(clock, district, officer):
    petition = accepted(officer, register(officer, district.village))
    for action, kw in ((Action.REPLY, {"outcome": "not_support", "texts": REPLY}), (Action.REQUEST_REVIEW, {}),
                       (Action.ANSWER_REVIEW, {"outcome": "not_support"}), (Action.REQUEST_REREVIEW, {}),
                       (Action.ANSWER_REREVIEW, {"outcome": "not_support"})):
        petition = services.transition(actor=officer, petition=petition, action=action, **kw)
    with pytest.raises(Conflict) as caught:
        register(officer, district.village)
    assert caught.value.http_status == 409 and caught.value.code == "already_rereviewed"
    assert caught.value.details["earlier"] == petition.number and petition.number in caught.value.message
    assert Petition.objects.count() == 1
    # Another petitioner, or another place, is a new request.
    assert register(officer, district.village, petitioner_name="李秀英").number == "信〔2010〕00002号"


def test_a_group_visit_is_one_batch_with_its_person_times_and_at_most_5_representatives(clock, district, officer):
    petition = register(officer, district.village, person_times=40,
                        representatives=["王一", "王二", "王三", "王四", "王五"])
    assert petition.person_times == 40 and petition.representatives.count() == 5
    with pytest.raises(ValidationFailed) as caught:
        register(officer, district.village, person_times=40, representatives=["甲", "乙", "丙", "丁", "戊", "己"])
    assert caught.value.code == "too_many_representatives"
    with pytest.raises(ValidationFailed):
        register(officer, district.village, person_times=0)
    assert Petition.objects.count() == 1


def test_only_the_petition_office_registers_routes_and_accepts(clock, district, personas, officer,
                                                               township_officer):
    with pytest.raises(PermissionDenied):
        register(personas.township_cadre, district.village)
    with pytest.raises(PermissionDenied):
        register(township_officer, district.outside_township)
    petition = register(township_officer, district.village)
    routed = services.transition(actor=township_officer, petition=petition, action=Action.ROUTE,
                                 organization=personas.police)
    with pytest.raises(PermissionDenied):  # the handling unit handles; it does not accept for the office
        services.transition(actor=personas.department_member, petition=routed, action=Action.ACCEPT)
    with pytest.raises(PermissionDenied):
        services.transition(actor=personas.county_office, petition=routed, action=Action.ACCEPT)


def test_bad_input_is_refused_naming_the_field(clock, district, officer):
    with pytest.raises(ValidationFailed) as caught:
        register(officer, district.village, channel="pigeon")
    assert "channel" in caught.value.details
    with pytest.raises(ValidationFailed) as caught:
        register(officer, district.village, received_on=TODAY + dt.timedelta(days=1))
    assert "received_on" in caught.value.details
    with pytest.raises(ValidationFailed) as caught:
        register(officer, district.village, summary=" ")
    assert "summary" in caught.value.details
    assert not Petition.objects.exists()
