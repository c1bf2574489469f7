"""Where a household import spends its time: the import run in this process on a fresh database, with
the time of each stage (from the import's own progress reports) and optionally a cProfile.

    .venv/bin/python bench/profile_import.py --database-url postgres://... --persons 100000
    .venv/bin/python bench/profile_import.py --database-url sqlite --persons 100000 --profile /tmp/imp.prof

`--database-url sqlite` uses a SQLite file in a temporary SHUANGLIAN_VAR_DIR. The file comes from
bench/data (made by bench_import_households.py, or here if missing). To time another tree's code
against this one in the same conditions, run this script with PYTHONPATH=<that tree>/src.
"""
import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_import_households import DATA, fresh_database, grid_plan, make_file  # noqa: E402

CLI = [sys.executable, "-m", "shuanglian.cli"]


def cli(env, *args):
    return subprocess.run([*CLI, *args], env=env, check=True, text=True, capture_output=True)


class StageTimer:
    """A Progress that notes when each stage starts (the import forces a report at every stage): wall
    time, and this process's CPU time (what Python did, whatever else the machine was busy with)."""

    def __init__(self):
        self.marks: list[tuple[str, float, float]] = []

    def __call__(self, stage, done=0, total=0, force=False):
        if not self.marks or self.marks[-1][0] != stage:
            self.marks.append((stage, time.perf_counter(), time.process_time()))

    def report(self) -> list[tuple[str, float, float]]:
        return [(stage, wall2 - wall, cpu2 - cpu)
                for (stage, wall, cpu), (_, wall2, cpu2) in zip(self.marks, self.marks[1:], strict=False)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="sqlite")
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--profile", help="write a cProfile of the import here")
    parser.add_argument("--sql", type=float, metavar="SECONDS",
                        help="print each SQL statement (not COPY) that takes longer than this")
    parser.add_argument("--reimport", action="store_true",
                        help="import the file once first (untimed), then time importing it again (all updates)")
    parser.add_argument("--name", default="prof_households", help="PostgreSQL database to create")
    args = parser.parse_args()

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shuanglian.config.settings"}
    if args.database_url.startswith("postgres"):
        env["DATABASE_URL"] = fresh_database(args.database_url, args.name)
    else:
        env.pop("DATABASE_URL", None)
        env["SHUANGLIAN_VAR_DIR"] = tempfile.mkdtemp(prefix="prof-import-")
    cli(env, "migrate", "-v0")
    cli(env, "shell", "--no-imports", "-c",
        "from shuanglian.demo.runner import build_demo\nbuild_demo(seed=2010, app_configs=[], log=lambda *a: None)")
    path = DATA / f"households-{args.persons}.csv"
    os.environ.update(env)
    if "DATABASE_URL" not in env:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        make_file(path, grid_plan(env), args.persons)

    from shuanglian.archives import importing
    from shuanglian.core.context import action_context, new_request_id

    if args.reimport:
        with action_context(request_id=new_request_id("bench-"), channel="command"):
            importing.import_households(path, actor=None)
    print(f"code from {Path(importing.__file__).parent.parent.parent}, database "
          f"{env.get('DATABASE_URL') or Path(env['SHUANGLIAN_VAR_DIR']) / 'shuanglian.sqlite3'}")
    timer = StageTimer()
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    slow = []

    def timed(execute, sql, params, many, context):
        at = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if time.perf_counter() - at >= args.sql:
                slow.append((time.perf_counter() - at, sql[:110]))

    from django.db import connection

    started, cpu = time.perf_counter(), time.process_time()
    with action_context(request_id=new_request_id("bench-"), channel="command"), \
            (connection.execute_wrapper(timed) if args.sql is not None else contextlib.nullcontext()):
        result = importing.import_households(path, actor=None, progress=timer)
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    assert result.ok and result.written, result.errors[:3]
    for seconds, sql in slow:
        print(f"  sql {seconds:6.2f}s {sql}")
    for stage, wall, stage_cpu in timer.report():
        print(f"  {stage:<12} {wall:7.2f}s  (CPU here {stage_cpu:6.2f}s)")
    print(f"import_households {took:.2f}s (CPU here {cpu:.2f}s) for {result.rows} rows ({result.rows / took:,.0f} rows/s); "
          f"{result.households_created} households, {result.persons_created} persons created, "
          f"{result.households_updated} households, {result.persons_updated} persons updated")


if __name__ == "__main__":
    main()
