"""The Organic Law's numbers at their boundaries (pure functions, no database)."""
import datetime as dt

import pytest

from shuanglian.village_affairs import rules
from shuanglian.village_affairs.choices import MeetingKind as K


@pytest.mark.parametrize("kind", [K.REPRESENTATIVES, K.GROUP, K.PARTY_MEMBERS])
def test_two_thirds_quorum_is_reached_at_exactly_two_thirds(kind):
    assert rules.quorum(kind, present=30, eligible=45).reached  # exactly 2/3
    assert not rules.quorum(kind, present=29, eligible=45).reached
    assert rules.quorum(kind, present=30, eligible=44).reached  # 29.33 rounds up to 30
    assert not rules.quorum(kind, present=29, eligible=44).reached


def test_villagers_meeting_needs_more_than_half_of_adults_exactly_half_is_not_enough():
    assert not rules.quorum(K.VILLAGERS, present=50, eligible=100).reached  # exactly half
    assert rules.quorum(K.VILLAGERS, present=51, eligible=100).reached


def test_villagers_meeting_reaches_quorum_by_two_thirds_of_households():
    q = rules.quorum(K.VILLAGERS, present=40, eligible=100, households_present=20, households_eligible=30)
    assert q.reached and q.by_households  # exactly 2/3 of households
    assert not rules.quorum(K.VILLAGERS, present=40, eligible=100, households_present=19,
                            households_eligible=30).reached


def test_the_quorum_text_a_cadre_sees():
    assert rules.quorum(K.REPRESENTATIVES, present=32, eligible=45).text() == \
        "32 of 45 present: quorum needs 30 — reached"
    assert rules.quorum(K.REPRESENTATIVES, present=29, eligible=45).text() == \
        "29 of 45 present: quorum needs 30 — not reached"


def test_a_motion_needs_more_than_half_of_those_present():
    assert not rules.passes(votes_for=16, present=32)  # exactly half
    assert rules.passes(votes_for=17, present=32)
    assert rules.passes(votes_for=16, present=31)
    assert not rules.passes(votes_for=0, present=0)


def test_representatives_minimum_by_population():
    assert rules.representatives_minimum(499) == 30
    assert rules.representatives_minimum(500) == 40
    assert rules.representatives_minimum(999) == 40
    assert rules.representatives_minimum(1000) == 50


def test_notice_periods_warn_when_shorter():
    held = dt.date(2010, 6, 20)
    assert rules.notice_warnings(K.VILLAGERS, held_on=held, notice_on=dt.date(2010, 6, 10), agenda_sent_on=None) == []
    assert rules.notice_warnings(K.VILLAGERS, held_on=held, notice_on=dt.date(2010, 6, 11), agenda_sent_on=None)
    assert rules.notice_warnings(K.REPRESENTATIVES, held_on=held, notice_on=None,
                                 agenda_sent_on=dt.date(2010, 6, 17)) == []
    assert rules.notice_warnings(K.REPRESENTATIVES, held_on=held, notice_on=None, agenda_sent_on=dt.date(2010, 6, 18))


def test_committee_and_representatives_warnings():
    assert rules.committee_warnings(members=3, women=1) == []
    assert len(rules.committee_warnings(members=2, women=0)) == 2
    assert len(rules.committee_warnings(members=8, women=1)) == 1
    # 40 representatives of 50 members is exactly 4/5; 17 women of 50 is over 1/3, 16 under.
    assert rules.representatives_warnings(representatives=40, women=17, meeting_members=50, population=800) == []
    warnings = rules.representatives_warnings(representatives=39, women=16, meeting_members=50, population=800)
    assert len(warnings) == 3  # under 4/5, women under 1/3, under the minimum of 40
