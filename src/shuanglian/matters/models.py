"""Matters (民情事项, one form per matter), their workflow and deadlines. Disputes and mediation live in
`mediation`, contact days and visits in `outreach`."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shuanglian.core.pii import PIIField
from shuanglian.divisions.models import DivisionScoped

from .choices import (
    Action,
    Card,
    DeadlineState,
    Level,
    LimitUnit,
    MatterType,
    Satisfaction,
    Source,
    Stage,
    Status,
)


class Category(models.Model):
    """A configurable category beneath a matter type (a demand about roads, a dispute over land ...)."""

    type = models.CharField(_("type"), max_length=12, choices=MatterType.choices)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    position = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["type", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["type", "name"], name="matter_category_name_uniq")]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name


class Matter(DivisionScoped):
    """民情事项: one form per matter. Attached to its grid (never changes); `level` and the holder say
    who has it now. Every state change goes through services.transition() and writes a Transition."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    type = models.CharField(_("type"), max_length=12, choices=MatterType.choices)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT, related_name="matters",
                                 verbose_name=_("category"))
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    household = models.ForeignKey("archives.Household", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="matters", verbose_name=_("household"))
    persons = models.ManyToManyField("archives.Person", blank=True, related_name="matters")
    # The person raising it, when not (or not yet) in the archives.
    raised_by_name = models.CharField(_("raised by"), max_length=60, blank=True)
    raised_by_phone = PIIField(_("phone"), kind="phone")
    contact_day = models.ForeignKey("outreach.ContactDay", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="matters", verbose_name=_("contact day"))
    visit = models.ForeignKey("outreach.Visit", null=True, blank=True, on_delete=models.SET_NULL, related_name="matters")

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REPORTED)
    # While suspended: the status to resume to.
    resume_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, default=Level.GRID)
    holder_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="held_matters", verbose_name=_("holder"))
    holder_organization = models.ForeignKey("organizations.Organization", null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="held_matters",
                                            verbose_name=_("holding organization"))

    # The running time limit. `cycle` counts stages started, so each stage's cards are raised once.
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, blank=True)
    cycle = models.PositiveIntegerField(default=0)
    stage_started_at = models.DateTimeField(null=True, blank=True)
    limit_unit = models.CharField(max_length=16, choices=LimitUnit.choices, blank=True)
    yellow_at = models.DateTimeField(null=True, blank=True)
    deadline_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    deadline_state = models.CharField(_("deadline state"), max_length=6, choices=DeadlineState.choices,
                                      default=DeadlineState.OK)
    suspended_at = models.DateTimeField(null=True, blank=True)
    supervision = models.CharField(_("supervision"), max_length=10, choices=Card.choices, blank=True)

    result = models.TextField(_("result"), blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=12, choices=Satisfaction.choices, blank=True)
    reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reported_at = models.DateTimeField(_("reported"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(level=Level.DEPARTMENT) | Q(holder_organization__isnull=False),
                                   name="matter_department_has_holder"),
        ]
        indexes = [
            models.Index(fields=["township", "status", "reported_at"], name="matter_township_idx"),
            models.Index(fields=["village", "status"], name="matter_village_idx"),
            models.Index(fields=["grid", "status"], name="matter_grid_idx"),
            models.Index(fields=["status", "deadline_at"], name="matter_open_deadline_idx",
                         condition=~Q(status__in=["closed", "suspended"])),
            models.Index(fields=["deadline_state", "township"], name="matter_deadline_state_idx",
                         condition=~Q(deadline_state="ok")),
            models.Index(fields=["holder_organization", "status"], name="matter_holder_org_idx"),
            models.Index(fields=["holder_user", "status"], name="matter_holder_user_idx"),
            models.Index(fields=["type", "reported_at"], name="matter_type_idx"),
            models.Index(fields=["level", "status"], name="matter_level_idx"),
        ]
        verbose_name = _("matter")

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED


class Transition(models.Model):
    """One step of a matter: its timeline. Written only by services.transition()."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices)
    from_level = models.CharField(max_length=12, choices=Level.choices, blank=True)
    to_level = models.CharField(max_length=12, choices=Level.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_label = models.CharField(max_length=150, blank=True)
    holder_label = models.CharField(max_length=150, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["matter_id", "at", "id"]
        indexes = [models.Index(fields=["matter", "at"], name="transition_matter_idx")]
        verbose_name = _("transition")

    def __str__(self):
        return f"{self.action} {self.from_status}->{self.to_status} {self.at}"


class Attachment(models.Model):
    """A photo or document attached to a matter (a phone's camera is the usual source)."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="matters/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["matter_id", "uploaded_at"]

    def __str__(self):
        return self.name


class TimeLimit(models.Model):
    """The county office's time limit for one level x type x stage (defaults in deadlines.DEFAULTS)."""

    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    type = models.CharField(_("type"), max_length=12, choices=MatterType.choices)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    amount = models.PositiveSmallIntegerField(_("limit"))
    unit = models.CharField(_("unit"), max_length=16, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAYS)
    warn_before = models.PositiveSmallIntegerField(_("yellow warning before the deadline"), default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["level", "type", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["level", "type", "stage"], name="time_limit_uniq"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="time_limit_positive"),
            models.CheckConstraint(condition=Q(warn_before__lt=models.F("amount")), name="time_limit_warn_lt_amount"),
        ]
        verbose_name = _("time limit")

    def __str__(self):
        return f"{self.level}/{self.type}/{self.stage}: {self.amount} {self.unit}"


class Supervision(models.Model):
    """督办: an ordinary supervision ordered by a person, or a yellow/red card raised by the sweep.
    One card per matter, stage cycle and colour: running the sweep again raises nothing new."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="supervisions")
    card = models.CharField(_("card"), max_length=10, choices=Card.choices)
    cycle = models.PositiveIntegerField()
    stage = models.CharField(max_length=10, choices=Stage.choices, blank=True)
    level = models.CharField(max_length=12, choices=Level.choices)
    deadline_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    raised_at = models.DateTimeField()

    class Meta:
        ordering = ["-raised_at"]
        constraints = [models.UniqueConstraint(fields=["matter", "cycle", "card"],
                                               condition=~Q(card="ordinary"), name="supervision_card_once")]
        indexes = [models.Index(fields=["card", "raised_at"], name="supervision_card_idx")]
        verbose_name = _("supervision")

    def __str__(self):
        return f"{self.card} {self.matter_id}"
