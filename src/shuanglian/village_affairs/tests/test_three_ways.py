"""The village-affairs pages and endpoints three ways: the village cadre records in their village, the township
cadre reviews, someone with no grant is refused, and the township cadre of another county sees nothing."""
from django.urls import reverse

from shuanglian.core import clock
from shuanglian.mediation.tests.test_disputes_fixtures import report_dispute
from shuanglian.testing.views import Case, three_ways
from shuanglian.village_affairs import services

from .helpers import meeting, to_filed

MEETINGS, DECISIONS, DISCLOSURES = "/api/v1/village-meetings/", "/api/v1/village-decisions/", "/api/v1/disclosures/"


def _meeting(w):
    return meeting(w.personas.village_cadre, w.district.village, held_on=clock.today())


def _decision(w):
    return services.decision_propose(actor=w.personas.village_cadre, village=w.district.village, title="村道硬化",
                                     category="public_welfare")


def _filed(w):
    return to_filed(w.personas, w.district.village)


def _disclosure(w):
    return services.disclosure_post(actor=w.personas.village_cadre, village=w.district.village, kind="finance",
                                    title="财务公开", posted_on=clock.today(), place="公开栏", text="收支明细")


def _none_listed(r, w):
    return r.json()["count"] == 0


def _matter(w):
    return report_dispute(w.personas, w.district.grid, title="承包地纠纷")


def _page_hidden(text):
    return lambda r, w: text not in r.content.decode()


CASES = {
    "village_affairs:overview": Case(lambda w: "/village-affairs/", permitted="county_office", make=_meeting,
                                     hidden=lambda r, w: "<b>1</b>" not in r.content.decode()),
    "village_affairs:meeting-list": Case(lambda w: reverse("village_affairs:meeting-list"), permitted="village_cadre",
                                         make=_meeting, hidden=_page_hidden("讨论土地承包方案")),
    "village_affairs:meeting-new": Case(lambda w: reverse("village_affairs:meeting-new"), permitted="village_cadre",
                                        denied="township_cadre", outsider=None),
    "village_affairs:meeting-quorum": Case(lambda w: reverse("village_affairs:meeting-quorum") + "?kind=villagers"
                                           "&present=23&eligible=45", permitted="village_cadre",
                                           denied="township_cadre", outsider=None),
    "village_affairs:meeting-detail": Case(lambda w: reverse("village_affairs:meeting-detail", args=[w.made.pk]),
                                           permitted="village_cadre", make=_meeting),
    "village_affairs:decision-list": Case(lambda w: reverse("village_affairs:decision-list"),
                                          permitted="township_cadre", make=_decision, hidden=_page_hidden("村道硬化")),
    "village_affairs:decision-new": Case(lambda w: reverse("village_affairs:decision-new"), permitted="village_cadre",
                                         denied="township_cadre", outsider=None),
    "village_affairs:decision-detail": Case(lambda w: reverse("village_affairs:decision-detail", args=[w.made.pk]),
                                            permitted="village_cadre", make=_decision),
    "village_affairs:board": Case(lambda w: reverse("village_affairs:board", args=[w.district.village.code]),
                                  permitted="village_cadre", make=_disclosure),
    "api-village-meeting-list": Case(lambda w: MEETINGS, api=True, permitted="village_cadre", make=_meeting,
                                     hidden=_none_listed),
    "api-village-meeting-detail": Case(lambda w: f"{MEETINGS}{w.made.pk}/", api=True, permitted="township_cadre",
                                       make=_meeting),
    "api-village-decision-list": Case(lambda w: DECISIONS, api=True, permitted="county_office", make=_decision,
                                      hidden=_none_listed),
    "api-village-decision-detail": Case(lambda w: f"{DECISIONS}{w.made.pk}/", api=True, permitted="village_cadre",
                                        make=_decision),
    "api-village-decision-step": Case(lambda w: f"{DECISIONS}{w.made.pk}/step/", api=True, method="post",
                                      data=lambda w: {"action": "approve"}, make=_filed,
                                      permitted="township_cadre", denied="village_cadre"),
    "api-village-decision-links": Case(
        lambda w: f"{DECISIONS}{w.made.pk}/links/", api=True, method="post", make=_decision,
        data=lambda w: {"matter": _matter(w).pk}, permitted="village_cadre", denied="township_cadre", ok=(201,),
        outsider_status=(400, 404)),
    "api-disclosure-list": Case(lambda w: DISCLOSURES, api=True, permitted="village_cadre", make=_disclosure,
                                hidden=_none_listed),
    "api-disclosure-detail": Case(lambda w: f"{DISCLOSURES}{w.made.pk}/", api=True, permitted="auditor",
                                  make=_disclosure),
    "api-village-affairs-stats": Case(lambda w: f"/api/v1/stats/village-affairs/?within={w.district.village.code}",
                                      api=True, permitted="township_cadre", make=_meeting),
}


test_three_ways = three_ways(CASES)


def _with_post(w):
    return services.post_appoint(actor=w.personas.village_cadre, village=w.district.village, body="committee",
                                 post="director", name="王主任", held_from=clock.today())


def _with_pledge(w):
    return services.pledge_sign(actor=w.personas.village_cadre, post=_with_post(w), kind="resignation",
                                text="如不胜任，自愿辞职", signed_on=clock.today())


BODIES = "/api/v1/village-bodies/"
CASES.update({
    "api-village-bodies-detail": Case(lambda w: f"{BODIES}{w.district.village.code}/", api=True,
                                      permitted="township_cadre"),
    "api-village-bodies-posts": Case(
        lambda w: f"{BODIES}{w.district.village.code}/posts/", api=True, method="post", permitted="village_cadre",
        denied="township_cadre", ok=(201,), data=lambda w: {"body": "committee", "post": "member", "name": "李委员",
                                                            "woman": True, "held_from": clock.today().isoformat()}),
    "api-village-bodies-representatives": Case(
        lambda w: f"{BODIES}{w.district.village.code}/representatives/", api=True, method="post",
        permitted="village_cadre", denied="township_cadre", ok=(201,),
        data=lambda w: {"name": "张代表", "households": 12, "held_from": clock.today().isoformat()}),
    "api-village-bodies-pledges": Case(
        lambda w: f"{BODIES}{w.district.village.code}/pledges/", api=True, method="post", make=_with_post,
        permitted="village_cadre", denied="township_cadre", ok=(201,),
        data=lambda w: {"post": w.made.pk, "kind": "enterprise", "text": "带领村民发展茶叶产业",
                        "signed_on": clock.today().isoformat()}),
    "api-village-bodies-pledge-review": Case(
        lambda w: f"{BODIES}{w.district.village.code}/pledges/{w.made.pk}/review/", api=True, method="post",
        make=_with_pledge, permitted="township_cadre", denied="village_cadre", data=lambda w: {"opinion": "approve"}),
})
