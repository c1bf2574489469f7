"""Two cadres appoint a promoter to the same grid at the same moment, on PostgreSQL: one succeeds, the
other gets a Conflict naming who holds the post (the partial unique constraint decides the race)."""
import pytest
from django.db import connection

from shuanglian.core.exceptions import Conflict
from shuanglian.teams import services
from shuanglian.teams.models import Membership
from shuanglian.testing.race import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_promoters_at_once_one_wins(district, personas, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers itself")
    names = ["王大明", "李四"]
    results, errors = race(monkeypatch, services, lambda i: services.membership_appoint(
        actor=personas.village_cadre, grid=district.grid, role="promoter", name=names[i], phone=f"1390000000{i}",
        category="five_elders"))
    winners = [r for r in results if r is not None]
    assert len(winners) == 1 and len(errors) == 1, errors
    assert isinstance(errors[0], Conflict) and errors[0].code == "promoter_taken"
    assert winners[0].member.name in errors[0].message
    current = Membership.objects.filter(grid=district.grid, role="promoter", ended_on__isnull=True)
    assert [m.member.name for m in current] == [winners[0].member.name]
