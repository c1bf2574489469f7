"""Counters at once, on PostgreSQL: applications accepted at the same moment get distinct receipt
numbers."""
import pytest
from django.db import connection

from shuanglian.applications import services
from shuanglian.testing.race import race

from .conftest import at

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_receipt_numbers_at_once_are_distinct(net, personas, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers itself")
    n = 6

    def accept(i):
        return services.application_accept(actor=personas.service_staff, item=net.hukou, point=net.center,
                                           applicant_name=f"申请人{i}", applicant_phone="13912345678",
                                           at=at(2026, 3, 2, 9)).receipt_no

    receipts, errors = race(monkeypatch, None, accept, n=n)
    assert errors == []
    assert len(set(receipts)) == n and all(r.startswith("2026-") for r in receipts)
