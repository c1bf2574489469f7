"""Counters at once, on PostgreSQL: applications accepted at the same moment get distinct, consecutive
receipt numbers, including the first of a year (the counter row is created once)."""
import threading

import pytest
from django.db import connection, connections

from shuanglian.services import services

from .conftest import at

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_receipt_numbers_at_once_are_distinct(net, personas):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers itself")
    n = 6
    start = threading.Barrier(n)
    receipts, errors = [], []

    def run(i):
        try:
            start.wait()
            app = services.application_accept(actor=personas.service_staff, item=net.hukou, point=net.center,
                                              applicant_name=f"申请人{i}", applicant_phone="13912345678",
                                              at=at(2026, 3, 2, 9))
            receipts.append(app.receipt_no)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert sorted(receipts) == [f"2026-{i:06d}" for i in range(1, n + 1)]
