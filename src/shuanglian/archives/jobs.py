"""Household imports run as jobs: upload now, import in the background, come back to the result.

The job runs as the background task "archives.import_job" (core.tasks, archives/tasks.py), started
once the upload has committed, however settings.SHUANGLIAN_TASKS says: in a thread of the web process
(the embedded default), queued for `shuanglian worker`, inline (tests, scripts) or on Celery. Whoever
runs a job first claims it with one conditional UPDATE (status queued -> running), so a job never runs
twice. Nothing here lives in process memory: the state is the row, and the files under
VAR_DIR/imports/<job id>/ (source, progress JSON, rejects).

A job whose process died mid-import would stay "running": the import ran in one transaction, so the
database is as it was. The task heartbeats its TaskRun while it reads and checks; when core.tasks
reaps the run as stale, `reap_orphans` (the periodic "archives.housekeeping" task, and the job page
when it sees a stale run) ends the job as failed and deletes the uploaded file.
"""
import datetime as dt
import json
import logging
import time
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from shuanglian.access.roles import IMPORT_ARCHIVES
from shuanglian.access.scope import scope_for
from shuanglian.core import audit, clock, pii, tasks
from shuanglian.core.context import action_context, new_request_id
from shuanglian.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from shuanglian.core.models import AuditEvent, TaskRun
from shuanglian.core.scoped import get_visible
from shuanglian.divisions.choices import CODE_LENGTH
from shuanglian.divisions.models import Division
from shuanglian.divisions.scope import Scope

from .importing import Progress, import_households, write_rejects
from .models import ImportJob

logger = logging.getLogger(__name__)

SUFFIXES = (".xlsx", ".csv")
Status = ImportJob.Status
TASK = "archives.import_job"
ACTIVE = (Status.QUEUED, Status.RUNNING)


# ---------------------------------------------------------------- files


def var_dir() -> Path:
    return Path(settings.VAR_DIR)


def job_dir(job_id: int) -> Path:
    return var_dir() / "imports" / str(job_id)


def absolute(relative: str) -> Path | None:
    return var_dir() / relative if relative else None


def _relative(path: Path) -> str:
    return path.relative_to(var_dir()).as_posix()


def read_progress(job: ImportJob) -> dict | None:
    """The progress the running import last wrote ({"stage", "done", "total"}), or None before it starts."""
    path = absolute(job.progress_path)
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path else None
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


# ---------------------------------------------------------------- reads


def import_job_list_visible_to(user) -> QuerySet[ImportJob]:
    """A user's own jobs, and the jobs of uploaders whose scope lies within the user's import scope."""
    scope = scope_for(user, IMPORT_ARCHIVES)
    if scope.everything:
        return ImportJob.objects.select_related("user", "task_run")
    q = Q(user_id=getattr(user, "pk", None))
    if scope.codes:
        q |= Q(division__isnull=False) & scope.division_q("division__")
    return ImportJob.objects.filter(q).select_related("user", "task_run")


def import_job_get_for_user(user, pk: int) -> ImportJob:
    return get_visible(import_job_list_visible_to(user), pk, what="import job",
                       message=f"No import job {pk} that you may see.")


# ---------------------------------------------------------------- writes


def _scope_root(scope: Scope) -> Division | None:
    """The one division that holds the whole scope: its root, or the deepest common ancestor of its roots."""
    if scope.everything or not scope.codes:
        return None
    if len(scope.codes) == 1:
        return Division.objects.filter(pk=scope.ids[scope.codes[0]]).first()
    common = scope.codes[0]
    for code in scope.codes[1:]:
        while not code.startswith(common):
            common = common[:-1]
    lengths = [n for n in CODE_LENGTH.values() if n <= len(common)]
    if not lengths:
        return None
    return Division.objects.current().filter(code=common[:max(lengths)]).first()


