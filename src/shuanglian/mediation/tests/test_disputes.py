"""Disputes and mediation: the services' happy path and refusals (People's Mediation Law Art. 23, 26, 29,
33), who may act, the confirmation window, and the statistics."""
# ruff: noqa: F811  (pytest fixtures imported from test_disputes_fixtures, local to this module)
import datetime as dt

import pytest

from shuanglian.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from shuanglian.core.models import AuditEvent
from shuanglian.matters import services as matter_services
from shuanglian.matters.choices import Action, Status
from shuanglian.mediation import selectors, services
from shuanglian.mediation.models import MediationAgreement

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


def test_a_dispute_is_screened_mediated_and_its_matter_resolved(dispute, personas):
    promoter = personas.promoter
    agreement = agreed(promoter, dispute)
    assert agreement.number == "调字〔2010〕第0001号"
    assert agreement.copies == 3  # one for each of the two parties, one kept (Art. 29)
    assert agreement.confirmation_deadline == TODAY - dt.timedelta(days=1) + dt.timedelta(days=30)
    concluded = services.dispute_conclude(actor=promoter, dispute=dispute, outcome="mediated", outcome_on=TODAY)
    assert (concluded.outcome, concluded.outcome_on, concluded.remedies_told) == ("mediated", TODAY, [])
    matter = concluded.matter
    matter.refresh_from_db()
    assert matter.status == Status.RESOLVED and "调字〔2010〕第0001号" in matter.result
    assert matter.transitions.filter(action=Action.RESOLVE).count() == 1
    actions = list(AuditEvent.objects.filter(action__startswith="matters.").order_by("seq")
                   .values_list("action", flat=True))
    assert actions[-8:] == ["matters.dispute_screen", "matters.dispute_party_add", "matters.dispute_party_add",
                            "matters.mediator_add", "matters.mediation_session_add", "matters.agreement_create",
                            "matters.dispute_conclude", "matters.resolve"]
    assert actions.index("matters.dispute_screen") < actions.index("matters.agreement_create") \
        < actions.index("matters.dispute_conclude") < actions.index("matters.resolve")


def test_the_audit_log_never_holds_a_full_id_number_or_phone(dispute):
    events = AuditEvent.objects.filter(action="matters.dispute_party_add")
    assert events.count() == 2
    blob = " ".join(str(e.after) for e in events)
    assert masked_id(APPLICANT_ID) in blob and "139****5678" in blob
    assert APPLICANT_ID not in blob and APPLICANT_PHONE not in blob


def test_parties_are_stored_encrypted_and_their_sex_comes_from_the_id_number(dispute):
    applicant, respondent = dispute.parties.order_by("role")
    assert (applicant.role, applicant.sex, respondent.sex) == ("applicant", "male", "female")
    assert str(applicant.id_number) == masked_id(APPLICANT_ID) and applicant.id_number.reveal() == APPLICANT_ID


def test_only_matters_of_type_dispute_are_screened_once(district, personas, clock, matter):
    demand = matter_services.matter_report(actor=personas.promoter, grid=district.grid, type="demand", source="visit",
                                    title="路灯坏了")
    with pytest.raises(ValidationFailed) as exc:
        services.dispute_screen(actor=personas.promoter, matter=demand, screened_on=TODAY)
    assert exc.value.code == "not_a_dispute"
    screened(personas.promoter, matter)
    with pytest.raises(Conflict) as exc:
        screened(personas.promoter, matter)
    assert exc.value.code == "already_screened"
    with pytest.raises(ValidationFailed):
        services.dispute_screen(actor=personas.promoter, matter=report_dispute(personas, district.grid),
                                screened_on=TODAY + dt.timedelta(days=1))


def test_only_who_may_handle_the_matter_acts_on_its_dispute(district, personas, clock, dispute):
    other_promoter = promoter_at(district.grid3)
    for stranger in (other_promoter, personas.outsider, personas.volunteer, personas.auditor,
                     personas.department_member):
        with pytest.raises(PermissionDenied):
            services.mediation_session_add(actor=stranger, dispute=dispute, held_on=TODAY)
        with pytest.raises(PermissionDenied):
            services.dispute_screen(actor=stranger, matter=report_dispute(personas, district.grid, accept=False))
    # Upper levels act on what is held below them.
    services.mediation_session_add(actor=personas.township_cadre, dispute=dispute, held_on=TODAY)
    assert dispute.sessions.count() == 2


