"""/api/v1/disputes/ and /api/v1/stats/disputes/: the whole mediation through the API, the error shape,
masking, scope (404 outside it, 403 where one may look but not act), filters, and the statistics."""
# ruff: noqa: F811  (pytest fixtures imported from test_disputes_fixtures, local to this module)
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuanglian.matters import services as matter_services
from shuanglian.matters.choices import Action
from shuanglian.mediation import services

from .test_disputes_fixtures import (  # noqa: F401
    AGREEMENT,
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

URL = "/api/v1/disputes/"
STATS = "/api/v1/stats/disputes/"


def assert_error(response, status, code=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"} and body["message"]
    if code:
        assert body["code"] == code, body
    return body


def test_a_mediation_from_screening_to_the_pdf(api, personas, matter):
    client = api.as_(personas.promoter)
    response = client.post(URL, {"matter": matter.pk, "screened_on": "2010-05-25", "facts": "宅基地边界争执"},
                           format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    pk = body["id"]
    assert body["matter"]["number"] == matter.number and body["outcome"] == "" and body["agreement"] is None
    base = f"{URL}{pk}/"
    response = client.post(f"{base}parties/", {"role": "applicant", "name": "王大明", "id_number": APPLICANT_ID,
                                                "phone": APPLICANT_PHONE}, format="json")
    assert response.status_code == 201, response.content
    party = response.json()["parties"][0]
    assert party["id_number"] == masked_id(APPLICANT_ID) and party["phone"] == "139****5678"
    assert party["sex"] == "male" and APPLICANT_ID not in response.content.decode()
    assert client.post(f"{base}parties/", {"role": "respondent", "name": "李秀英"}, format="json").status_code == 201
    response = client.post(f"{base}mediators/", {"name": "徐调解"}, format="json")
    assert response.status_code == 201
    mediator = response.json()["mediators"][0]
    assert mediator["committee"] == "樟潭社区 people's mediation committee"
    response = client.post(f"{base}mediators/{mediator['id']}/remove/", {"reason": "申请人拒绝"}, format="json")
    assert response.status_code == 200 and response.json()["mediators"] == []
    assert "申请人拒绝" in response.json()["notes"]
    client.post(f"{base}mediators/", {"user": personas.promoter.pk}, format="json")
    response = client.post(f"{base}sessions/", {"held_on": "2010-05-28", "place": "调解室", "notes": "达成一致"},
                           format="json")
    assert response.status_code == 201 and response.json()["sessions"][0]["place"] == "调解室"

    body = assert_error(client.post(f"{base}conclude/", {"outcome": "mediated"}, format="json"), 400,
                        "agreement_required")
    body = assert_error(client.post(f"{base}agreement/", {"effective_on": "2010-05-31", "parties_signed": True,
                                                          "mediator_signed": True, "facts": "x"}, format="json"),
                        400, "agreement_incomplete")
    assert set(body["details"]) == {"issues", "responsibilities", "terms", "performance"}
    response = client.post(f"{base}agreement/", {**AGREEMENT, "effective_on": "2010-05-31", "parties_signed": True,
                                                 "mediator_signed": True}, format="json")
    assert response.status_code == 201, response.content
    agreement = response.json()["agreement"]
    assert agreement["number"] == "调字〔2010〕第0001号" and agreement["copies"] == 3
    assert agreement["confirmation"] == {"state": "open", "deadline": "2010-06-30", "days_left": 29}
    response = client.post(f"{base}conclude/", {"outcome": "mediated", "outcome_on": "2010-06-01"}, format="json")
    assert response.status_code == 200 and response.json()["outcome"] == "mediated"
    assert response.json()["matter"]["status"] == "resolved"
    assert_error(client.post(f"{base}sessions/", {"held_on": "2010-06-01"}, format="json"), 409, "dispute_concluded")

    response = client.post(f"{base}agreement/confirmation/", {"applied_on": "2010-06-01"}, format="json")
    assert response.json()["agreement"]["confirmation"]["state"] == "applied"
    response = client.post(f"{base}agreement/confirmation-result/", {"result": "裁定确认有效"}, format="json")
    assert response.json()["agreement"]["confirmation_result"] == "裁定确认有效"

    response = client.get(agreement["pdf"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and "attachment" in response["Content-Disposition"]
    response = client.get(agreement["pdf"], HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_refusals_come_in_the_one_error_shape(api, personas, dispute, district):
    client = api.as_(personas.promoter)
    base = f"{URL}{dispute.pk}/"
    body = assert_error(client.post(f"{base}conclude/", {"outcome": "failed", "outcome_on": "2010-06-01"},
                                    format="json"), 400, "remedies_required")
    assert "Art. 26" in body["message"] and body["details"] == {"remedies_told": ["Choose at least one."]}
    assert_error(client.post(f"{base}conclude/", {"outcome": "failed", "remedies_told": ["prayer"]}, format="json"),
                 400, "invalid")
    assert_error(client.post(f"{base}parties/", {"role": "other", "name": "张三", "id_number": "330803650312001"},
                             format="json"), 400, "invalid_id_number")
    demand = matter_services.matter_report(actor=personas.promoter, grid=district.grid, type="demand", source="visit",
                                    title="路灯坏了")
    assert_error(client.post(URL, {"matter": demand.pk}, format="json"), 400, "not_a_dispute")
    assert_error(client.post(URL, {"matter": dispute.matter_id}, format="json"), 409, "already_screened")
    response = client.post(f"{base}conclude/", {"outcome": "failed", "outcome_on": "2010-06-01",
                                                "remedies_told": ["litigation"]}, format="json")
    assert response.status_code == 200 and response.json()["remedies_told"] == ["litigation"]


def test_judicial_confirmation_after_30_days_is_refused_with_the_deadline(api, personas, dispute, clock):
    agreed(personas.promoter, dispute, effective_on=dt.date(2010, 5, 25))
    clock.move_to(NOW + dt.timedelta(days=40), tick=False)
    body = assert_error(api.as_(personas.promoter).post(f"{URL}{dispute.pk}/agreement/confirmation/",
                                                        {"applied_on": "2010-06-25"}, format="json"),
                        400, "confirmation_window_closed")
    assert "2010-06-24" in body["message"] and body["details"]["deadline"] == "2010-06-24"


def test_out_of_scope_reads_as_404_and_looking_without_handling_is_403(api, personas, dispute, district):
    agreed(personas.promoter, dispute)
    base = f"{URL}{dispute.pk}/"
    other_promoter = promoter_at(district.grid3)
    for stranger in (other_promoter, personas.outsider, personas.department_member, personas.nobody,
                     personas.service_staff):
        client = api.as_(stranger)
        assert_error(client.get(base), 404, "not_found")
        assert_error(client.get(f"{base}agreement/pdf/"), 404)
        assert_error(client.post(f"{base}sessions/", {"held_on": "2010-06-01"}, format="json"), 404)
        assert client.get(URL).json()["count"] == 0
    # The auditor and a volunteer see it but may not act on it.
    for viewer in (personas.auditor, personas.volunteer):
        client = api.as_(viewer)
        assert client.get(base).status_code == 200
        assert_error(client.post(f"{base}sessions/", {"held_on": "2010-06-01"}, format="json"), 403,
                     "permission_denied")
    assert api.as_(personas.volunteer).get(f"{base}agreement/pdf/").status_code == 200
    # A department sees the dispute while its organization holds the matter.
    matter_services.transition(actor=personas.promoter, matter=dispute.matter, action=Action.ASSIGN,
                        organization=personas.police)
    client = api.as_(personas.department_member)
    assert client.get(base).status_code == 200 and client.get(URL).json()["count"] == 1
    api.credentials()
    assert_error(api.get(URL), 401)


def test_the_register_filters_and_runs_a_constant_number_of_queries(api, personas, district, clock):
    actor = personas.township_cadre

    def make(grid, outcome, screened_on):
        matter = report_dispute(personas, grid, actor=actor, reported_at=NOW - dt.timedelta(days=200))
        dispute = with_parties(actor, screened(actor, matter, screened_on=screened_on))
        if outcome == "mediated":
            agreed(actor, dispute, effective_on=TODAY)
            services.dispute_conclude(actor=actor, dispute=dispute, outcome="mediated", outcome_on=TODAY)
        elif outcome:
            services.dispute_conclude(actor=actor, dispute=dispute, outcome=outcome, outcome_on=TODAY,
                                      remedies_told=["litigation"] if outcome == "failed" else [])
        return dispute

    client = api.as_(actor)

    def count(**params):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL, params)
        assert response.status_code == 200, response.content
        return len(ctx.captured_queries), response.json()

    make(district.grid, "mediated", dt.date(2010, 3, 1))
    before, body = count()
    assert body["count"] == 1 and body["results"][0]["parties"] == ["王大明", "李秀英"]
    assert body["results"][0]["agreement_number"] == "调字〔2010〕第0001号"
    make(district.grid3, "failed", dt.date(2010, 3, 2))
    make(district.grid2, None, dt.date(2010, 3, 3))
    make(district.grid, "withdrawn", dt.date(2010, 3, 4))
    make(district.grid, "mediated", dt.date(2009, 12, 30))
    after, body = count()
    assert body["count"] == 5 and after == before
    assert count(outcome="mediated")[1]["count"] == 2
    assert count(outcome="open")[1]["count"] == 1
    assert count(year=2010)[1]["count"] == 4
    assert count(year=2010, outcome="mediated")[1]["count"] == 1
    assert count(within=district.village2.code)[1]["count"] == 1
    assert count(within=district.grid.code)[1]["count"] == 3
    assert count(within="999999")[1]["count"] == 0
    assert count(confirmation="open")[1]["count"] == 2
    assert_error(client.get(URL, {"outcome": "won"}), 400, "invalid")


def test_stats_api_gives_the_figures_in_scope_and_404_outside_it(api, personas, district, clock):
    actor = personas.township_cadre
    for grid, outcome in [(district.grid, "mediated"), (district.grid3, "mediated"), (district.grid3, "failed")]:
        matter = report_dispute(personas, grid, actor=actor, reported_at=NOW - dt.timedelta(days=30))
        dispute = with_parties(actor, screened(actor, matter))
        if outcome == "mediated":
            agreed(actor, dispute)
            services.dispute_conclude(actor=actor, dispute=dispute, outcome="mediated", outcome_on=TODAY)
        else:
            services.dispute_conclude(actor=actor, dispute=dispute, outcome="failed", outcome_on=TODAY,
                                      remedies_told=["arbitration"])
    client = api.as_(personas.county_office)
    assert client.get(STATS, {"year": 2010}).json() == {"screened": 3, "mediated": 2, "success_rate": 0.667}
    assert client.get(STATS).json() == {"screened": 3, "mediated": 2, "success_rate": 0.667}  # this year: 2010
    assert client.get(STATS, {"year": 2010, "within": district.village2.code}).json() == {
        "screened": 2, "mediated": 1, "success_rate": 0.5}
    assert client.get(STATS, {"year": 2009}).json() == {"screened": 0, "mediated": 0, "success_rate": None}
    assert api.as_(personas.promoter).get(STATS, {"year": 2010}).json() == {
        "screened": 1, "mediated": 1, "success_rate": 1.0}
    assert_error(api.as_(personas.promoter).get(STATS, {"within": district.township.code}), 404, "not_found")
    assert_error(api.as_(personas.outsider).get(STATS, {"within": district.county.code}), 404, "not_found")
    assert_error(api.as_(personas.village_cadre).get(STATS, {"within": district.grid3.code}), 404)
    assert_error(client.get(STATS, {"year": "last"}), 400, "invalid")
    assert api.as_(personas.outsider).get(STATS, {"within": district.outside_township.code}).json()["screened"] == 0


def test_the_schema_still_generates_without_warnings(openapi_schema):
    assert {"/api/v1/disputes/{id}/agreement/pdf/", "/api/v1/stats/disputes/"} <= set(openapi_schema["paths"])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_agreements_made_at_once_get_two_numbers(district, personas, clock, monkeypatch):
    """Both compute the same next number; the unique index makes one wait, fail, and take the next."""
    import threading

    from django.db import close_old_connections

    actor = personas.promoter
    made = []
    for i in range(2):
        matter = report_dispute(personas, district.grid, title=f"并发{i}", reported_at=NOW - dt.timedelta(days=20))
        made.append(with_parties(actor, screened(actor, matter)))
    barrier = threading.Barrier(2, timeout=10)
    real_next, seen = services._next_number, threading.local()

    def next_number(year):
        number = real_next(year)
        if not getattr(seen, "waited", False):  # both threads read the same last number, then race
            seen.waited = True
            barrier.wait()
        return number

    monkeypatch.setattr(services, "_next_number", next_number)
    numbers, errors = [], []

    def run(dispute):
        try:
            numbers.append(agreed(actor, dispute).number)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(d,)) for d in made]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    assert sorted(numbers) == ["调字〔2010〕第0001号", "调字〔2010〕第0002号"]
