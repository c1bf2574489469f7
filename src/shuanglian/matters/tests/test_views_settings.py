"""The county office's settings pages: time limits, categories, the working-day calendar. Only the county
office sees them; everyone else is refused (they are county-wide, so "out of scope" is a refusal too)."""
import datetime as dt
import zoneinfo

import pytest
from django.conf import settings
from django.urls import reverse

from shuanglian.core.exceptions import ValidationFailed
from shuanglian.core.models import AuditEvent, CalendarDay
from shuanglian.matters import deadlines, services
from shuanglian.matters.models import Category

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
LIMITS = reverse("matters:settings")
CATEGORIES = reverse("matters:settings_categories")
CALENDAR = reverse("matters:settings_calendar")
CELL = reverse("matters:limit_edit", args=["grid", "demand", "handle"])
PAGES = (LIMITS, CATEGORIES, CALENDAR, CELL)


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(dt.datetime(2010, 3, 1, 9, 0, tzinfo=SH), tick=False)


@pytest.fixture
def as_(client):
    def login(user, language="en"):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return login


def test_only_the_county_office_sees_the_settings(client, as_, personas):
    for url in PAGES:
        assert client.get(url).status_code == 302
    for persona in (personas.nobody, personas.promoter, personas.township_cadre, personas.outsider,
                    personas.department_member, personas.auditor):
        c = as_(persona)
        for url in PAGES:
            assert c.get(url).status_code == 403, (persona, url)
        assert c.post(CELL, {"amount": 9, "unit": "working_days", "warn_before": 1}).status_code == 403
        assert c.post(CALENDAR, {"date": "2010-03-02", "is_working": "0"}).status_code == 403
    c = as_(personas.county_office)
    for url in PAGES:
        assert c.get(url).status_code == 200, url
    assert c.get(reverse("matters:limit_edit", args=["grid", "demand", "nap"])).status_code == 404
    assert reverse("matters:settings") in c.get(reverse("matters:list")).content.decode()
    assert reverse("matters:settings") not in as_(personas.township_cadre).get(reverse("matters:list")) \
        .content.decode()


def test_the_time_limit_table_and_editing_a_cell(as_, personas):
    c = as_(personas.county_office)
    response = c.get(LIMITS)
    blocks = response.context["blocks"]
    assert [b["level"] for b in blocks] == ["grid", "village", "township", "county", "department"]
    assert sum(len(row["cells"]) for b in blocks for row in b["rows"]) == 75
    assert CELL in response.content.decode()
    # With htmx, the cell's form opens beside the table (the fragment only).
    fragment = c.get(CELL, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="limit-editor")
    assert fragment.status_code == 200 and b"<html" not in fragment.content and b'id="limit-form"' in fragment.content
    response = c.post(CELL, {"amount": 4, "unit": "working_days", "warn_before": 4})
    assert response.status_code == 422 and response.context["form"].errors["warn_before"]
    response = c.post(CELL, {"amount": 4, "unit": "working_days", "warn_before": 1})
    assert response.status_code == 302
    assert deadlines.limit_for("grid", "demand", "handle").amount == 4
    assert AuditEvent.objects.filter(action="matters.time_limit_set").count() == 1
    cell = next(c for b in c.get(LIMITS).context["blocks"] if b["level"] == "grid" for row in b["rows"]
                if row["type"] == "demand" for c in row["cells"] if c["stage"] == "handle")
    assert cell["custom"] and cell["limit"].amount == 4


