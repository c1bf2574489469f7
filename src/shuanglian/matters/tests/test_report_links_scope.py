"""The household, contact day and visit a new matter names are read through the reporter's scope, by the page and
by the API alike. Before, the API looked them up by id alone: service staff (who see no archives) could attach a
household, anyone a contact day of another township, and a visit out of reach was dropped without a word."""
import datetime as dt
import zoneinfo

import pytest
from django.conf import settings
from django.urls import reverse

from shuanglian.archives.services import household_register
from shuanglian.matters import services
from shuanglian.matters.models import Matter
from shuanglian.outreach import services as outreach

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
MATTERS = "/api/v1/matters/"
NEW = reverse("matters:new")


@pytest.fixture
def world(time_machine, district, personas):
    time_machine.move_to(dt.datetime(2010, 3, 25, 9, 0, tzinfo=SH), tick=False)
    services.ensure_default_categories()
    plan = outreach.contact_days_plan(actor=personas.county_office, division=district.county, year=2010,
                                          month=3, townships=True)
    days = {d.division_id: d for d in plan.days}
    home = household_register(actor=None, grid=district.grid, number="001")
    next_door = household_register(actor=None, grid=district.grid2, number="002")
    visit_next_door = outreach.visit_record(actor=personas.county_office, household=next_door,
                                          visited_on=dt.date(2010, 3, 24))
    return {"home": home, "next_door": next_door, "ten2": days[district.township2.pk],
            "visit_next_door": visit_next_door}


def _report(api, user, grid, **links):
    return api.as_(user).post(MATTERS, {"grid": grid.code, "type": "demand", "source": "visit", "title": "x",
                                        **links}, format="json")


def _refused(response, field):
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "invalid" and list(body["details"]) == [field], body
    return body


def test_the_api_reads_each_named_record_through_the_users_scope(api, district, personas, world):
    # Service staff report matters in the township but see no archives: no household for them.
    _refused(_report(api, personas.service_staff, district.grid, household=world["home"].pk), "household")
    # A household of another grid, a contact day of another township, a visit of another grid.
    _refused(_report(api, personas.promoter, district.grid, household=world["next_door"].pk), "household")
    _refused(_report(api, personas.promoter, district.grid, contact_day=world["ten2"].pk), "contact_day")
    _refused(_report(api, personas.promoter, district.grid, visit=world["visit_next_door"].pk), "visit")
    _refused(_report(api, personas.promoter, district.grid, contact_day=999999), "contact_day")
    assert not Matter.objects.exists()
    # In scope, all is linked.
    r = _report(api, personas.promoter, district.grid, household=world["home"].pk)
    assert r.status_code == 201, r.json()
    assert Matter.objects.get(pk=r.json()["id"]).household == world["home"]


def test_the_page_refuses_a_household_out_of_scope_the_same_way(client, district, personas, world):
    client.force_login(personas.promoter)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(NEW, {"grid": district.grid.code, "type": "demand", "source": "visit", "title": "x",
                                 "household": world["next_door"].number})
    assert response.status_code == 422 and response.context["form"].errors["household"]
    # Service staff get no household box at all.
    client.force_login(personas.service_staff)
    assert "household" not in client.get(NEW).context["form"].fields
