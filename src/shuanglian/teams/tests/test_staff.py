"""Units volunteering staff: a unit submits its list (all rows valid or nothing), the county office assigns
them in bulk (spread over the grids with the fewest volunteers, or explicit pairs): counts, no duplicate
posts, a person in several grids, one audit event, scope."""
import datetime as dt

import pytest

from shuanglian.core.models import AuditEvent
from shuanglian.organizations.services import organization_create
from shuanglian.teams import services
from shuanglian.teams.models import Member, Membership

STAFF = "/api/v1/team-staff/"
ASSIGN = "/api/v1/team-staff/assign/"
D = dt.date(2010, 3, 1)


@pytest.fixture
def unit(personas):
    return personas.police  # a county department: its staff are from a public institution


@pytest.fixture
def submitted(api, unit, personas):
    rows = [{"name": f"警员{i}", "phone": f"1390000010{i}", "category": "民警"} for i in range(5)]
    response = api.as_(personas.department_member).post(STAFF, {"organization": unit.pk, "staff": rows},
                                                        format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_a_unit_submits_its_staff(api, unit, personas, submitted):
    assert submitted["created"] == 5
    members = Member.objects.filter(organization=unit)
    assert members.count() == 5 and all(m.from_public_institution and m.category == "police" for m in members)
    assert {m.employer for m in members} == {unit.name}
    listed = api.as_(personas.county_office).get(STAFF, {"organization": unit.pk, "unassigned": "true"}).json()["results"]
    assert len(listed) == 5 and listed[0]["phone"].count("*") == 4 and listed[0]["posts"] == 0
    assert AuditEvent.objects.filter(action="teams.staff_submit").count() == 1


def test_an_invalid_row_refuses_the_list(api, unit, personas):
    rows = [{"name": "甲", "phone": "13900000201", "category": "医生"},
            {"name": "", "phone": "139", "category": "厨师"},
            {"name": "乙", "phone": "13900000201", "category": "doctor"}]
    response = api.as_(personas.department_member).post(STAFF, {"organization": unit.pk, "staff": rows},
                                                        format="json")
    assert response.status_code == 400
    problems = [(r["line"], r["field"]) for r in response.json()["details"]["rows"]]
    assert problems == [(2, "name"), (2, "phone"), (2, "category"), (3, "phone")]
    assert not Member.objects.exists()


def test_who_may_submit(api, unit, personas, district):
    other = organization_create(actor=None, division=district.county, name="区教育局", kind="department",
                                function="education")
    body = {"organization": other.pk, "staff": [{"name": "甲", "phone": "13900000301", "category": "教师"}]}
    assert api.as_(personas.department_member).post(STAFF, body, format="json").status_code == 404  # not their unit
    assert api.as_(personas.township_cadre).post(STAFF, body, format="json").status_code == 404
    assert api.as_(personas.county_office).post(STAFF, body, format="json").status_code == 201


def test_spread_over_the_grids_with_fewest_volunteers(api, district, unit, personas, submitted):
    # 樟潭街道 has three grids: grid (2 volunteers), grid2 (0), grid3 (1)
    for name, phone, grid in (("甲", "13900000401", district.grid), ("乙", "13900000402", district.grid),
                              ("丙", "13900000403", district.grid3)):
        services.membership_appoint(actor=None, grid=grid, role="volunteer", name=name, phone=phone,
                                    category="notable", started_on=D)
    response = api.as_(personas.county_office).post(
        ASSIGN, {"organization": unit.pk, "within": district.township.code}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert len(body["assigned"]) == 5 and body["grids"] == 3
    placed = [a["grid"] for a in body["assigned"]]
    assert placed.count(district.grid2.code) == 3 and placed.count(district.grid3.code) == 1
    assert placed.count(district.grid.code) == 1  # every grid ends with 3 volunteers
    posts = Membership.objects.filter(member__organization=unit, ended_on__isnull=True)
    assert posts.count() == 5 and all(p.role == "volunteer" and p.township_id == district.township.pk for p in posts)
    assert AuditEvent.objects.filter(action="teams.staff_assign").count() == 1
    # all assigned now: a second spread has no one left
    again = api.as_(personas.county_office).post(
        ASSIGN, {"organization": unit.pk, "within": district.township.code}, format="json").json()
    assert again == {"assigned": [], "grids": 0}


def test_pairs_allow_several_grids_but_not_a_held_post(api, district, unit, personas, submitted):
    first, second = submitted["members"][:2]
    client = api.as_(personas.county_office)
    pairs = [{"member": first, "grid": district.grid.code}, {"member": first, "grid": district.grid4.code},
             {"member": second, "grid": district.grid.code}]
    response = client.post(ASSIGN, {"pairs": pairs}, format="json")
    assert response.status_code == 200, response.content
    assert Membership.objects.filter(member_id=first, ended_on__isnull=True).count() == 2
    before = Membership.objects.count()
    response = client.post(ASSIGN, {"pairs": [{"member": second, "grid": district.grid2.code},
                                              {"member": first, "grid": district.grid.code}]}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "already_on_team"
    assert response.json()["details"]["pairs"] == [[first, district.grid.code]]
    assert Membership.objects.count() == before  # nothing half-written
    dup = client.post(ASSIGN, {"pairs": [{"member": second, "grid": district.grid2.code}] * 2}, format="json")
    assert dup.status_code == 400 and dup.json()["code"] == "duplicate_pair"


def test_assignment_scope(api, district, unit, personas, submitted):
    first = submitted["members"][0]
    body = {"pairs": [{"member": first, "grid": district.grid4.code}]}
    # county units' staff are the county office's to assign: a township cadre does not see them
    assert api.as_(personas.township_cadre).post(ASSIGN, body, format="json").status_code == 400
    outside = {"pairs": [{"member": first, "grid": district.outside_grid.code}]}
    assert api.as_(personas.county_office).post(ASSIGN, outside, format="json").status_code == 403  # 柯城区
    assert api.as_(personas.department_member).post(ASSIGN, body, format="json").status_code == 403
    assert api.as_(personas.outsider).post(ASSIGN, body, format="json").status_code == 400  # sees no such staff
    assert api.as_(personas.township_cadre).post(
        ASSIGN, {"within": district.township2.code}, format="json").status_code == 404
    assert not Membership.objects.exists()


def login(client, user, persona_password):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert client.login(username=user.username, password=persona_password)
    return client


def test_the_page_pastes_a_list_and_assigns_it(client, district, unit, personas, persona_password):
    assert login(client, personas.nobody, persona_password).get("/teams/staff/").status_code == 403
    assert login(client, personas.promoter, persona_password).get("/teams/staff/").status_code == 403
    page = login(client, personas.department_member, persona_password)
    bad = page.post("/teams/staff/", {"action": "submit", "organization": unit.pk,
                                      "text": "王警官, 13900000501, 民警\n李警官，139000005，民警"})
    assert bad.status_code == 422 and "not an 11-digit mobile number" in bad.content.decode()
    assert not Member.objects.exists()
    good = page.post("/teams/staff/", {"action": "submit", "organization": unit.pk,
                                       "text": "姓名,联系电话,类别\n王警官, 13900000501, 民警\n李警官\t13900000502\t民警\n"})
    assert good.status_code == 200 and "Recorded: 2 new" in good.content.decode()
    assert "Assign to grids" not in good.content.decode()  # a unit submits; the county office assigns
    office = login(client, personas.county_office, persona_password)
    listed = office.get("/teams/staff/").content.decode()
    assert "王警官" in listed and "139****0501" in listed and "13900000501" not in listed
    done = office.post("/teams/staff/", {"action": "assign", "organization": unit.pk,
                                         "within": district.village.code})
    assert done.status_code == 200
    html = done.content.decode()
    assert "2 assigned" in html and district.grid.code in html and district.grid2.code in html
    assert Membership.objects.filter(member__organization=unit).count() == 2


def test_the_waiting_list_queries_do_not_grow(client, api, unit, personas, persona_password):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    office = login(client, personas.county_office, persona_password)
    rows = [{"name": "甲", "phone": "13900000601", "category": "民警"}]
    api.as_(personas.county_office).post(STAFF, {"organization": unit.pk, "staff": rows}, format="json")
    with CaptureQueriesContext(connection) as few:
        office.get("/teams/staff/")
    rows = [{"name": f"乙{i}", "phone": f"1390000070{i}", "category": "民警"} for i in range(8)]
    api.as_(personas.county_office).post(STAFF, {"organization": unit.pk, "staff": rows}, format="json")
    with CaptureQueriesContext(connection) as many:
        assert "乙7" in office.get("/teams/staff/").content.decode()
    assert len(many) == len(few)


def test_a_unit_cannot_claim_someone_already_on_a_team_it_does_not_manage(api, district, unit, personas):
    # 王大明 promotes a grid of 樟潭; a department member puts his name and phone on the police's list.
    services.membership_appoint(actor=None, grid=district.grid, role="promoter", name="王大明", phone="13912345678",
                                category="five_elders", started_on=D)
    body = {"organization": unit.pk, "staff": [{"name": "王大明", "phone": "13912345678", "category": "民警"}]}
    response = api.as_(personas.department_member).post(STAFF, body, format="json")
    assert response.status_code == 400
    assert [(r["line"], r["field"]) for r in response.json()["details"]["rows"]] == [(1, "phone")]
    assert Member.objects.get(name="王大明").organization is None  # not claimed, so not visible to the unit
    # The county office manages every team: it may put him on the unit's list.
    assert api.as_(personas.county_office).post(STAFF, body, format="json").status_code == 201
    assert Member.objects.get(name="王大明").organization == unit
