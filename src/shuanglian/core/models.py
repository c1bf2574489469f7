from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64
# How an event's hash is made: 1, SHA-256 of the event (events written before the chain was keyed);
# 2, HMAC-SHA256 with the audit key, which is never in the database (core.audit).
HASH_PLAIN, HASH_HMAC = 1, 2


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("audit events are append-only")

    def delete(self):
        raise TypeError("audit events are deleted only by `shuanglian audit prune`")


class AuditEvent(models.Model):
    """One write, as the service that made it saw it. Rows are hash-chained in `seq` order."""

    seq = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip = models.CharField(max_length=45, blank=True)
    channel = models.CharField(max_length=16, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    hash_version = models.PositiveSmallIntegerField(default=HASH_HMAC)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["actor", "occurred_at"], name="audit_actor_idx"),
        ]
        verbose_name = _("audit event")

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("audit events are append-only")


class AuditChainHead(models.Model):
    """The chain's tip (detects rows cut off the end) and base (where pruning left the start).

    Appending locks this single row, which serialises writers on PostgreSQL; SQLite already
    serialises them with IMMEDIATE transactions.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)
    base_seq = models.PositiveBigIntegerField(default=0)
    base_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    # The first event chained with the key (None: none yet); checkpoints carry it out of the database.
    hmac_from = models.PositiveBigIntegerField(null=True, blank=True)

    def __str__(self):
        return f"audit chain head #{self.seq}"


class CalendarDay(models.Model):
    """The county office's correction of one day in the working-day calendar (it wins over the shipped file)."""

    date = models.DateField(_("date"), unique=True)
    is_working = models.BooleanField(_("working day"))
    NAME_LENGTH = 60
    name = models.CharField(_("name"), max_length=NAME_LENGTH, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")

    def __str__(self):
        return f"{self.date} {'working' if self.is_working else 'off'} {self.name}"


class TaskRun(models.Model):
    """One background run of a registered task (core.tasks); the worker's queue and its record."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    name = models.CharField(max_length=80)
    kwargs = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=120, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="taskrun_status_idx")]

    def __str__(self):
        return f"{self.name} #{self.pk} {self.status}"


class PeriodicTaskState(models.Model):
    """When a periodic task last ran: the row workers race for with a conditional UPDATE."""

    name = models.CharField(max_length=80, primary_key=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.name} {self.last_run_at}"
