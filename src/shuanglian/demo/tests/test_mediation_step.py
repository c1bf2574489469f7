"""The demo's disputes: exactly the counts asked for, consistent records (parties, mediators, sessions,
numbered agreements, remedies for the failed), and the statistics counting them back."""
# ruff: noqa: F811  (pytest fixtures imported from test_disputes_fixtures, local to this module)
import datetime as dt
import random

import pytest

from shuanglian.archives import services as archive_services
from shuanglian.core import idnumber
from shuanglian.core.exceptions import DomainError
from shuanglian.core.models import AuditEvent
from shuanglian.demo.builders import mediation
from shuanglian.demo.context import DemoContext
from shuanglian.matters import services
from shuanglian.matters.choices import Action
from shuanglian.mediation import selectors
from shuanglian.mediation.models import Dispute, DisputeParty, MediationAgreement
from shuanglian.mediation.tests.test_disputes_fixtures import SH, clock, dispute, matter, report_dispute  # noqa: F401


def _ctx(seed=7):
    return DemoContext(seed=seed, rng=random.Random(seed), log=lambda text: None)


def _matters(personas, district, n):
    """`n` dispute matters of 2010 across the district's grids; every third resolved, as the demo's are."""
    grids = [district.grid, district.grid2, district.grid3]
    out = []
    for i in range(n):
        reported = dt.datetime(2010, 1 + i % 12, 3 + i % 20, 9, 0, tzinfo=SH)
        matter = report_dispute(personas, grids[i % 3], actor=personas.township_cadre, title=f"邻里纠纷{i}",
                                reported_at=reported, raised_by_name="" if i % 2 else f"申请人{i}")
        if i % 3 == 0:
            services.transition(actor=None, matter=matter, action=Action.RESOLVE, result="经调解达成协议",
                                at=reported + dt.timedelta(days=5))
            matter.refresh_from_db()
        out.append(matter)
    return out


def test_build_makes_exactly_the_counts_and_the_stats_count_them_back(personas, district, clock):
    matters = _matters(personas, district, 14)
    summary = mediation.build(_ctx(), matters, screened=12, mediated=9)
    assert {k: summary[k] for k in ("screened", "mediated", "failed", "withdrawn", "agreements")} == {
        "screened": 12, "mediated": 9, "failed": 2, "withdrawn": 1, "agreements": 9}
    assert selectors.dispute_stats(None, 2010) == {"screened": 12, "mediated": 9, "success_rate": 0.75}
    assert selectors.dispute_stats(personas.county_office, 2010) == {"screened": 12, "mediated": 9,
                                                                   "success_rate": 0.75}
    # The two latest-reported matters are left unscreened.
    earliest = sorted(matters, key=lambda m: m.reported_at)[:12]
    assert set(Dispute.objects.values_list("matter_id", flat=True)) == {m.pk for m in earliest}
    # Mediated ones went first to the matters already resolved.
    resolved = {m.pk for m in earliest if m.status == "resolved"}
    assert len(resolved) >= 4
    assert resolved <= set(summary["matter_ids"]["mediated"])


def test_the_records_are_consistent(personas, district, clock):
    matters = _matters(personas, district, 8)
    household = archive_services.household_register(actor=personas.archive_keeper, grid=district.grid, number="001",
                                                    address="樟潭社区1号")
    head_id = idnumber.make("330803", dt.date(1960, 2, 2), 31)
    head = archive_services.person_add(actor=personas.archive_keeper, household=household, name="王大明",
                                       relation_to_head="head", id_number=head_id, phone="13812345678")
    matters.append(report_dispute(personas, district.grid, household=household,
                                  reported_at=dt.datetime(2010, 3, 3, 9, tzinfo=SH)))
    mediation.build(_ctx(), matters, screened=9, mediated=6)
    numbers = sorted(MediationAgreement.objects.values_list("number", flat=True))
    assert numbers == [f"调字〔2010〕第{n:04d}号" for n in range(1, 7)]
    for d in Dispute.objects.prefetch_related("parties", "mediators", "sessions"):
        roles = sorted(p.role for p in d.parties.all())
        assert roles == ["applicant", "respondent"]
        assert d.mediators.count() == 1 and d.sessions.count() == 1
        assert d.screened_on.year == 2010 and d.screened_on <= d.outcome_on
        session = d.sessions.get()
        assert d.screened_on <= session.held_on <= d.outcome_on
        if d.outcome == "mediated":
            agreement = MediationAgreement.objects.get(dispute=d)
            assert agreement.parties_signed and agreement.mediator_signed and agreement.copies == 3
            assert all([agreement.facts, agreement.issues, agreement.responsibilities, agreement.terms,
                        agreement.performance])
            assert agreement.effective_on == d.outcome_on
            if agreement.confirmation_applied_on:
                assert agreement.confirmation_applied_on <= agreement.confirmation_deadline
        else:
            assert not MediationAgreement.objects.filter(dispute=d).exists()
            assert bool(d.remedies_told) == (d.outcome == "failed")
            if d.matter.status == "resolved":
                assert "经调解达成协议" not in d.matter.result
    for party in DisputeParty.objects.all():
        value = party.id_number.reveal()
        assert idnumber.is_valid(value) and idnumber.parse(value).sex == party.sex
        assert str(party.id_number) == value[:6] + "********" + value[-4:]
    applicants = DisputeParty.objects.filter(role="applicant").values_list("dispute__matter__raised_by_name", "name")
    assert all(name == raised for raised, name in applicants if raised)
    # The household's head is the applicant, as archived.
    applicant = DisputeParty.objects.get(dispute__matter=matters[-1], role="applicant")
    assert (applicant.person, applicant.name, applicant.address) == (head, "王大明", "樟潭社区1号")
    assert applicant.id_number.reveal() == head_id and applicant.phone.reveal() == "13812345678"
    assert AuditEvent.objects.get(action="matters.demo_disputes").after["screened"] == 9


def test_build_refuses_what_it_cannot_honour(personas, district, clock):
    matters = _matters(personas, district, 3)
    with pytest.raises(DomainError):
        mediation.build(_ctx(), matters, screened=4, mediated=2)
    with pytest.raises(DomainError):
        mediation.build(_ctx(), matters, screened=3, mediated=4)
    demand = services.matter_report(actor=personas.promoter, grid=district.grid, type="demand", source="visit",
                                    title="路灯坏了")
    with pytest.raises(DomainError):
        mediation.build(_ctx(), [*matters, demand], screened=3, mediated=2)
    assert not Dispute.objects.exists()


def test_the_defaults_are_the_seed_figures():
    assert (mediation.SCREENED, mediation.MEDIATED) == (4526, 4421)
    assert selectors.success_rate(mediation.MEDIATED, mediation.SCREENED) == 0.977
