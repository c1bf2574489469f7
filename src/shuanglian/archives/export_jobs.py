"""Village books (一村一册) made in the background: a 400-household PDF takes over half a minute.

The export page creates an ExportJob and queues the task "archives.export_job" (core.tasks, however
settings.SHUANGLIAN_TASKS says); the job page polls its progress and offers the download when it is
done. What the file holds is decided exactly as for a download made in the request: `exports.export_make`
as the requesting user, masked unless they gave a reason and may reveal every person in it, with the
same audit event (`archives.export` or `archives.export_revealed`), written when the file is made.

The file holds personal information, so it is the requester's alone (anyone else reads the job as not
found), it is deleted as soon as it is downloaded, and `purge_expired` deletes what was not downloaded
within ExportJob.KEEP_HOURS. Files live under VAR_DIR/exports/<job id>/, readable by the owner only.
"""
import datetime as dt
import logging
import os
import shutil
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from shuanglian.core import clock, tasks
from shuanglian.core.context import action_context, new_request_id
from shuanglian.core.exceptions import DomainError, NotFound
from shuanglian.core.models import TaskRun
from shuanglian.core.scoped import get_visible

from . import exports
from .jobs import run_is_stale
from .models import ExportJob

logger = logging.getLogger(__name__)

TASK = "archives.export_job"
Status = ExportJob.Status
ACTIVE = (Status.QUEUED, Status.RUNNING)


# ---------------------------------------------------------------- files


def job_dir(job_id: int) -> Path:
    return Path(settings.VAR_DIR) / "exports" / str(job_id)


def _delete_files(job_id: int) -> None:
    shutil.rmtree(job_dir(job_id), ignore_errors=True)


def _write_private(path: Path, content: bytes) -> None:
    """Write the file readable by this user only, and whole or not at all."""
    partial = path.with_name(f"{path.name}.part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(content)
    os.replace(partial, path)


def expires_at(job: ExportJob) -> dt.datetime | None:
    return job.finished_at + dt.timedelta(hours=ExportJob.KEEP_HOURS) if job.finished_at else None


def file_available(job: ExportJob) -> bool:
    """Done, not yet downloaded or deleted, and younger than KEEP_HOURS."""
    return job.status == Status.DONE and bool(job.file_path) and clock.now() < expires_at(job)


# ---------------------------------------------------------------- reads


def export_job_list_visible_to(user) -> QuerySet[ExportJob]:
    """A user's own export jobs: nobody else's, whatever their scope (the files hold personal information)."""
    if not getattr(user, "is_authenticated", False):
        return ExportJob.objects.none()
    return ExportJob.objects.filter(user_id=user.pk).select_related("village", "task_run")


def export_job_get_for_user(user, pk: int) -> ExportJob:
    return get_visible(export_job_list_visible_to(user), pk, what="export job",
                       message=_("No export %(pk)s of yours.") % {"pk": pk})


# ---------------------------------------------------------------- writes


def export_job_create(*, actor, code: str, fmt: str, reveal_reason: str | None = None) -> ExportJob:
    """Queue a village book for `actor`. Checked now, so the user hears at once: the village in their
    scope (else NotFound), the format, and with `reveal_reason` the reason and their permission to
    reveal every person in it; for a PDF, a Chinese font (else ExportUnavailable). The audit event is
    written when the file is made."""
    target = exports.village_book_target(actor, code)
    reason = exports.export_check(actor=actor, target=target, fmt=fmt, reveal_reason=reveal_reason)
    if fmt == "pdf":
        exports.cjk_fonts()
    purge_expired()
    with transaction.atomic():
        job = ExportJob.objects.create(user=actor, village=target.village, format=fmt, reveal_reason=reason or "",
                                       language=translation.get_language() or "", status=Status.QUEUED,
                                       created_at=clock.now())
        # In the same transaction as the job: a thread or worker starting the run after the commit
        # finds the link (it heartbeats through it).
        run = tasks.enqueue(TASK, job_id=job.pk)
        if run is not None:
            ExportJob.objects.filter(pk=job.pk).update(task_run=run)
            job.task_run = run
    return job


def _progress(job: ExportJob, stage: str, done: int = 0, total: int = 0) -> None:
    ExportJob.objects.filter(pk=job.pk).update(progress={"stage": stage, "done": done, "total": total})
    tasks.heartbeat(job.task_run_id)


def run(job_id: int) -> bool:
    """Claim and make one export (the body of the "archives.export_job" task). False if someone else had it."""
    if not ExportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
            status=Status.RUNNING, started_at=clock.now()):
        return False
    job = ExportJob.objects.select_related("user", "village").get(pk=job_id)
    with action_context(request_id=new_request_id(f"export{job.pk}-"), channel="job"), \
            translation.override(job.language or settings.LANGUAGE_CODE):
        status, error, fields = Status.FAILED, "", {}
        try:
            _progress(job, "reading")
            # As the user is now: their scope and permission to reveal may have changed since they asked.
            target = exports.village_book_target(job.user, job.village.code)
            export = exports.export_make(actor=job.user, target=target, fmt=job.format,
                                         reveal_reason=job.reveal_reason or None,
                                         progress=lambda *args: _progress(job, *args))
            folder = job_dir(job.pk)
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"export.{job.format}"
            _write_private(path, export.content)
            status = Status.DONE
            fields = {"file_path": path.relative_to(Path(settings.VAR_DIR)).as_posix(), "file_name": export.filename,
                      "progress": {"stage": "done", "done": len(target.households), "total": len(target.households)}}
        except DomainError as exc:  # no longer in scope, may no longer reveal, no font: the user can act on it
            error = exc.message
        except Exception:
            logger.exception("export job %s failed", job.pk)
            error = _("Making the file failed with an unexpected error. The error has been logged; try again later.")
        if status == Status.FAILED:
            _delete_files(job.pk)
        # Unconditional: if the reaper took this run for dead meanwhile, what really happened wins.
        ExportJob.objects.filter(pk=job.pk).update(status=status, error=error, finished_at=clock.now(), **fields)
    return True


