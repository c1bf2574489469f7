"""Disputes and people's mediation (矛盾纠纷排查调处): services (writes) and selectors (reads).

A dispute is the screening and mediation record of a matter of type dispute (one each). Who may act
on it is who may handle its matter (`policies.may_handle`); who may read it is who may see its matter.
The rules are those of the People's Mediation Law (RULES.md, "People's mediation"):

- a party may refuse a mediator (Art. 23): `mediator_remove` with the reason;
- failed mediation: the parties are told of other remedies (Art. 26), so `dispute_conclude(failed)`
  requires at least one;
- the agreement holds every element of Art. 29 and takes effect when the parties and the mediator
  have signed; one copy per party plus one kept;
- judicial confirmation is applied for within 30 days of the agreement taking effect (Art. 33).

Concluding a dispute as mediated resolves its matter through `services.transition` when the matter's
status allows it (accepted or being handled). A matter still waiting to be accepted, suspended, or
already resolved is left as it is: accepting is its holder's own step, and the mediation result
stays on the dispute for them to resolve it with.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import django_filters as filters
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Length
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuanglian.core import audit, clock, idnumber
from shuanglian.core.exceptions import Conflict, NotFound, ValidationFailed, full_clean, require_length
from shuanglian.core.filtersets import FilterSet
from shuanglian.core.pii import normalize
from shuanglian.core.scoped import get_visible
from shuanglian.divisions.filtersets import WithinFilter, division_for_within, within_q
from shuanglian.divisions.models import Division

from . import policies, services
from .choices import Action, MatterType, MediationOutcome, PartyRole, Remedy
from .models import Dispute, DisputeParty, Matter, MediationAgreement, MediationSession, Mediator
from .selectors import visibility_q

CONFIRMATION_DAYS = 30  # Art. 33: apply for judicial confirmation within 30 days of the agreement taking effect
NUMBER_PREFIX = "调字〔{year}〕第"
NUMBER_DIGITS = 4
_NUMBER_ATTEMPTS = 8
_TEXT_LIMIT = 10_000


class DisputeConcluded(Conflict):
    code = "dispute_concluded"


class ConfirmationWindowClosed(ValidationFailed):
    code = "confirmation_window_closed"


# ---------------------------------------------------------------- helpers


def _actor(user):
    return user if getattr(user, "pk", None) else None


def _required(value: str | None) -> str:
    return (value or "").strip()


def _check_text(name: str, value: str) -> str:
    if len(value) > _TEXT_LIMIT:
        raise ValidationFailed(_("The text is too long (at most %(n)d characters).") % {"n": _TEXT_LIMIT},
                               details={name: [_("Too long.")]})
    return value


def _check_date(name: str, value, *, not_before: dt.date | None = None, before_message: str = "") -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationFailed(_("Give a date."), details={name: [_("Enter a valid date.")]})
    if value > clock.today():
        raise ValidationFailed(_("%(date)s is in the future.") % {"date": value.isoformat()},
                               details={name: [_("The date cannot be in the future.")]})
    if not_before is not None and value < not_before:
        raise ValidationFailed(before_message, details={name: [before_message]})
    return value


def _locked(dispute: Dispute) -> Dispute:
    """The dispute row, locked for the rest of the transaction, with its matter's scope columns."""
    return (Dispute.objects.select_for_update(of=("self",))
            .select_related("matter", "matter__grid", "matter__village", "matter__township", "matter__county",
                            "matter__holder_user")
            .get(pk=dispute.pk))


def _require_open(dispute: Dispute) -> None:
    if dispute.outcome:
        raise DisputeConcluded(
            _("This dispute was concluded (%(outcome)s on %(date)s); its record can no longer change.")
            % {"outcome": dispute.get_outcome_display(), "date": dispute.outcome_on.isoformat()},
            details={"outcome": dispute.outcome})


def _agreement_of(dispute: Dispute) -> MediationAgreement | None:
    return MediationAgreement.objects.filter(dispute_id=dispute.pk).first()


