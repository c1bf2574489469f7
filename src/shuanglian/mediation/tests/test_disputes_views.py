"""Dispute pages: the register (filters, the year's figures, a constant number of queries), one dispute
(parties masked, the confirmation window, the PDF link), recording steps through forms, screening, and
each page three ways: no permission, permitted, out of scope. A phone-width check in Chromium."""
# ruff: noqa: F811  (pytest fixtures imported from test_disputes_fixtures, local to this module)
import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shuanglian.matters import services as matter_services
from shuanglian.matters.choices import Action
from shuanglian.mediation import services
from shuanglian.mediation.models import Dispute

from .test_disputes_fixtures import (  # noqa: F401
    APPLICANT_ID,
    APPLICANT_PHONE,
    NOW,
    TODAY,
    agreed,
    clock,
    dispute,
    masked_id,
    matter,
    promoter_at,
    report_dispute,
    screened,
    with_parties,
)

LIST = "/matters/disputes/"
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "main"}


@pytest.fixture
def client(client):
    """Pages in English (the source strings), whatever the catalog says."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def detail_url(dispute):
    return reverse("mediation:dispute-detail", kwargs={"pk": dispute.pk})


def test_the_routes_are_where_the_brief_says():
    assert reverse("mediation:dispute-list") == LIST
    assert reverse("mediation:dispute-agreement-pdf", kwargs={"pk": 7}) == "/matters/disputes/7/agreement.pdf"


def _make(actor, personas, grid, outcome, screened_on, title="纠纷"):
    matter = report_dispute(personas, grid, actor=actor, title=title, reported_at=NOW - dt.timedelta(days=200))
    dispute = with_parties(actor, screened(actor, matter, screened_on=screened_on))
    if outcome == "mediated":
        agreed(actor, dispute, effective_on=TODAY - dt.timedelta(days=25))
        services.dispute_conclude(actor=actor, dispute=dispute, outcome="mediated", outcome_on=TODAY)
    elif outcome == "failed":
        services.dispute_conclude(actor=actor, dispute=dispute, outcome="failed", outcome_on=TODAY,
                                  remedies_told=["litigation"])
    return dispute


def test_the_register_filters_shows_the_years_figures_and_runs_constant_queries(
        client, personas, district, clock, django_assert_max_num_queries):
    actor = personas.township_cadre
    client.force_login(actor)
    _make(actor, personas, district.grid, "mediated", dt.date(2010, 3, 1), title="宅基地纠纷")
    client.get(LIST)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST)
    few = len(ctx.captured_queries)
    assert response.status_code == 200
    for i in range(6):
        _make(actor, personas, [district.grid2, district.grid3][i % 2], ["mediated", "failed", None][i % 3],
              dt.date(2010, 4, 1 + i), title=f"纠纷{i}")
    with django_assert_max_num_queries(few):
        response = client.get(LIST)
    page = response.content.decode()
    assert response.status_code == 200 and len(response.context["page_obj"]) == 7
    assert "7 disputes found." in page and "宅基地纠纷" in page and "王大明、李秀英" in page
    assert "调字〔2010〕第0001号" in page and "confirmation window closing" in page
    stats = response.context["stats"]
    assert stats == {"screened": 7, "mediated": 3, "success_rate": 0.429} and "42.9%" in page
    assert len(client.get(LIST, {"outcome": "mediated"}).context["page_obj"]) == 3
    assert len(client.get(LIST, {"outcome": "open"}).context["page_obj"]) == 2
    assert len(client.get(LIST, {"within": district.village2.code}).context["page_obj"]) == 3
    response = client.get(LIST, {"within": district.village2.code, "year": 2010})
    assert response.context["stats"]["screened"] == 3
    assert client.get(LIST, {"year": 2009}).context["page_obj"].paginator.count == 0
    assert client.get(LIST, {"confirmation": "closing"}).context["page_obj"].paginator.count == 3
    # htmx swaps only the main panel.
    response = client.get(LIST, {"outcome": "failed"}, **HTMX)
    assert response.status_code == 200 and "<html" not in response.content.decode()


def test_the_register_three_ways(client, personas, district, dispute):
    client.force_login(personas.nobody)
    assert client.get(LIST).status_code == 403
    client.force_login(personas.admin)
    assert client.get(LIST).status_code == 403
    client.force_login(personas.outsider)
    response = client.get(LIST)
    assert response.status_code == 200 and response.context["page_obj"].paginator.count == 0
    client.force_login(personas.promoter)
    assert client.get(LIST).context["page_obj"].paginator.count == 1
    client.logout()
    assert client.get(LIST).status_code == 302


def test_a_dispute_page_shows_parties_masked_and_the_confirmation_window(client, personas, matter):
    dispute = with_parties(personas.promoter, screened(personas.promoter, matter, screened_on=dt.date(2010, 5, 1)))
    agreed(personas.promoter, dispute, effective_on=TODAY - dt.timedelta(days=26))
    client.force_login(personas.village_cadre)
    response = client.get(detail_url(dispute))
    page = response.content.decode()
    assert response.status_code == 200
    for expected in ("王大明", "李秀英", masked_id(APPLICANT_ID), "139****5678", "徐调解", "社区调解室",
                     "调字〔2010〕第0001号", "confirmation window closing", "by 2010-06-05 (4 days left)",
                     reverse("mediation:dispute-agreement-pdf", kwargs={"pk": dispute.pk})):
        assert expected in page, expected
    assert APPLICANT_ID not in page and APPLICANT_PHONE not in page
    response = client.get(reverse("mediation:dispute-agreement-pdf", kwargs={"pk": dispute.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_dispute_page_three_ways(client, personas, district, dispute):
    url = detail_url(dispute)
    pdf = reverse("mediation:dispute-agreement-pdf", kwargs={"pk": dispute.pk})
    client.force_login(personas.nobody)
    assert client.get(url).status_code == 403
    for stranger in (personas.outsider, promoter_at(district.grid3), personas.department_member):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
        assert client.get(pdf).status_code == 404
    # Seen, but not handled: no forms, and a post is refused.
    client.force_login(personas.auditor)
    response = client.get(url)
    assert response.status_code == 200 and not response.context["operations"]
    assert client.post(url, {"op": "session", "session-held_on": "2010-06-01"}).status_code == 403
    matter_services.transition(actor=personas.promoter, matter=dispute.matter, action=Action.ASSIGN,
                        organization=personas.police)
    client.force_login(personas.department_member)
    assert client.get(url).status_code == 200
    client.force_login(personas.promoter)
    assert client.get(pdf).status_code == 404  # no agreement yet


def test_steps_are_recorded_through_the_forms_and_refusals_go_on_them(client, personas, dispute):
    url = detail_url(dispute)
    client.force_login(personas.promoter)
    ops = [o["op"] for o in client.get(url).context["operations"]]
    assert ops == ["party", "mediator", "mediator_remove", "session", "agreement", "conclude"]
    # A bad ID number: the form comes back (htmx: only the form, 422) with the service's message.
    response = client.post(url, {"op": "party", "party-role": "other", "party-name": "张三",
                                 "party-id_number": "330803650312001"}, **HTMX)
    assert response.status_code == 422 and "15-digit" in response.content.decode()
    assert "<html" not in response.content.decode() and 'id="op-party"' in response.content.decode()
    # Failed without remedies: Art. 26.
    response = client.post(url, {"op": "conclude", "conclude-outcome": "failed", "conclude-outcome_on": "2010-06-01"})
    assert response.status_code == 422 and "Art. 26" in response.content.decode()
    response = client.post(url, {"op": "session", "session-held_on": "2010-05-30", "session-place": "村委会"})
    assert response.status_code == 302 and response["Location"] == url
    assert dispute.sessions.count() == 2
    response = client.post(url, {"op": "mediator_remove", "mediator_remove-mediator": dispute.mediators.get().pk,
                                 "mediator_remove-reason": "被申请人拒绝"}, **HTMX)
    assert response.status_code == 200 and response["HX-Location"]
    client.post(url, {"op": "mediator", "mediator-me": "on"})
    assert dispute.mediators.get().user == personas.promoter
    response = client.post(url, {"op": "agreement", "agreement-facts": "事实", "agreement-issues": "争议",
                                 "agreement-responsibilities": "责任", "agreement-terms": "", "agreement-performance": "",
                                 "agreement-effective_on": "2010-05-31", "agreement-parties_signed": "on",
                                 "agreement-mediator_signed": "on"})
    assert response.status_code == 422
    response = client.post(url, {"op": "agreement", "agreement-facts": "事实", "agreement-issues": "争议",
                                 "agreement-responsibilities": "责任", "agreement-terms": "赔偿500元",
                                 "agreement-performance": "当场履行", "agreement-effective_on": "2010-05-31"})
    assert response.status_code == 422 and "takes effect only when" in response.content.decode()
    response = client.post(url, {"op": "agreement", "agreement-facts": "事实", "agreement-issues": "争议",
                                 "agreement-responsibilities": "责任", "agreement-terms": "赔偿500元",
                                 "agreement-performance": "当场履行", "agreement-effective_on": "2010-05-31",
                                 "agreement-parties_signed": "on", "agreement-mediator_signed": "on"})
    assert response.status_code == 302
    assert [o["op"] for o in client.get(url).context["operations"]] == ["session", "conclude"]
    response = client.post(url, {"op": "conclude", "conclude-outcome": "mediated", "conclude-outcome_on": "2010-06-01"})
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.outcome == "mediated" and dispute.matter.status == "resolved"
    assert [o["op"] for o in client.get(url).context["operations"]] == ["confirmation"]
    client.post(url, {"op": "confirmation", "confirmation-applied_on": "2010-06-01"})
    assert [o["op"] for o in client.get(url).context["operations"]] == ["confirmation_result"]
    client.post(url, {"op": "confirmation_result", "confirmation_result-result": "确认有效"})
    page = client.get(url)
    assert not page.context["operations"] and "确认有效" in page.content.decode()
    assert client.post(url, {"op": "fly"}).status_code == 400


def test_a_dispute_matter_is_screened_from_its_page(client, personas, district, clock):
    matter = report_dispute(personas, district.grid)
    url = reverse("mediation:dispute-screen", kwargs={"matter": matter.pk})
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 404
    client.force_login(personas.auditor)
    assert client.get(url).status_code == 403
    client.force_login(personas.promoter)
    assert client.get(url).status_code == 200
    response = client.post(url, {"screened_on": "2010-06-02", "facts": "x"})
    assert response.status_code == 422 and "future" in response.content.decode()
    response = client.post(url, {"screened_on": "2010-06-01", "facts": "两户争执"})
    dispute = Dispute.objects.get(matter=matter)
    assert response.status_code == 302 and response["Location"] == detail_url(dispute)
    assert client.get(url)["Location"] == detail_url(dispute)  # already screened: to its dispute
    demand = matter_services.matter_report(actor=personas.promoter, grid=district.grid, type="demand", source="visit",
                                    title="路灯坏了")
    response = client.post(reverse("mediation:dispute-screen", kwargs={"matter": demand.pk}),
                           {"screened_on": "2010-06-01"})
    assert response.status_code == 422 and "not a dispute" in response.content.decode()


@pytest.mark.browser
def test_the_register_and_a_dispute_fit_a_phone(district, personas, persona_password, live_server,
                                                transactional_db, browser_page):
    # No frozen clock here: the browser's cookies live in real time. The dates below are all in the past.
    dispute = _make(personas.promoter, personas, district.grid, "mediated", dt.date(2010, 5, 1),
                    title="宅基地边界纠纷，涉及两户围墙位置与排水沟走向")
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", personas.promoter.username)
    page.fill("input[name=password]", persona_password)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}{LIST}")
    page.wait_for_selector("main table")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("#main table a", has_text="宅基地边界纠纷").click()
    page.wait_for_url(re.compile(rf"/matters/disputes/{dispute.pk}/$"))
    page.wait_for_selector("#agreement")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("details.op summary").first.click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