def test_categories_add_rename_retire(as_, personas):
    services.ensure_default_categories()
    c = as_(personas.county_office)
    response = c.post(CATEGORIES, {"action": "create", "new-type": "demand", "new-name": "电力通讯", "new-code": ""})
    assert response.status_code == 302
    added = Category.objects.get(name="电力通讯")
    assert added.type == "demand" and added.code.startswith("demand-")
    response = c.post(CATEGORIES, {"action": "create", "new-type": "demand", "new-name": "x", "new-code": "roads"})
    assert response.status_code == 422 and "roads exists" in response.content.decode()
    response = c.post(CATEGORIES, {"action": "rename", "category": added.pk, f"c{added.pk}-name": "电力",
                                   f"c{added.pk}-position": 5})
    assert response.status_code == 302
    added.refresh_from_db()
    assert (added.name, added.position) == ("电力", 5)
    assert c.post(CATEGORIES, {"action": "retire", "category": added.pk}).status_code == 302
    added.refresh_from_db()
    assert not added.is_active
    # Retired: gone from the matter form's menu.
    menu = as_(personas.promoter).get(reverse("matters:category_field"), {"type": "demand"}).content.decode()
    assert "电力" not in menu and "道路交通" in menu
    assert as_(personas.county_office).post(CATEGORIES, {"action": "restore", "category": added.pk}) \
        .status_code == 302
    added.refresh_from_db()
    assert added.is_active
    assert c.post(CATEGORIES, {"action": "rename", "category": 999999}).status_code == 404
    assert c.post(CATEGORIES, {"action": "explode"}).status_code == 400


def test_the_calendar_shows_a_year_and_sets_a_day(as_, personas):
    c = as_(personas.county_office)
    response = c.get(CALENDAR, {"year": 2010})
    days = {d["date"]: d for d in response.context["days"]}
    assert days[dt.date(2010, 2, 20)]["working"] and not days[dt.date(2010, 2, 15)]["working"]
    assert "Spring Festival" in response.content.decode()
    response = c.post(f"{CALENDAR}?year=2010", {"date": "2010-03-02", "is_working": "0", "name": "台风停工"})
    assert response.status_code == 302 and response["Location"].endswith("?year=2010")
    assert CalendarDay.objects.get(date=dt.date(2010, 3, 2)).is_working is False
    body = c.get(CALENDAR, {"year": 2010}).content.decode()
    assert "台风停工" in body
    response = c.post(CALENDAR, {"date": "", "is_working": "0"})
    assert response.status_code == 422


def test_a_category_name_taken_is_refused_on_the_page_and_by_the_api(as_, personas, api):
    """Was a 500: the table's one-name-per-type constraint raised Django's ValidationError from full_clean."""
    services.ensure_default_categories()
    c = as_(personas.county_office)
    response = c.post(CATEGORIES, {"action": "create", "new-type": "demand", "new-name": "道路交通", "new-code": ""})
    assert response.status_code == 422 and "category named 道路交通 exists" in response.content.decode()
    water = Category.objects.get(code="water")
    response = c.post(CATEGORIES, {"action": "rename", "category": water.pk, f"c{water.pk}-name": "道路交通",
                                   f"c{water.pk}-position": 1})
    assert response.status_code == 422 and "category named 道路交通 exists" in response.content.decode()
    assert Category.objects.filter(name="道路交通").count() == 1
    # The same name under another type is a different category.
    assert c.post(CATEGORIES, {"action": "create", "new-type": "hazard", "new-name": "道路交通",
                               "new-code": ""}).status_code == 302

    r = api.as_(personas.county_office).post("/api/v1/matter-categories/",
                                             {"type": "demand", "code": "roads2", "name": "道路交通"}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "invalid", r.json()
    r = api.as_(personas.county_office).patch(f"/api/v1/matter-categories/{water.pk}/", {"name": "道路交通"},
                                              format="json")
    assert r.status_code == 400 and r.json()["code"] == "invalid" and r.json()["details"] == {"name": ["道路交通"]}
    assert "category named 道路交通 exists" in r.json()["message"]


def test_a_model_check_from_full_clean_becomes_a_domain_error_naming_the_field(personas):
    with pytest.raises(ValidationFailed) as e:
        services.category_create(actor=personas.county_office, type="demand", code="long", name="长" * 61)
    assert list(e.value.details) == ["name"] and e.value.message.startswith("name: ")
