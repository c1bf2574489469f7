"""The role table and the capabilities the apps declare are held together at start-up."""
from django.apps import apps

from shuanglian.access import roles
from shuanglian.access.checks import capability_table_check
from shuanglian.access.scope import scope_for
from shuanglian.core import capabilities


def test_the_shipped_table_and_the_apps_agree():
    assert capability_table_check() == []


def test_a_capability_granted_but_declared_by_no_app_fails(monkeypatch):
    monkeypatch.setitem(roles.CAPABILITIES, roles.Role.AUDITOR, roles.CAPABILITIES[roles.Role.AUDITOR] | {"archives.erase"})
    assert [e.id for e in capability_table_check()] == ["access.E001"]


def test_a_capability_declared_but_granted_to_no_role_fails(monkeypatch):
    config = apps.get_app_config("archives")
    monkeypatch.setattr(config, "capabilities", config.capabilities | {"archives.erase"})
    assert [e.id for e in capability_table_check()] == ["access.E002"]


def test_a_capability_declared_twice_fails(monkeypatch):
    config = apps.get_app_config("teams")
    monkeypatch.setattr(config, "capabilities", config.capabilities | {roles.VIEW_ARCHIVES})
    assert [e.id for e in capability_table_check()] == ["access.E003"]


def test_core_and_divisions_reach_the_same_engine():
    assert capabilities._resolver is scope_for
