from django.db import models
from django.utils.translation import gettext_lazy as _


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("applicant")
    RESPONDENT = "respondent", _("respondent")
    OTHER = "other", _("other party")


class MediationOutcome(models.TextChoices):
    MEDIATED = "mediated", _("mediated")
    FAILED = "failed", _("failed")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Remedy(models.TextChoices):
    """What parties are told of when mediation fails (People's Mediation Law Art. 26)."""

    ARBITRATION = "arbitration", _("arbitration")
    ADMINISTRATIVE = "administrative", _("administrative handling")
    LITIGATION = "litigation", _("litigation")
    OTHER = "other", _("other lawful means")
