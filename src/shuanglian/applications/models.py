"""Full-process service (为民办事全程服务): service points, the service catalog, applications and their timeline."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shuanglian.core.deadlines import DeadlineState
from shuanglian.core.pii import BlindIndexField, PIIField
from shuanglian.divisions.models import DivisionScoped

from .choices import AcceptedAt, NotifiedBy, PointKind, Satisfaction, Status


class ServicePoint(DivisionScoped):
    """A service center (one per township) or an agent point (one per village, sometimes two), attached to that
    division."""

    kind = models.CharField(_("kind"), max_length=12, choices=PointKind.choices)
    name = models.CharField(_("name"), max_length=100)
    organization = models.ForeignKey("organizations.Organization", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="service_points", verbose_name=_("organization"))
    center = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="agent_points",
                               verbose_name=_("center it forwards to"))
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["division__code", "kind", "name"]
        constraints = [
            # One center per township. A village usually has one agent point; a village formed by merging
            # several may keep a second at a former village's office, so agent points differ by name.
            models.UniqueConstraint(fields=["division"], condition=Q(is_active=True, kind=PointKind.CENTER),
                                    name="service_point_one_center_per_division"),
            models.UniqueConstraint(fields=["division", "name"], condition=Q(is_active=True, kind=PointKind.AGENT_POINT),
                                    name="service_point_agent_name_per_division"),
            models.CheckConstraint(condition=Q(kind=PointKind.CENTER, center__isnull=True)
                                   | Q(kind=PointKind.AGENT_POINT, center__isnull=False),
                                   name="service_point_agent_has_center"),
        ]
        indexes = [models.Index(fields=["township", "kind"], name="service_point_township_idx")]
        verbose_name = _("service point")

    def __str__(self):
        return self.name


class StaffPosting(models.Model):
    """Someone on duty at a point, with their position; shown publicly (name, position, photo)."""

    point = models.ForeignKey(ServicePoint, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="service_postings")
    name = models.CharField(_("name"), max_length=50)
    position = models.CharField(_("position"), max_length=50)
    photo = models.CharField(_("photo"), max_length=200, blank=True)
    full_time = models.BooleanField(_("full-time"), default=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["point_id", "id"]
        indexes = [models.Index(fields=["user", "is_active"], name="service_staff_user_idx")]
        verbose_name = _("staff posting")

    def __str__(self):
        return f"{self.name} ({self.position})"


class ServiceItem(models.Model):
    """One entry of the service catalog (办事指南), posted publicly."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    department = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                   related_name="service_items", verbose_name=_("responsible department"))
    conditions = models.TextField(_("conditions"), blank=True)
    materials = models.JSONField(_("required materials"), default=list, blank=True)
    steps = models.JSONField(_("steps"), default=list, blank=True)
    legal_days = models.PositiveSmallIntegerField(_("legal time limit (working days)"))
    promised_days = models.PositiveSmallIntegerField(_("promised time limit (working days)"))
    fees = models.CharField(_("fees"), max_length=200, blank=True)
    accepted_at = models.CharField(_("where accepted"), max_length=8, choices=AcceptedAt.choices,
                                   default=AcceptedAt.ANY)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(promised_days__lte=F("legal_days")),
                                   name="service_item_promised_within_legal"),
            models.CheckConstraint(condition=Q(promised_days__gte=1), name="service_item_promised_positive"),
        ]
        verbose_name = _("service item")

    def __str__(self):
        return self.name


class ReceiptCounter(models.Model):
    """The last receipt number issued per year; its row is locked while the next one is drawn."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class Application(DivisionScoped):
    """One case of a service item (办件), attached to the division of the point that accepted it."""

    receipt_no = models.CharField(_("receipt number"), max_length=20, unique=True)
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="applications")
    point = models.ForeignKey(ServicePoint, on_delete=models.PROTECT, related_name="applications",
                              verbose_name=_("accepted at"))
    center = models.ForeignKey(ServicePoint, on_delete=models.PROTECT, related_name="center_applications",
                               verbose_name=_("handling center"))
    department = models.ForeignKey("organizations.Organization", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="service_applications", verbose_name=_("assigned department"))
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("handled by"))
    applicant_name = models.CharField(_("applicant"), max_length=50)
    applicant_phone = PIIField(_("applicant's phone"), kind="phone")
    applicant_phone_hash = BlindIndexField(db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACCEPTED)
    resume_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"))
    promised_date = models.DateField(_("promised completion date"))
    # The promised date on the core deadline engine (applications/deadlines.py): kept by the sweep.
    yellow_at = models.DateTimeField(null=True, blank=True)
    deadline_at = models.DateTimeField(null=True, blank=True)
    deadline_state = models.CharField(_("deadline state"), max_length=6, choices=DeadlineState.choices,
                                      default=DeadlineState.OK)
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspended_days = models.PositiveSmallIntegerField(_("working days waited for materials"), default=0)
    missing_materials = models.JSONField(_("missing materials"), default=list, blank=True)
    result = models.TextField(_("result"), blank=True)
    notified_by = models.CharField(_("how the applicant was told"), max_length=16, choices=NotifiedBy.choices,
                                   blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=16, choices=Satisfaction.choices, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    on_time = models.BooleanField(_("on time"), null=True, blank=True)

    class Meta:
        ordering = ["-accepted_at", "-id"]
        indexes = [
            models.Index(fields=["township", "status"], name="service_app_township_idx"),
            models.Index(fields=["point", "status"], name="service_app_point_idx"),
            models.Index(fields=["center", "status"], name="service_app_center_idx"),
            models.Index(fields=["department", "status"], name="service_app_department_idx"),
            # The sweep's scan: running applications by deadline.
            models.Index(fields=["status", "deadline_at"], name="service_app_deadline_idx"),
        ]
        verbose_name = _("application")

    def __str__(self):
        return self.receipt_no


class Transition(models.Model):
    """The timeline: one row per step, as with matters."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_label = models.CharField(max_length=150, blank=True)
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("application step")

    def __str__(self):
        return f"{self.action}: {self.from_status} -> {self.to_status}"


class Complaint(models.Model):
    """A complaint against an application (slow, rude, asked twice for materials, ...), for supervision."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="complaints")
    text = models.TextField(_("complaint"))
    received_at = models.DateTimeField(_("received at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_by_label = models.CharField(max_length=150, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("complaint")

    def __str__(self):
        return f"{self.application_id}: {self.text[:30]}"