def test_a_party_id_number_is_checked(dispute, personas):
    add = services.dispute_party_add
    with pytest.raises(ValidationFailed) as exc:
        add(actor=personas.promoter, dispute=dispute, role="other", name="张三", id_number=APPLICANT_ID[:-1] + "0")
    assert exc.value.code == "invalid_id_number" and "check character" in exc.value.message
    with pytest.raises(ValidationFailed) as exc:
        add(actor=personas.promoter, dispute=dispute, role="other", name="张三", id_number="330803650312001")
    assert "15-digit" in exc.value.message
    with pytest.raises(ValidationFailed) as exc:
        add(actor=personas.promoter, dispute=dispute, role="other", name="张三", id_number=APPLICANT_ID, sex="female")
    assert exc.value.code == "identity_mismatch"
    with pytest.raises(ValidationFailed):
        add(actor=personas.promoter, dispute=dispute, role="judge", name="张三")
    with pytest.raises(ValidationFailed):
        add(actor=personas.promoter, dispute=dispute, role="other", name=" ")
    party = add(actor=personas.promoter, dispute=dispute, role="other", name="张三",
                id_number=f" {APPLICANT_ID.lower()} ", phone="+86 139-1234-5678")
    assert party.phone.reveal() == "13912345678"


def test_a_party_may_refuse_a_mediator_with_a_reason(dispute, personas):
    mediator = dispute.mediators.get()
    with pytest.raises(ValidationFailed) as exc:
        services.mediator_remove(actor=personas.promoter, mediator=mediator, reason="  ")
    assert "reason" in exc.value.details
    services.mediator_remove(actor=personas.promoter, mediator=mediator, reason="被申请人认为调解员系申请人亲属")
    dispute.refresh_from_db()
    assert not dispute.mediators.exists() and "被申请人认为调解员系申请人亲属" in dispute.notes and "徐调解" in dispute.notes
    event = AuditEvent.objects.get(action="matters.mediator_remove")
    assert event.after == {"reason": "被申请人认为调解员系申请人亲属"} and event.before["name"] == "徐调解"
    # Another mediator is chosen; the same one twice is refused.
    services.mediator_add(actor=personas.promoter, dispute=dispute, user=personas.village_cadre)
    with pytest.raises(Conflict):
        services.mediator_add(actor=personas.promoter, dispute=dispute, user=personas.village_cadre)
    assert dispute.mediators.get().name == personas.village_cadre.display_name


def test_failed_mediation_requires_the_remedies_told(dispute, personas):
    with pytest.raises(ValidationFailed) as exc:
        services.dispute_conclude(actor=personas.promoter, dispute=dispute, outcome="failed", outcome_on=TODAY)
    assert exc.value.code == "remedies_required" and "Art. 26" in exc.value.message
    assert exc.value.details == {"remedies_told": ["Choose at least one."]}
    with pytest.raises(ValidationFailed):
        services.dispute_conclude(actor=personas.promoter, dispute=dispute, outcome="failed", outcome_on=TODAY,
                                  remedies_told=["prayer"])
    done = services.dispute_conclude(actor=personas.promoter, dispute=dispute, outcome="failed", outcome_on=TODAY,
                                     remedies_told=["litigation", "arbitration", "litigation"])
    assert done.remedies_told == ["litigation", "arbitration"]
    done.matter.refresh_from_db()
    assert done.matter.status == Status.ACCEPTED  # still with its holder, who may escalate it
    with pytest.raises(Conflict) as exc:
        services.mediation_session_add(actor=personas.promoter, dispute=dispute, held_on=TODAY)
    assert exc.value.code == "dispute_concluded"
    with pytest.raises(Conflict):
        services.dispute_conclude(actor=personas.promoter, dispute=dispute, outcome="withdrawn", outcome_on=TODAY)


def test_mediated_requires_an_agreement_and_an_agreement_forbids_any_other_outcome(dispute, personas):
    with pytest.raises(ValidationFailed) as exc:
        services.dispute_conclude(actor=personas.promoter, dispute=dispute, outcome="mediated", outcome_on=TODAY)
    assert exc.value.code == "agreement_required"
    agreed(personas.promoter, dispute)
    with pytest.raises(ValidationFailed) as exc:
        services.dispute_conclude(actor=personas.promoter, dispute=dispute, outcome="withdrawn", outcome_on=TODAY)
    assert exc.value.code == "agreement_signed"
    with pytest.raises(ValidationFailed):
        services.dispute_conclude(actor=personas.promoter, dispute=dispute, outcome="mediated", outcome_on=TODAY,
                                  remedies_told=["litigation"])
    with pytest.raises(ValidationFailed):  # before the agreement took effect
        services.dispute_conclude(actor=personas.promoter, dispute=dispute, outcome="mediated",
                                  outcome_on=TODAY - dt.timedelta(days=3))