def import_job_create(*, actor, upload, dry_run: bool = False, skip_invalid: bool = False) -> ImportJob:
    """Keep the uploaded file under VAR_DIR/imports/<id>/ and queue its import, which starts after commit."""
    scope = scope_for(actor, IMPORT_ARCHIVES)
    if scope.empty:
        raise PermissionDenied(_("You may not import archives."))
    name = Path(upload.name or "").name[:200]
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise ValidationFailed(_("Upload an .xlsx or .csv file."), code="invalid_file", details={"file": name})
    with transaction.atomic():
        job = ImportJob.objects.create(
            user=actor, division=_scope_root(scope), file_name=name, dry_run=dry_run, skip_invalid=skip_invalid,
            language=translation.get_language() or "", status=Status.QUEUED, created_at=clock.now())
        folder = job_dir(job.pk)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # the upload holds ID numbers and phones
        source = folder / f"source{suffix}"
        with open(source, "wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        job.file_path = _relative(source)
        job.progress_path = _relative(folder / "progress.json")
        job.save(update_fields=["file_path", "progress_path"])
        audit.record(actor=actor, action="archives.import_upload", obj=job, object_repr=name,
                     after={"file": name, "size": upload.size, "dry_run": dry_run, "skip_invalid": skip_invalid})
        transaction.on_commit(lambda: start(job))
    return job


def rejects_downloaded(*, actor, job: ImportJob) -> Path:
    """The rejected rows hold the uploaded values in full: only the uploader gets them, and it is audited."""
    if job.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the person who uploaded the file may download its rejected rows."))
    path = absolute(job.rejects_path)
    if path is None or not path.exists():
        raise NotFound(_("This import has no file of rejected rows."))
    audit.record(actor=actor, action="archives.import_rejects_download", obj=job, object_repr=job.file_name,
                 after={"rows": job.summary.get("invalid_rows", 0)})
    return path


# ---------------------------------------------------------------- running


def start(job: ImportJob) -> None:
    """Hand the job to the task runner (settings.SHUANGLIAN_TASKS), linked to its TaskRun if it gets one.

    The link is saved in the same transaction as the run, so a thread or worker that starts the run
    after the commit finds it (the task heartbeats through it)."""
    with transaction.atomic():
        run = tasks.enqueue(TASK, job_id=job.pk)
        if run is not None:
            ImportJob.objects.filter(pk=job.pk).update(task_run=run)
            job.task_run = run


def claim(job_id: int) -> bool:
    """Take a queued job. One UPDATE ... WHERE status = 'queued': exactly one claimant wins."""
    return ImportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=clock.now()) == 1


class _Heartbeat(Progress):
    """The progress file, plus a heartbeat to the job's TaskRun now and then so the reaper knows the
    import is alive. Not inside a transaction: there the heartbeat would be invisible to the reaper
    until the commit (and on PostgreSQL would hold the run's row locked)."""

    EVERY_SECONDS = 30.0

    def __init__(self, path: Path | None, run_id: int | None):
        super().__init__(path)
        self.run_id = run_id
        self.last_beat = time.monotonic()

    def __call__(self, stage: str, done: int = 0, total: int = 0, force: bool = False) -> None:
        super().__call__(stage, done, total, force)
        now = time.monotonic()
        if self.run_id and now - self.last_beat >= self.EVERY_SECONDS and not connection.in_atomic_block:
            self.last_beat = now
            tasks.heartbeat(self.run_id)


