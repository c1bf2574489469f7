"""Meetings with their quorum from the archive, the procedure's order and its refusals, the township's review
clock on the shared sweep, disclosure overdue warnings, and the representatives' minimum."""
# ruff: noqa: F811  (pytest fixtures imported from helpers)
import datetime as dt

import pytest

from shuanglian.core import deadlines as engine
from shuanglian.core.exceptions import PermissionDenied, ValidationFailed
from shuanglian.core.workflow import IllegalTransition
from shuanglian.notifications.models import Notification
from shuanglian.village_affairs import selectors, services
from shuanglian.village_affairs.choices import DONE, MeetingKind
from shuanglian.village_affairs.models import Decision, DecisionStep, DisclosureDue

from .helpers import NOW, SH, TODAY, clock, meeting, to_filed, villagers  # noqa: F401


def test_villagers_meeting_counts_adults_from_the_archive_with_the_18th_birthday(personas, district, clock):
    # Four villagers: one turns 18 on the meeting day (counts), one the day after (does not), a child.
    villagers(personas, district.grid, [dt.date(1960, 1, 1), dt.date(1992, 6, 1), dt.date(1992, 6, 2),
                                        dt.date(2005, 1, 1)])
    assert selectors.village_adults(village=district.village, on=TODAY) == 2
    m = services.meeting_record(actor=personas.village_cadre, village=district.village, kind=MeetingKind.VILLAGERS,
                                title="村民会议", held_on=TODAY, present=1, notice_on=TODAY - dt.timedelta(days=10))
    assert (m.eligible, m.quorate) == (2, False)  # 1 of 2 is exactly half: no quorum
    assert m.quorum_text == "1 of 2 present: quorum needs 2 — not reached"
    assert m.warnings == []


def test_a_meeting_without_quorum_is_recorded_and_decides_nothing(personas, district, clock):
    m = meeting(personas.village_cadre, district.village, present=29, eligible=45, votes_for=29,
                agenda_sent_on=TODAY - dt.timedelta(days=2))
    motion = m.motions.get()
    assert not m.quorate and not motion.passed
    assert motion.outcome_text == "No quorum: the meeting decides nothing."
    assert m.warnings == ["The agenda is to reach the members 3 days ahead."]
    passed = meeting(personas.village_cadre, district.village, present=30, eligible=45, votes_for=16)
    assert passed.quorate and passed.motions.get().passed  # exactly 2/3 present, 16 of 30 for
    half = meeting(personas.village_cadre, district.village, present=30, eligible=45, votes_for=15)
    assert not half.motions.get().passed  # exactly half for


def test_a_meeting_refuses_more_present_than_may_attend_or_more_votes_than_present(personas, district, clock):
    with pytest.raises(ValidationFailed) as e:
        meeting(personas.village_cadre, district.village, present=46, eligible=45)
    assert "present" in e.value.details
    with pytest.raises(ValidationFailed) as e:
        meeting(personas.village_cadre, district.village, present=10, eligible=45, votes_for=11)
    assert "motions[0]" in e.value.details


def test_representatives_meeting_members_come_from_the_bodies(personas, district, clock):
    cadre = personas.village_cadre
    for i in range(3):
        services.post_appoint(actor=cadre, village=district.village, body="committee", post="member",
                              name=f"委员{i}", held_from=dt.date(2008, 1, 1), woman=i == 0)
    for i in range(30):
        services.representative_appoint(actor=cadre, village=district.village, name=f"代表{i}", households=10,
                                        held_from=dt.date(2008, 1, 1), woman=i < 10)
    m = meeting(cadre, district.village, present=22, eligible=999, votes_for=20)
    assert m.eligible == 33 and m.quorate  # 3 committee members + 30 representatives; 22 is exactly 2/3
    warnings = selectors.body_warnings(village=district.village, on=TODAY)
    # 4 of the archive's villagers: the minimum is 30 (met), but a village under 300 uses the villagers' meeting.
    assert warnings == ["A village under 300 people decides in the villagers' meeting."]