def _snapshot(dispute: Dispute) -> dict:
    return {"matter": dispute.matter.number, "screened_on": dispute.screened_on, "outcome": dispute.outcome,
            "outcome_on": dispute.outcome_on, "remedies_told": list(dispute.remedies_told or [])}


# ---------------------------------------------------------------- screening


@transaction.atomic
def dispute_screen(*, actor, matter: Matter, screened_on: dt.date | None = None, facts: str = "",
                   issues: str = "", notes: str = "") -> Dispute:
    """Open the screening record (排查) of a dispute matter: one per matter."""
    matter = Matter.objects.select_for_update(of=("self",)).select_related(
        "grid", "village", "township", "county", "holder_user").get(pk=matter.pk)
    if matter.type != MatterType.DISPUTE:
        raise ValidationFailed(_("Matter %(number)s is a %(type)s, not a dispute; only disputes are screened "
                                 "and mediated.") % {"number": matter.number, "type": matter.get_type_display()},
                               code="not_a_dispute", details={"matter": [matter.pk]})
    policies.require_handle(actor, matter)
    if Dispute.objects.filter(matter_id=matter.pk).exists():
        raise Conflict(_("Matter %(number)s has already been screened.") % {"number": matter.number},
                       code="already_screened", details={"matter": [matter.pk]})
    # Screening finds disputes, so it may come before the matter's form was recorded; never in the future.
    screened_on = _check_date("screened_on", screened_on or clock.today())
    dispute = Dispute(matter=matter, screened_on=screened_on, facts=_check_text("facts", _required(facts)),
                      issues=_check_text("issues", _required(issues)), notes=_check_text("notes", _required(notes)))
    full_clean(dispute, exclude=["matter"])
    try:
        with transaction.atomic():
            dispute.save()
    except IntegrityError:
        raise Conflict(_("Matter %(number)s has already been screened.") % {"number": matter.number},
                       code="already_screened", details={"matter": [matter.pk]}) from None
    audit.record(actor=actor, action="matters.dispute_screen", obj=dispute,
                 object_repr=f"{matter.number} {matter.title}", after=_snapshot(dispute))
    return dispute


# ---------------------------------------------------------------- parties, mediators, sessions


@transaction.atomic
def dispute_party_add(*, actor, dispute: Dispute, role: str, name: str = "", sex: str = "", id_number: str = "",
                      phone: str = "", address: str = "", person=None) -> DisputeParty:
    """A party to the dispute. An archives person may be linked: their name, ID number and phone are
    taken from the archive where none are given. The ID number is checked (GB 11643) and gives the sex."""
    dispute = _locked(dispute)
    policies.require_handle(actor, dispute.matter)
    _require_open(dispute)
    if _agreement_of(dispute) is not None:
        raise Conflict(_("The mediation agreement has been signed; its parties can no longer change."),
                       code="agreement_signed")
    if role not in PartyRole.values:
        raise ValidationFailed(_("Unknown party role %(value)s.") % {"value": role},
                               details={"role": [_("Choose one of: %(values)s.") % {"values": ", ".join(PartyRole.values)}]})
    if person is not None:
        if person.county_id != dispute.matter.county_id:
            raise ValidationFailed(_("%(name)s is not a resident of this county's archives.") % {"name": person.name},
                                   details={"person": [person.pk]})
        name = name or person.name
        id_number = id_number or (person.id_number.reveal() if person.id_number else "")
        phone = phone or (person.phone.reveal() if person.phone else "")
        address = address or getattr(getattr(person, "household", None), "address", "") or ""
    name = _required(name)
    if not name:
        raise ValidationFailed(_("A party needs a name."), details={"name": [_("This field is required.")]})
    id_number, sex = _checked_id(_required(id_number), _required(sex))
    phone = normalize("phone", phone or "")
    if phone and not (7 <= len(phone) <= 12):
        raise ValidationFailed(_("%(value)s is not a phone number.") % {"value": "*" * len(phone)},
                               code="invalid_phone", details={"phone": [_("Enter a landline or mobile number.")]})
    party = DisputeParty(dispute=dispute, role=role, person=person, name=name, sex=sex, id_number=id_number,
                         phone=phone, address=_required(address))
    full_clean(party, exclude=["dispute", "person", "id_number", "phone"])
    party.save()
    audit.record(actor=actor, action="matters.dispute_party_add", obj=dispute.matter,
                 after={"dispute": dispute.pk, "party": party.pk, "role": role, "name": party.name,
                        "id_number": party.id_number.masked, "phone": party.phone.masked})
    return party


