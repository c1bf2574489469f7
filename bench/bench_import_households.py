"""Benchmark: `shuanglian import-households` of a 1,000,000-person file into a fresh PostgreSQL,
against PostgreSQL's own COPY of the same file into a bare table, in the same run.

Then, with those persons loaded, the server time of two searches a township cadre makes through
the API: by exact ID number and by name (prefix), within their township.

    make bench-import                      # starts the test PostgreSQL, generates the file once
    .venv/bin/python bench/bench_import_households.py --database-url postgres://... [--persons N] [--no-record]

Prints its figures, appends them to bench/RESULTS.md, and ends with `import_vs_copy_ratio <x>`
(COPY time / import time: 1.0 would be as fast as COPY into a bare table). It also measures the ceiling
of that ratio on the machine: the server's own time to store the rows the import stored (server_floor).
"""
import argparse
import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
CLI = [sys.executable, "-m", "shuanglian.cli"]


def run(env, *args, **kw):
    return subprocess.run([*CLI, *args], env=env, check=True, text=True, capture_output=True, **kw)


def fresh_database(url: str, name: str) -> str:
    import psycopg

    base, _, _ = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        con.execute(f"CREATE DATABASE {name}")
    return f"{base}/{name}"


def grid_plan(env) -> list[tuple[str, int]]:
    code = ("from shuanglian.divisions.models import Division\n"
            "print(' '.join(Division.objects.current().filter(level='grid').order_by('code')"
            ".values_list('code', flat=True)))")
    return run(env, "shell", "--no-imports", "-c", code).stdout.split()


def make_file(path: Path, grids: list[str], persons: int) -> int:
    """About 3.3 persons a household: spread the households evenly over the grids."""
    from shuanglian.archives.generate import write_file

    households = int(persons / 3.3)
    per_grid, extra = divmod(households, len(grids))
    plan = [(g, per_grid + (1 if i < extra else 0)) for i, g in enumerate(grids)]
    return write_file(path, plan, seed=1)


def copy_baseline(url: str, path: Path) -> float:
    import psycopg

    with psycopg.connect(url) as con:
        header = path.open(encoding="utf-8").readline().strip().split(",")
        columns = ", ".join(f"c{i} text" for i in range(len(header)))
        con.execute(f"CREATE TABLE bench_bare ({columns})")
        con.commit()
        started = time.perf_counter()
        with con.cursor().copy("COPY bench_bare FROM STDIN WITH (FORMAT csv, HEADER true)") as copy, \
                path.open("rb") as fh:
            while block := fh.read(1 << 20):
                copy.write(block)
        con.commit()
        took = time.perf_counter() - started
        con.execute("DROP TABLE bench_bare")
        con.commit()
    return took


def server_floor(url: str) -> float:
    """What PostgreSQL alone spends storing what the import stored: the households and persons exactly as
    written (ciphertexts, hashes, scope columns), loaded by COPY from their own binary dump into bare
    copies of the tables, and every index of those tables built afterwards. Foreign keys, versions and
    tags are left out, so the figure is a lower bound: no importer, however fast its own work, can take
    less on this machine, and copy_seconds / floor caps the ratio."""
    import re
    import tempfile

    import psycopg

    took = 0.0
    with psycopg.connect(url, autocommit=True) as con, tempfile.TemporaryDirectory() as tmp:
        for table in ("archives_household", "archives_person"):
            dump = Path(tmp) / f"{table}.bin"
            with con.cursor().copy(f"COPY {table} TO STDOUT (FORMAT BINARY)") as copy, dump.open("wb") as fh:
                for block in copy:
                    fh.write(block)
            bare = f"floor_{table}"
            indexes = [re.sub(r"^(CREATE (?:UNIQUE )?INDEX )(\S+) ON \S+ ", rf"\1\2_floor ON {bare} ", d)
                       for (d,) in con.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [table])]
            con.execute(f"CREATE TABLE {bare} (LIKE {table} INCLUDING DEFAULTS INCLUDING IDENTITY)")
            started = time.perf_counter()
            with con.transaction():
                with con.cursor().copy(f"COPY {bare} FROM STDIN (FORMAT BINARY)") as copy, dump.open("rb") as fh:
                    while block := fh.read(1 << 20):
                        copy.write(block)
                con.execute("SET LOCAL maintenance_work_mem = '256MB'")  # as the import does
                for statement in indexes:
                    con.execute(statement)
            took += time.perf_counter() - started
            con.execute(f"DROP TABLE {bare}")
    return took


