"""Team-list imports run as jobs, as household imports do (archives.jobs): the web request keeps the
uploaded file and queues the job; the background task "teams.import_job" (core.tasks, teams/tasks.py)
reads, checks and writes it, however settings.SHUANGLIAN_TASKS says: in a thread of the web process (the
embedded default), queued for `shuanglian worker`, on Celery, or inline (tests, scripts). Whoever runs a
job first claims it (one conditional UPDATE), so a job never runs twice.

All or nothing is the import's own (importing.import_team_members: every row checked before one
transaction writes). A job whose process died stays "running" until core.tasks reaps its run as stale;
then `reap_orphans` (the periodic "teams.housekeeping" task, and the job's page) ends it as failed.
"""
import datetime as dt
import logging
import os
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from shuanglian.access.roles import MANAGE_TEAMS
from shuanglian.access.scope import scope_for
from shuanglian.core import audit, clock, pii, tasks
from shuanglian.core.context import action_context, new_request_id
from shuanglian.core.exceptions import PermissionDenied, ValidationFailed
from shuanglian.core.models import TaskRun
from shuanglian.core.scoped import get_visible

from .importing import import_team_members
from .models import TeamImportJob

logger = logging.getLogger(__name__)

SUFFIXES = (".xlsx", ".csv")
Status = TeamImportJob.Status
TASK = "teams.import_job"
ACTIVE = (Status.QUEUED, Status.RUNNING)


def _var_dir() -> Path:
    return Path(settings.VAR_DIR)


def _absolute(relative: str) -> Path | None:
    return _var_dir() / relative if relative else None


# ---------------------------------------------------------------- reads


def team_import_job_list_visible_to(user) -> QuerySet[TeamImportJob]:
    """A user's own team-list imports (the uploaded rows and their errors name people and phones)."""
    if scope_for(user, MANAGE_TEAMS).empty:
        return TeamImportJob.objects.none()
    return TeamImportJob.objects.filter(user_id=getattr(user, "pk", None)).select_related("user", "task_run")


def team_import_job_get_for_user(user, pk: int) -> TeamImportJob:
    return get_visible(team_import_job_list_visible_to(user), pk, what="team import job",
                       message=f"No team import job {pk} that you may see.")


# ---------------------------------------------------------------- writes


