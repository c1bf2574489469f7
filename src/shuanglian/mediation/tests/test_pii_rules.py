"""Personal information around matters: a dispute's parties' ID numbers and phones only for those who handle
it (a volunteer who may see the dispute sees none, not even masked), and a matter's contact day only one held
for the reporter's grid."""
# ruff: noqa: F811  (pytest fixtures imported from test_disputes_fixtures, local to this module)
import datetime as dt

import pytest
from django.urls import reverse

from shuanglian.core.exceptions import ValidationFailed
from shuanglian.matters import services
from shuanglian.outreach import services as outreach

from .test_disputes_fixtures import (  # noqa: F401
    APPLICANT_ID,
    agreed,
    clock,
    dispute,
    masked_id,
    matter,
    with_parties,
)

MASKED_PHONE = "139****5678"


def test_volunteer_sees_no_party_identities_on_the_page_the_api_or_the_agreement(client, api, personas, dispute):
    agreed(personas.promoter, dispute)
    client.force_login(personas.volunteer)
    page = client.get(reverse("mediation:dispute-detail", kwargs={"pk": dispute.pk}))
    body = page.content.decode()
    assert page.status_code == 200 and "王大明" in body
    assert masked_id(APPLICANT_ID) not in body and MASKED_PHONE not in body and "********" not in body
    data = api.as_(personas.volunteer).get(f"/api/v1/disputes/{dispute.pk}/").json()
    assert {p["name"] for p in data["parties"]} == {"王大明", "李秀英"}
    assert all("id_number" not in p and "phone" not in p for p in data["parties"])
    pdf = client.get(reverse("mediation:dispute-agreement-pdf", kwargs={"pk": dispute.pk}))
    assert pdf.status_code == 200 and b"%PDF" in pdf.content[:8]


def test_those_who_handle_the_dispute_see_them_masked(client, api, personas, dispute):
    client.force_login(personas.promoter)
    body = client.get(reverse("mediation:dispute-detail", kwargs={"pk": dispute.pk})).content.decode()
    assert masked_id(APPLICANT_ID) in body and MASKED_PHONE in body and APPLICANT_ID not in body
    data = api.as_(personas.promoter).get(f"/api/v1/disputes/{dispute.pk}/").json()
    assert masked_id(APPLICANT_ID) in {p.get("id_number") for p in data["parties"]}


def test_a_matter_names_only_a_contact_day_held_for_its_grid(district, personas, clock):
    clock.move_to(dt.datetime(2010, 3, 25, 9, 0, tzinfo=dt.UTC), tick=False)
    plan = outreach.contact_days_plan(actor=personas.county_office, division=district.county, year=2010,
                                          month=3, townships=True)
    days = {d.division_id: d for d in plan.days}
    other_township = days[district.township2.pk]
    with pytest.raises(ValidationFailed) as refused:
        services.matter_report(actor=personas.promoter, grid=district.grid, type="demand", source="contact_day",
                               title="路灯不亮", contact_day=other_township)
    assert "contact_day" in refused.value.details
    for day in (days[district.township.pk], days[district.county.pk]):
        matter = services.matter_report(actor=personas.promoter, grid=district.grid, type="demand",
                                        source="contact_day", title="路灯不亮", contact_day=day)
        assert matter.contact_day == day


def test_pii_pages_and_api_answers_are_not_stored(client, api, personas, dispute):
    client.force_login(personas.promoter)
    for response in (client.get(reverse("mediation:dispute-detail", kwargs={"pk": dispute.pk})),
                     client.get(reverse("archives:search")),
                     api.as_(personas.promoter).get("/api/v1/persons/")):
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], response.get("Cache-Control")