SEXES = ("male", "female")


def _checked_id(raw: str, sex: str) -> tuple[str, str]:
    if sex and sex not in SEXES:
        raise ValidationFailed(_("%(value)s is not a valid sex.") % {"value": sex}, details={"sex": [sex]})
    if not raw:
        return "", sex
    try:
        parsed = idnumber.parse(raw, today=clock.today())
    except idnumber.InvalidIDNumber as exc:
        raise ValidationFailed(_("ID number: %(why)s") % {"why": exc}, code="invalid_id_number",
                               details={"id_number": [str(exc)]}) from None
    if sex and sex != parsed.sex:
        raise ValidationFailed(_("The sex given disagrees with the ID number."), code="identity_mismatch",
                               details={"sex": [sex]})
    return parsed.value, parsed.sex


@transaction.atomic
def mediator_add(*, actor, dispute: Dispute, name: str = "", user=None, committee: str = "") -> Mediator:
    """A mediator of the committee takes up the dispute (the parties may choose one, Art. 23)."""
    dispute = _locked(dispute)
    policies.require_handle(actor, dispute.matter)
    _require_open(dispute)
    if _agreement_of(dispute) is not None:
        raise Conflict(_("The mediation agreement has been signed; its mediators can no longer change."),
                       code="agreement_signed")
    name = _required(name) or (user.display_name if user is not None else "")
    if not name:
        raise ValidationFailed(_("A mediator needs a name."), details={"name": [_("This field is required.")]})
    same = Q(name=name) | Q(user=user) if user is not None else Q(name=name)
    if dispute.mediators.filter(same).exists():
        raise Conflict(_("%(name)s already mediates this dispute.") % {"name": name}, code="duplicate_mediator",
                       details={"name": [name]})
    committee = _required(committee) or _("%(village)s people's mediation committee") % {
        "village": dispute.matter.village.name if dispute.matter.village_id else ""}
    mediator = Mediator(dispute=dispute, user=user, name=name, committee=committee)
    full_clean(mediator, exclude=["dispute", "user"])
    mediator.save()
    audit.record(actor=actor, action="matters.mediator_add", obj=dispute.matter,
                 after={"dispute": dispute.pk, "mediator": mediator.pk, "name": mediator.name,
                        "committee": mediator.committee})
    return mediator


@transaction.atomic
def mediator_remove(*, actor, mediator: Mediator, reason: str) -> Dispute:
    """A party refuses a mediator (Art. 23): the mediator leaves the dispute, the reason is kept in the
    dispute's notes (its case archive, Art. 27) and in the audit log."""
    dispute = _locked(mediator.dispute)
    policies.require_handle(actor, dispute.matter)
    _require_open(dispute)
    if _agreement_of(dispute) is not None:
        raise Conflict(_("The mediation agreement has been signed; its mediators can no longer change."),
                       code="agreement_signed")
    reason = _check_text("reason", _required(reason))
    if not reason:
        raise ValidationFailed(_("Say why the mediator is refused (which party refused, and why)."),
                               details={"reason": [_("This field is required.")]})
    mediator = Mediator.objects.filter(pk=mediator.pk, dispute_id=dispute.pk).first()
    if mediator is None:
        raise NotFound(_("No such mediator on this dispute."))
    line = _("%(date)s: mediator %(name)s withdrawn at a party's request: %(reason)s") % {
        "date": clock.today().isoformat(), "name": mediator.name, "reason": reason}
    dispute.notes = f"{dispute.notes}\n{line}".strip()
    dispute.save(update_fields=["notes"])
    audit.record(actor=actor, action="matters.mediator_remove", obj=dispute.matter,
                 before={"dispute": dispute.pk, "mediator": mediator.pk, "name": mediator.name},
                 after={"reason": reason})
    mediator.delete()
    return dispute


