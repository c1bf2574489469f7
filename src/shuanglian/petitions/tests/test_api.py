"""The petition API: filters, actions (409 illegal_transition), accusation confidentiality in every output path
(list, detail, timeline, audit, notifications), batches against person-times, and the statistics' shape and
rounding."""
# ruff: noqa: F811  (pytest fixtures imported from fixtures, local to this module)
import datetime as dt
from decimal import Decimal

from shuanglian.access.roles import Role
from shuanglian.accounts.models import User
from shuanglian.accounts.services import grant_create
from shuanglian.core import deadlines as engine
from shuanglian.core import figures
from shuanglian.core.models import AuditEvent
from shuanglian.matters import services as matter_services
from shuanglian.notifications.models import Notification
from shuanglian.organizations.choices import Function, OrganizationKind
from shuanglian.organizations.services import organization_create
from shuanglian.petitions import services
from shuanglian.petitions.choices import Action
from shuanglian.petitions.models import Petition

from .fixtures import PHONE, REPLY, SH, TODAY, accepted, clock, officer, register, township_officer  # noqa: F401

PETITIONS = "/api/v1/petitions/"
ACCUSER = "钱多多"
SECRET = "举报村主任挪用征地补偿款，证据见附件"


def _accusation(officer, district, personas):
    land_bureau = organization_create(actor=None, division=district.county, name="衢江区国土资源局",
                                      kind=OrganizationKind.DEPARTMENT, function=Function.ADMIN_SERVICE)
    petition = register(officer, district.village, category="accusation", petitioner_name=ACCUSER, content=SECRET,
                        accused="樟潭社区村委会主任", accused_organization=personas.police)
    return services.transition(actor=officer, petition=petition, action=Action.ROUTE, organization=land_bureau), \
        land_bureau


def test_an_accusers_identity_and_materials_never_reach_cadres_or_the_accused_unit(clock, district, personas,
                                                                                     officer, api):
    petition, _bureau = _accusation(officer, district, personas)
    for user in (personas.township_cadre, personas.county_office, personas.auditor):
        listed = api.as_(user).get(PETITIONS).json()["results"]
        assert [row["petitioner"] for row in listed] == ["confidential"]
        detail = api.as_(user).get(f"{PETITIONS}{petition.pk}/")
        body = detail.content.decode()
        assert detail.status_code == 200 and ACCUSER not in body and SECRET not in body and PHONE not in body
        assert detail.json()["identity"] is None and detail.json()["content"] == "confidential"
    # The accused unit (the police, whose member handles petitions routed to them) does not even see it.
    assert api.as_(personas.department_member).get(f"{PETITIONS}{petition.pk}/").status_code == 404
    # The petition office sees the petitioner, and each read is audited.
    before = AuditEvent.objects.filter(action="petitions.read_identity").count()
    detail = api.as_(officer).get(f"{PETITIONS}{petition.pk}/").json()
    assert detail["identity"]["name"] == ACCUSER and detail["identity"]["phone"] == PHONE
    assert detail["content"] == SECRET
    assert AuditEvent.objects.filter(action="petitions.read_identity").count() == before + 1
    # The audit trail and the notifications name the number, never the accuser.
    blob = " ".join(f"{e.object_repr} {e.before} {e.after}" for e in AuditEvent.objects.filter(
        action__startswith="petitions."))
    assert ACCUSER not in blob and SECRET not in blob and PHONE not in blob
    engine.sweep_all(at=dt.datetime(2010, 7, 1, tzinfo=SH))
    texts = " ".join(f"{n.title} {n.body}" for n in Notification.objects.all())
    assert ACCUSER not in texts and SECRET not in texts


def test_an_accusation_is_never_routed_to_the_unit_it_accuses(clock, district, personas, officer, api):
    petition = register(officer, district.village, category="accusation", accused_organization=personas.police)
    answer = api.as_(officer).post(f"{PETITIONS}{petition.pk}/actions/route/", {"organization": personas.police.pk},
                                   format="json")
    assert answer.status_code == 400 and answer.json()["code"] == "routed_to_accused"


