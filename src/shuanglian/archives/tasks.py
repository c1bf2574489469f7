"""The archives' background tasks (core.tasks): household imports, and the housekeeping that ends
jobs whose process died."""
from shuanglian.core.tasks import task


@task("archives.import_job")
def import_job(*, job_id: int) -> None:
    from . import jobs

    jobs.run(job_id)


@task("archives.housekeeping", every=300)
def housekeeping() -> None:
    """Every 5 minutes: end the import jobs whose task run was reaped as stale."""
    from . import jobs

    jobs.reap_orphans()
