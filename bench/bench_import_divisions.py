"""Benchmark: `import-divisions` of the national lists against a bare-table floor, in one run.

The floor is the same rows written by the database driver alone into a bare table (sqlite3
executemany, or COPY on PostgreSQL). Prints wall times and `import_vs_floor_ratio` (floor time /
our time: 1.0 would be as fast as the bare insert) as the last line, and appends to bench/RESULTS.md.

    .venv/bin/python bench/bench_import_divisions.py [--database-url postgres://...]
"""
import argparse
import csv
import datetime as dt
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "divisions"
FILES = [DATA / n for n in ("provinces.csv", "cities.csv", "areas.csv", "streets.csv")]


def rows():
    for path in FILES:
        with path.open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                yield r["code"], r["name"]


def floor_sqlite(folder: Path) -> float:
    data = list(rows())
    con = sqlite3.connect(folder / "floor.sqlite3")
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE d (id INTEGER PRIMARY KEY, code TEXT, name TEXT, code_key INTEGER)")
    started = time.perf_counter()
    with con:
        con.executemany("INSERT INTO d (code, name, code_key) VALUES (?, ?, ?)",
                        ((c, n, int(c.ljust(15, "0"))) for c, n in data))
    took = time.perf_counter() - started
    con.close()
    return took


def floor_postgres(url: str) -> float:
    import psycopg

    data = list(rows())
    with psycopg.connect(url) as con:
        con.execute("DROP TABLE IF EXISTS bench_floor_d")
        con.execute("CREATE TABLE bench_floor_d (id bigserial primary key, code text, name text, code_key bigint)")
        started = time.perf_counter()
        with con.cursor().copy("COPY bench_floor_d (code, name, code_key) FROM STDIN") as copy:
            for c, n in data:
                copy.write_row((c, n, int(c.ljust(15, "0"))))
        con.commit()
        took = time.perf_counter() - started
        con.execute("DROP TABLE bench_floor_d")
    return took


def ours(env: dict) -> float:
    shuanglian = [str(ROOT / ".venv" / "bin" / "shuanglian")]
    subprocess.run([*shuanglian, "migrate", "-v0"], check=True, env=env)
    started = time.perf_counter()
    subprocess.run([*shuanglian, "import-divisions", *map(str, FILES)], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", help="a PostgreSQL database to import into (it is flushed)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "SHUANGLIAN_VAR_DIR": tmp}
        if args.database_url:
            env["DATABASE_URL"] = args.database_url
            subprocess.run([str(ROOT / ".venv/bin/shuanglian"), "migrate", "-v0"], check=True, env=env)
            subprocess.run([str(ROOT / ".venv/bin/shuanglian"), "flush", "--noinput"], check=True, env=env)
            floor, backend = floor_postgres(args.database_url), "postgresql COPY"
        else:
            env.pop("DATABASE_URL", None)
            floor, backend = floor_sqlite(Path(tmp)), "sqlite executemany"
        mine = ours(env)
    ratio = floor / mine
    n = sum(1 for _ in rows())
    print(f"rows {n}")
    print(f"floor ({backend}) {floor:.2f}s")
    print(f"import-divisions (parse, validate, divisions + history, audit; process start included) {mine:.2f}s")
    results = ROOT / "bench" / "RESULTS.md"
    with results.open("a", encoding="utf-8") as fh:
        fh.write(f"| {dt.date.today()} | import-divisions | {backend} | {n} rows | floor {floor:.2f}s | "
                 f"ours {mine:.2f}s | ratio {ratio:.3f} |\n")
    print(f"import_vs_floor_ratio {ratio:.3f}")


if __name__ == "__main__":
    sys.exit(main())
