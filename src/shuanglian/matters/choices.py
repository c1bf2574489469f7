from django.db import models
from django.utils.translation import gettext_lazy as _

from shuanglian.core.deadlines import DeadlineState  # noqa: F401  (one definition, in core; matters' name for it)


class MatterType(models.TextChoices):
    DEMAND = "demand", _("demand")
    DISPUTE = "dispute", _("dispute")
    HAZARD = "hazard", _("hazard")
    SUGGESTION = "suggestion", _("suggestion")
    OTHER = "other", _("other")


class Source(models.TextChoices):
    VISIT = "visit", _("household visit")
    CONTACT_DAY = "contact_day", _("contact day")
    WALK_IN = "walk_in", _("walk-in")
    PHONE = "phone", _("phone")
    ONLINE = "online", _("online")


class Level(models.TextChoices):
    """Where a matter is held. Escalation goes one step up this list; sending back, one step down."""

    GRID = "grid", _("grid")
    VILLAGE = "village", _("village")
    TOWNSHIP = "township", _("township")
    COUNTY = "county", _("county")
    DEPARTMENT = "department", _("department")


LEVEL_ORDER = [Level.GRID, Level.VILLAGE, Level.TOWNSHIP, Level.COUNTY, Level.DEPARTMENT]


class Status(models.TextChoices):
    REPORTED = "reported", _("reported")
    ACCEPTED = "accepted", _("accepted")
    HANDLING = "handling", _("being handled")
    RESOLVED = "resolved", _("resolved")
    FOLLOWED_UP = "followed_up", _("followed up")
    CLOSED = "closed", _("closed")
    SUSPENDED = "suspended", _("suspended")


OPEN_STATUSES = [Status.REPORTED, Status.ACCEPTED, Status.HANDLING, Status.RESOLVED, Status.FOLLOWED_UP,
                 Status.SUSPENDED]


class Action(models.TextChoices):
    REPORT = "report", _("report")
    ACCEPT = "accept", _("accept")
    ASSIGN = "assign", _("assign")
    ESCALATE = "escalate", _("escalate")
    SEND_BACK = "send_back", _("send back")
    RESOLVE = "resolve", _("resolve")
    FOLLOW_UP = "follow_up", _("follow-up visit")
    CLOSE = "close", _("close")
    REOPEN = "reopen", _("reopen")
    SUSPEND = "suspend", _("suspend")
    RESUME = "resume", _("resume")


class Stage(models.TextChoices):
    """The stage a time limit runs for."""

    ACCEPT = "accept", _("acceptance")
    HANDLE = "handle", _("handling")
    FOLLOW_UP = "follow_up", _("follow-up visit")


class Card(models.TextChoices):
    """Supervision (督办): ordinary is ordered by a person; yellow and red are raised by the sweep."""

    ORDINARY = "ordinary", _("ordinary supervision")
    YELLOW = "yellow", _("yellow card")
    RED = "red", _("red card")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    BASICALLY = "basically", _("basically satisfied")
    UNSATISFIED = "unsatisfied", _("not satisfied")


class LimitUnit(models.TextChoices):
    """The deadline engine's units a county may set a matter's limits in (core.deadlines)."""

    WORKING_DAYS = "working_days", _("working days")
    HOURS = "hours", _("hours, day and night")
    WORKING_HOURS = "working_hours", _("working hours")