@transaction.atomic
def mediation_session_add(*, actor, dispute: Dispute, held_on: dt.date, place: str = "",
                          notes: str = "") -> MediationSession:
    """One mediation session and its work record (调解记录)."""
    dispute = _locked(dispute)
    policies.require_handle(actor, dispute.matter)
    _require_open(dispute)
    _check_date("held_on", held_on, not_before=dispute.screened_on,
                before_message=_("A session is held on or after the day the dispute was screened (%(date)s).")
                % {"date": dispute.screened_on.isoformat()})
    session = MediationSession(dispute=dispute, held_on=held_on, place=_required(place),
                               notes=_check_text("notes", _required(notes)))
    full_clean(session, exclude=["dispute"])
    session.save()
    audit.record(actor=actor, action="matters.mediation_session_add", obj=dispute.matter,
                 after={"dispute": dispute.pk, "session": session.pk, "held_on": held_on, "place": session.place})
    return session


# ---------------------------------------------------------------- the agreement

ART29_FIELDS = {
    "facts": gettext_lazy("the main facts of the dispute"),
    "issues": gettext_lazy("the disputed issues"),
    "responsibilities": gettext_lazy("the parties' responsibilities"),
    "terms": gettext_lazy("the terms agreed"),
    "performance": gettext_lazy("how and when the terms are performed"),
}


def agreement_number(year: int, n: int) -> str:
    return f"{NUMBER_PREFIX.format(year=year)}{n:0{NUMBER_DIGITS}d}号"


def _next_number(year: int) -> str:
    """The next number of the year: 调字〔2010〕第0001号, ... Lexical order holds within a length, so the
    longest, then greatest, number is the last (第10000号 after 第9999号)."""
    prefix = NUMBER_PREFIX.format(year=year)
    last = (MediationAgreement.objects.filter(number__startswith=prefix)
            .order_by(Length("number").desc(), "-number").values_list("number", flat=True).first())
    n = int(last[len(prefix):-1]) + 1 if last else 1
    return agreement_number(year, n)


