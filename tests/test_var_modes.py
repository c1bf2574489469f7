"""var/ (keys, the SQLite database, uploads, exports) is the app user's alone: 0700, the database file 0600."""
import os
import stat
import subprocess
import sys


def test_a_fresh_install_makes_var_and_the_database_private(tmp_path):
    var = tmp_path / "var"
    env = {**os.environ, "SHUANGLIAN_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "shuanglian.config.settings"}
    env.pop("DATABASE_URL", None)
    code = "import django; django.setup(); from django.db import connection; connection.ensure_connection()"
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=tmp_path)
    assert stat.S_IMODE(var.stat().st_mode) == 0o700
    assert stat.S_IMODE((var / "shuanglian.sqlite3").stat().st_mode) == 0o600
    assert stat.S_IMODE((var / "pii_key").stat().st_mode) == 0o600
