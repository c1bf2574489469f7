"""Background tasks: one registry, three ways to run them.

A task is a plain function of JSON-serializable keyword arguments, registered by name with
`@task("app.name", every=seconds)`. `enqueue(name, **kwargs)` runs it according to
settings.SHUANGLIAN_TASKS:

- "thread" (the embedded default): a `TaskRun` row, then a daemon thread runs it now;
- "worker": a `TaskRun` row that `shuanglian worker` claims and runs;
- "inline": run it in the caller's thread (tests, scripts);
- "celery": send it to Celery under the same name (config/celery.py registers every task).

Periodic tasks (`every=`) are run by `shuanglian worker`, or by Celery beat at scale. A task must
be safe to run twice: a periodic run may overlap a manual one.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.db import connections, transaction
from django.db.models import Q
from django.utils.module_loading import import_string

from shuanglian.core import audit, clock, deadlines
from shuanglian.core.context import action_context, new_request_id
from shuanglian.core.models import PeriodicTaskState, TaskRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TaskSpec:
    name: str
    func: Callable
    every: int | None  # seconds between periodic runs, or None


REGISTRY: dict[str, TaskSpec] = {}
# A run whose worker has not been heard of for this long is taken for dead.
STALE_AFTER_SECONDS = 15 * 60


def task(name: str, *, every: int | None = None):
    def register(func):
        REGISTRY[name] = TaskSpec(name, func, every)
        func.task_name = name
        return func
    return register


def autodiscover() -> None:
    """Import every installed app's tasks module so the registry is complete."""
    for config in apps.get_app_configs():
        module = f"{config.name}.tasks"
        if config.name.startswith("shuanglian.") and find_spec(module) is not None:
            import_module(module)


def mode() -> str:
    return getattr(settings, "SHUANGLIAN_TASKS", "thread")


def enqueue(name: str, **kwargs):
    """Run a registered task in the background (see the module doc). Returns its TaskRun, if any.

    Called inside a transaction, the task starts after the commit, so it sees what the caller wrote.
    """
    autodiscover()
    if name not in REGISTRY:
        raise KeyError(f"unknown task {name!r}")
    how = mode()
    if how == "celery":
        # config sits above core, and its Celery module calls django.setup() when imported: looked up by
        # name, only in celery mode.
        app = import_string("shuanglian.config.celery.app")
        transaction.on_commit(lambda: app.send_task(name, kwargs=kwargs))
        return None
    if how == "inline":
        REGISTRY[name].func(**kwargs)
        return None
    run = TaskRun.objects.create(name=name, kwargs=kwargs)
    if how == "thread":
        transaction.on_commit(lambda: threading.Thread(
            target=_run_in_thread, args=(run.pk,), name=f"task-{run.pk}", daemon=True).start())
    return run


def _run_in_thread(run_id: int) -> None:
    try:
        execute(run_id)
    finally:
        connections.close_all()  # the thread's own connection; nobody else will close it


def worker_label() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def claim(run_id: int) -> bool:
    """One UPDATE ... WHERE status = 'queued': of two workers exactly one wins."""
    now = clock.now()
    return TaskRun.objects.filter(pk=run_id, status=TaskRun.Status.QUEUED).update(
        status=TaskRun.Status.RUNNING, started_at=now, heartbeat_at=now, worker=worker_label()) == 1


def execute(run_id: int) -> bool:
    """Claim and run one queued TaskRun. False if another worker had it."""
    if not claim(run_id):
        return False
    run = TaskRun.objects.get(pk=run_id)
    spec = REGISTRY.get(run.name)
    status, error = TaskRun.Status.DONE, ""
    with action_context(request_id=new_request_id(f"task{run.pk}-"), channel="job"):
        try:
            if spec is None:
                raise KeyError(f"unknown task {run.name!r}")
            spec.func(**run.kwargs)
        except Exception:
            logger.exception("task %s (%s) failed", run.pk, run.name)
            status, error = TaskRun.Status.FAILED, traceback.format_exc(limit=5)[-2000:]
    TaskRun.objects.filter(pk=run.pk).update(status=status, error=error, finished_at=clock.now())
    return True


def heartbeat(run_id: int | None) -> None:
    """A long task calls this now and then so the reaper knows it is alive."""
    if run_id:
        TaskRun.objects.filter(pk=run_id).update(heartbeat_at=clock.now())


def reap_stale() -> int:
    """Mark runs whose process died (no heartbeat for STALE_AFTER_SECONDS) as failed."""
    cutoff = clock.now() - dt.timedelta(seconds=STALE_AFTER_SECONDS)
    return TaskRun.objects.filter(status=TaskRun.Status.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)).update(
        status=TaskRun.Status.FAILED, finished_at=clock.now(),
        error="The process running this task stopped without finishing it.")


def due_periodic() -> list[str]:
    """Claim every periodic task whose interval has passed: one conditional UPDATE each, so of
    several workers only one runs a given tick."""
    autodiscover()
    now = clock.now()
    due = []
    for spec in REGISTRY.values():
        if not spec.every:
            continue
        state, _created = PeriodicTaskState.objects.get_or_create(name=spec.name)
        cutoff = now - dt.timedelta(seconds=spec.every)
        won = PeriodicTaskState.objects.filter(name=spec.name).filter(
            Q(last_run_at__isnull=True) | Q(last_run_at__lte=cutoff)).update(last_run_at=now)
        if won:
            due.append(spec.name)
    return due


def work_once() -> int:
    """One pass of `shuanglian worker`: reap, run due periodic tasks, then queued runs. Returns runs done."""
    reap_stale()
    done = 0
    for name in due_periodic():
        with action_context(request_id=new_request_id("tick-"), channel="job"):
            try:
                REGISTRY[name].func()
            except Exception:
                logger.exception("periodic task %s failed", name)
        done += 1
    for run_id in TaskRun.objects.filter(status=TaskRun.Status.QUEUED).order_by("created_at", "id").values_list(
            "pk", flat=True)[:20]:
        if execute(run_id):
            done += 1
    return done


SWEEP_EVERY_SECONDS = 5 * 60


@task("core.sweep_deadlines", every=SWEEP_EVERY_SECONDS)
def sweep_deadlines_task(at: str | None = None) -> str:
    """The one deadline sweep over every app's registered clocked models (core.deadlines)."""
    results = deadlines.sweep_all(at=dt.datetime.fromisoformat(at) if at else None)
    return "\n".join(f"{name}: {result}" for name, result in results.items())


@task("core.audit_checkpoint", every=settings.AUDIT_CHECKPOINT_EVERY)
def audit_checkpoint_task() -> str:
    """A signed checkpoint of the audit chain's head, appended to AUDIT_CHECKPOINT_FILE (core.audit)."""
    fields = audit.checkpoint()
    return f"checkpoint at #{fields['seq']}" if fields else "checkpoints are off (AUDIT_CHECKPOINT_FILE is empty)"
