"""Matters (民情事项, one form per matter), their workflow and deadlines; disputes and mediation;
contact days; household visits."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shuanglian.core.pii import PIIField
from shuanglian.divisions.models import DivisionScoped

from .choices import (
    Action,
    AttendeeRole,
    Card,
    ContactDayKind,
    DeadlineState,
    Level,
    LimitUnit,
    MatterType,
    MediationOutcome,
    PartyRole,
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


class ContactDay(DivisionScoped):
    """One contact day: the 10th at a township (its cadres visit its villages) or the 20th at the county
    (leaders and departments take up what townships could not solve; the legal liaison attends)."""

    kind = models.CharField(_("kind"), max_length=20, choices=ContactDayKind.choices)
    date = models.DateField(_("date"))
    agenda = models.TextField(_("agenda"), blank=True)
    held = models.BooleanField(_("held"), default=False)
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "division_id"]
        constraints = [models.UniqueConstraint(fields=["division", "kind", "date"], name="contact_day_uniq")]
        indexes = [models.Index(fields=["township", "date"], name="contact_day_township_idx"),
                   models.Index(fields=["date", "kind"], name="contact_day_date_idx")]
        verbose_name = _("contact day")

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"


class ContactDayAttendee(models.Model):
    contact_day = models.ForeignKey(ContactDay, on_delete=models.CASCADE, related_name="attendees")
    # The name is the record; the account link is a convenience that may go.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    name = models.CharField(_("name"), max_length=60)
    role = models.CharField(_("role"), max_length=12, choices=AttendeeRole.choices, default=AttendeeRole.CADRE)
    organization = models.ForeignKey("organizations.Organization", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    attended = models.BooleanField(_("attended"), default=False)

    class Meta:
        ordering = ["contact_day_id", "role", "name"]
        verbose_name = _("attendee")

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


class ContactDayVisit(models.Model):
    """A visit made on a contact day: who went to which village and what they found."""

    contact_day = models.ForeignKey(ContactDay, on_delete=models.CASCADE, related_name="visits")
    village = models.ForeignKey("divisions.Division", on_delete=models.PROTECT, related_name="+")
    visitors = models.CharField(_("visitors"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    households_visited = models.PositiveIntegerField(_("households visited"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contact_day_id", "village_id"]
        verbose_name = _("contact-day visit")

    def __str__(self):
        return f"{self.village} {self.visitors}"


class Visit(DivisionScoped):
    """A grid team's visit to a household (attached to the household's grid)."""

    household = models.ForeignKey("archives.Household", on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(_("visited on"))
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    visitor_names = models.CharField(_("visitors"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["grid", "visited_on"], name="visit_grid_date_idx"),
                   models.Index(fields=["village", "visited_on"], name="visit_village_date_idx"),
                   models.Index(fields=["township", "visited_on"], name="visit_township_date_idx"),
                   models.Index(fields=["household", "visited_on"], name="visit_household_idx")]
        verbose_name = _("visit")

    def __str__(self):
        return f"{self.household} {self.visited_on}"


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
    contact_day = models.ForeignKey(ContactDay, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="matters", verbose_name=_("contact day"))
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="matters")

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
    limit_unit = models.CharField(max_length=12, choices=LimitUnit.choices, blank=True)
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
    unit = models.CharField(_("unit"), max_length=12, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAYS)
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


# ---------------------------------------------------------------- disputes and mediation


class Dispute(models.Model):
    """矛盾纠纷: the screening and mediation record of a matter of type dispute (one each)."""

    matter = models.OneToOneField(Matter, on_delete=models.CASCADE, related_name="dispute")
    screened_on = models.DateField(_("screened on"), db_index=True)
    facts = models.TextField(_("main facts"), blank=True)
    issues = models.TextField(_("disputed issues"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=MediationOutcome.choices, blank=True)
    outcome_on = models.DateField(_("outcome date"), null=True, blank=True)
    # Failed mediation: the other remedies the parties were told of (Art. 26).
    remedies_told = models.JSONField(_("remedies told"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
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

    class Meta:
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

    class Meta:
        ordering = ["dispute_id", "id"]
        verbose_name = _("mediator")

    def __str__(self):
        return self.name


class MediationSession(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    notes = models.TextField(_("record"), blank=True)

    class Meta:
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

    class Meta:
        verbose_name = _("mediation agreement")

    def __str__(self):
        return self.number

    @property
    def confirmation_deadline(self):
        import datetime as dt

        return self.effective_on + dt.timedelta(days=30)
