"""Demo: the disputes of 2010, screened and mediated (the seed's 4,526 and 4,421, a 97.7% success rate).

`build(ctx, matters)` is called by the matters demo step with the dispute matters it wrote for 2010. It
writes in bulk what the dispute services would have left: for each matter a dispute record (screened
on the day it was reported), an applicant (the household's head when the matter has a household, with
their archived ID number and phone, else the person who raised it) and a respondent, a mediator of the
village's committee and a session; the mediated ones get a signed agreement (numbered per year, every
Art. 29 element, a few applied for judicial confirmation in time); the failed ones the remedies the
parties were told of (Art. 26); the rest were withdrawn. One audit event records the step.

Mediated disputes go preferably to matters already resolved (their result says the agreement); a
failed or withdrawn dispute's matter gets a result saying so, on the matter and its resolve step.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuanglian.archives.generate import GIVEN, SURNAMES
from shuanglian.archives.models import Person
from shuanglian.core import audit
from shuanglian.core.exceptions import DomainError
from shuanglian.core.idnumber import check_character
from shuanglian.matters.choices import Action, MatterType, Status
from shuanglian.matters.models import Matter, Transition
from shuanglian.mediation.choices import MediationOutcome, PartyRole, Remedy
from shuanglian.mediation.models import Dispute, DisputeParty, MediationAgreement, MediationSession, Mediator
from shuanglian.mediation.services import CONFIRMATION_DAYS, NUMBER_PREFIX, agreement_number

SCREENED = 4526
MEDIATED = 4421
CONFIRMATION_SHARE = 0.08  # agreements whose parties applied for judicial confirmation
SETTLED = {Status.RESOLVED, Status.FOLLOWED_UP, Status.CLOSED}
FAILED_RESULT = "调解不成，已告知当事人可通过仲裁、行政或诉讼等途径解决"
WITHDRAWN_RESULT = "当事人撤回调解申请"
TERMS = [
    ("{r}对{a}的损失承担主要责任。", "{r}一次性补偿{a}人民币{n}元。", "于{d}前以现金方式当面付清，调委会见证。"),
    ("双方对纠纷的发生均有责任。", "双方以原界址为准，{r}拆除越界部分，费用由双方各半承担。", "于{d}前履行完毕，由村调委会现场验收。"),
    ("{r}未按约定履行义务，应承担责任。", "{r}分两期向{a}支付欠款共计人民币{n}元。", "第一期于{d}前支付，余款一个月内付清。"),
    ("双方在相处中互不谦让，均有过错。", "双方互谅互让，{r}向{a}赔礼道歉，今后和睦相处。", "当场履行，协议签订后双方不再就此事争执。"),
]


def _name(rng) -> str:
    given = rng.choice(GIVEN)
    if rng.random() < 0.6:
        given += rng.choice(GIVEN)
    return rng.choice(SURNAMES) + given[:2]


def _id_number(rng, county_code: str, male: bool) -> str:
    born = dt.date(1935, 1, 1) + dt.timedelta(days=rng.randrange(365 * 55))
    first17 = f"{county_code}{born:%Y%m%d}{rng.randrange(0, 500) * 2 + (1 if male else 0):03d}"
    return first17 + check_character(first17)


def _phone(rng) -> str:
    return f"1{rng.choice('358')}{rng.randrange(10**9):09d}"


def _local_date(moment: dt.datetime | None, tz=None) -> dt.date | None:
    return moment.astimezone(tz or timezone.get_current_timezone()).date() if moment else None


def _plan(rng, matters: list[Matter], screened: int, mediated: int) -> list[tuple[Matter, str]]:
    """Which matters are screened and how each ends: exactly `mediated` mediated, of the rest two thirds
    failed and one third withdrawn. Mediated ones go first to matters already resolved."""
    chosen = sorted(matters, key=lambda m: (m.reported_at, m.pk))[:screened]
    order = list(chosen)
    rng.shuffle(order)
    order.sort(key=lambda m: m.status not in SETTLED)  # stable: settled matters first, shuffled within
    rest = screened - mediated
    withdrawn = rest // 3
    outcomes = ([MediationOutcome.MEDIATED] * mediated + [MediationOutcome.FAILED] * (rest - withdrawn)
                + [MediationOutcome.WITHDRAWN] * withdrawn)
    return list(zip(order, outcomes, strict=True))


def _heads(household_ids) -> dict[int, tuple]:
    """Each household's head, as the archives have them (one query; their PII stays PIIValues)."""
    rows = (Person.objects.filter(household_id__in=sorted(household_ids), relation_to_head="head", is_active=True)
            .values_list("household_id", "pk", "name", "sex", "id_number", "phone", "household__address"))
    return {row[0]: row[1:] for row in rows}


