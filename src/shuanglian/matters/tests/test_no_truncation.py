"""Over-long input is refused with a message naming the field, never cut short: the page's form, the API's
serializer and, behind both, the service (which used to keep the first 120 characters of a title silently)."""
import datetime as dt
import zoneinfo

import pytest
from django.conf import settings
from django.urls import reverse

from shuanglian.core.exceptions import ValidationFailed
from shuanglian.matters import services
from shuanglian.matters.models import Matter

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
LONG = "村道破损" * 30 + "需"  # 121 characters, one more than a title holds


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(dt.datetime(2010, 3, 1, 9, 0, tzinfo=SH), tick=False)


def test_the_service_refuses_an_over_long_title(district, personas):
    with pytest.raises(ValidationFailed) as e:
        services.matter_report(actor=personas.promoter, grid=district.grid, type="demand", source="visit", title=LONG)
    assert list(e.value.details) == ["title"] and e.value.message.startswith("title: ")
    assert not Matter.objects.exists()


def test_the_page_and_the_api_refuse_it_naming_the_title(client, api, district, personas):
    client.force_login(personas.promoter)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("matters:new"), {"grid": district.grid.code, "type": "demand", "source": "visit",
                                                    "title": LONG})
    assert response.status_code == 422 and "at most 120 characters" in response.context["form"].errors["title"][0]
    r = api.as_(personas.promoter).post("/api/v1/matters/", {"grid": district.grid.code, "type": "demand",
                                                             "source": "visit", "title": LONG}, format="json")
    assert r.status_code == 400 and list(r.json()["details"]) == ["title"]
    assert not Matter.objects.exists()