def team_import_job_create(*, actor, upload, dry_run: bool = False, skip_invalid: bool = False) -> TeamImportJob:
    """Keep the uploaded file under VAR_DIR/team-imports/<id>/ (0700, the file 0600: it holds phones) and
    queue its import, which starts after the commit."""
    if scope_for(actor, MANAGE_TEAMS).empty:
        raise PermissionDenied(_("You may not import team lists."))
    name = Path(upload.name or "").name[:200]
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise ValidationFailed(_("Upload an .xlsx or .csv file."), code="invalid_file", details={"file": name})
    with transaction.atomic():
        job = TeamImportJob.objects.create(
            user=actor, file_name=name, dry_run=dry_run, skip_invalid=skip_invalid,
            language=translation.get_language() or "", status=Status.QUEUED, created_at=clock.now())
        folder = _var_dir() / "team-imports" / str(job.pk)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        source = folder / f"source{suffix}"
        with os.fdopen(os.open(source, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        job.file_path = source.relative_to(_var_dir()).as_posix()
        job.save(update_fields=["file_path"])
        audit.record(actor=actor, action="teams.import_upload", obj=job, object_repr=name,
                     after={"file": name, "size": upload.size, "dry_run": dry_run, "skip_invalid": skip_invalid})
        transaction.on_commit(lambda: start(job))
    return job


# ---------------------------------------------------------------- running


def start(job: TeamImportJob) -> None:
    """Hand the job to the task runner, linked to its TaskRun (in the run's transaction, so the thread or
    worker that starts it after the commit finds the link)."""
    with transaction.atomic():
        run = tasks.enqueue(TASK, job_id=job.pk)
        if run is not None:
            TeamImportJob.objects.filter(pk=job.pk).update(task_run=run)
            job.task_run = run


def claim(job_id: int) -> bool:
    return TeamImportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=clock.now()) == 1


def _reporter(job: TeamImportJob):
    """progress(stage, done, total) saved on the job's row for its page, with a heartbeat to its TaskRun
    (not inside a transaction: there the reaper would not see it before the commit, and on PostgreSQL the
    run's row would stay locked)."""
    def progress(stage: str, done: int = 0, total: int = 0) -> None:
        TeamImportJob.objects.filter(pk=job.pk).update(progress={"stage": stage, "done": done, "total": total})
        if not connection.in_atomic_block:
            tasks.heartbeat(job.task_run_id)
    return progress


def run(job_id: int) -> bool:
    """Claim and run one job (the body of the "teams.import_job" task). False if someone else had it."""
    if not claim(job_id):
        return False
    job = TeamImportJob.objects.select_related("user").get(pk=job_id)
    source = _absolute(job.file_path)
    with action_context(request_id=new_request_id(f"teamjob{job.pk}-"), channel="job"), \
            translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            if source is None:
                raise FileNotFoundError("the job has no uploaded file")
            result = import_team_members(source, actor=job.user, dry_run=job.dry_run,
                                         skip_invalid=job.skip_invalid, progress=_reporter(job))
            job.summary = {**result.summary(), "file": job.file_name, "ok": result.ok}
            job.error_count = len(result.errors)
            # Reasons may quote a cell; a shifted column could put a phone there: scrub what looks like one.
            job.errors = [{"line": e.line, "field": e.field, "reason": pii.scrub(str(e.reason))}
                          for e in result.errors[:TeamImportJob.MAX_ERRORS]]
            job.status = Status.DONE
        except Exception:
            # The write is one transaction: nothing of it was kept. The log line carries no row values.
            logger.exception("team import job %s failed", job.pk)
            job.status = Status.FAILED
            job.errors = [{"line": 0, "field": "", "reason": _(
                "The import stopped with an unexpected error; nothing was written. The error has been logged.")}]
            job.error_count = 1
        finally:
            if source is not None:  # the upload holds phones in clear: keep it no longer than the import
                source.unlink(missing_ok=True)
                try:
                    source.parent.rmdir()
                except OSError:
                    pass
            job.finished_at = clock.now()
            job.progress = {}
            job.save(update_fields=["status", "summary", "errors", "error_count", "finished_at", "progress"])
    return True


# ---------------------------------------------------------------- reaping


def reap_orphans() -> int:
    """End as failed every active job whose TaskRun core.tasks reaped (its process died: the import's one
    transaction was rolled back), deleting its upload. Returns how many it ended."""
    tasks.reap_stale()
    ended = 0
    for job in TeamImportJob.objects.filter(status__in=ACTIVE, task_run__status=TaskRun.Status.FAILED):
        with translation.override(job.language or settings.LANGUAGE_CODE):
            reason = _("The process running the import stopped; nothing was written.")
        if TeamImportJob.objects.filter(pk=job.pk, status__in=ACTIVE).update(
                status=Status.FAILED, finished_at=clock.now(), error_count=1,
                errors=[{"line": 0, "field": "", "reason": reason}]):
            ended += 1
            source = _absolute(job.file_path)
            if source is not None:
                source.unlink(missing_ok=True)
    return ended


def reap_if_stale(job: TeamImportJob) -> TeamImportJob:
    """For the job's page: an active job whose run has stopped is ended now, not at the next housekeeping."""
    run = job.task_run
    if not job.is_active or run is None:
        return job
    last = run.heartbeat_at or run.started_at
    cutoff = clock.now() - dt.timedelta(seconds=tasks.STALE_AFTER_SECONDS)
    if run.status == TaskRun.Status.FAILED or (run.status == TaskRun.Status.RUNNING and last is not None
                                               and last < cutoff):
        reap_orphans()
        job.refresh_from_db()
    return job