@transaction.atomic
def agreement_create(*, actor, dispute: Dispute, facts: str, issues: str, responsibilities: str, terms: str,
                     performance: str, effective_on: dt.date, parties_signed: bool, mediator_signed: bool,
                     copies: int | None = None) -> MediationAgreement:
    """The people's mediation agreement (人民调解协议书) with every element of Art. 29; the parties'
    basic information comes from the dispute's parties (at least one applicant and one respondent).
    It is recorded once it has taken effect: signed by the parties and by the mediator under the
    committee's seal. Numbered per year of taking effect; two agreements made at once get two numbers."""
    dispute = _locked(dispute)
    policies.require_handle(actor, dispute.matter)
    if dispute.outcome and dispute.outcome != MediationOutcome.MEDIATED:
        _require_open(dispute)
    if _agreement_of(dispute) is not None:
        raise Conflict(_("This dispute already has its mediation agreement."), code="agreement_exists")
    values = {"facts": facts, "issues": issues, "responsibilities": responsibilities, "terms": terms,
              "performance": performance}
    values = {k: _check_text(k, _required(v)) for k, v in values.items()}
    missing: dict[str, list[str]] = {k: [_("This field is required.")] for k, v in values.items() if not v}
    roles = set(dispute.parties.values_list("role", flat=True))
    if PartyRole.APPLICANT not in roles or PartyRole.RESPONDENT not in roles:
        missing["parties"] = [_("Record at least one applicant and one respondent first.")]
    if not dispute.mediators.exists():
        missing["mediators"] = [_("Record the mediator who signs the agreement first.")]
    if effective_on is None:
        missing["effective_on"] = [_("This field is required.")]
    if missing:
        labels = [str(ART29_FIELDS[k]) for k in ART29_FIELDS if k in missing]
        if "parties" in missing:
            labels.insert(0, _("the parties' basic information (an applicant and a respondent)"))
        if "mediators" in missing:
            labels.append(_("the mediator"))
        if "effective_on" in missing:
            labels.append(_("the date it takes effect"))
        raise ValidationFailed(_("A mediation agreement must state (People's Mediation Law Art. 29): %(missing)s.")
                               % {"missing": "; ".join(labels)}, code="agreement_incomplete", details=missing)
    if not (parties_signed and mediator_signed):
        unsigned = {}
        if not parties_signed:
            unsigned["parties_signed"] = [_("The parties sign, seal or put their fingerprint on it.")]
        if not mediator_signed:
            unsigned["mediator_signed"] = [_("The mediator signs and the committee's seal is affixed.")]
        raise ValidationFailed(_("An agreement takes effect only when the parties and the mediator have signed it "
                                 "(Art. 29); record it once it is signed."), code="agreement_unsigned",
                               details=unsigned)
    _check_date("effective_on", effective_on, not_before=dispute.screened_on,
                before_message=_("An agreement takes effect on or after the day the dispute was screened (%(date)s).")
                % {"date": dispute.screened_on.isoformat()})
    party_count = dispute.parties.count()
    least = party_count + 1
    if copies is None:
        copies = least
    if not isinstance(copies, int) or copies < least:
        raise ValidationFailed(_("Make at least %(n)d copies: one for each of the %(parties)d parties and one kept "
                                 "by the committee.") % {"n": least, "parties": party_count},
                               details={"copies": [str(least)]})
    agreement = MediationAgreement(dispute=dispute, effective_on=effective_on, parties_signed=True,
                                   mediator_signed=True, copies=copies, **values)
    for _attempt in range(_NUMBER_ATTEMPTS):
        agreement.number = _next_number(effective_on.year)
        full_clean(agreement, exclude=["dispute", "number"])
        try:
            with transaction.atomic():  # a savepoint: a number taken meanwhile by another agreement is retried
                agreement.save(force_insert=True)
            break
        except IntegrityError:
            agreement.pk = None
            if not MediationAgreement.objects.filter(number=agreement.number).exists():
                raise
    else:
        raise Conflict(_("Could not number the agreement; try again."), code="agreement_number_busy")
    audit.record(actor=actor, action="matters.agreement_create", obj=agreement,
                 object_repr=agreement.number,
                 after={"dispute": dispute.pk, "matter": dispute.matter.number, "number": agreement.number,
                        "effective_on": effective_on, "copies": copies})
    return agreement


@transaction.atomic
def agreement_confirmation_applied(*, actor, agreement: MediationAgreement, applied_on: dt.date) -> MediationAgreement:
    """The parties applied jointly to the court for judicial confirmation: within 30 days of the
    agreement taking effect (Art. 33)."""
    agreement = MediationAgreement.objects.select_for_update(of=("self",)).select_related(
        "dispute__matter", "dispute__matter__grid", "dispute__matter__village", "dispute__matter__township",
        "dispute__matter__county").get(pk=agreement.pk)
    policies.require_handle(actor, agreement.dispute.matter)
    if agreement.confirmation_applied_on:
        raise Conflict(_("Judicial confirmation was already applied for on %(date)s.")
                       % {"date": agreement.confirmation_applied_on.isoformat()}, code="confirmation_applied")
    _check_date("applied_on", applied_on, not_before=agreement.effective_on,
                before_message=_("Judicial confirmation is applied for after the agreement took effect (%(date)s).")
                % {"date": agreement.effective_on.isoformat()})
    deadline = agreement.confirmation_deadline
    if applied_on > deadline:
        raise ConfirmationWindowClosed(
            _("Judicial confirmation must be applied for within %(days)d days of the agreement taking effect on "
              "%(effective)s, that is by %(deadline)s (People's Mediation Law Art. 33). The window has closed; "
              "the parties may still go to court over the agreement itself.")
            % {"days": CONFIRMATION_DAYS, "effective": agreement.effective_on.isoformat(),
               "deadline": deadline.isoformat()},
            details={"applied_on": [_("After the deadline %(deadline)s.") % {"deadline": deadline.isoformat()}],
                     "deadline": deadline.isoformat()})
    agreement.confirmation_applied_on = applied_on
    agreement.save(update_fields=["confirmation_applied_on"])
    audit.record(actor=actor, action="matters.agreement_confirmation_applied", obj=agreement,
                 object_repr=agreement.number, after={"applied_on": applied_on, "deadline": deadline})
    return agreement


