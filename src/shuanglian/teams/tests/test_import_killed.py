"""A team-list import killed mid-write (SIGKILL) leaves the database as it was: the import holds its posts in
one transaction. Made deterministic on PostgreSQL: this test holds the audit chain's head row, which the
import locks last, after inserting its members and posts; once the import waits for that lock, it is
killed."""
import os
import signal
import subprocess
import sys
import time

import psycopg
import pytest
from django.db import connection

from shuanglian.archives.tests.test_import_killed import _cli, _shell

SETUP = """
from shuanglian.core.models import AuditChainHead
from shuanglian.testing.district import build_district
d = build_district()
AuditChainHead.objects.get_or_create(id=1)
print(d.grid.code, d.grid2.code)
"""
COUNT = """
from shuanglian.teams.models import Member, Membership
print(Member.objects.count(), Membership.objects.count())
"""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks; `make test-pg` runs it")
def test_a_killed_import_writes_nothing(separate_database, tmp_path):
    env = separate_database  # migrated, as a fresh install (testing/fixtures.py)
    grid, grid2 = _shell(env, SETUP)
    source = tmp_path / "team.csv"
    source.write_text("网格编码,姓名,联系电话,角色,类别\n"
                      f"{grid},王大明,13912345678,促进员,五老人员\n{grid2},李医生,13900000001,志愿者,医生\n",
                      encoding="utf-8")
    url = env["DATABASE_URL"].replace("postgres://", "postgresql://")
    with psycopg.connect(url) as holder:
        holder.execute("SELECT seq FROM core_auditchainhead WHERE id = 1 FOR UPDATE")
        proc = subprocess.Popen([sys.executable, "-m", "shuanglian.cli", "import-team-members", str(source)],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        waiting = False
        deadline = time.monotonic() + 120  # a bound on a hung run, not a measurement
        while not waiting and proc.poll() is None and time.monotonic() < deadline:
            with psycopg.connect(url, autocommit=True) as look:
                waiting = look.execute("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE NOT granted)").fetchone()[0]
            time.sleep(0.05)
        assert waiting and proc.poll() is None, proc.communicate()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        holder.rollback()
    assert _shell(env, COUNT) == ["0", "0"]
    _cli(env, "import-team-members", str(source))  # and the same file imports whole afterwards
    assert _shell(env, COUNT) == ["2", "2"]
