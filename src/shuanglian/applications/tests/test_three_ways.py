"""The service staff pages and endpoints three ways: an application is seen by the staff of its points, its
department and the divisions above where it was accepted; the catalog is the county office's.

The service points (api-service-point-*) are public, as the guide is: see PUBLIC in tests/test_view_coverage.py.
"""
from dataclasses import dataclass

from django.urls import reverse

from shuanglian.applications import services
from shuanglian.applications.choices import PointKind
from shuanglian.applications.models import Application, ServiceItem, ServicePoint
from shuanglian.organizations.choices import Function, OrganizationKind
from shuanglian.organizations.services import organization_create
from shuanglian.testing.views import Case, three_ways

APPS = "/api/v1/applications/"


@dataclass
class Made:
    center: ServicePoint  # 樟潭 center, service_staff on duty
    center2: ServicePoint  # 上方镇 center, the outsider on duty
    hukou: ServiceItem  # handled by the police
    app: Application  # accepted at the 樟潭 center by service_staff
    closed: Application  # accepted at the 樟潭 center and replied this month


def _network(w) -> Made:
    """As the app's conftest `net`: two centers and a catalog item; the outsider (a township cadre of the other
    county) is posted at the 上方镇 center, so they serve at a counter, just not this one."""
    office, p = w.personas.county_office, w.personas
    civil = organization_create(actor=None, division=w.district.county, name="衢江区民政局",
                                kind=OrganizationKind.DEPARTMENT, function=Function.CIVIL_AFFAIRS)
    center = services.service_point_create(actor=office, division=w.district.township, kind=PointKind.CENTER,
                                           name="樟潭街道便民服务中心", organization=p.service_center)
    center2 = services.service_point_create(actor=office, division=w.district.township2, kind=PointKind.CENTER,
                                            name="上方镇便民服务中心")
    services.staff_post(actor=office, point=center, name="service_staff", position="窗口", user=p.service_staff)
    services.staff_post(actor=office, point=center2, name="上方窗口", position="窗口", user=p.outsider)
    hukou = services.service_item_create(actor=office, code="HJ-01", name="户口迁移", department=p.police,
                                         legal_days=20, promised_days=5, materials=["户口簿", "身份证"])
    services.service_item_create(actor=office, code="MZ-01", name="最低生活保障申请", department=civil,
                                 legal_days=30, promised_days=10)

    def accept(name):
        return services.application_accept(actor=p.service_staff, item=hukou, point=center, applicant_name=name,
                                           applicant_phone="13912345678")

    app = accept("王大明")
    closed = services.transition(actor=p.service_staff, application=accept("李小红"), action="handle")
    closed = services.transition(actor=p.department_member, application=closed, action="reply", result="已办结",
                                 notified_by="phone", satisfaction="satisfied")
    return Made(center, center2, hukou, app, closed)


def _without_app(r, w) -> bool:
    return w.made.app.receipt_no not in r.content.decode() and "王大明" not in r.content.decode()


def _no_rows(r, w) -> bool:
    return r.json() == []


def _this_month(w) -> str:
    when = w.made.closed.closed_at
    return f"year={when.year}&month={when.month}"


def _item_post(w) -> dict:
    return {"code": "MZ-09", "name": "残疾人证申领", "department": w.personas.police.pk, "legal_days": "20",
            "promised_days": "10", "materials": "申请表\n身份证", "steps": "受理\n评定", "accepted_at": "any",
            "is_active": "on"}


CASES = {
    # The counter: a page per point where the user serves. Without a point at all it is 403; the outsider
    # serves at the 上方镇 counter, not the 樟潭 one (404).
    "services:counter": Case(lambda w: reverse("services:counter"), permitted="service_staff", ok=(302,),
                             denied="township_cadre", outsider=None, make=_network),  # no point in the URL
    "services:counter-point": Case(lambda w: reverse("services:counter-point", args=[w.made.center.pk]),
                                   permitted="service_staff", denied="township_cadre", make=_network),
    "services:receipt": Case(lambda w: reverse("services:receipt", args=[w.made.app.pk]), permitted="service_staff",
                             denied="promoter", make=_network),
    "services:queue": Case(lambda w: reverse("services:queue"), permitted="service_staff", denied="promoter",
                           make=_network, hidden=_without_app),
    "services:application": Case(lambda w: reverse("services:application", args=[w.made.app.pk]),
                                 permitted="service_staff", denied="promoter", make=_network),
    "services:supervision": Case(lambda w: reverse("services:supervision"), permitted="county_office",
                                 denied="promoter", make=_network,
                                 hidden=lambda r, w: "樟潭街道便民服务中心" not in r.content.decode()),
    # The catalog is one for the county: there is no record out of a county office's reach.
    "services:items": Case(lambda w: reverse("services:items"), permitted="county_office", denied="township_cadre",
                           outsider=None, make=_network),
    "services:item-new": Case(lambda w: reverse("services:item-new"), method="post", data=_item_post, ok=(302,),
                              permitted="county_office", denied="service_staff", outsider=None, make=_network),
    "services:item-edit": Case(lambda w: reverse("services:item-edit", args=[w.made.hukou.pk]), method="post",
                               data=_item_post, ok=(302,), permitted="county_office", denied="service_staff",
                               outsider=None, make=_network),
    "api-service-item-list": Case(lambda w: "/api/v1/service-items/", api=True, method="post",
                                  data=lambda w: {"code": "SB-01", "name": "城乡居民养老保险参保登记",
                                                  "department": w.personas.police.pk, "legal_days": 10,
                                                  "promised_days": 3, "materials": ["身份证"]},
                                  permitted="county_office", denied="service_staff", outsider=None, ok=(201,),
                                  make=_network),
    "api-service-item-detail": Case(lambda w: f"/api/v1/service-items/{w.made.hukou.pk}/", api=True, method="patch",
                                    data=lambda w: {"promised_days": 2}, permitted="county_office",
                                    denied="service_staff", outsider=None, make=_network),
    "api-service-stats": Case(lambda w: f"/api/v1/stats/services/?within={w.district.township.code}", api=True,
                              permitted="county_office", denied="promoter", make=_network),
    "api-application-list": Case(lambda w: APPS, api=True, permitted="service_staff", denied="promoter",
                                 make=_network, hidden=_without_app),
    "api-application-detail": Case(lambda w: f"{APPS}{w.made.app.pk}/", api=True, permitted="service_staff",
                                   denied="promoter", make=_network),
    # The township cadre sees the application but may not move it (403).
    "api-application-act": Case(lambda w: f"{APPS}{w.made.app.pk}/actions/handle/", api=True, method="post",
                                data=lambda w: {}, permitted="service_staff", denied="township_cadre",
                                make=_network),
    "api-application-complaints": Case(lambda w: f"{APPS}{w.made.app.pk}/complaints/", api=True, method="post",
                                       data=lambda w: {"text": "等了很久"}, permitted="township_cadre", ok=(201,),
                                       denied="promoter", make=_network),
    "api-application-supervision-board": Case(lambda w: f"{APPS}supervision-board/", api=True,
                                              permitted="county_office", denied="promoter", make=_network,
                                              hidden=_no_rows),
    "api-application-monthly": Case(lambda w: f"{APPS}monthly/?{_this_month(w)}", api=True,
                                    permitted="county_office", denied="promoter", make=_network, hidden=_no_rows),
}

test_three_ways = three_ways(CASES)
