"""Household archives (民情档案): one household one file. The most sensitive data the platform holds."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from shuanglian.core import pii
from shuanglian.core.pii import BlindIndexField, PIIField, SealedDecimalField, SealedTextField
from shuanglian.divisions.models import DivisionScoped, scope_column

from .choices import RelationKind, RelationToHead, ResidenceStatus, Sex


class Tag(models.Model):
    """A configurable household label: low-income (低保), five-guarantee (五保), left-behind child ..."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)
    sensitive = models.BooleanField(_("sensitive"), default=True,
                                    help_text=_("Hidden from grid volunteers (PIPL Art. 28: specific identities)."))
    position = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("tag")

    def __str__(self):
        return self.name

    @cached_property
    def index(self) -> str:
        """The keyed blind index a household's link to this tag holds instead of the tag (HouseholdTag)."""
        return tag_index(self.code)

    @classmethod
    def by_index(cls) -> dict[str, "Tag"]:
        """Every tag by its blind index: how links are read back (a handful of tags, one query)."""
        return {t.index: t for t in cls.objects.all()}


def tag_index(code: str) -> str:
    """HMAC(index key, "tag:" + code): without PII_KEY nobody can tell which label a link is."""
    return pii.blind_index("tag", code)


class Household(DivisionScoped):
    """户. Attached to its grid; numbers are unique within the grid so restructuring never collides."""

    township = scope_column(db_index=False)  # led by the (township, number) index
    village = scope_column(db_index=False)  # led by the (village, completeness) index
    number = models.CharField(_("household number"), max_length=30)
    address = models.CharField(_("address"), max_length=200, blank=True)
    house = models.CharField(_("house"), max_length=200, blank=True)
    # Sensitive (PIPL Art. 28: finances): encrypted at rest, like health (archives.disclosure).
    annual_income = SealedDecimalField(_("annual income"), max_digits=12, decimal_places=2, null=True, blank=True)
    land_notes = models.TextField(_("land"), blank=True)
    livelihood_notes = models.TextField(_("livelihood"), blank=True)
    completeness = models.PositiveSmallIntegerField(_("completeness"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["grid_id", "number"]
        constraints = [models.UniqueConstraint(fields=["grid", "number"], name="household_grid_number_uniq")]
        indexes = [
            models.Index(fields=["township", "number"], name="household_township_number_idx"),
            models.Index(fields=["village", "completeness"], name="household_village_compl_idx"),
        ]
        verbose_name = _("household")

    def __str__(self):
        return f"{self.number}"

    def tag_list(self, by_index: dict[str, Tag] | None = None) -> list[Tag]:
        """This household's tags in display order; `by_index` (Tag.by_index()) and a prefetched
        householdtag_set spare the queries. A link whose tag is gone names nothing and is left out."""
        by_index = Tag.by_index() if by_index is None else by_index
        found = [by_index[link.tag_index] for link in self.householdtag_set.all() if link.tag_index in by_index]
        return sorted(found, key=lambda t: (t.position, t.code))


class HouseholdTag(models.Model):
    """A household's label. Sensitive labels (low-income, five-guarantee, a left-behind child: PIPL Art. 28)
    are specific identities, so no link names its tag: it holds the tag's keyed blind index (Tag.index), every
    tag alike, so that flipping a tag's `sensitive` rewrites nothing. Whoever reads the database sees that
    households share a label, not which; filtering by one stays an indexed equality (archives.filtersets)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE)
    tag_index = BlindIndexField(_("tag"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["household", "tag_index"], name="household_tag_index_uniq")]
        indexes = [models.Index(fields=["tag_index", "household"], name="household_tag_index_idx")]

    def __str__(self):
        return f"{self.household_id}:{self.tag_index[:8]}"


class Person(DivisionScoped):
    """人员. Scope columns follow the household's; ID number and phone are encrypted with keyed hashes."""

    township = scope_column(db_index=False)  # led by the (township, name) index
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members")
    name = models.CharField(_("name"), max_length=50)
    id_number = PIIField(_("ID number"), kind="id_number")
    id_number_hash = BlindIndexField()
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    phone = PIIField(_("phone"), kind="phone")
    phone_hash = BlindIndexField()
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True)
    education = models.CharField(_("education"), max_length=20, blank=True)
    occupation = models.CharField(_("occupation"), max_length=50, blank=True)
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    health = SealedTextField(_("health"), max_length=100, blank=True)  # sensitive: encrypted at rest
    political_status = models.CharField(_("political status"), max_length=20, blank=True)
    relation_to_head = models.CharField(_("relation to head"), max_length=16, choices=RelationToHead.choices)
    residence_status = models.CharField(_("residence status"), max_length=12, choices=ResidenceStatus.choices,
                                        default=ResidenceStatus.REGISTERED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["household_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["id_number_hash"], condition=~Q(id_number_hash=""),
                                    name="person_id_number_uniq"),
            models.UniqueConstraint(fields=["household"], condition=Q(relation_to_head="head", is_active=True),
                                    name="person_one_head_per_household"),
        ]
        indexes = [
            # Name search is by prefix (LIKE 'x%'). PostgreSQL serves that from a btree only with the pattern
            # operator class, unless the database's collation is exactly "C" (C.UTF-8 and zh_CN.UTF-8 are not).
            models.Index(fields=["township", "name"], name="person_township_name_idx",
                         opclasses=["int8_ops", "varchar_pattern_ops"]),
            models.Index(fields=["name"], name="person_name_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["phone_hash"], name="person_phone_idx", condition=~Q(phone_hash="")),
            models.Index(fields=["birth_date"], name="person_birth_idx"),
        ]
        verbose_name = _("person")

    def __str__(self):
        return self.name


class Relation(models.Model):
    """Social relations at a glance, across households."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relations")
    other = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=RelationKind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "other", "kind"], name="relation_uniq"),
            models.CheckConstraint(condition=~Q(person=models.F("other")), name="relation_not_self"),
        ]

    def __str__(self):
        return f"{self.person_id} {self.kind} {self.other_id}"


class HouseholdVersion(models.Model):
    """A household's history: who changed what, when. Values of personal information are masked here."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="versions")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=40)
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["household", "at"], name="householdversion_idx")]

    def __str__(self):
        return f"{self.household_id} {self.action} {self.at:%Y-%m-%d}"