@transaction.atomic
def agreement_confirmation_decided(*, actor, agreement: MediationAgreement, result: str) -> MediationAgreement:
    """What the court decided on the application (confirmed, refused, ...)."""
    agreement = MediationAgreement.objects.select_for_update(of=("self",)).select_related(
        "dispute__matter", "dispute__matter__grid", "dispute__matter__village", "dispute__matter__township",
        "dispute__matter__county").get(pk=agreement.pk)
    policies.require_handle(actor, agreement.dispute.matter)
    if not agreement.confirmation_applied_on:
        raise Conflict(_("Record the application for judicial confirmation first."), code="confirmation_not_applied")
    result = _required(result)
    if not result:
        raise ValidationFailed(_("Say what the court decided."), details={"result": [_("This field is required.")]})
    before = agreement.confirmation_result
    agreement.confirmation_result = require_length(
        result, field="result", limit=MediationAgreement._meta.get_field("confirmation_result").max_length)
    agreement.save(update_fields=["confirmation_result"])
    audit.record(actor=actor, action="matters.agreement_confirmation_decided", obj=agreement,
                 object_repr=agreement.number, before={"result": before}, after={"result": agreement.confirmation_result})
    return agreement


# ---------------------------------------------------------------- the outcome


@transaction.atomic
def dispute_conclude(*, actor, dispute: Dispute, outcome: str, outcome_on: dt.date, remedies_told=(),
                     notes: str = "") -> Dispute:
    """Record how mediation ended. Failed: the remedies the parties were told of (Art. 26) are required.
    Mediated: the agreement must have been recorded; the matter is then resolved with it, when its
    status allows (accepted or being handled)."""
    dispute = _locked(dispute)
    matter = dispute.matter
    policies.require_handle(actor, matter)
    _require_open(dispute)
    if outcome not in MediationOutcome.values:
        raise ValidationFailed(_("Unknown outcome %(value)s.") % {"value": outcome},
                               details={"outcome": [_("Choose one of: %(values)s.")
                                                    % {"values": ", ".join(MediationOutcome.values)}]})
    remedies = list(dict.fromkeys(remedies_told or ()))
    unknown = [r for r in remedies if r not in Remedy.values]
    if unknown:
        raise ValidationFailed(_("Unknown remedy %(value)s.") % {"value": ", ".join(map(str, unknown))},
                               details={"remedies_told": [_("Choose from: %(values)s.")
                                                          % {"values": ", ".join(Remedy.values)}]})
    agreement = _agreement_of(dispute)
    if outcome == MediationOutcome.FAILED and not remedies:
        raise ValidationFailed(
            _("Mediation failed: record which other remedies the parties were told of - arbitration, administrative "
              "handling, litigation or other lawful means (People's Mediation Law Art. 26)."),
            code="remedies_required", details={"remedies_told": [_("Choose at least one.")]})
    if outcome == MediationOutcome.MEDIATED:
        if agreement is None:
            raise ValidationFailed(_("A mediated dispute has a signed mediation agreement: record it first."),
                                   code="agreement_required", details={"agreement": [_("This is required.")]})
        if remedies:
            raise ValidationFailed(_("Other remedies are told of when mediation fails or is withdrawn."),
                                   details={"remedies_told": [_("Leave empty for a mediated dispute.")]})
    elif agreement is not None:
        raise ValidationFailed(_("This dispute has a signed agreement (%(number)s): conclude it as mediated.")
                               % {"number": agreement.number}, code="agreement_signed",
                               details={"outcome": [outcome]})
    not_before = agreement.effective_on if agreement is not None else dispute.screened_on
    _check_date("outcome_on", outcome_on, not_before=not_before,
                before_message=_("The outcome comes on or after %(date)s.") % {"date": not_before.isoformat()})
    before = _snapshot(dispute)
    dispute.outcome, dispute.outcome_on, dispute.remedies_told = outcome, outcome_on, remedies
    if _required(notes):
        dispute.notes = f"{dispute.notes}\n{_check_text('notes', _required(notes))}".strip()
    full_clean(dispute, exclude=["matter"])
    dispute.save(update_fields=["outcome", "outcome_on", "remedies_told", "notes"])
    audit.record(actor=actor, action="matters.dispute_conclude", obj=dispute,
                 object_repr=f"{matter.number} {matter.title}", before=before, after=_snapshot(dispute))
    if outcome == MediationOutcome.MEDIATED and Action.RESOLVE in services.allowed_actions(matter):
        services.transition(actor=actor, matter=matter, action=Action.RESOLVE,
                            result=_("Mediated: people's mediation agreement %(number)s.")
                            % {"number": agreement.number})
    return dispute


