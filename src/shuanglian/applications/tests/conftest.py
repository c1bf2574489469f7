"""A small service network in the test district: the 樟潭 center (personas.service_center), an agent point in
樟潭社区 with its own staff, the 上方镇 center, and a short catalog."""
import datetime as dt
import zoneinfo
from dataclasses import dataclass

import pytest

from shuanglian.accounts.services import user_create
from shuanglian.applications import services
from shuanglian.applications.choices import AcceptedAt, PointKind
from shuanglian.organizations.choices import Function, OrganizationKind
from shuanglian.organizations.services import organization_create

SH = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)


@dataclass
class Network:
    center: object
    agent: object
    center2: object
    agent_staff: object
    civil: object
    hukou: object  # public security, 5 of 20 days, at agent points too
    allowance: object  # civil affairs, 10 of 30 days
    house: object  # natural resources at the center only


@pytest.fixture
def net(district, personas):
    office = personas.county_office
    civil = organization_create(actor=None, division=district.county, name="衢江区民政局",
                                kind=OrganizationKind.DEPARTMENT, function=Function.CIVIL_AFFAIRS)
    center = services.service_point_create(actor=office, division=district.township, kind=PointKind.CENTER,
                                           name="樟潭街道便民服务中心", organization=personas.service_center,
                                           opening_hours="周一至周五 8:30-12:00 14:00-17:30")
    agent = services.service_point_create(actor=office, division=district.village, kind=PointKind.AGENT_POINT,
                                          name="樟潭社区代办点")
    center2 = services.service_point_create(actor=office, division=district.township2, kind=PointKind.CENTER,
                                            name="上方镇便民服务中心")
    agent_staff = user_create(actor=None, username="agent_staff", password="Persona-2010!",
                              division=district.village, full_name="代办员")
    services.staff_post(actor=office, point=agent, name="代办员", position="代办员", user=agent_staff)
    services.staff_post(actor=office, point=center, name="service_staff", position="窗口", user=personas.service_staff)
    services.staff_post(actor=office, point=center2, name="上方窗口", position="窗口")
    hukou = services.service_item_create(actor=office, code="HJ-01", name="户口迁移", department=personas.police,
                                         legal_days=20, promised_days=5, materials=["户口簿", "身份证"],
                                         steps=["受理", "审核", "办结"])
    allowance = services.service_item_create(actor=office, code="MZ-01", name="最低生活保障申请", department=civil,
                                             legal_days=30, promised_days=10, materials=["申请书", "收入证明"])
    house = services.service_item_create(actor=office, code="ZJ-01", name="农村建房审批", department=civil,
                                         legal_days=20, promised_days=15, accepted_at=AcceptedAt.CENTER)
    return Network(center, agent, center2, agent_staff, civil, hukou, allowance, house)