def test_representatives_minimum_warning_uses_the_archive_population(personas, district, clock):
    villagers(personas, district.grid, [dt.date(1970, 1, 1)] * 3)
    warnings = selectors.body_warnings(village=district.village, on=TODAY)
    assert "0 representatives; a village of 3 people needs at least 30." in warnings
    assert "The villagers' committee has 0 members; the law asks for 3 to 7." in warnings


def test_the_five_steps_run_in_order_and_a_skip_names_the_missing_step(personas, district, clock):
    cadre = personas.village_cadre
    d = services.decision_propose(actor=cadre, village=district.village, title="集体厂房出租", category="lease")
    with pytest.raises(IllegalTransition) as e:
        services.decision_step(actor=cadre, decision=d, action="vote")
    assert e.value.code == "illegal_transition"
    assert "动议 (motion) comes first" in e.value.message
    services.decision_step(actor=cadre, decision=d, action="motion", text="村委会提议")
    with pytest.raises(IllegalTransition) as e:
        services.decision_step(actor=cadre, decision=d, action="filing")
    assert "审议 (deliberation) comes first" in e.value.message
    assert e.value.details["allowed"] == ["deliberation"]


def test_the_vote_needs_a_quorate_meeting_whose_motion_passed(personas, district, clock):
    d = to_filed(personas, district.village)
    services.decision_step(actor=personas.township_cadre, decision=d, action="approve")
    cadre = personas.village_cadre
    short = meeting(cadre, district.village, present=29, eligible=45, votes_for=29)
    with pytest.raises(ValidationFailed, match="quorum"):
        services.decision_step(actor=cadre, decision=d, action="vote", meeting=short, motion=short.motions.get())
    lost = meeting(cadre, district.village, present=30, eligible=45, votes_for=15)
    with pytest.raises(ValidationFailed, match="passed"):
        services.decision_step(actor=cadre, decision=d, action="vote", meeting=lost, motion=lost.motions.get())
    joint = meeting(cadre, district.village, MeetingKind.JOINT, present=7, eligible=9, votes_for=6)
    with pytest.raises(ValidationFailed, match="kind"):
        services.decision_step(actor=cadre, decision=d, action="vote", meeting=joint, motion=joint.motions.get())
    ok = meeting(cadre, district.village, present=30, eligible=45, votes_for=16)
    d = services.decision_step(actor=cadre, decision=d, action="vote", meeting=ok, motion=ok.motions.get())
    assert d.voted_on == TODAY
    with pytest.raises(ValidationFailed):
        services.decision_step(actor=cadre, decision=d, action="notice", on=TODAY, place="公开栏", text="结果")
    d = services.decision_step(actor=cadre, decision=d, action="notice", on=TODAY, place="村公开栏",
                               text="表决通过", result="已签订承包合同")
    assert d.status == DONE and d.completed_on == TODAY
    assert list(DecisionStep.objects.filter(decision=d).values_list("action", flat=True)) == [
        "motion", "deliberation", "filing", "approve", "vote", "notice"]
    assert selectors.decisions_voted(user=None, year=2010) == 1
    assert selectors.decisions_complete(user=personas.county_office, year=2010) == 1


def test_the_township_reviews_the_filing_and_a_village_cadre_may_not(personas, district, clock):
    d = to_filed(personas, district.village)
    assert d.status == "filing:pending"
    with pytest.raises(PermissionDenied):
        services.decision_step(actor=personas.village_cadre, decision=d, action="approve")
    with pytest.raises(ValidationFailed, match="why"):
        services.decision_step(actor=personas.township_cadre, decision=d, action="return")
    d = services.decision_step(actor=personas.township_cadre, decision=d, action="return", reason="租金低于评估价")
    assert d.status == "deliberation" and d.deadline_at is None  # back to deliberation: file again


