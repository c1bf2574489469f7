"""Organizations over /api/v1/organizations/: visible upward, managed by the county office."""
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuanglian.core.models import AuditEvent
from shuanglian.organizations.choices import Function, OrganizationKind
from shuanglian.organizations.services import organization_create

URL = "/api/v1/organizations/"


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == code and body["message"]
    return body


def names(response):
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def test_list_scope_and_fields(api, district, personas):
    organization_create(actor=None, division=district.other_county, name="柯城区人民法院",
                        kind=OrganizationKind.DEPARTMENT, function=Function.COURT)
    assert names(api.as_(personas.promoter).get(URL)) == {"衢江区公安分局", "樟潭街道便民服务中心"}
    assert names(api.as_(personas.outsider).get(URL)) == {"柯城区人民法院"}
    row = api.as_(personas.township_cadre).get(URL, {"kind": "service_center"}).json()["results"]
    assert row == [{"id": personas.service_center.pk, "name": "樟潭街道便民服务中心", "kind": "service_center",
                    "function": "admin_service", "division": district.township.code, "division_name": "樟潭街道",
                    "parent": None, "phone": "", "address": "", "is_active": True}]


def test_filters(api, district, personas):
    client = api.as_(personas.county_office)
    assert names(client.get(URL, {"function": "public_security"})) == {"衢江区公安分局"}
    assert names(client.get(URL, {"within": district.township.code})) == {"樟潭街道便民服务中心"}
    assert names(client.get(URL, {"division": district.county.code})) == {"衢江区公安分局"}
    assert names(client.get(URL, {"q": "公安"})) == {"衢江区公安分局"}


def test_detail_out_of_scope_is_404(api, district, personas):
    assert_error(api.as_(personas.outsider).get(f"{URL}{personas.service_center.pk}/"), 404, "not_found")
    assert api.as_(personas.promoter).get(f"{URL}{personas.police.pk}/").status_code == 200


def test_county_office_creates_and_updates(api, district, personas):
    client = api.as_(personas.county_office)
    response = client.post(URL, {"name": "樟潭街道综治中心", "kind": "office", "function": "political_legal",
                                 "division": district.township.code, "parent": personas.service_center.pk},
                           format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["division"] == district.township.code and body["parent"] == personas.service_center.pk
    assert AuditEvent.objects.filter(action="organization.create", actor=personas.county_office).exists()
    response = client.patch(f"{URL}{body['id']}/", {"phone": "0570-1234567", "parent": None}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["phone"] == "0570-1234567" and response.json()["parent"] is None
    event = AuditEvent.objects.get(action="organization.update")
    assert event.before["phone"] == "" and event.after["phone"] == "0570-1234567"


def test_write_errors(api, district, personas):
    county = api.as_(personas.county_office)
    assert_error(county.post(URL, {"name": "衢江区公安分局", "kind": "department", "division": district.county.code},
                             format="json"), 409, "duplicate_name")
    body = assert_error(county.post(URL, {"name": "x", "kind": "ministry", "division": district.county.code},
                                    format="json"), 400, "invalid")
    assert "kind" in body["details"]
    assert_error(county.post(URL, {"name": "x", "kind": "office", "division": district.outside_township.code},
                             format="json"), 403, "permission_denied")
    cadre = api.as_(personas.township_cadre)
    assert_error(cadre.post(URL, {"name": "x", "kind": "office", "division": district.township.code},
                            format="json"), 403, "permission_denied")
    assert_error(cadre.patch(f"{URL}{personas.service_center.pk}/", {"phone": "1"}, format="json"), 403,
                 "permission_denied")
    assert_error(api.as_(personas.outsider).patch(f"{URL}{personas.service_center.pk}/", {"phone": "1"},
                                                  format="json"), 404, "not_found")


def _count(client, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.json()["results"])


def test_list_runs_a_constant_number_of_queries(api, district, personas):
    for i, division in enumerate([district.township, district.township2, district.village, district.village2] * 3):
        organization_create(actor=None, division=division, name=f"代办点{i}", kind=OrganizationKind.OFFICE,
                            parent=personas.service_center)
    client = api.as_(personas.county_office)
    small, n_small = _count(client, {"page_size": 5})
    large, n_large = _count(client, {"page_size": 50})
    assert (n_small, n_large) == (5, 14)
    assert small == large
