"""Benchmark: the deadline sweep (set-based) against a per-matter loop, in one run.

Both sweep the same N overdue matters spread over a township's grids, each with a promoter to
notify: the baseline loads each matter, sets its state, saves it, raises its card and notifies its
holder one matter at a time (what an ORM-first implementation does); ours is
`matters.sweep.sweep_deadlines`. Between the two the matters are put back as they were. Prints both
times and `sweep_vs_loop_ratio` (loop time / ours: how many times faster) as the last line, and
appends to bench/RESULTS.md.

    .venv/bin/python bench/bench_sweep.py [--matters 20000] [--database-url postgres://...]
"""
import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(database_url: str | None, var_dir: str):
    os.environ["SHUANGLIAN_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "shuanglian.config.settings"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if database_url:
        call_command("flush", interactive=False, verbosity=0)


def build(n: int):
    from shuanglian.access.roles import Role
    from shuanglian.accounts.services import grant_create, user_create
    from shuanglian.core import clock
    from shuanglian.testing.district import build_district
    from shuanglian.divisions.services import division_create
    from shuanglian.matters.models import Matter

    d = build_district()
    grids = [division_create(actor=None, parent=d.village, name=f"网格{i}", effective_on=dt.date(2001, 1, 1))
             for i in range(40)]
    for i, grid in enumerate(grids):
        user = user_create(actor=None, username=f"promoter{i}", password="Bench-2010!x", division=grid)
        grant_create(actor=None, user=user, role=Role.GRID_PROMOTER, division=grid)
    now = clock.now()
    rows = []
    for i in range(n):
        grid = grids[i % len(grids)]
        rows.append(Matter(number=f"B{i:09d}", type="demand", source="visit", title=f"事项{i}", status="reported",
                           level="grid", stage="accept", cycle=1, stage_started_at=now - dt.timedelta(days=9),
                           limit_unit="working_days", yellow_at=now - dt.timedelta(days=3),
                           deadline_at=now - dt.timedelta(days=2), reported_at=now - dt.timedelta(days=9),
                           division=grid, county=d.county, township=d.township, village=d.village, grid=grid))
    Matter.objects.bulk_create(rows, batch_size=2000)
    return now


def reset():
    from shuanglian.matters.models import Matter, Supervision
    from shuanglian.notifications.models import Notification

    Matter.objects.update(deadline_state="ok", supervision="")
    Supervision.objects.all().delete()
    Notification.objects.all().delete()


def loop(now) -> float:
    """The baseline: one matter at a time through the ORM."""
    from django.db import transaction

    from shuanglian.matters import recipients
    from shuanglian.matters.deadlines import state_at
    from shuanglian.matters.models import Matter, Supervision
    from shuanglian.notifications.services import notify

    started = time.perf_counter()
    with transaction.atomic():
        for matter in Matter.objects.exclude(status__in=["closed", "suspended"]).exclude(stage=""):
            state = state_at(matter, now)
            if state == matter.deadline_state:
                continue
            matter.deadline_state = state
            matter.supervision = state if state != "ok" else matter.supervision
            matter.save(update_fields=["deadline_state", "supervision"])
            if state != "ok":
                Supervision.objects.create(matter=matter, card=state, cycle=matter.cycle, stage=matter.stage,
                                           level=matter.level, deadline_at=matter.deadline_at, raised_at=now)
                notify(recipients=recipients.holders(matter), kind=f"matter.{state}_card", title=matter.number,
                       obj=matter)
    return time.perf_counter() - started


def ours(now) -> float:
    from shuanglian.matters.sweep import sweep_deadlines

    started = time.perf_counter()
    result = sweep_deadlines(at=now)
    took = time.perf_counter() - started
    assert result.red > 0, result
    return took


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--matters", type=int, default=20000)
    parser.add_argument("--database-url", help="a PostgreSQL database to use (it is flushed)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    with tempfile.TemporaryDirectory() as tmp:
        setup(args.database_url, tmp)
        from django.db import connection

        from shuanglian.matters.models import Supervision

        now = build(args.matters)
        baseline = loop(now)
        cards = Supervision.objects.count()
        reset()
        mine = ours(now)
        assert Supervision.objects.count() == cards == args.matters
        backend = connection.vendor
    ratio = baseline / mine
    print(f"matters {args.matters}")
    print(f"baseline (one matter at a time) {baseline:.2f}s")
    print(f"sweep_deadlines (set-based) {mine:.2f}s")
    with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as fh:
        fh.write(f"| {dt.date.today()} | sweep-deadlines | {backend} | {args.matters} matters | "
                 f"loop {baseline:.2f}s | ours {mine:.2f}s | ratio {ratio:.1f} |\n")
    print(f"sweep_vs_loop_ratio {ratio:.1f}")


if __name__ == "__main__":
    sys.exit(main())
