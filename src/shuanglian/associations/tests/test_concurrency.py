"""Two cadres appoint a president to the same association at the same moment, on PostgreSQL: one succeeds,
the other gets a Conflict naming the holder (the partial unique constraint decides the race)."""
import threading

import pytest
from django.db import connection, connections

from shuanglian.associations import services
from shuanglian.associations.models import AssociationPost
from shuanglian.core.exceptions import Conflict

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_presidents_at_once_one_wins(associations, personas, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers itself")
    association = associations["village"]
    # Hold both requests until each has checked for a current president and found none: the race proper.
    checked = threading.Barrier(2)
    insert = services._insert

    def insert_after_both_checked(post):
        checked.wait(10)
        return insert(post)

    monkeypatch.setattr(services, "_insert", insert_after_both_checked)
    start = threading.Barrier(2)
    names = ["王会长", "李会长"]
    results, errors = [None, None], []

    def run(i):
        try:
            start.wait(10)
            results[i] = services.post_appoint(actor=personas.township_cadre, association=association,
                                               post="president", name=names[i], phone=f"1390000000{i}")
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    winners = [r for r in results if r is not None]
    assert len(winners) == 1 and len(errors) == 1, errors
    assert isinstance(errors[0], Conflict) and errors[0].code == "president_taken"
    assert winners[0].member.name in errors[0].message
    current = AssociationPost.objects.filter(association=association, post="president", ended_on__isnull=True)
    assert [p.member.name for p in current] == [winners[0].member.name]
