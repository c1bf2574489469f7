"""Grid teams ("1+X"): one promoter and any number of volunteers per grid.

`Member` is the person (name, phone, category, employer); `Membership` is their post on one grid's team,
with a start and, once it ends, an end date. Memberships are never deleted: an ended row is the team's
history. A person may hold volunteer posts in several grids at once.

Training and kits: the county's lecturer group (`Lecturer`, from county departments) gives `TrainingSession`s
in the townships, each with its `Attendance` of members; `KitIssue` records the five items (五个一) issued to
a member and their return.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shuanglian.core.pii import BlindIndexField, PIIField
from shuanglian.divisions.models import DivisionScoped

from .choices import Category, KitItem, TeamRole


class Member(models.Model):
    """A person serving on grid teams. The phone is encrypted, with a keyed hash that identifies the person
    across grids (the same phone is the same member)."""

    name = models.CharField(_("name"), max_length=50)
    phone = PIIField(_("phone"), kind="phone")
    phone_hash = BlindIndexField()
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    from_public_institution = models.BooleanField(_("from a public institution"), default=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="team_members", verbose_name=_("user account"))
    # The county unit that put this person forward as volunteering staff (teams.services.staff); empty otherwise.
    # Indexed (the foreign key's own index): a unit's list is read by it.
    organization = models.ForeignKey("organizations.Organization", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="volunteering_staff", verbose_name=_("submitted by unit"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["phone_hash"], condition=~Q(phone_hash=""), name="team_member_phone_uniq"),
        ]
        verbose_name = _("team member")

    def __str__(self):
        return self.name


class Membership(DivisionScoped):
    """A member's post on a grid's team, attached to the grid. Current while `ended_on` is empty."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=TeamRole.choices)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["grid_id", "role", "id"]
        constraints = [
            # The rule of the post: exactly one current promoter per grid. The service checks first to name
            # the holder; this constraint decides between two requests that checked at the same time.
            models.UniqueConstraint(fields=["grid"], condition=Q(role=TeamRole.PROMOTER, ended_on__isnull=True),
                                    name="team_one_current_promoter"),
            models.UniqueConstraint(fields=["grid", "member"], condition=Q(ended_on__isnull=True),
                                    name="team_one_current_post_per_grid"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                                   name="team_ended_after_started"),
        ]
        indexes = [
            models.Index(fields=["township", "role"], name="team_township_role_idx",
                         condition=Q(ended_on__isnull=True)),
            models.Index(fields=["village", "role"], name="team_village_role_idx", condition=Q(ended_on__isnull=True)),
            models.Index(fields=["member", "ended_on"], name="team_member_idx"),
        ]
        verbose_name = _("team membership")

    def __str__(self):
        return f"{self.member_id} {self.role} @{self.grid_id}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class Lecturer(models.Model):
    """A member of the county's lecturer group (讲师团), drawn from a county department."""

    name = models.CharField(_("name"), max_length=50)
    department = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="lecturers",
                                   verbose_name=_("department"))
    topics = models.CharField(_("topics"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["department_id", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["department", "name"], name="lecturer_name_uniq")]
        verbose_name = _("lecturer")

    def __str__(self):
        return self.name


class TrainingSession(DivisionScoped):
    """A training of the grid teams, held in one township (attached to it) by lecturers of the group."""

    topic = models.CharField(_("topic"), max_length=200)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    trainers = models.ManyToManyField(Lecturer, related_name="sessions", blank=True, verbose_name=_("trainers"))
    attendees = models.ManyToManyField(Member, through="Attendance", related_name="training_sessions",
                                       verbose_name=_("attendees"))
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["township", "held_on"], name="training_township_date_idx"),
                   models.Index(fields=["held_on"], name="training_date_idx")]
        verbose_name = _("training session")

    def __str__(self):
        return f"{self.held_on} {self.topic}"


class Attendance(models.Model):
    """One member present at one session. The members-without-training report looks rows up by member."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="attendance")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="attendance_once")]
        indexes = [models.Index(fields=["member", "session"], name="attendance_member_idx")]
        verbose_name = _("attendance")

    def __str__(self):
        return f"{self.member_id} @{self.session_id}"


class KitIssue(DivisionScoped):
    """One kit item handed to a member, attached to the grid of the post it was issued through (that grid's
    managers see and take it back). Outstanding while `returned_on` is empty."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="kit_issues")
    item = models.CharField(_("item"), max_length=10, choices=KitItem.choices)
    issued_on = models.DateField(_("issued on"))
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["member_id", "item", "-issued_on", "-id"]
        constraints = [
            # An item is not issued twice to one member without its return: the service checks first to say
            # since when; this decides between two requests at once.
            models.UniqueConstraint(fields=["member", "item"], condition=Q(returned_on__isnull=True),
                                    name="kit_one_outstanding_item"),
            models.CheckConstraint(condition=Q(returned_on__isnull=True) | Q(returned_on__gte=models.F("issued_on")),
                                   name="kit_returned_after_issued"),
        ]
        indexes = [models.Index(fields=["township", "item"], name="kit_township_idx",
                                condition=Q(returned_on__isnull=True)),
                   models.Index(fields=["village"], name="kit_village_idx"),
                   models.Index(fields=["grid"], name="kit_grid_idx")]
        verbose_name = _("kit item issue")

    def __str__(self):
        return f"{self.member_id} {self.item} {self.issued_on}"

    @property
    def is_outstanding(self) -> bool:
        return self.returned_on is None


class TeamImportJob(models.Model):
    """An upload of a team list, imported in the background (core.tasks) like a household import
    (archives.ImportJob): the web process only keeps the file and queues the job. Seen by its uploader.
    `progress` is what the running import last reported: {"stage", "done", "total"}."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    MAX_ERRORS = 1000

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="team_import_jobs")
    file_name = models.CharField(_("file"), max_length=255)
    file_path = models.CharField(max_length=500, blank=True)  # relative to VAR_DIR; deleted once imported
    dry_run = models.BooleanField(_("dry run"), default=False)
    skip_invalid = models.BooleanField(_("skip invalid rows"), default=False)
    language = models.CharField(max_length=10, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.JSONField(default=dict, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)  # [{"line", "field", "reason"}], at most MAX_ERRORS
    error_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("uploaded"))
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # The background run doing the import; none when run inline or by Celery.
    task_run = models.ForeignKey("core.TaskRun", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "created_at"], name="teamimportjob_user_idx"),
                   models.Index(fields=["status", "created_at"], name="teamimportjob_status_idx")]
        verbose_name = _("team import job")

    def __str__(self):
        return f"#{self.pk} {self.file_name}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
