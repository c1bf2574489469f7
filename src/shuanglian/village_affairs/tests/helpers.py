"""Shared by the village-affairs tests (no tests here): a frozen clock in 2010, villagers in the archive,
meetings with a motion, and a decision brought to a given step."""
import datetime as dt
import zoneinfo

import pytest

from shuanglian.archives import services as archive_services
from shuanglian.village_affairs import services
from shuanglian.village_affairs.choices import MeetingKind

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2010, 6, 1, 9, 0, tzinfo=SH)  # a Tuesday
TODAY = NOW.date()


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def villagers(personas, grid, births: list[dt.date], *, number="H1"):
    """One household at `grid` with a person per birth date."""
    hh = archive_services.household_register(actor=personas.promoter, grid=grid, number=number)
    for i, born in enumerate(births):
        archive_services.person_add(actor=personas.promoter, household=hh, name=f"村民{i}",
                                    relation_to_head="head" if i == 0 else "child", birth_date=born)
    return hh


def meeting(actor, village, kind=MeetingKind.REPRESENTATIVES, *, present=32, eligible=45, votes_for=30,
            held_on=TODAY, **kw):
    return services.meeting_record(actor=actor, village=village, kind=kind, title="讨论土地承包方案",
                                   held_on=held_on, present=present, eligible=eligible,
                                   motions=[services.MotionInput("通过土地承包方案", votes_for)], **kw)


def to_filed(personas, village):
    """A five-step decision with motion and deliberation done and filed for review."""
    cadre = personas.village_cadre
    d = services.decision_propose(actor=cadre, village=village, title="村集体山林承包", category="lease")
    services.decision_step(actor=cadre, decision=d, action="motion", text="两委提出山林承包方案")
    joint = meeting(cadre, village, MeetingKind.JOINT, present=7, eligible=9, votes_for=6)
    services.decision_step(actor=cadre, decision=d, action="deliberation", meeting=joint, motion=joint.motions.get())
    return services.decision_step(actor=cadre, decision=d, action="filing", text="报镇街审核")
