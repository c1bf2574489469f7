"""An import killed mid-write (SIGKILL, as by the OOM killer or a power cut) leaves the database as it was."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

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


def test_killed_import_writes_nothing(separate_database, tmp_path):
    env = separate_database  # migrated, as a fresh install (testing/fixtures.py)
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
