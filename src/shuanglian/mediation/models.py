"""Disputes and mediation (矛盾纠纷调解): the screening and mediation record of a matter of type dispute,
its parties, mediators, sessions and agreement. The tables kept the names they had under `matters`."""
import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuanglian.core.pii import PIIField

from .choices import MediationOutcome, PartyRole

CONFIRMATION_DAYS = 30  # Art. 33: apply for judicial confirmation within 30 days of the agreement taking effect


class Dispute(models.Model):
    """矛盾纠纷: the screening and mediation record of a matter of type dispute (one each)."""

    matter = models.OneToOneField("matters.Matter", on_delete=models.CASCADE, related_name="dispute")
    screened_on = models.DateField(_("screened on"), db_index=True)
    facts = models.TextField(_("main facts"), blank=True)
    issues = models.TextField(_("disputed issues"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=MediationOutcome.choices, blank=True)
    outcome_on = models.DateField(_("outcome date"), null=True, blank=True)
    # Failed mediation: the other remedies the parties were told of (Art. 26).
    remedies_told = models.JSONField(_("remedies told"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    audit_type = "matters.dispute"  # the type its history was recorded under (core.audit.type_of)

    class Meta:
        db_table = "matters_dispute"
        ordering = ["-screened_on", "-id"]
        indexes = [models.Index(fields=["outcome", "screened_on"], name="dispute_outcome_idx")]
        verbose_name = _("dispute")

    def __str__(self):
        return f"dispute of matter {self.matter_id}"


class DisputeParty(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=12, choices=PartyRole.choices)
    person = models.ForeignKey("archives.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=60)
    sex = models.CharField(_("sex"), max_length=6, blank=True)
    id_number = PIIField(_("ID number"), kind="id_number")
    phone = PIIField(_("phone"), kind="phone")
    address = models.CharField(_("address"), max_length=200, blank=True)

    audit_type = "matters.disputeparty"  # the type its history was recorded under (core.audit.type_of)

    class Meta:
        db_table = "matters_disputeparty"
        ordering = ["dispute_id", "role", "id"]
        verbose_name = _("party")

    def __str__(self):
        return self.name


class Mediator(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="mediators")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    name = models.CharField(_("name"), max_length=60)
    committee = models.CharField(_("mediation committee"), max_length=100, blank=True)

    audit_type = "matters.mediator"  # the type its history was recorded under (core.audit.type_of)

    class Meta:
        db_table = "matters_mediator"
        ordering = ["dispute_id", "id"]
        verbose_name = _("mediator")

    def __str__(self):
        return self.name


class MediationSession(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    notes = models.TextField(_("record"), blank=True)

    audit_type = "matters.mediationsession"  # the type its history was recorded under (core.audit.type_of)

    class Meta:
        db_table = "matters_mediationsession"
        ordering = ["dispute_id", "held_on", "id"]
        verbose_name = _("mediation session")

    def __str__(self):
        return f"{self.held_on} {self.place}"


class MediationAgreement(models.Model):
    """人民调解协议书 with what People's Mediation Law Art. 29 requires; judicial confirmation within
    30 days of it taking effect (Art. 33)."""

    dispute = models.OneToOneField(Dispute, on_delete=models.CASCADE, related_name="agreement")
    number = models.CharField(_("number"), max_length=30, unique=True)
    facts = models.TextField(_("main facts"))
    issues = models.TextField(_("disputed issues"))
    responsibilities = models.TextField(_("responsibilities"))
    terms = models.TextField(_("agreed terms"))
    performance = models.TextField(_("how and when the terms are performed"))
    effective_on = models.DateField(_("effective on"))
    parties_signed = models.BooleanField(_("signed by the parties"), default=False)
    mediator_signed = models.BooleanField(_("signed by the mediator, committee seal affixed"), default=False)
    copies = models.PositiveSmallIntegerField(_("copies"), default=3)
    confirmation_applied_on = models.DateField(_("judicial confirmation applied for on"), null=True, blank=True)
    confirmation_result = models.CharField(_("judicial confirmation result"), max_length=100, blank=True)

    audit_type = "matters.mediationagreement"  # the type its history was recorded under (core.audit.type_of)

    class Meta:
        db_table = "matters_mediationagreement"
        verbose_name = _("mediation agreement")

    def __str__(self):
        return self.number

    @property
    def confirmation_deadline(self):
        return self.effective_on + dt.timedelta(days=CONFIRMATION_DAYS)