# ---------------------------------------------------------------- selectors


def _for_matter(q: Q, prefix: str = "matter__") -> Q:
    """A filter on Matter, rewritten for a model that points to it."""
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    out.children = [_for_matter(c, prefix) if isinstance(c, Q) else (prefix + c[0], c[1]) for c in q.children]
    return out


def dispute_list_visible_to(user) -> QuerySet[Dispute]:
    """Disputes whose matter the user may see (matters' visibility: the subtree, or what one's organization holds)."""
    q = visibility_q(user)
    if q is None:
        return Dispute.objects.none()
    return (Dispute.objects.filter(_for_matter(q))
            .select_related("matter", "matter__grid", "matter__village", "matter__township", "agreement"))


def dispute_get_for_user(user, pk) -> Dispute:
    return get_visible(dispute_list_visible_to(user)
                       .select_related("matter__county", "matter__holder_user", "matter__holder_organization")
                       .prefetch_related("parties", "mediators", "sessions"),
                       pk, what="dispute", message=_("No such dispute that you may see."))




def _year_range(year: int) -> Q:
    return Q(screened_on__gte=dt.date(year, 1, 1), screened_on__lt=dt.date(year + 1, 1, 1))


def dispute_stats(user, year: int, within: Division | str | None = None) -> dict:
    """Disputes screened in `year` that the user may see (under `within`, a division or its code), how
    many were mediated successfully, and the success rate (mediated / screened, 3 decimals; None when
    none were screened). The figures are always the user's own scope: a division outside it counts 0
    here; the API answers 404 for it instead."""
    rows = dispute_list_visible_to(user).filter(_year_range(year))
    if isinstance(within, str):
        division = division_for_within(within)
        if division is None:
            raise NotFound(_("No division %(code)s.") % {"code": within})
        within = division
    if within is not None:
        rows = rows.filter(within_q(within, prefix="matter__"))
    counts = rows.order_by().aggregate(screened=Count("pk"),
                                       mediated=Count("pk", filter=Q(outcome=MediationOutcome.MEDIATED)))
    screened, mediated = counts["screened"] or 0, counts["mediated"] or 0
    return {"screened": screened, "mediated": mediated, "success_rate": success_rate(mediated, screened)}