def _next_numbers(years) -> dict[int, int]:
    """The last number already used in each year (0 on a fresh database)."""
    last = {}
    for year in years:
        prefix = NUMBER_PREFIX.format(year=year)
        numbers = MediationAgreement.objects.filter(number__startswith=prefix).values_list("number", flat=True)
        last[year] = max((int(n[len(prefix):-1]) for n in numbers), default=0)
    return last


@transaction.atomic
def build(ctx, matters: list[Matter], *, screened: int = SCREENED, mediated: int = MEDIATED) -> dict:
    """Dispute records for `screened` of `matters` (dispute matters, ids set), `mediated` of them mediated
    with an agreement. Returns the counts and the matter ids by outcome."""
    rng = ctx.rng
    if any(m.type != MatterType.DISPUTE or not m.pk for m in matters):
        raise DomainError(_("The demo disputes need saved matters of type dispute."))
    if len(matters) < screened or not 0 <= mediated <= screened:
        raise DomainError(_("The demo needs %(screened)d dispute matters (%(mediated)d mediated); it was given "
                            "%(given)d.") % {"screened": screened, "mediated": mediated, "given": len(matters)})
    plan = _plan(rng, matters, screened, mediated)
    heads = _heads({m.household_id for m, _o in plan if m.household_id})
    settled = {m.pk for m, _o in plan if m.status in SETTLED}

    disputes, tz = [], timezone.get_current_timezone()
    for matter, outcome in plan:
        reported = _local_date(matter.reported_at, tz)
        screened_on = min(reported + dt.timedelta(days=rng.choice((0, 0, 0, 1))), dt.date(reported.year, 12, 31))
        resolved = _local_date(matter.resolved_at, tz) if matter.status in SETTLED else None
        if resolved is not None and resolved >= screened_on:
            outcome_on = resolved
        else:
            outcome_on = screened_on + dt.timedelta(days=rng.randint(2, 20))
        screened_on = min(screened_on, outcome_on)
        remedies = []
        if outcome == MediationOutcome.FAILED:
            remedies = sorted(rng.sample(Remedy.values, rng.choice((1, 1, 2))), key=Remedy.values.index)
        disputes.append(Dispute(matter_id=matter.pk, screened_on=screened_on, facts=f"{matter.title}。",
                                issues=f"双方就{matter.title.removesuffix('纠纷')}问题各执己见。", outcome=outcome,
                                outcome_on=outcome_on, remedies_told=remedies))
    Dispute.objects.bulk_create(disputes, batch_size=1000)

    parties, mediators, sessions, agreements, names = [], [], [], [], {}
    last = _next_numbers({d.outcome_on.year for d in disputes if d.outcome == MediationOutcome.MEDIATED})
    for (matter, outcome), dispute in zip(plan, disputes, strict=True):
        county_code = matter.county.code[:6] if matter.county_id else "330803"
        village = matter.village.name if matter.village_id else ""
        head = heads.get(matter.household_id)
        if head is not None:
            person_id, a_name, a_sex, a_id, a_phone, a_address = head
            applicant = DisputeParty(dispute_id=dispute.pk, role=PartyRole.APPLICANT, person_id=person_id,
                                     name=a_name, sex=a_sex or "", id_number=a_id, phone=a_phone, address=a_address)
        else:
            male = rng.random() < 0.6
            a_name = matter.raised_by_name or _name(rng)
            applicant = DisputeParty(dispute_id=dispute.pk, role=PartyRole.APPLICANT, name=a_name,
                                     sex="male" if male else "female", id_number=_id_number(rng, county_code, male),
                                     phone=_phone(rng), address=f"{village}{rng.randint(1, 300)}号")
        male = rng.random() < 0.6
        r_name = _name(rng)
        respondent = DisputeParty(dispute_id=dispute.pk, role=PartyRole.RESPONDENT, name=r_name,
                                  sex="male" if male else "female", id_number=_id_number(rng, county_code, male),
                                  phone=_phone(rng) if rng.random() < 0.7 else "",
                                  address=f"{village}{rng.randint(1, 300)}号")
        parties += [applicant, respondent]
        mediators.append(Mediator(dispute_id=dispute.pk, name=_name(rng), committee=f"{village}人民调解委员会"))
        span = (dispute.outcome_on - dispute.screened_on).days
        sessions.append(MediationSession(dispute_id=dispute.pk,
                                         held_on=dispute.screened_on + dt.timedelta(days=rng.randint(0, span)),
                                         place=f"{village}调解室", notes="听取双方陈述，释法明理，促成和解。"))
        names[dispute.pk] = (a_name, r_name)
        if outcome == MediationOutcome.MEDIATED:
            year = dispute.outcome_on.year
            last[year] += 1
            responsibility, terms, performance = rng.choice(TERMS)
            effective = dispute.outcome_on
            due = effective + dt.timedelta(days=rng.randint(5, 30))
            fill = {"a": a_name, "r": r_name, "n": rng.randrange(2, 80) * 100,
                    "d": f"{due.year}年{due.month}月{due.day}日"}
            applied = None
            if rng.random() < CONFIRMATION_SHARE:
                applied = effective + dt.timedelta(days=rng.randint(1, CONFIRMATION_DAYS))
            agreements.append(MediationAgreement(
                dispute_id=dispute.pk, number=agreement_number(year, last[year]),
                facts=f"{a_name}与{r_name}因{matter.title}发生争执，经{village}人民调解委员会调解。",
                issues=dispute.issues, responsibilities=responsibility.format(**fill), terms=terms.format(**fill),
                performance=performance.format(**fill), effective_on=effective, parties_signed=True,
                mediator_signed=True, copies=3, confirmation_applied_on=applied,
                confirmation_result="裁定确认调解协议有效" if applied else ""))
    DisputeParty.objects.bulk_create(parties, batch_size=2000)
    Mediator.objects.bulk_create(mediators, batch_size=2000)
    MediationSession.objects.bulk_create(sessions, batch_size=2000)
    MediationAgreement.objects.bulk_create(agreements, batch_size=1000)

    by_outcome = defaultdict(list)
    for matter, outcome in plan:
        by_outcome[outcome].append(matter.pk)
    # A matter whose mediation failed or was withdrawn does not say it was settled by agreement.
    for outcome, result in ((MediationOutcome.FAILED, FAILED_RESULT), (MediationOutcome.WITHDRAWN, WITHDRAWN_RESULT)):
        ids = [pk for pk in by_outcome[outcome] if pk in settled]
        if ids:
            Matter.objects.filter(pk__in=ids).update(result=result)
            Transition.objects.filter(matter_id__in=ids, action=Action.RESOLVE).update(reason=result)

    summary = {"screened": screened, "mediated": len(by_outcome[MediationOutcome.MEDIATED]),
               "failed": len(by_outcome[MediationOutcome.FAILED]),
               "withdrawn": len(by_outcome[MediationOutcome.WITHDRAWN]), "agreements": len(agreements),
               "parties": len(parties)}
    audit.record(actor=None, action="matters.demo_disputes", object_type="matters.dispute", after=summary)
    ctx.log(f"  {screened:,} disputes screened, {summary['mediated']:,} mediated "
            f"({summary['failed']} failed, {summary['withdrawn']} withdrawn), {len(agreements):,} agreements")
    return {**summary, "matter_ids": dict(by_outcome)}
