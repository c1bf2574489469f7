from django.db import models
from django.utils.translation import gettext_lazy as _


class PointKind(models.TextChoices):
    CENTER = "center", _("service center")
    AGENT_POINT = "agent_point", _("agent point")


class AcceptedAt(models.TextChoices):
    """Where an item may be handed in: only at the township's service center, or at a village agent point too."""

    CENTER = "center", _("service centers only")
    ANY = "any", _("service centers and agent points")


class Status(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    FORWARDED = "forwarded", _("forwarded to the center")
    HANDLING = "handling", _("handling")
    AWAITING_MATERIALS = "awaiting_materials", _("awaiting materials")
    REPLIED = "replied", _("replied")
    REFUSED = "refused", _("refused")
    RETURNED = "returned", _("returned")


OPEN_STATUSES = (Status.ACCEPTED, Status.FORWARDED, Status.HANDLING, Status.AWAITING_MATERIALS)
CLOSED_STATUSES = (Status.REPLIED, Status.REFUSED, Status.RETURNED)


class Action(models.TextChoices):
    ACCEPT = "accept", _("accept")
    FORWARD = "forward", _("forward")
    HANDLE = "handle", _("handle")
    REQUEST_MATERIALS = "request_materials", _("request materials")
    MATERIALS_RECEIVED = "materials_received", _("record materials received")
    REPLY = "reply", _("reply")
    REFUSE = "refuse", _("refuse")
    RETURN = "return", _("return")


class NotifiedBy(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    PHONE = "phone", _("by phone")
    TEXT_MESSAGE = "text_message", _("by text message")
    MAIL = "mail", _("by mail")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    BASICALLY = "basically", _("basically satisfied")
    DISSATISFIED = "dissatisfied", _("dissatisfied")