@pytest.mark.parametrize("missing", ["facts", "issues", "responsibilities", "terms", "performance"])
def test_an_agreement_lacking_an_art_29_element_is_refused(dispute, personas, missing):
    with pytest.raises(ValidationFailed) as exc:
        agreed(personas.promoter, dispute, **{missing: "  "})
    assert exc.value.code == "agreement_incomplete" and "Art. 29" in exc.value.message
    assert set(exc.value.details) == {missing}
    assert str(services.ART29_FIELDS[missing]) in exc.value.message
    assert not MediationAgreement.objects.exists()


def test_an_agreement_needs_an_applicant_a_respondent_and_a_mediator_and_says_all_that_is_missing(matter, personas):
    dispute = screened(personas.promoter, matter)
    services.dispute_party_add(actor=personas.promoter, dispute=dispute, role="applicant", name="王大明")
    with pytest.raises(ValidationFailed) as exc:
        agreed(personas.promoter, dispute, terms="", performance="")
    assert set(exc.value.details) == {"parties", "mediators", "terms", "performance"}
    assert "applicant and a respondent" in exc.value.message


def test_an_agreement_takes_effect_when_signed_with_a_copy_for_each_party_and_one_kept(dispute, personas):
    with pytest.raises(ValidationFailed) as exc:
        agreed(personas.promoter, dispute, parties_signed=False)
    assert exc.value.code == "agreement_unsigned" and set(exc.value.details) == {"parties_signed"}
    with pytest.raises(ValidationFailed) as exc:
        agreed(personas.promoter, dispute, mediator_signed=False)
    assert set(exc.value.details) == {"mediator_signed"}
    with pytest.raises(ValidationFailed) as exc:
        agreed(personas.promoter, dispute, copies=2)
    assert "at least 3 copies" in exc.value.message
    with pytest.raises(ValidationFailed):  # not in the future
        agreed(personas.promoter, dispute, effective_on=TODAY + dt.timedelta(days=1))
    assert agreed(personas.promoter, dispute, copies=5).copies == 5
    with pytest.raises(Conflict):
        agreed(personas.promoter, dispute)
    with pytest.raises(Conflict) as exc:  # its parties are fixed now
        services.dispute_party_add(actor=personas.promoter, dispute=dispute, role="other", name="张三")
    assert exc.value.code == "agreement_signed"


def test_agreement_numbers_run_per_year_of_taking_effect(district, personas, clock):
    numbers = []
    for i, effective in enumerate([dt.date(2010, 5, 1), dt.date(2010, 5, 2), dt.date(2009, 12, 30)]):
        matter = report_dispute(personas, district.grid, title=f"纠纷{i}", reported_at=NOW - dt.timedelta(days=400))
        dispute = with_parties(personas.promoter, screened(personas.promoter, matter,
                                                           screened_on=dt.date(2009, 12, 1)))
        numbers.append(agreed(personas.promoter, dispute, effective_on=effective).number)
    assert numbers == ["调字〔2010〕第0001号", "调字〔2010〕第0002号", "调字〔2009〕第0001号"]
    # Past 9,999 the numbers grow a digit and still come in order.
    MediationAgreement.objects.filter(number="调字〔2010〕第0002号").update(number="调字〔2010〕第9999号")
    assert services._next_number(2010) == "调字〔2010〕第10000号"
    MediationAgreement.objects.filter(number="调字〔2010〕第0001号").update(number="调字〔2010〕第10000号")
    assert services._next_number(2010) == "调字〔2010〕第10001号"