def success_rate(mediated: int, screened: int) -> float | None:
    if not screened:
        return None
    return float((Decimal(mediated) / Decimal(screened)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


# The judicial confirmation window (Art. 33).

class Window:
    APPLIED = "applied"  # applied for within the window
    OPEN = "open"  # still open, more than the warning period left
    CLOSING = "closing"  # closes within the warning period
    LAPSED = "lapsed"  # closed without an application
    NONE = ""  # no agreement


WINDOW_LABELS = {
    Window.APPLIED: gettext_lazy("confirmation applied for"),
    Window.OPEN: gettext_lazy("confirmation window open"),
    Window.CLOSING: gettext_lazy("confirmation window closing"),
    Window.LAPSED: gettext_lazy("confirmation window closed without application"),
}
WARN_DAYS = 7


@dataclass(frozen=True)
class ConfirmationWindow:
    state: str
    deadline: dt.date | None
    days_left: int | None  # days from today to the deadline (0: the last day); None once applied or lapsed

    @property
    def label(self) -> str:
        return str(WINDOW_LABELS.get(self.state, ""))


def confirmation_window(agreement: MediationAgreement | None, *, today: dt.date | None = None,
                        warn_days: int = WARN_DAYS) -> ConfirmationWindow:
    if agreement is None:
        return ConfirmationWindow(Window.NONE, None, None)
    today = today or clock.today()
    deadline = agreement.confirmation_deadline
    if agreement.confirmation_applied_on:
        return ConfirmationWindow(Window.APPLIED, deadline, None)
    if today > deadline:
        return ConfirmationWindow(Window.LAPSED, deadline, None)
    left = (deadline - today).days
    return ConfirmationWindow(Window.CLOSING if left <= warn_days else Window.OPEN, deadline, left)


def _effective_for_deadline(deadline: dt.date) -> dt.date:
    return deadline - dt.timedelta(days=CONFIRMATION_DAYS)


def confirmation_q(state: str, *, today: dt.date | None = None, days: int = WARN_DAYS) -> Q:
    """Disputes by the state of their agreement's confirmation window, as a filter (an indexable range
    on effective_on: the deadline is effective_on + 30 days)."""
    today = today or clock.today()
    pending = Q(agreement__isnull=False, agreement__confirmation_applied_on__isnull=True)
    if state == Window.APPLIED:
        return Q(agreement__confirmation_applied_on__isnull=False)
    if state == Window.LAPSED:  # the deadline has passed: effective_on + 30 < today
        return pending & Q(agreement__effective_on__lt=_effective_for_deadline(today))
    if state == Window.CLOSING:  # today <= deadline <= today + days
        return pending & Q(agreement__effective_on__gte=_effective_for_deadline(today),
                           agreement__effective_on__lte=_effective_for_deadline(today + dt.timedelta(days=days)))
    if state == Window.OPEN:  # neither applied for nor lapsed
        return pending & Q(agreement__effective_on__gte=_effective_for_deadline(today))
    raise ValueError(state)


def agreements_closing(user, *, days: int = WARN_DAYS, today: dt.date | None = None) -> QuerySet[Dispute]:
    """Disputes whose agreement's confirmation window closes within `days` days without an application."""
    return dispute_list_visible_to(user).filter(confirmation_q(Window.CLOSING, today=today, days=days)) \
        .order_by("agreement__effective_on", "pk")


def agreements_lapsed(user, *, today: dt.date | None = None) -> QuerySet[Dispute]:
    """Disputes whose agreement's confirmation window closed without an application."""
    return dispute_list_visible_to(user).filter(confirmation_q(Window.LAPSED, today=today)) \
        .order_by("-agreement__effective_on", "pk")


# ---------------------------------------------------------------- the one FilterSet (pages and API)


class DisputeFilterSet(FilterSet):
    outcome = filters.ChoiceFilter(choices=[("open", gettext_lazy("not concluded")), *MediationOutcome.choices],
                                   method="filter_outcome", label=gettext_lazy("outcome"))
    year = filters.NumberFilter(method="filter_year", label=gettext_lazy("year screened"), min_value=1990,
                                max_value=2100)
    within = WithinFilter(prefix="matter__", label=gettext_lazy("division code (subtree)"))
    confirmation = filters.ChoiceFilter(choices=[(k, v) for k, v in WINDOW_LABELS.items()],
                                        method="filter_confirmation", label=gettext_lazy("judicial confirmation"))

    class Meta:
        model = Dispute
        fields = ["outcome"]

    def filter_outcome(self, queryset, name, value):
        if value == "open":
            return queryset.filter(outcome="")
        return queryset.filter(outcome=value)

    def filter_year(self, queryset, name, value):
        return queryset.filter(_year_range(int(value))) if value is not None else queryset

    def filter_confirmation(self, queryset, name, value):
        return queryset.filter(confirmation_q(value))
