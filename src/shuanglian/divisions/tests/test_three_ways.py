"""The division and organization pages, and their endpoints, three ways (shuanglian.testing.views)."""
from django.urls import reverse

from shuanglian.testing.views import Case, three_ways

CASES = {
    "divisions:browse": Case(lambda w: reverse("divisions:browse"), permitted="township_cadre", ok=(302,),
                             denied=None, outsider=None),
    "divisions:detail": Case(lambda w: reverse("divisions:detail", args=[w.district.village.code]),
                             permitted="village_cadre", denied=None),
    "divisions:restructure": Case(lambda w: reverse("divisions:restructure", args=[w.district.village.code]),
                                  permitted="county_office", denied="village_cadre", outsider="outsider"),
    "organizations:list": Case(lambda w: reverse("organizations:list"), permitted="county_office", denied=None,
                               outsider="outsider",
                               hidden=lambda r, w: w.personas.police.name not in r.content.decode()),
    "organizations:detail": Case(lambda w: reverse("organizations:detail", args=[w.personas.police.pk]),
                                 permitted="county_office", denied=None),
    "api-division-list": Case(lambda w: "/api/v1/divisions/", permitted="township_cadre", api=True, denied=None,
                              hidden=lambda r, w: w.district.village.code not in r.content.decode()),
    "api-division-detail": Case(lambda w: f"/api/v1/divisions/{w.district.village.code}/",
                                permitted="village_cadre", api=True, denied=None),
}

test_three_ways = three_ways(CASES)