def run(job_id: int) -> bool:
    """Claim and run one job (the body of the "archives.import_job" task). False if someone else had claimed it."""
    if not claim(job_id):
        return False
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    source = absolute(job.file_path)
    with action_context(request_id=new_request_id(f"job{job.pk}-"), channel="job"), \
            translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            result = import_households(source, actor=job.user, dry_run=job.dry_run, skip_invalid=job.skip_invalid,
                                       progress=_Heartbeat(absolute(job.progress_path), job.task_run_id))
            job.summary = {**result.summary(), "seconds": round(result.seconds, 2), "ok": result.ok}
            job.error_count = len(result.errors)
            # A reason may quote a cell (an unknown grid code, tag ...); a shifted column could put an ID
            # number or a phone there, and others in scope read this list: scrub what looks like one.
            job.errors = [{"line": e.line, "field": e.field, "reason": pii.scrub(str(e.reason))}
                          for e in result.errors[:ImportJob.MAX_ERRORS]]
            if result.rejected_lines:
                target = source.with_name("rejects.csv")
                write_rejects(result, source, target)
                job.rejects_path = _relative(target)
            job.status = Status.DONE
        except Exception:
            # The import ran in one transaction: nothing of it was written. The log line carries no row values.
            logger.exception("import job %s failed", job.pk)
            job.status = Status.FAILED
            job.errors = [{"line": 0, "field": "", "reason": _(
                "The import stopped with an unexpected error; nothing was written. The error has been logged.")}]
            job.error_count = 1
        finally:
            # The uploaded file holds ID numbers and phones in clear: keep it no longer than the import.
            if source is not None:
                source.unlink(missing_ok=True)
            job.finished_at = clock.now()
            job.save(update_fields=["status", "summary", "errors", "error_count", "rejects_path", "finished_at"])
    return True


# ---------------------------------------------------------------- reaping


def run_is_stale(run) -> bool:
    """Whether a job's TaskRun was reaped, or is due to be: failed, or running without a heartbeat for
    core.tasks.STALE_AFTER_SECONDS."""
    if run is None:
        return False
    if run.status == TaskRun.Status.FAILED:
        return True
    last = run.heartbeat_at or run.started_at
    cutoff = clock.now() - dt.timedelta(seconds=tasks.STALE_AFTER_SECONDS)
    return run.status == TaskRun.Status.RUNNING and last is not None and last < cutoff


def _wrote(job: ImportJob) -> bool:
    """Whether the job's import committed (its audit event, written in the import's transaction, exists)."""
    return AuditEvent.objects.filter(action="archives.import", request_id__startswith=f"job{job.pk}-").exists()


def reap_orphans() -> int:
    """End as failed every active job whose TaskRun core.tasks reaped (its process died); delete their
    uploaded files. Reaps stale runs first. Returns how many jobs it ended."""
    tasks.reap_stale()
    ended = 0
    for job in ImportJob.objects.filter(status__in=ACTIVE, task_run__status=TaskRun.Status.FAILED):
        with translation.override(job.language or settings.LANGUAGE_CODE):
            if _wrote(job):
                reason = _("The process running the import stopped after the import was written; its "
                           "summary was lost. Check the archives before importing the file again.")
            else:
                reason = _("The process running the import stopped; nothing was written.")
        # Conditional, like the claim: a job that finished meanwhile keeps its result.
        if ImportJob.objects.filter(pk=job.pk, status__in=ACTIVE).update(
                status=Status.FAILED, finished_at=clock.now(), error_count=1,
                errors=[{"line": 0, "field": "", "reason": reason}]):
            ended += 1
            logger.warning("import job %s failed: its task run %s stopped", job.pk, job.task_run_id)
            source = absolute(job.file_path)
            if source is not None:
                source.unlink(missing_ok=True)
    return ended


def purge_rejects() -> int:
    """Delete the rejected-rows files of imports finished more than ImportJob.KEEP_HOURS ago (downloaded or
    not), with their folders when empty; the job keeps its summary and errors. Returns how many it deleted."""
    cutoff = clock.now() - dt.timedelta(hours=ImportJob.KEEP_HOURS)
    purged = 0
    for job in ImportJob.objects.filter(finished_at__lt=cutoff).exclude(rejects_path=""):
        path = absolute(job.rejects_path)
        if path is not None:
            path.unlink(missing_ok=True)
            try:
                path.parent.rmdir()
            except OSError:
                pass  # something else is still in the folder
        ImportJob.objects.filter(pk=job.pk).update(rejects_path="")
        purged += 1
    return purged


def reap_if_stale(job: ImportJob) -> ImportJob:
    """For the job page: an active job whose run has gone stale is ended now rather than at the next
    housekeeping (which needs a worker or Celery beat); returns the job as it now is."""
    if job.is_active and run_is_stale(job.task_run):
        reap_orphans()
        job.refresh_from_db()
    return job