class ImportJob(models.Model):
    """An upload of a village's spreadsheet, imported in the background; its page can be left and come back to.

    Paths are relative to VAR_DIR, so a worker on another machine sharing var/ finds the same files.
    `division` is the root of the uploader's import scope when they uploaded: users whose import scope
    covers it see the job too.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    MAX_ERRORS = 1000
    KEEP_HOURS = 24  # the rejected-rows file is deleted this long after the import finished

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_jobs")
    division = models.ForeignKey("divisions.Division", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    file_name = models.CharField(_("file"), max_length=255)
    file_path = models.CharField(max_length=500, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    skip_invalid = models.BooleanField(_("skip invalid rows"), default=False)
    language = models.CharField(max_length=10, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    summary = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)  # [{"line", "field", "reason"}], at most MAX_ERRORS
    error_count = models.PositiveIntegerField(default=0)
    rejects_path = models.CharField(max_length=500, blank=True)
    progress_path = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(_("uploaded"))
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # The background run (core.tasks) doing the import; none when run inline or by Celery.
    task_run = models.ForeignKey("core.TaskRun", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "created_at"], name="importjob_user_idx"),
            models.Index(fields=["status", "created_at"], name="importjob_status_idx"),
        ]
        verbose_name = _("import job")

    def __str__(self):
        return f"#{self.pk} {self.file_name}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class ExportJob(models.Model):
    """A village book (一村一册) made in the background for the user who asked, and for nobody else.

    The file holds personal information (masked, or in full with `reveal_reason`): it lives under
    VAR_DIR/exports/<id>/ (paths relative to VAR_DIR, so a worker on another machine sharing var/ finds
    it) and is deleted once downloaded, or KEEP_HOURS after it was made.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", _("Excel (.xlsx)")

    KEEP_HOURS = 24

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="export_jobs")
    village = models.ForeignKey("divisions.Division", on_delete=models.PROTECT, related_name="+")
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    reveal_reason = models.CharField(_("reason"), max_length=200, blank=True)  # blank: masked
    language = models.CharField(max_length=10, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.JSONField(default=dict, blank=True)  # {"stage", "done", "total"}
    file_path = models.CharField(max_length=500, blank=True)  # blank once deleted
    file_name = models.CharField(max_length=255, blank=True)  # the name the download gets
    error = models.TextField(blank=True)
    task_run = models.ForeignKey("core.TaskRun", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    created_at = models.DateTimeField(_("requested"))
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    downloaded_at = models.DateTimeField(_("downloaded"), null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)  # when the file was deleted

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "created_at"], name="exportjob_user_idx"),
            models.Index(fields=["status", "finished_at"], name="exportjob_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(format__in=["pdf", "xlsx"]), name="exportjob_format_valid"),
        ]
        verbose_name = _("export job")

    def __str__(self):
        return f"#{self.pk} {self.village_id} {self.format}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def revealed(self) -> bool:
        return bool(self.reveal_reason)
