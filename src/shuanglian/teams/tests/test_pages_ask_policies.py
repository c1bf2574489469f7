"""The teams pages ask the teams policies (policies.may_*), never the permission engine, so the rule a page
shows and the rule its service applies are written once."""
import ast
from pathlib import Path

import pytest

TEAMS = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("module", ["views.py", "training_views.py"])
def test_the_pages_import_nothing_from_the_scope_engine(module):
    tree = ast.parse((TEAMS / module).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "shuanglian.access.scope" not in imported