def test_judicial_confirmation_is_applied_for_within_30_days(dispute, personas, clock):
    agreement = agreed(personas.promoter, dispute, effective_on=dt.date(2010, 5, 25))
    deadline = dt.date(2010, 6, 24)
    assert agreement.confirmation_deadline == deadline
    clock.move_to(dt.datetime(2010, 7, 1, 9, 0, tzinfo=NOW.tzinfo), tick=False)
    with pytest.raises(ValidationFailed) as exc:
        services.agreement_confirmation_applied(actor=personas.promoter, agreement=agreement,
                                                applied_on=dt.date(2010, 6, 25))
    assert exc.value.code == "confirmation_window_closed"
    assert "2010-06-24" in exc.value.message and "Art. 33" in exc.value.message
    assert exc.value.details["deadline"] == "2010-06-24"
    with pytest.raises(ValidationFailed):  # before it took effect
        services.agreement_confirmation_applied(actor=personas.promoter, agreement=agreement,
                                                applied_on=dt.date(2010, 5, 24))
    with pytest.raises(Conflict):  # nothing applied for yet
        services.agreement_confirmation_decided(actor=personas.promoter, agreement=agreement, result="确认有效")
    # Applied for on the last day, recorded later: accepted.
    agreement = services.agreement_confirmation_applied(actor=personas.promoter, agreement=agreement,
                                                        applied_on=deadline)
    assert agreement.confirmation_applied_on == deadline
    with pytest.raises(Conflict):
        services.agreement_confirmation_applied(actor=personas.promoter, agreement=agreement, applied_on=deadline)
    agreement = services.agreement_confirmation_decided(actor=personas.promoter, agreement=agreement, result="确认有效")
    assert agreement.confirmation_result == "确认有效"
    assert selectors.confirmation_window(agreement).state == selectors.Window.APPLIED


def test_the_confirmation_window_is_tracked(district, personas, clock):
    """Agreements whose window closes within N days, and those whose window closed without application."""
    made = {}
    for effective in (dt.date(2010, 4, 20), dt.date(2010, 4, 28), dt.date(2010, 5, 6), dt.date(2010, 5, 20)):
        matter = report_dispute(personas, district.grid, title=str(effective), reported_at=NOW - dt.timedelta(days=60))
        dispute = with_parties(personas.promoter, screened(personas.promoter, matter, screened_on=dt.date(2010, 4, 1)))
        agreed(personas.promoter, dispute, effective_on=effective)
        made[effective] = dispute.pk
    # Today 2010-06-01. Deadlines: 05-20 (lapsed), 05-28 (lapsed), 06-05 (closing in 4 days), 06-19 (open).
    user = personas.village_cadre
    assert [d.pk for d in selectors.agreements_lapsed(user)] == [made[dt.date(2010, 4, 28)], made[dt.date(2010, 4, 20)]]
    assert [d.pk for d in selectors.agreements_closing(user, days=7)] == [made[dt.date(2010, 5, 6)]]
    assert [d.pk for d in selectors.agreements_closing(user, days=18)] == [made[dt.date(2010, 5, 6)],
                                                                          made[dt.date(2010, 5, 20)]]
    assert [d.pk for d in selectors.agreements_closing(user, days=3)] == []
    assert not selectors.agreements_lapsed(personas.outsider).exists()
    window = selectors.confirmation_window(MediationAgreement.objects.get(dispute_id=made[dt.date(2010, 5, 6)]))
    assert (window.state, window.deadline, window.days_left) == ("closing", dt.date(2010, 6, 5), 4)
    window = selectors.confirmation_window(MediationAgreement.objects.get(dispute_id=made[dt.date(2010, 5, 20)]))
    assert (window.state, window.days_left) == ("open", 18)
    clock.move_to(dt.datetime(2010, 6, 5, 23, 59, tzinfo=NOW.tzinfo), tick=False)
    assert selectors.confirmation_window(MediationAgreement.objects.get(dispute_id=made[dt.date(2010, 5, 6)])).days_left == 0
    clock.move_to(dt.datetime(2010, 6, 6, 0, 1, tzinfo=NOW.tzinfo), tick=False)
    assert selectors.confirmation_window(MediationAgreement.objects.get(dispute_id=made[dt.date(2010, 5, 6)])).state \
        == "lapsed"
    assert len(selectors.agreements_lapsed(user)) == 3


def test_a_mediated_dispute_leaves_a_matter_not_yet_accepted_as_it_is(district, personas, clock):
    matter = report_dispute(personas, district.grid, accept=False)
    dispute = with_parties(personas.promoter, screened(personas.promoter, matter, screened_on=TODAY))
    agreed(personas.promoter, dispute, effective_on=TODAY)
    services.dispute_conclude(actor=personas.promoter, dispute=dispute, outcome="mediated", outcome_on=TODAY)
    matter.refresh_from_db()
    assert matter.status == Status.REPORTED and not matter.result


# ---------------------------------------------------------------- statistics and scope