def test_a_complaints_petitioner_is_masked_for_cadres(clock, district, personas, officer, api):
    register(officer, district.village)
    assert api.as_(personas.township_cadre).get(PETITIONS).json()["results"][0]["petitioner"] == "王**"


def test_filters_and_scope(clock, district, personas, officer, township_officer, api):
    register(officer, district.village, channel="letter")
    register(officer, district.village3, channel="visit", lodged_at="beijing", person_times=6,
             representatives=["甲", "乙"])
    register(officer, district.village, received_on=dt.date(2009, 12, 30), petitioner_name="孙七")
    as_county = api.as_(personas.county_office)
    assert as_county.get(PETITIONS).json()["count"] == 3
    assert as_county.get(PETITIONS, {"year": 2010}).json()["count"] == 2
    assert as_county.get(PETITIONS, {"channel": "letter"}).json()["count"] == 1
    assert as_county.get(PETITIONS, {"destination": "beijing"}).json()["count"] == 1
    assert as_county.get(PETITIONS, {"within": district.township2.code}).json()["count"] == 1
    assert as_county.get(PETITIONS, {"status": "registered", "backlog": "false"}).json()["count"] == 3
    # The township's petition office and cadres see their township only.
    assert api.as_(township_officer).get(PETITIONS).json()["count"] == 2
    assert api.as_(personas.township_cadre).get(PETITIONS).json()["count"] == 2
    assert api.as_(personas.outsider).get(PETITIONS).json()["count"] == 0
    assert api.as_(personas.promoter).get(PETITIONS).json()["count"] == 0


def test_an_illegal_action_is_409_with_the_allowed_ones(clock, district, officer, api):
    petition = register(officer, district.village)
    answer = api.as_(officer).post(f"{PETITIONS}{petition.pk}/actions/close/", {}, format="json")
    assert answer.status_code == 409 and answer.json()["code"] == "illegal_transition"
    assert set(answer.json()["details"]["allowed"]) == {"route", "not_accept"}
    assert api.as_(officer).post(f"{PETITIONS}{petition.pk}/actions/fly/", {}, format="json").status_code == 404


