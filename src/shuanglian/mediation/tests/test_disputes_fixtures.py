"""Shared by the dispute tests (no tests here): a frozen clock in 2010, dispute matters made through the
services, and a dispute brought to an agreement."""
import datetime as dt
import zoneinfo

import pytest

from shuanglian.access.roles import Role
from shuanglian.accounts.services import grant_create, user_create
from shuanglian.core.idnumber import make
from shuanglian.matters import services as matter_services
from shuanglian.matters.choices import Action
from shuanglian.mediation import services

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2010, 6, 1, 9, 0, tzinfo=SH)  # a Tuesday
TODAY = NOW.date()
APPLICANT_ID = make("330803", dt.date(1965, 3, 12), 11)  # male
RESPONDENT_ID = make("330803", dt.date(1970, 7, 15), 22)  # female
APPLICANT_PHONE = "13912345678"


def masked_id(value: str) -> str:
    return value[:6] + "*" * 8 + value[-4:]


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def report_dispute(personas, grid, *, title="宅基地边界纠纷", actor=None, accept=True, **kw):
    """A dispute matter at `grid`, accepted there (by its promoter, or `actor`)."""
    actor = actor or personas.promoter
    matter = matter_services.matter_report(actor=actor, grid=grid, type="dispute", source="visit", title=title,
                                    description="两户因宅基地边界发生争执", **kw)
    if accept:
        matter = matter_services.transition(actor=actor, matter=matter, action=Action.ACCEPT)
    return matter


def promoter_at(grid, username="promoter_other"):
    user = user_create(actor=None, username=username, password="Persona-2010!", division=grid, full_name=username)
    grant_create(actor=None, user=user, role=Role.GRID_PROMOTER, division=grid)
    return user


AGREEMENT = {
    "facts": "申请人王大明与被申请人李秀英因宅基地边界发生争执。",
    "issues": "两户之间围墙的位置。",
    "responsibilities": "被申请人越界砌墙约半米，应负主要责任。",
    "terms": "被申请人于六月十日前拆除越界部分围墙，申请人承担一半费用。",
    "performance": "2010年6月10日前，由村调委会现场见证履行。",
}


def with_parties(actor, dispute):
    services.dispute_party_add(actor=actor, dispute=dispute, role="applicant", name="王大明", id_number=APPLICANT_ID,
                               phone=APPLICANT_PHONE, address="樟潭社区1号")
    services.dispute_party_add(actor=actor, dispute=dispute, role="respondent", name="李秀英",
                               id_number=RESPONDENT_ID, address="樟潭社区2号")
    services.mediator_add(actor=actor, dispute=dispute, name="徐调解", committee="樟潭社区人民调解委员会")
    services.mediation_session_add(actor=actor, dispute=dispute, held_on=dispute.screened_on,
                                   place="社区调解室", notes="双方陈述意见")
    return dispute


def screened(actor, matter, *, screened_on=None):
    return services.dispute_screen(actor=actor, matter=matter, screened_on=screened_on or TODAY - dt.timedelta(days=10),
                                   facts="宅基地边界争执", issues="围墙位置")


def agreed(actor, dispute, **kw):
    fields = {**AGREEMENT, "effective_on": TODAY - dt.timedelta(days=1), "parties_signed": True,
              "mediator_signed": True, **kw}
    return services.agreement_create(actor=actor, dispute=dispute, **fields)


@pytest.fixture
def matter(district, personas, clock):
    return report_dispute(personas, district.grid, reported_at=NOW - dt.timedelta(days=10))


@pytest.fixture
def dispute(matter, personas):
    return with_parties(personas.promoter, screened(personas.promoter, matter))
