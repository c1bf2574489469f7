"""core.tasks: enqueue in each mode, one claim wins, stale runs reaped on a frozen clock, periodic tasks
due once per interval, and the same tasks registered with Celery under the same names."""
import datetime as dt
import importlib

import pytest

from shuanglian.core import tasks
from shuanglian.core.models import TaskRun

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
ECHO, TICK, BOOM = "core_tests.echo", "core_tests.tick", "core_tests.boom"


SEEN: list = []


# Module-level functions, so that Celery, which keeps the first callable registered under a name across
# reloads of config/celery.py, always has these.
def echo(**kwargs):
    SEEN.append(("echo", kwargs))


def tick():
    SEEN.append(("tick", {}))


def boom(**kwargs):
    raise RuntimeError("disk full")


@pytest.fixture
def calls(monkeypatch):
    """Three throwaway tasks in the registry (removed afterwards); returns what they were called with."""
    SEEN.clear()
    for name, func, every in ((ECHO, echo, None), (TICK, tick, 60), (BOOM, boom, None)):
        monkeypatch.setitem(tasks.REGISTRY, name, tasks.TaskSpec(name, func, every))
    return SEEN


def mine(names):
    return [n for n in names if n.startswith("core_tests.")]


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(T0, tick=False)

    def at(**delta):
        time_machine.move_to(T0 + dt.timedelta(**delta), tick=False)

    return at


# ---------------------------------------------------------------- enqueue


def test_inline_runs_the_task_in_the_caller(settings, calls, db):
    settings.SHUANGLIAN_TASKS = "inline"
    assert tasks.enqueue(ECHO, n=1) is None
    assert calls == [("echo", {"n": 1})] and not TaskRun.objects.exists()


def test_worker_mode_queues_a_run_that_a_worker_pass_executes(settings, calls, db, frozen):
    settings.SHUANGLIAN_TASKS = "worker"
    run = tasks.enqueue(ECHO, n=2, label="两")
    assert run.status == "queued" and run.name == ECHO and run.kwargs == {"n": 2, "label": "两"} and calls == []
    failing = tasks.enqueue(BOOM)
    tasks.work_once()
    run.refresh_from_db()
    failing.refresh_from_db()
    assert calls[-1] == ("echo", {"n": 2, "label": "两"}) and run.status == "done" and run.finished_at == T0
    assert run.worker and run.started_at == T0 and run.error == ""
    assert failing.status == "failed" and "RuntimeError: disk full" in failing.error
    tasks.work_once()  # nothing queued any more: the run ran once
    assert [c for c in calls if c[0] == "echo"] == [("echo", {"n": 2, "label": "两"})]


def test_thread_mode_starts_the_run_only_after_the_commit(settings, calls, db, django_capture_on_commit_callbacks,
                                                          monkeypatch):
    settings.SHUANGLIAN_TASKS = "thread"
    started = []
    monkeypatch.setattr(tasks.threading, "Thread", lambda target, args, **kw: type(
        "T", (), {"start": lambda self: started.append((target, args))})())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = tasks.enqueue(ECHO, n=3)
    assert run.status == "queued" and started == [] and len(callbacks) == 1
    callbacks[0]()
    assert started == [(tasks._run_in_thread, (run.pk,))]


def test_an_unknown_task_is_refused(settings, db):
    settings.SHUANGLIAN_TASKS = "worker"
    with pytest.raises(KeyError):
        tasks.enqueue("core_tests.nonexistent")
    assert not TaskRun.objects.exists()


# ---------------------------------------------------------------- claims


def test_of_two_claims_of_one_run_only_one_wins(settings, calls, db):
    settings.SHUANGLIAN_TASKS = "worker"
    run = tasks.enqueue(ECHO, n=4)
    assert tasks.claim(run.pk) is True
    assert tasks.claim(run.pk) is False
    assert tasks.execute(run.pk) is False  # already claimed: another worker has it
    assert calls == [] and TaskRun.objects.get(pk=run.pk).status == "running"
    other = tasks.enqueue(ECHO, n=5)
    assert tasks.execute(other.pk) is True and tasks.execute(other.pk) is False
    assert calls == [("echo", {"n": 5})]