def _conclude(personas, grid, outcome, *, screened_on, actor=None, title="纠纷"):
    actor = actor or personas.township_cadre
    matter = report_dispute(personas, grid, actor=actor, title=title,
                            reported_at=NOW.replace(year=screened_on.year, month=screened_on.month, day=screened_on.day))
    dispute = services.dispute_screen(actor=actor, matter=matter, screened_on=screened_on)
    if outcome == "mediated":
        with_parties(actor, dispute)
        agreed(actor, dispute, effective_on=max(screened_on, TODAY - dt.timedelta(days=1)))
        services.dispute_conclude(actor=actor, dispute=dispute, outcome="mediated", outcome_on=TODAY)
    elif outcome == "failed":
        services.dispute_conclude(actor=actor, dispute=dispute, outcome="failed", outcome_on=TODAY,
                                  remedies_told=["litigation"])
    return dispute


def test_stats_count_the_disputes_screened_in_the_year_within_the_users_scope(district, personas, clock):
    jan = dt.date(2010, 1, 5)
    for grid, outcome in [(district.grid, "mediated"), (district.grid, "mediated"), (district.grid2, "failed"),
                          (district.grid3, "mediated"), (district.grid3, None)]:
        _conclude(personas, grid, outcome, screened_on=jan)
    _conclude(personas, district.grid4, "mediated", screened_on=jan, actor=personas.county_office)
    _conclude(personas, district.grid, "mediated", screened_on=dt.date(2009, 12, 31))
    _conclude(personas, district.outside_grid, "mediated", screened_on=jan, actor=promoter_at(district.outside_grid))

    assert selectors.dispute_stats(personas.county_office, 2010) == {"screened": 6, "mediated": 4,
                                                                   "success_rate": 0.667}
    assert selectors.dispute_stats(personas.township_cadre, 2010) == {"screened": 5, "mediated": 3,
                                                                    "success_rate": 0.6}
    assert selectors.dispute_stats(personas.village_cadre, 2010) == {"screened": 3, "mediated": 2,
                                                                   "success_rate": 0.667}
    assert selectors.dispute_stats(personas.promoter, 2010) == {"screened": 2, "mediated": 2, "success_rate": 1.0}
    assert selectors.dispute_stats(personas.promoter, 2009) == {"screened": 1, "mediated": 1, "success_rate": 1.0}
    assert selectors.dispute_stats(personas.county_office, 2010, within=district.village2) == {
        "screened": 2, "mediated": 1, "success_rate": 0.5}
    assert selectors.dispute_stats(personas.county_office, 2010, within=district.township2) == {
        "screened": 1, "mediated": 1, "success_rate": 1.0}
    assert selectors.dispute_stats(personas.county_office, 2010, within=district.township2.code)["screened"] == 1
    with pytest.raises(NotFound):
        selectors.dispute_stats(personas.county_office, 2010, within="999999")
    assert selectors.dispute_stats(personas.outsider, 2010) == {"screened": 1, "mediated": 1, "success_rate": 1.0}
    assert selectors.dispute_stats(personas.department_member, 2010) == {"screened": 0, "mediated": 0,
                                                                       "success_rate": None}
    assert selectors.dispute_stats(personas.nobody, 2010)["screened"] == 0
    assert selectors.dispute_stats(None, 2010)["screened"] == 7  # the system sees everything


def test_the_seed_figures_round_to_97_7_percent():
    assert selectors.success_rate(4421, 4526) == 0.977
    assert selectors.success_rate(0, 0) is None
    assert selectors.success_rate(2, 3) == 0.667 and selectors.success_rate(1, 8) == 0.125


def test_a_department_sees_a_dispute_only_while_its_matter_is_held_by_it(district, personas, dispute):
    member = personas.department_member
    assert not selectors.dispute_list_visible_to(member).exists()
    matter_services.transition(actor=personas.promoter, matter=dispute.matter, action=Action.ASSIGN,
                        organization=personas.police)
    assert list(selectors.dispute_list_visible_to(member)) == [dispute]
    assert selectors.dispute_get_for_user(member, dispute.pk) == dispute


def test_a_dispute_keeps_the_audit_type_it_had_before_mediation_was_an_app_of_its_own(dispute):
    """Auditors look a record's history up by type and id; events from before the split say
    `matters.dispute`, so events after it must say the same."""
    from shuanglian.core.models import AuditEvent

    assert AuditEvent.objects.filter(object_type="matters.dispute", object_id=str(dispute.pk)).exists()
    assert not AuditEvent.objects.filter(object_type="mediation.dispute").exists()
