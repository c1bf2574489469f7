"""Shared by the petition tests (no tests here): a frozen clock in 2010, petition officers, petitions made
through the services."""
import datetime as dt
import zoneinfo

import pytest

from shuanglian.access.roles import Role
from shuanglian.accounts.services import grant_create, user_create
from shuanglian.petitions import services
from shuanglian.petitions.choices import Action

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2010, 6, 1, 9, 0, tzinfo=SH)  # a Tuesday
TODAY = NOW.date()
PHONE = "13912345678"


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def officer_at(division, username):
    user = user_create(actor=None, username=username, password="Persona-2010!", division=division, full_name=username)
    grant_create(actor=None, user=user, role=Role.PETITION_OFFICER, division=division)
    return user


@pytest.fixture
def officer(district):
    """The county petition office."""
    return officer_at(district.county, "county_petitions")


@pytest.fixture
def township_officer(district):
    return officer_at(district.township, "zhangtan_petitions")


def register(actor, division, **kw):
    values = {"channel": "visit", "category": "complaint", "summary": "征地补偿款未到位", "received_on": TODAY,
              "petitioner_name": "王大明", "petitioner_phone": PHONE, **kw}
    return services.petition_register(actor=actor, division=division, **values)


def accepted(actor, petition, *, organization=None, handler=None):
    petition = services.transition(actor=actor, petition=petition, action=Action.ROUTE, organization=organization,
                                   handler=handler or actor)
    return services.transition(actor=actor, petition=petition, action=Action.ACCEPT)


REPLY = {"request": "要求补发征地补偿款", "facts": "补偿款已拨付至村", "reasons": "村集体尚未分配",
         "basis": "《土地管理法》第四十八条"}