def test_the_refusal_after_re_review_is_409_with_the_earlier_number(clock, district, officer, api):
    petition = accepted(officer, register(officer, district.village, petitioner_name="周八"))
    for action, body in (("reply", {"outcome": "not_support", **REPLY}), ("request_review", {}),
                         ("answer_review", {"outcome": "not_support"}), ("request_rereview", {}),
                         ("answer_rereview", {"outcome": "not_support"})):
        answer = api.as_(officer).post(f"{PETITIONS}{petition.pk}/actions/{action}/", body, format="json")
        assert answer.status_code == 200, answer.content
    again = api.as_(officer).post(PETITIONS, {
        "division": district.village.code, "channel": "visit", "category": "complaint", "received_on": str(TODAY),
        "summary": "再次要求补偿", "petitioner_name": "周八"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_rereviewed"
    assert again.json()["details"]["earlier"] == petition.number


def test_batches_and_person_times_are_counted_apart(clock, district, officer, api, personas):
    register(officer, district.village, lodged_at="beijing", person_times=30, representatives=["甲", "乙", "丙"])
    register(officer, district.village, lodged_at="beijing")
    register(officer, district.village, lodged_at="province", person_times=7)
    register(officer, district.village, lodged_at="beijing", received_on=dt.date(2009, 3, 1), person_times=4)
    register(officer, district.village, lodged_at="beijing", received_on=dt.date(2009, 4, 1))
    stats = api.as_(personas.county_office).get("/api/v1/stats/petitions/",
                                                {"year": 2010, "within": district.county.code}).json()
    assert stats["received"] == 3 and stats["received_previous"] == 2 and stats["received_change"] == 50.0
    assert stats["beijing"] == {"batches": 2, "person_times": 31, "batches_previous": 2, "person_times_previous": 5,
                                "batches_change": 0.0, "person_times_change": 520.0}
    assert stats["province"]["batches"] == 1 and stats["province"]["person_times"] == 7
    assert stats["province"]["batches_change"] is None  # nothing the year before
    assert stats["by_channel"] == {"visit": 3} and stats["by_month"]["6"] == 3


def test_the_seeds_changes_and_resolution_rate_round_as_the_seed_writes_them():
    assert figures.change(2637, 3150) == -16.3
    assert figures.change(30, 69) == -56.5  # -56.52
    assert figures.change(39, 74) == -47.3  # -47.297
    assert figures.change(24, 40) == -40.0
    assert figures.change(76, 224) == -66.1  # the seed gives it to the whole percent: 66
    assert figures.rate(52, 60, rounding=figures.DOWN) == Decimal("0.866")  # 86.67% cut, not rounded
    assert figures.rate(52, 60) == Decimal("0.867")
    assert figures.rate(4421, 4526) == Decimal("0.977")  # half-up, 97.68%


def test_the_backlog_figures_give_rate_standard_and_margin(clock, district, officer, personas, api):
    for i in range(6):
        case = services.backlog_case_open(actor=officer, division=district.village, year=2010, title=f"积案{i}",
                                          leader="副县长 王强", target_on=dt.date(2010, 12, 31))
        if i < 5:
            services.backlog_case_resolve(actor=officer, case=case, closed_on=TODAY)
    services.backlog_standard_set(actor=officer, year=2010, rate="0.60")
    stats = api.as_(personas.county_office).get("/api/v1/stats/petitions/",
                                                {"year": 2010, "within": district.county.code}).json()
    backlog = stats["backlog"]
    assert (backlog["cases"], backlog["closed"], backlog["pledged"]) == (6, 5, 0)
    assert backlog["resolution_rate"] == 0.833 and backlog["standard"] == 0.6  # 83.33% cut to 83.3%
    assert round(backlog["margin"], 1) == 23.3


def test_the_stats_need_a_year_and_a_division_one_may_see(personas, api, district):
    answer = api.as_(personas.county_office).get("/api/v1/stats/petitions/", {"year": 2010})
    assert answer.status_code == 400 and "within" in answer.json()["details"]
    answer = api.as_(personas.township_cadre).get("/api/v1/stats/petitions/",
                                                  {"year": 2010, "within": district.county.code})
    assert answer.status_code in (403, 404)


def test_a_petition_links_the_matter_it_arose_from_if_one_may_see_it(clock, district, personas, officer, api):
    matter = matter_services.matter_report(actor=personas.promoter, grid=district.grid, type="dispute", source="visit",
                                           title="宅基地纠纷", description="两户争执")
    outside = matter_services.matter_report(actor=None, grid=district.outside_grid, type="dispute", source="visit",
                                            title="邻里纠纷", description="争执")
    body = {"division": district.village.code, "channel": "visit", "category": "complaint",
            "received_on": str(TODAY), "summary": "纠纷未解决转为信访", "petitioner_name": "冯二"}
    # The petition office alone does not see matters: a matter it may not see is refused naming the field.
    refused = api.as_(officer).post(PETITIONS, {**body, "matter": matter.pk}, format="json")
    assert refused.status_code == 400 and "matter" in refused.json()["details"]
    grant_create(actor=None, user=officer, role=Role.TOWNSHIP_CADRE, division=district.township)
    officer = User.objects.get(pk=officer.pk)
    created = api.as_(officer).post(PETITIONS, {**body, "matter": matter.pk}, format="json")
    assert created.status_code == 201
    assert Petition.objects.get(pk=created.json()["id"]).matter_id == matter.pk
    refused = api.as_(officer).post(PETITIONS, {**body, "matter": outside.pk}, format="json")
    assert refused.status_code == 400 and "matter" in refused.json()["details"]
    assert Petition.objects.count() == 1
