from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """Art. 17: the ways a petition is lodged."""

    ONLINE = "online", _("online")
    LETTER = "letter", _("letter")
    PHONE = "phone", _("phone")
    FAX = "fax", _("fax")
    VISIT = "visit", _("visit")


class Category(models.TextChoices):
    SUGGESTION = "suggestion", _("suggestion or opinion")  # 建议意见类, Art. 29
    ACCUSATION = "accusation", _("report or accusation")  # 检举控告类, Art. 30 (confidential petitioner)
    COMPLAINT = "complaint", _("complaint or demand")  # 申诉求决类, Art. 31


class Lodged(models.TextChoices):
    """Where the petition was lodged; those lodged above come back through the upper level's transfer."""

    COUNTY = "county", _("locally (county)")
    CITY = "city", _("at the city")
    PROVINCE = "province", _("at the province")
    BEIJING = "beijing", _("in Beijing")


class Status(models.TextChoices):
    REGISTERED = "registered", _("registered")
    ROUTED = "routed", _("routed")
    ACCEPTED = "accepted", _("accepted, being handled")
    NOT_ACCEPTED = "not_accepted", _("not accepted")
    REPLIED = "replied", _("reply issued")
    UNDER_REVIEW = "under_review", _("under review")
    REVIEWED = "reviewed", _("reviewed")
    UNDER_REREVIEW = "under_rereview", _("under re-review")
    REREVIEWED = "rereviewed", _("re-reviewed (final)")
    CLOSED = "closed", _("closed")


class Outcome(models.TextChoices):
    """Art. 32: the handling opinion supports, explains or does not support the request."""

    SUPPORT = "support", _("support")
    EXPLAIN = "explain", _("explain")
    NOT_SUPPORT = "not_support", _("not support")


class Action(models.TextChoices):
    ROUTE = "route", _("route")
    ACCEPT = "accept", _("accept")
    NOT_ACCEPT = "not_accept", _("do not accept")
    EXTEND = "extend", _("extend")
    REPLY = "reply", _("issue reply")
    REQUEST_REVIEW = "request_review", _("request review")
    ANSWER_REVIEW = "answer_review", _("answer review")
    REQUEST_REREVIEW = "request_rereview", _("request re-review")
    ANSWER_REREVIEW = "answer_rereview", _("answer re-review")
    CLOSE = "close", _("close")


# The statuses where an office's statutory clock runs (the sweep's rows).
CLOCKED_STATUSES = (Status.REGISTERED, Status.ROUTED, Status.ACCEPTED, Status.UNDER_REVIEW, Status.UNDER_REREVIEW)
OPEN_STATUSES = CLOCKED_STATUSES + (Status.REPLIED, Status.REVIEWED)
MAX_REPRESENTATIVES = 5  # Art. 20: a group visit elects at most 5 representatives
MAX_EXTENSION_DAYS = 30  # Art. 34
CONFIDENTIAL = "confidential"  # what an accusation's petitioner and content read as to those not allowed (Art. 30)
