"""Two cadres appoint a president to the same association at the same moment, on PostgreSQL: one succeeds,
the other gets a Conflict naming the holder (the partial unique constraint decides the race)."""
import pytest
from django.db import connection

from shuanglian.associations import services
from shuanglian.associations.models import AssociationPost
from shuanglian.core.exceptions import Conflict
from shuanglian.testing.race import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_presidents_at_once_one_wins(associations, personas, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers itself")
    association = associations["village"]
    names = ["王会长", "李会长"]
    results, errors = race(monkeypatch, services, lambda i: services.post_appoint(
        actor=personas.township_cadre, association=association, post="president", name=names[i],
        phone=f"1390000000{i}"))
    winners = [r for r in results if r is not None]
    assert len(winners) == 1 and len(errors) == 1, errors
    assert isinstance(errors[0], Conflict) and errors[0].code == "president_taken"
    assert winners[0].member.name in errors[0].message
    current = AssociationPost.objects.filter(association=association, post="president", ended_on__isnull=True)
    assert [p.member.name for p in current] == [winners[0].member.name]
