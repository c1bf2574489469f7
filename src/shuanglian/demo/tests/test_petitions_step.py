"""The demo's petitions at one-township scale: exactly the figures asked for, through the statistics API, with
consistent records (numbers, timelines, group visits, backlog cases) and a few open today with clocks
(today is the real date: the open ones fall in its year, not in 2009 or 2010)."""
import random

from shuanglian.core import clock as core_clock
from shuanglian.core.models import AuditEvent
from shuanglian.demo.builders import petitions
from shuanglian.demo.context import DemoContext
from shuanglian.organizations.choices import Function
from shuanglian.petitions.models import BacklogCase, Petition, Transition

YEARS = {2009: {"received": 40, "beijing": (5, 9), "province": (6, 19)},
         2010: {"received": 33, "beijing": (3, 4), "province": (4, 7)}}
BACKLOG = {"year": 2010, "cases": 6, "closed": 5, "pledged": 4}


def _ctx(district, personas, seed=7):
    villages = {v.code: v for v in (district.village, district.village2, district.village3)}
    return DemoContext(seed=seed, rng=random.Random(seed), log=lambda text: None, county=district.county,
                       villages=villages, departments={Function.PUBLIC_SECURITY: personas.police})


def test_the_step_gives_exactly_the_figures_asked_for(district, personas, api):
    summary = petitions.build(_ctx(district, personas), years=YEARS, backlog=BACKLOG, open_now=8)
    assert summary == {"petitions": 73, "backlog_cases": 6, "open_now": 8}
    stats = api.as_(personas.county_office).get("/api/v1/stats/petitions/",
                                                {"year": 2010, "within": district.county.code}).json()
    assert (stats["received"], stats["received_previous"], stats["received_change"]) == (33, 40, -17.5)
    assert stats["beijing"] == {"batches": 3, "person_times": 4, "batches_previous": 5, "person_times_previous": 9,
                                "batches_change": -40.0, "person_times_change": -55.6}
    assert stats["province"] == {"batches": 4, "person_times": 7, "batches_previous": 6, "person_times_previous": 19,
                                 "batches_change": -33.3, "person_times_change": -63.2}
    backlog = stats["backlog"]
    assert (backlog["cases"], backlog["closed"], backlog["pledged"]) == (6, 5, 4)
    assert (backlog["resolution_rate"], backlog["standard"]) == (0.833, 0.6)
    assert round(backlog["margin"], 1) == 23.3
    assert sum(stats["by_month"].values()) == 33 and sum(stats["by_channel"].values()) == 33
    assert stats["on_time"]["route"]["ended"] == 33
    # Consistent records: numbers unique per year, each a full timeline, group visits with representatives.
    year = Petition.objects.filter(year=2010)
    assert year.values("number").distinct().count() == 33
    assert not year.exclude(status__in=["closed", "not_accepted"]).exists()
    assert Transition.objects.filter(petition__year=2010, action="register").count() == 33
    for petition in Petition.objects.filter(person_times__gt=1, channel="visit"):
        assert 1 <= petition.representatives.count() <= 5
    assert BacklogCase.objects.filter(major=True).count() == 2
    assert set(BacklogCase.objects.filter(pledged_on__isnull=False).values_list("pk", flat=True)) <= \
        set(BacklogCase.objects.filter(closed_on__isnull=False).values_list("pk", flat=True))
    # Open today, their clocks running.
    live = Petition.objects.filter(year=clock_year()).exclude(status__in=["closed", "not_accepted"])
    assert live.count() == 8 and not live.filter(deadline_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="petitions.demo").count() == 1


def clock_year():
    return core_clock.today().year


def test_batches_spread_exactly():
    rng = random.Random(3)
    for batches, person_times in ((24, 30), (39, 76), (40, 69), (74, 224), (1, 1)):
        sizes = petitions.spread(rng, batches, person_times)
        assert len(sizes) == batches and sum(sizes) == person_times and min(sizes) >= 1
