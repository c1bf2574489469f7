"""The working-day calendar page and the service that changes a day ask one capability, CONFIGURE_CALENDAR
(core's): a role given the one without the other is refused or let in by both alike."""
import datetime as dt

from django.urls import reverse

from shuanglian.access.roles import CAPABILITIES, CONFIGURE_MATTERS, Role
from shuanglian.core.capabilities import CONFIGURE_CALENDAR
from shuanglian.core.models import CalendarDay

CALENDAR = reverse("matters:settings_calendar")
DAY = {"date": "2010-04-05", "is_working": "0", "name": "清明节"}


def test_the_calendar_page_follows_the_calendar_capability_not_the_matters_one(client, personas, monkeypatch):
    office = personas.county_office
    client.force_login(office)
    # The calendar without the matters settings: the page opens and the day is set.
    monkeypatch.setitem(CAPABILITIES, Role.COUNTY_OFFICE, CAPABILITIES[Role.COUNTY_OFFICE] - {CONFIGURE_MATTERS})
    assert client.get(CALENDAR).status_code == 200
    assert client.post(f"{CALENDAR}?year=2010", DAY).status_code == 302
    assert client.get(reverse("matters:settings")).status_code == 403
    # The matters settings without the calendar: the page refuses as the service would.
    monkeypatch.setitem(CAPABILITIES, Role.COUNTY_OFFICE,
                        (CAPABILITIES[Role.COUNTY_OFFICE] | {CONFIGURE_MATTERS}) - {CONFIGURE_CALENDAR})
    client.force_login(office)
    assert client.get(CALENDAR).status_code == 403
    assert client.post(f"{CALENDAR}?year=2010", {**DAY, "date": "2010-04-06"}).status_code == 403
    assert list(CalendarDay.objects.values_list("date", flat=True)) == [dt.date(2010, 4, 5)]
