"""The teams' background tasks (core.tasks): team-list imports, and the housekeeping that ends the imports
whose process died."""
from shuanglian.core.tasks import task

from . import jobs


@task("teams.import_job")
def import_job(*, job_id: int) -> None:
    jobs.run(job_id)


@task("teams.housekeeping", every=300)
def housekeeping() -> None:
    """Every 5 minutes: end the team-list imports whose task run was reaped as stale."""
    jobs.reap_orphans()
