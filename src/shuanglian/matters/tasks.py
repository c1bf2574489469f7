"""Matters' background tasks (run by `shuanglian worker`, or Celery beat at scale)."""
from shuanglian.core.tasks import task

from .sweep import sweep_deadlines

SWEEP_EVERY_SECONDS = 5 * 60


@task("matters.sweep_deadlines", every=SWEEP_EVERY_SECONDS)
def sweep_deadlines_task(at: str | None = None) -> str:
    import datetime as dt

    return str(sweep_deadlines(at=dt.datetime.fromisoformat(at) if at else None))
