"""One rule for personal information (archives.disclosure), seen through the page, the API and the exports:
a grid volunteer sees names, relations and addresses only; a promoter sees the personal and sensitive
fields of their grid (ID numbers and phones masked)."""
import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from shuanglian.archives import disclosure, exports, services
from shuanglian.archives.models import HouseholdVersion, Person, Tag
from shuanglian.core import idnumber
from shuanglian.core.exceptions import ValidationFailed
from shuanglian.core.models import AuditEvent
from shuanglian.notifications.models import Notification

ID_HEAD = idnumber.make("330803", dt.date(1965, 3, 12), 11)
ID_CHILD = idnumber.make("330803", dt.date(2007, 6, 20), 12)  # turns 18 within the month
HEALTH = "高血压"
# What a volunteer must not meet anywhere: birth date, education, occupation, house, land, health, income.
PERSONAL = ("1965-03-12", "初中", "泥瓦工", "砖混两层", "水田三亩", HEALTH, "36,000", "36000")


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(dt.datetime(2025, 6, 10, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def household(district, personas, settings, tmp_path):
    settings.SHUANGLIAN_TASKS = "inline"
    settings.VAR_DIR = tmp_path
    keeper = personas.township_cadre
    hh = services.household_register(actor=keeper, grid=district.grid, number="001", address="樟潭社区1号",
                                     house="砖混两层", land_notes="水田三亩", annual_income="36000",
                                     tags=["low_income", "veteran"])
    head = services.person_add(actor=keeper, household=hh, name="王大明", relation_to_head="head",
                               id_number=ID_HEAD, education="初中", occupation="泥瓦工")
    services.person_update(actor=keeper, person=head, health=HEALTH)
    services.person_add(actor=keeper, household=hh, name="王小龙", relation_to_head="child", id_number=ID_CHILD)
    return hh


def _login(client, user):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content))
    return str([[c.value for c in row] for sheet in book.worksheets for row in sheet.iter_rows()])


def test_the_rule_names_each_field_once():
    assert disclosure.tier("name") is disclosure.PUBLIC
    assert disclosure.tier("birth_date") is disclosure.PERSONAL
    assert disclosure.tier("health") is disclosure.SENSITIVE and disclosure.tier("annual_income") is disclosure.SENSITIVE
    assert disclosure.tier("a_new_column") is disclosure.SENSITIVE  # unknown: hidden until decided
    assert disclosure.public_fields(["name", "sex", "address"], disclosure.PERSON) == ["name", "address"]
    assert disclosure.tier("updated_at", disclosure.HOUSEHOLD) is disclosure.PUBLIC


def test_volunteer_page_shows_no_personal_field(client, household, personas):
    body = _login(client, personas.volunteer).get(reverse("archives:household", args=[household.pk])).content.decode()
    assert "王大明" in body and "樟潭社区1号" in body
    for secret in PERSONAL:
        assert secret not in body, secret
    for label in ("Birth date", "Education", "Occupation", "Residence", "House", "Land"):
        assert f">{label}<" not in body, label
    search = _login(client, personas.volunteer).get(reverse("archives:search")).content.decode()
    assert "王大明" in search and ">Sex<" not in search and ">Age<" not in search


def test_promoter_page_shows_them(client, household, personas):
    response = _login(client, personas.promoter).get(reverse("archives:household", args=[household.pk]))
    body = response.content.decode()
    for shown in ("1965-03-12", "初中", "泥瓦工", "砖混两层", "水田三亩", "36,000"):
        assert shown in body, shown
    assert any(c["after"] == HEALTH for v in response.context["history"] for c in v["changes"])


def test_milestones_list_only_persons_whose_personal_information_one_sees(client, household, personas):
    url = reverse("archives:attention")
    volunteer = _login(client, personas.volunteer).get(url, {"show": "milestones"})
    assert volunteer.context["show"] == "stale" and "milestones" not in volunteer.context["lists"]
    promoter = _login(client, personas.promoter).get(url, {"show": "milestones"})
    assert [p.name for p in promoter.context["page_obj"]] == ["王小龙"]


def test_volunteer_api_withholds_what_the_page_withholds(api, household, personas):
    data = api.as_(personas.volunteer).get(f"/api/v1/households/{household.pk}/").json()
    assert set(data) >= {"number", "address", "members"} and not {"house", "land_notes", "annual_income"} & set(data)
    head = next(m for m in data["members"] if m["name"] == "王大明")
    assert not {"birth_date", "age", "sex", "education", "occupation", "health", "residence_status"} & set(head)
    full = api.as_(personas.promoter).get(f"/api/v1/households/{household.pk}/").json()
    head = next(m for m in full["members"] if m["name"] == "王大明")
    assert head["health"] == HEALTH and head["birth_date"] == "1965-03-12" and full["annual_income"] == "36000.00"