SEARCH = """
import statistics, time
from django.test import Client
from shuanglian.accounts.services import grant_create, user_create
from shuanglian.archives.models import Person
from shuanglian.divisions.models import Division
township = Division.objects.current().get(code="330803001")
user = user_create(actor=None, username="bench_cadre", password="Bench-2010-x", division=township)
grant_create(actor=None, user=user, role="township_cadre", division=township)
sample = list(Person.objects.filter(township=township).order_by("id")[:2000:100])
client = Client()
client.force_login(user)
def timed(url):
    out = []
    for _ in range(3):
        started = time.perf_counter()
        response = client.get(url)
        out.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content[:300]
    return min(out), response.json()["count"]
by_id, by_name = [], []
for p in sample:
    ms, n = timed(f"/api/v1/persons/?id_number={p.id_number.reveal()}&within=330803001")
    assert n == 1
    by_id.append(ms)
    ms, n = timed(f"/api/v1/persons/?name={p.name[:2]}&within=330803001&page_size=20")
    by_name.append(ms)
print(f"{statistics.median(by_id):.1f} {max(by_id):.1f} {statistics.median(by_name):.1f} {max(by_name):.1f}")
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--no-record", action="store_true",
                        help="print the figures only; leave bench/RESULTS.md alone (trial runs)")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        # The test suite's throwaway server (started if needed).
        args.database_url = subprocess.run([str(ROOT / "scripts" / "pg-test-server")], check=True, text=True,
                                           capture_output=True).stdout.strip()
    url = fresh_database(args.database_url, "bench_households")
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "shuanglian.config.settings",
           "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost"}
    run(env, "migrate", "-v0")
    run(env, "shell", "--no-imports", "-c",
        "from shuanglian.demo.runner import build_demo\nbuild_demo(seed=2010, app_configs=[], log=lambda *a: None)")
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"households-{args.persons}.csv"
    if not path.exists():
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuanglian.config.settings")
        import django

        django.setup()
        print(f"generating {path.name} (once) ...", flush=True)
        make_file(path, grid_plan(env), args.persons)
    rows = sum(1 for _ in path.open(encoding="utf-8")) - 1

    copy_seconds = copy_baseline(url, path)
    started = time.perf_counter()
    out = run(env, "import-households", str(path)).stdout.strip()
    import_seconds = time.perf_counter() - started
    id_med, id_max, name_med, name_max = map(float, run(env, "shell", "--no-imports", "-c", SEARCH)
                                             .stdout.split()[-4:])
    floor_seconds = server_floor(url)
    ratio = copy_seconds / import_seconds
    print(f"rows {rows}")
    print(f"COPY into a bare table: {copy_seconds:.2f}s ({rows / copy_seconds:,.0f} rows/s)")
    print(f"import-households: {import_seconds:.2f}s ({rows / import_seconds:,.0f} rows/s), process start included")
    print(f"  {out.splitlines()[-1] if out else ''}")
    print(f"PostgreSQL alone storing the same households and persons (COPY of the rows as stored, then their "
          f"indexes): {floor_seconds:.2f}s, so no import here can pass ratio {copy_seconds / floor_seconds:.3f}")
    print(f"search by ID number within a township: median {id_med:.1f} ms, max {id_max:.1f} ms (API, server)")
    print(f"search by name within a township: median {name_med:.1f} ms, max {name_max:.1f} ms (API, server)")
    if not args.no_record:
        with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as fh:
            fh.write(f"| {dt.date.today()} | import-households | postgresql COPY | {rows} rows | "
                     f"floor {copy_seconds:.2f}s | ours {import_seconds:.2f}s | ratio {ratio:.3f} |\n")
            fh.write(f"| {dt.date.today()} | storing the imported rows, server only (ceiling) | postgresql COPY | "
                     f"{rows} rows | floor {copy_seconds:.2f}s | server {floor_seconds:.2f}s | "
                     f"ratio {copy_seconds / floor_seconds:.3f} |\n")
            fh.write(f"| {dt.date.today()} | person search, {rows} loaded | postgresql | by ID / by name | "
                     f"median {id_med:.1f} / {name_med:.1f} ms | max {id_max:.1f} / {name_max:.1f} ms | |\n")
    print(f"import_vs_copy_ratio {ratio:.3f}")


if __name__ == "__main__":
    main()