def export_job_download(*, actor, job: ExportJob) -> tuple[BinaryIO, str, str]:
    """The file, open, with its name and content type; it is deleted now (the open handle still reads
    it), so it can be downloaded once. Only by the user who asked, while the village is still theirs."""
    if job.user_id != getattr(actor, "pk", None) or not exports.village_visible(actor, job.village):
        raise NotFound(_("No export %(pk)s of yours.") % {"pk": job.pk})
    if not file_available(job):
        raise NotFound(_("The file of this export is not there (not made yet, already downloaded, or deleted "
                         "after %(hours)s hours). Export again.") % {"hours": ExportJob.KEEP_HOURS})
    try:
        fh = open(Path(settings.VAR_DIR) / job.file_path, "rb")  # noqa: SIM115 - the response closes it
    except FileNotFoundError:
        raise NotFound(_("The file of this export is not there any more. Export again.")) from None
    now = clock.now()
    # One conditional UPDATE: of two downloads at once, one gets the file.
    if not ExportJob.objects.filter(pk=job.pk, file_path=job.file_path, downloaded_at__isnull=True).update(
            file_path="", downloaded_at=now, deleted_at=now):
        fh.close()
        raise NotFound(_("The file of this export was already downloaded. Export again."))
    _delete_files(job.pk)
    return fh, job.file_name, exports.FORMATS[job.format]


# ---------------------------------------------------------------- housekeeping


def purge_expired() -> int:
    """Delete the files not downloaded within KEEP_HOURS. Returns how many."""
    cutoff = clock.now() - dt.timedelta(hours=ExportJob.KEEP_HOURS)
    purged = 0
    for job_id in ExportJob.objects.filter(status=Status.DONE, finished_at__lt=cutoff).exclude(
            file_path="").values_list("pk", flat=True):
        if ExportJob.objects.filter(pk=job_id).exclude(file_path="").update(file_path="", deleted_at=clock.now()):
            _delete_files(job_id)
            purged += 1
    return purged


def reap_orphans() -> int:
    """End as failed every active export whose TaskRun core.tasks reaped (its process died). Reaps stale
    runs first. Returns how many it ended."""
    tasks.reap_stale()
    ended = 0
    for job in ExportJob.objects.filter(status__in=ACTIVE, task_run__status=TaskRun.Status.FAILED):
        with translation.override(job.language or settings.LANGUAGE_CODE):
            error = _("The process making the file stopped before it was done. Export again.")
        if ExportJob.objects.filter(pk=job.pk, status__in=ACTIVE).update(
                status=Status.FAILED, error=error, finished_at=clock.now()):
            _delete_files(job.pk)
            ended += 1
    return ended


def reap_if_stale(job: ExportJob) -> ExportJob:
    """For the job page: an active export whose run has gone stale is ended now."""
    if job.is_active and run_is_stale(job.task_run):
        reap_orphans()
        job.refresh_from_db()
    return job
