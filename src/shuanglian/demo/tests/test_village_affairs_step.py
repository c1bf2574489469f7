"""The demo's village affairs at one township's scale: exactly the counts asked for, every voted matter with a
quorate representatives' meeting whose motion passed, a lagging village, and the statistics counting back."""
import datetime as dt
import random

from shuanglian.core.models import AuditEvent
from shuanglian.demo.builders import village_affairs
from shuanglian.demo.context import DemoContext
from shuanglian.village_affairs import selectors
from shuanglian.village_affairs.choices import DONE, MeetingKind
from shuanglian.village_affairs.models import Decision, DecisionStep, Meeting, Representative


def _ctx(district):
    ctx = DemoContext(seed=7, rng=random.Random(7), log=lambda text: None)
    ctx.county = district.county
    ctx.townships = {district.township.code: district.township}
    ctx.villages = {v.code: v for v in (district.village, district.village2)}
    return ctx


def test_the_step_gives_exactly_the_counts_and_the_stats_api_counts_them_back(district, personas, api):
    summary = village_affairs.build(_ctx(district), joint=25, representatives=13, voted=9)
    assert summary["decisions_in_progress"] == 5
    r = api.as_(personas.county_office).get(f"/api/v1/stats/village-affairs/?year=2010&within={district.township.code}")
    body = r.json()
    assert (body["joint_meetings"], body["representatives_meetings"], body["decisions_voted"]) == (25, 13, 9)
    assert body["decisions_complete"] == 9
    # Only the lagging villages (both, at this scale) posted finances late: 2 of their 20 periods each.
    assert body["disclosure_on_time_rate"] == round(1 - 4 / (2 * 20 + 9), 3)
    assert len(selectors.lagging_villages(user=None, year=2010)) == 2
    assert AuditEvent.objects.filter(action="village_affairs.demo").count() == 1


def test_every_voted_matter_has_its_five_steps_and_a_quorate_vote(district):
    village_affairs.build(_ctx(district), joint=25, representatives=13, voted=9)
    # Representatives at the minimum for the archive's population (none here: 30).
    assert Representative.objects.filter(village=district.village).count() == 30
    for d in Decision.objects.filter(voted_on__year=2010):
        vote = DecisionStep.objects.get(decision=d, action="vote")
        assert vote.meeting.kind == MeetingKind.REPRESENTATIVES and vote.meeting.quorate and vote.motion.passed
        assert vote.meeting.held_on == d.voted_on and d.status == DONE
        assert list(DecisionStep.objects.filter(decision=d).values_list("action", flat=True)) == [
            "motion", "deliberation", "filing", "approve", "vote", "notice"]
    in_progress = Decision.objects.exclude(voted_on__year=2010)
    assert sorted(in_progress.values_list("status", flat=True)) == sorted(
        ["new", "motion", "deliberation", "filing:pending", "filing"])
    assert Meeting.objects.filter(held_on__gte=dt.date(2010, 1, 1)).count() == 38
