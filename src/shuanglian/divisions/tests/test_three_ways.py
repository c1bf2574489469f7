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
    # Restructuring: a township cadre restructures within the township; the auditor sees the division but
    # writes nothing (403); a township cadre of the other county does not see it (404).
    "api-division-children": Case(lambda w: f"/api/v1/divisions/{w.district.village2.code}/children/", api=True,
                                  method="post", data=lambda w: {"name": "第二网格", "planned_households": 38},
                                  permitted="township_cadre", denied="auditor", ok=(201,)),
    "api-division-rename": Case(lambda w: f"/api/v1/divisions/{w.district.village2.code}/rename/", api=True,
                                method="post", data=lambda w: {"name": "樟树潭新村", "effective_on": "2020-01-01"},
                                permitted="township_cadre", denied="auditor"),
    "api-division-retire": Case(lambda w: f"/api/v1/divisions/{w.district.grid3.code}/retire/", api=True,
                                method="post", data=lambda w: {"effective_on": "2021-03-01", "reason": "撤销"},
                                permitted="township_cadre", denied="auditor"),
    "api-division-merge": Case(lambda w: f"/api/v1/divisions/{w.district.village.code}/merge/", api=True,
                               method="post", data=lambda w: {"sources": [w.district.village2.code],
                                                              "effective_on": "2020-06-01"},
                               permitted="township_cadre", denied="auditor"),
    "api-division-move": Case(lambda w: f"/api/v1/divisions/{w.district.grid2.code}/move/", api=True,
                              method="post", data=lambda w: {"village": w.district.village2.code},
                              permitted="township_cadre", denied="auditor"),
    "api-division-split": Case(lambda w: f"/api/v1/divisions/{w.district.grid.code}/split/", api=True,
                               method="post", data=lambda w: {"names": ["东片", "西片"]},
                               permitted="township_cadre", denied="auditor", ok=(201,)),
}

test_three_ways = three_ways(CASES)
