"""The archives' background tasks (core.tasks): household imports, village-book exports, and the
housekeeping that ends jobs whose process died and deletes export files past their time."""
from shuanglian.core.tasks import task

from . import export_jobs, jobs


@task("archives.import_job")
def import_job(*, job_id: int) -> None:
    jobs.run(job_id)


@task("archives.export_job")
def export_job(*, job_id: int) -> None:
    export_jobs.run(job_id)


@task("archives.housekeeping", every=300)
def housekeeping() -> None:
    """Every 5 minutes: end the import and export jobs whose task run was reaped as stale; delete the
    export files not downloaded within ExportJob.KEEP_HOURS and the rejected-rows files of imports older
    than ImportJob.KEEP_HOURS."""
    jobs.reap_orphans()
    jobs.purge_rejects()
    export_jobs.reap_orphans()
    export_jobs.purge_expired()
