"""An import killed mid-write (SIGKILL, as by the OOM killer or a power cut) leaves the database as it was."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from shuanglian.archives.generate import write_file

ROOT = Path(__file__).resolve().parents[4]
SETUP = """
from shuanglian.testing.district import build_district
d = build_district()
print(d.grid.code, d.grid2.code, d.grid3.code, d.grid4.code)
"""
COUNT = """
from shuanglian.archives.models import Household, Person, HouseholdVersion
print(Household.objects.count(), Person.objects.count(), HouseholdVersion.objects.count())
"""


def _cli(env, *args, **kw):
    return subprocess.run([sys.executable, "-m", "shuanglian.cli", *args], env=env, capture_output=True, text=True,
                          check=True, **kw)


def _shell(env, code) -> list[str]:
    return _cli(env, "shell", "--no-imports", "-c", code).stdout.split()


@pytest.fixture
def separate_database(tmp_path):
    """A database of its own that another process can open (the test database may be in memory)."""
    env = {**os.environ, "SHUANGLIAN_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "shuanglian.config.settings"}
    if connection.vendor == "postgresql":
        import psycopg

        params = connection.get_connection_params()
        name = f"killtest_{os.getpid()}"
        admin = {k: params[k] for k in ("host", "port", "user", "password") if params.get(k)}
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as con:
            con.execute(f"DROP DATABASE IF EXISTS {name}")
            con.execute(f"CREATE DATABASE {name}")
        auth = params["user"] + (f":{params['password']}" if params.get("password") else "")
        env["DATABASE_URL"] = f"postgres://{auth}@{params.get('host') or 'localhost'}:{params.get('port') or 5432}/{name}"
        yield env
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as con:
            con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    else:
        env.pop("DATABASE_URL", None)
        yield env


def test_killed_import_writes_nothing(separate_database, tmp_path):
    env = separate_database
    _cli(env, "migrate", "-v0")
    grids = _shell(env, SETUP)
    source = tmp_path / "big.csv"
    write_file(source, [(g, 1500) for g in grids], seed=7)
    progress = tmp_path / "progress.json"
    proc = subprocess.Popen([sys.executable, "-m", "shuanglian.cli", "import-households", str(source),
                             "--progress", str(progress)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    stage = None
    while time.monotonic() < deadline and proc.poll() is None:
        if progress.exists():
            stage = json.loads(progress.read_text())["stage"]
            if stage in ("persons", "tags"):  # inside the transaction, households already written
                break
        time.sleep(0.02)
    assert proc.poll() is None, f"the import finished before it could be killed (stage {stage})"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert _shell(env, COUNT) == ["0", "0", "0"]
    # And the same file imports whole afterwards.
    _cli(env, "import-households", str(source))
    households, persons, _ = map(int, _shell(env, COUNT))
    assert households == 6000 and persons > 6000
