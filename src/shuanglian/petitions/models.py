"""Petitions (信访件), their timeline, group-visit representatives, subjects, and backlog cases (信访积案)."""
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuanglian.core.deadlines import DeadlineState
from shuanglian.core.pii import PIIField
from shuanglian.divisions.models import DivisionScoped, scope_column

from .choices import Category, Channel, Lodged, Outcome, Status


class Subject(models.Model):
    """The configurable subject list (land, pensions, environment, ...), each under one category."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("petition subject")

    def __str__(self):
        return self.name


class Petition(DivisionScoped):
    """One petition. The attach point (`division`) is the division it concerns.

    A group visit is one petition (one batch) with its person-times and at most 5 representatives.
    `received_on` is the original date of lodging, also for one lodged above and transferred back.
    """

    township = scope_column(db_index=False)  # leads the (township, received_on) index
    number = models.CharField(_("number"), max_length=30)
    year = models.PositiveSmallIntegerField(_("year"))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    subject = models.ForeignKey(Subject, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lodged_at = models.CharField(_("lodged at"), max_length=10, choices=Lodged.choices, default=Lodged.COUNTY)
    received_on = models.DateField(_("received on"))
    registered_at = models.DateTimeField(_("registered at"))
    summary = models.CharField(_("summary"), max_length=200)
    content = models.TextField(_("full content"), blank=True)
    # The petitioner: a person in the archives, or a named petitioner not in them.
    person = models.ForeignKey("archives.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    petitioner_name = models.CharField(_("petitioner"), max_length=60)
    petitioner_phone = PIIField(_("petitioner's phone"), kind="phone")
    person_times = models.PositiveIntegerField(_("person-times"), default=1, validators=[MinValueValidator(1)])
    # Who is accused (检举控告): never shown the petitioner or the materials (Art. 30).
    accused = models.CharField(_("accused person or unit"), max_length=100, blank=True)
    accused_organization = models.ForeignKey("organizations.Organization", null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+")
    matter = models.ForeignKey("matters.Matter", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    dispute = models.ForeignKey("mediation.Dispute", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    handling_organization = models.ForeignKey("organizations.Organization", null=True, blank=True,
                                              on_delete=models.PROTECT, related_name="+")
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REGISTERED)
    # Stage dates.
    routed_at = models.DateTimeField(_("routed at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("extension (days)"), default=0)
    extension_approver = models.CharField(_("extension approved by"), max_length=60, blank=True)
    replied_at = models.DateTimeField(_("reply issued at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    reply_request = models.TextField(_("request"), blank=True)
    reply_facts = models.TextField(_("facts"), blank=True)
    reply_reasons = models.TextField(_("reasons"), blank=True)
    reply_basis = models.TextField(_("legal basis"), blank=True)
    review_requested_at = models.DateTimeField(_("review requested at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    rereview_requested_at = models.DateTimeField(_("re-review requested at"), null=True, blank=True)
    rereviewed_at = models.DateTimeField(_("re-reviewed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The running statutory clock (core.deadlines, calendar days).
    deadline_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    yellow_at = models.DateTimeField(null=True, blank=True)
    deadline_state = models.CharField(_("clock"), max_length=8, choices=DeadlineState.choices,
                                      default=DeadlineState.OK)

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["county", "number"], name="petition_number_per_county"),
            models.CheckConstraint(condition=models.Q(person_times__gte=1), name="petition_person_times_positive"),
            models.CheckConstraint(condition=models.Q(extension_days__lte=30), name="petition_extension_at_most_30"),
        ]
        indexes = [
            models.Index(fields=["township", "received_on"], name="petition_township_idx"),
            models.Index(fields=["county", "received_on"], name="petition_county_idx"),
            models.Index(fields=["status", "deadline_at"], name="petition_clock_idx"),
        ]
        verbose_name = _("petition")

    def __str__(self):
        return self.number

    @property
    def confidential(self) -> bool:
        return self.category == Category.ACCUSATION


class Representative(models.Model):
    """One of a group visit's representatives (at most 5, Art. 20)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="representatives")
    person = models.ForeignKey("archives.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["petition_id", "id"]
        verbose_name = _("representative")

    def __str__(self):
        return self.name


class Transition(models.Model):
    """The petition's timeline: one row per action of the workflow."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=16)
    to_status = models.CharField(max_length=16)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_label = models.CharField(max_length=150, blank=True)
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.petition_id} {self.action}"


class BacklogCase(DivisionScoped):
    """信访积案: one or more petitions by the same people on the same matter, with a leader responsible."""

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    petitions = models.ManyToManyField(Petition, blank=True, related_name="backlog_cases")
    leader = models.CharField(_("leader responsible"), max_length=60)
    target_on = models.DateField(_("target date"))
    plan = models.TextField(_("plan"), blank=True)
    major = models.BooleanField(_("major and difficult case"), default=False)
    progress = models.TextField(_("progress"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    pledged_on = models.DateField(_("withdrawal pledge signed on"), null=True, blank=True)
    pledge_document = models.FileField(_("signed pledge"), upload_to="petitions/pledges/%Y/", blank=True)

    class Meta:
        ordering = ["-year", "id"]
        indexes = [models.Index(fields=["year", "county"], name="backlog_year_idx")]
        verbose_name = _("backlog case")

    def __str__(self):
        return self.title


class BacklogStandard(models.Model):
    """The provincial standard for the backlog resolution rate, per year (60% for 2010)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    rate = models.DecimalField(_("standard"), max_digits=4, decimal_places=3,
                               validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))])

    class Meta:
        ordering = ["year"]
        verbose_name = _("backlog resolution standard")

    def __str__(self):
        return f"{self.year}: {self.rate}"
