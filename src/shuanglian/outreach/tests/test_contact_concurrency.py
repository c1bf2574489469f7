"""Two cadres at once, on PostgreSQL: planning the same month ends with one contact day (the unique
constraint and a savepoint), and listing the same person twice ends with one attendee (the day's row lock)."""
import pytest
from django.db import connection

from shuanglian.core.exceptions import Conflict
from shuanglian.outreach import services
from shuanglian.outreach.models import ContactDay, ContactDayAttendee
from shuanglian.testing.race import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_planning_the_same_month_twice_at_once_makes_one_day(district, personas, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers itself")
    # Both planners held until each has looked for an existing day and found none.
    cadre = personas.township_cadre
    plans, errors = race(monkeypatch, services, lambda i: services.contact_days_plan(actor=cadre, division=district.township,
                                                                         year=2010, month=6), hold="_create_day")
    assert errors == []
    assert ContactDay.objects.filter(division=district.township).count() == 1
    day = ContactDay.objects.get(division=district.township)
    assert [p.days[0].pk for p in plans] == [day.pk, day.pk]
    assert sorted(len(p.created) for p in plans) == [0, 1]


def test_listing_the_same_person_twice_at_once_lists_them_once(district, personas):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers itself")
    day = services.contact_days_plan(actor=None, division=district.county, year=2010, month=6).days[0]
    user = personas.department_member
    results, errors = race(None, None, n=4, call=lambda i: services.contact_day_attendee_add(
        actor=personas.county_office, contact_day=day, user=user, role="police", organization=personas.police))
    assert len([r for r in results if r is not None]) == 1
    assert len(errors) == 3 and all(isinstance(e, Conflict) and e.code == "already_listed" for e in errors)
    assert ContactDayAttendee.objects.filter(contact_day=day, user=user).count() == 1
