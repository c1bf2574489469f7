"""Two cadres issue the same item to one member at the same moment, on PostgreSQL: one succeeds, the other gets
the 409's Conflict saying since when (the partial unique constraint decides the race)."""
import datetime as dt

import pytest
from django.db import connection

from shuanglian.core.exceptions import Conflict
from shuanglian.teams import services
from shuanglian.teams.models import KitIssue
from shuanglian.teams.services import kits
from shuanglian.testing.race import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_issues_of_one_item_at_once_one_wins(district, personas, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers itself")
    post = services.membership_appoint(actor=None, grid=district.grid, role="promoter", name="王大明",
                                       phone="13912345678", category="five_elders", started_on=dt.date(2010, 3, 1))
    results, errors = race(monkeypatch, kits, lambda i: kits.kit_issue(
        actor=personas.village_cadre, membership=post, items=["pen"], issued_on=dt.date(2010, 3, 2)))
    assert len([r for r in results if r is not None]) == 1 and len(errors) == 1, errors
    assert isinstance(errors[0], Conflict) and errors[0].code == "kit_item_outstanding"
    assert "2010-03-02" in errors[0].message
    assert KitIssue.objects.filter(member=post.member, item="pen", returned_on__isnull=True).count() == 1