# ---------------------------------------------------------------- reaping


def test_reap_stale_fails_runs_not_heard_of_for_the_stale_interval(settings, calls, db, frozen):
    settings.SHUANGLIAN_TASKS = "worker"
    silent, beating, queued = (tasks.enqueue(ECHO, n=i) for i in range(3))
    assert tasks.claim(silent.pk) and tasks.claim(beating.pk)
    frozen(minutes=10)
    tasks.heartbeat(beating.pk)
    frozen(seconds=tasks.STALE_AFTER_SECONDS)  # exactly the interval: not yet
    assert tasks.reap_stale() == 0
    frozen(seconds=tasks.STALE_AFTER_SECONDS + 1)
    assert tasks.reap_stale() == 1
    silent.refresh_from_db()
    assert silent.status == "failed" and "stopped" in silent.error and silent.finished_at is not None
    assert TaskRun.objects.get(pk=beating.pk).status == "running"  # heard of 10 minutes later
    assert TaskRun.objects.get(pk=queued.pk).status == "queued"  # never started: not reaped
    frozen(minutes=10, seconds=tasks.STALE_AFTER_SECONDS + 1)
    assert tasks.reap_stale() == 1 and TaskRun.objects.get(pk=beating.pk).status == "failed"


def test_a_run_without_a_heartbeat_is_reaped_by_its_start(settings, calls, db, frozen):
    settings.SHUANGLIAN_TASKS = "worker"
    run = tasks.enqueue(ECHO)
    TaskRun.objects.filter(pk=run.pk).update(status="running", started_at=T0, heartbeat_at=None)
    frozen(minutes=16)
    assert tasks.reap_stale() == 1


# ---------------------------------------------------------------- periodic


def test_a_periodic_task_is_due_once_per_interval(calls, db, frozen):
    assert mine(tasks.due_periodic()) == [TICK]  # never ran: due now
    assert mine(tasks.due_periodic()) == []  # a second worker at the same moment does not get it
    frozen(seconds=59)
    assert mine(tasks.due_periodic()) == []
    frozen(seconds=60)
    assert mine(tasks.due_periodic()) == [TICK]
    frozen(seconds=61)
    assert mine(tasks.due_periodic()) == []
    # A worker pass runs it (and not the tasks without an interval).
    frozen(seconds=120)
    tasks.work_once()
    assert calls == [("tick", {})]
    tasks.work_once()
    assert calls == [("tick", {})]


# ---------------------------------------------------------------- Celery


@pytest.fixture
def celery_module(settings, calls):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_BROKER_URL = "memory://"  # eager runs still open a producer; no Redis in tests
    import shuanglian.config.celery as module

    module = importlib.reload(module)  # registers the registry as it is now, the throwaway tasks included
    module.app.conf.task_always_eager = True
    return module


def test_celery_registers_every_task_under_its_name(celery_module, calls):
    app = celery_module.app
    tasks.autodiscover()
    assert tasks.REGISTRY and {"archives.import_job", "archives.export_job", "archives.housekeeping"} <= set(
        tasks.REGISTRY)
    for name, spec in tasks.REGISTRY.items():
        assert name in app.tasks, name
        assert (name in app.conf.beat_schedule) == bool(spec.every)
    assert app.conf.beat_schedule[TICK] == {"task": TICK, "schedule": 60.0}
    app.tasks[ECHO].delay(n=6)  # eager: runs here
    assert calls == [("echo", {"n": 6})]


def test_celery_mode_sends_the_task_after_the_commit(settings, celery_module, db, django_capture_on_commit_callbacks,
                                                     monkeypatch):
    settings.SHUANGLIAN_TASKS = "celery"
    sent = []
    monkeypatch.setattr(celery_module.app, "send_task", lambda name, kwargs: sent.append((name, kwargs)))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.enqueue(ECHO, n=7) is None
        assert sent == []
    assert sent == [(ECHO, {"n": 7})] and not TaskRun.objects.exists()