def test_the_review_clock_turns_yellow_and_red_on_the_one_sweep(personas, district, clock):
    d = to_filed(personas, district.village)
    # 10 working days from Tuesday 1 June 2010 on the calendar: the 10th is Sunday 13 June, a make-up working day
    # for the Dragon Boat holiday; yellow 2 working days before, after Friday 11 June.
    assert d.deadline_at.astimezone(SH).date() == dt.date(2010, 6, 13)
    clock.move_to(dt.datetime(2010, 6, 12, 9, 0, tzinfo=SH))
    first = engine.sweep_all()["village_affairs"]
    assert first.yellow == 1 and first.notified == 2  # the village cadre and the township cadre
    assert engine.sweep_all()["village_affairs"].yellow == 0  # idempotent
    clock.move_to(dt.datetime(2010, 6, 14, 9, 0, tzinfo=SH))
    assert engine.sweep_all()["village_affairs"].red == 1
    assert Decision.objects.get(pk=d.pk).deadline_state == "red"
    assert selectors.steps_overdue(user=None, year=2010) == 1
    d = services.decision_step(actor=personas.township_cadre, decision=d, action="approve")
    assert d.reviews_overdue == 1 and d.status == "filing"
    assert Notification.objects.filter(kind="village_affairs.review").exists()


def test_disclosure_overdue_warnings_and_the_on_time_rate(personas, district, clock):
    cadre = personas.village_cadre
    services.disclosure_post(actor=cadre, village=district.village, kind="finance", title="五月财务收支",
                             posted_on=TODAY, place="村务公开栏", text="收入12万元")
    due = DisclosureDue.objects.get(kind="finance", met_on__isnull=True)
    assert due.deadline_at.astimezone(SH).date() == dt.date(2010, 7, 2)  # 31 days; 2 July is a Friday
    clock.move_to(dt.datetime(2010, 7, 5, 9, 0, tzinfo=SH))
    assert engine.sweep_all()["village_affairs.disclosure"].red == 1
    assert Notification.objects.filter(kind="village_affairs.disclosure", recipient=cadre).exists()
    services.disclosure_post(actor=cadre, village=district.village, kind="finance", title="六月财务收支",
                             posted_on=dt.date(2010, 7, 5), place="村务公开栏", text="收入8万元")
    assert selectors.disclosure_on_time_rate(user=None, year=2010) == 0.0  # the one period due was missed
    assert selectors.lagging_villages(user=None, year=2010)[0]["disclosures_missed"] == 1


def test_four_two_procedure_is_an_alternative(personas, district, clock, settings):
    settings.VILLAGE_AFFAIRS_PROCEDURE = "four_two"
    d = services.decision_propose(actor=personas.village_cadre, village=district.village, title="修建村道",
                                  category="public_welfare")
    assert d.procedure == "four_two" and d.steps[2]["code"] == "members_deliberation"
    with pytest.raises(IllegalTransition, match="党支部提议"):
        services.decision_step(actor=personas.village_cadre, decision=d, action="joint_conference")
    settings.VILLAGE_AFFAIRS_PROCEDURE = "five_steps"  # a running decision keeps its own steps
    d = services.decision_step(actor=personas.village_cadre, decision=d, action="branch_proposal", text="支部提议")
    assert d.status == "branch_proposal"


def test_scope_per_role(personas, district, clock):
    d = services.decision_propose(actor=personas.village_cadre, village=district.village, title="A", category="other")
    assert d in selectors.decision_list_visible_to(personas.township_cadre)
    assert d in selectors.decision_list_visible_to(personas.county_office)
    assert d not in selectors.decision_list_visible_to(personas.outsider)
    assert not selectors.decision_list_visible_to(personas.promoter).exists()
    with pytest.raises(PermissionDenied):
        services.decision_propose(actor=personas.township_cadre, village=district.village, title="B", category="other")
    with pytest.raises(PermissionDenied):
        services.decision_propose(actor=personas.village_cadre, village=district.village2, title="C",
                                  category="other")


_ = NOW