def test_household_file_history_export_keeps_health_from_volunteers(client, household, personas):
    """The reproduction: health reached volunteers through the change history of the .xlsx and the PDF."""
    for fmt in ("xlsx", "pdf"):
        response = _login(client, personas.volunteer).get(
            reverse(f"archive_exports:household_file_{fmt}", args=[household.pk]))
        assert response.status_code == 200
        text = _xlsx_text(response.content) if fmt == "xlsx" else _pdf_text(response.content)
        assert "王大明" in text
        for secret in PERSONAL:
            assert secret not in text, (fmt, secret)
    permitted = _login(client, personas.promoter).get(
        reverse("archive_exports:household_file_xlsx", args=[household.pk]))
    text = _xlsx_text(permitted.content)
    assert HEALTH in text and "1965" in text and "泥瓦工" in text


def test_health_and_income_are_sealed_in_the_history_and_the_audit_trail(household):
    stored = [str(v.changes) for v in HouseholdVersion.objects.filter(household=household)]
    audited = [str(e.after) for e in AuditEvent.objects.filter(action__startswith="archives.")]
    for text in stored + audited:
        assert HEALTH not in text and "36000" not in text


def test_sensitive_tags_are_neither_named_in_their_rows_nor_in_the_history_and_the_audit_trail(household, personas):
    """Finding 10: a low-income link was a row naming the tag, and the history and the audit said "low_income"."""
    services.household_set_tags(actor=personas.township_cadre, household=household, tags=["five_guarantee"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM archives_householdtag")
        rows = [str(row) for row in cursor.fetchall()]
        columns = [c[0] for c in cursor.description]
    tags = {t.code: t for t in Tag.objects.all()}
    assert "tag_id" not in columns and len(rows) == 1
    assert tags["five_guarantee"].index in rows[0] and str(tags["five_guarantee"].pk) not in rows[0].split(", ")[1:]
    stored = [str(v.changes) for v in HouseholdVersion.objects.filter(household=household)]
    audited = [str(e.after) for e in AuditEvent.objects.filter(action__startswith="archives.")]
    for text in stored + audited:
        assert "low_income" not in text and "five_guarantee" not in text and "veteran" not in text
    # Those who may see them still read them: in the history and in the record.
    history = HouseholdVersion.objects.get(household=household, action="household_tags").changes
    assert disclosure.history_changes(history, sees_pii=True, sensitive_tags={"five_guarantee", "low_income"}) == {
        "tags": [["low_income", "veteran"], ["five_guarantee"]]}
    assert disclosure.history_changes(history, sees_pii=False, sensitive_tags={"five_guarantee", "low_income"}) == {
        "tags": [["veteran"], []]}
    assert [t.code for t in household.tag_list()] == ["five_guarantee"]


@pytest.mark.parametrize("reason", ["", "   ", "..", "\u200b\u200b\u200b", "a.", "\u3000。\u3000"])
def test_a_reason_needs_real_characters(household, personas, reason):
    head = household.members.get(relation_to_head="head")
    with pytest.raises(ValidationFailed) as refused:
        services.person_reveal(actor=personas.promoter, person=head, field="id_number", reason=reason)
    assert refused.value.code == "reason_required"
    with pytest.raises(ValidationFailed):
        exports.household_file_export(actor=personas.promoter, pk=household.pk, fmt="xlsx", reveal_reason=reason)
    assert services.person_reveal(actor=personas.promoter, person=head, field="id_number", reason="核实") == ID_HEAD


def test_health_and_income_are_encrypted_in_their_columns(household):
    with connection.cursor() as cursor:
        cursor.execute("SELECT health FROM archives_person WHERE health <> ''")
        (health,), = cursor.fetchall()
        cursor.execute("SELECT annual_income FROM archives_household WHERE id = %s", [household.pk])
        (income,), = cursor.fetchall()
    assert health.startswith("v1:") and HEALTH not in health
    assert income.startswith("v1:") and "36000" not in income
    household.refresh_from_db()
    assert household.annual_income == Decimal("36000")
    assert Person.objects.get(pk=household.members.get(relation_to_head="head").pk).health == HEALTH


def test_list_and_search_reads_are_audited_once_a_request_and_alert_the_auditors(client, api, household, personas,
                                                                               settings):
    settings.PII_READ_ALERT_ROWS = 3
    cache.clear()  # the hour's counters of earlier tests in this process
    _login(client, personas.promoter).post(reverse("archives:search"), {"id_number": ID_HEAD})
    event = AuditEvent.objects.filter(action="archives.pii_read").get()
    assert event.actor == personas.promoter and event.after["rows"] == 1 and event.after["shown"] == 1
    assert event.after["filters"] == {"id_number": ID_HEAD[:6] + "********" + ID_HEAD[-4:]}
    assert api.as_(personas.promoter).get("/api/v1/persons/", {"name": "王"}).json()["count"] == 2
    assert AuditEvent.objects.filter(action="archives.pii_read").count() == 2  # one per request, not per row
    # The volunteer's list shows no personal information: nothing to audit.
    api.as_(personas.volunteer).get("/api/v1/persons/")
    assert AuditEvent.objects.filter(action="archives.pii_read").count() == 2
    assert not AuditEvent.objects.filter(action="archives.pii_read_alert")
    api.as_(personas.promoter).get("/api/v1/households/")  # the 4th row within the hour: past 3
    assert AuditEvent.objects.filter(action="archives.pii_read_alert").count() == 1
    assert Notification.objects.filter(recipient=personas.auditor, kind="archives.pii_read_alert").exists()
