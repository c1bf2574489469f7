"""The dispute pages and endpoints three ways. Disputes follow their matter: seen from its grid up, and the
grid's volunteer looks but does not mediate (403)."""
import datetime as dt

from django.urls import reverse

from shuanglian.core import clock
from shuanglian.mediation import services
from shuanglian.testing.views import Case, three_ways

from .test_disputes_fixtures import AGREEMENT, agreed, report_dispute, screened, with_parties

DISPUTES = "/api/v1/disputes/"
TITLE = "宅基地边界纠纷"


# The app's dispute helpers, with dates from today: the harness does not freeze the clock.
def _dispute_matter(w):
    return report_dispute(w.personas, w.district.grid, title=TITLE)


def _dispute(w):
    actor = w.personas.promoter
    return with_parties(actor, screened(actor, _dispute_matter(w), screened_on=clock.today() - dt.timedelta(days=10)))


def _agreed(w):
    dispute = _dispute(w)
    agreed(w.personas.promoter, dispute, effective_on=clock.today() - dt.timedelta(days=1))
    return dispute


def _applied(w):
    dispute = _agreed(w)
    services.agreement_confirmation_applied(actor=w.personas.promoter, agreement=dispute.agreement,
                                            applied_on=clock.today())
    return dispute


def _today(w) -> str:
    return clock.today().isoformat()


def _post(path, data, make=_dispute, ok=(200,)):
    return Case(lambda w: f"{DISPUTES}{w.made.pk}/{path}", api=True, method="post", data=data, make=make,
                permitted="promoter", denied="volunteer", ok=ok)


CASES = {
    "mediation:dispute-list": Case(lambda w: reverse("mediation:dispute-list"), permitted="promoter", make=_dispute,
                                 hidden=lambda r, w: TITLE not in r.content.decode()),
    "mediation:dispute-detail": Case(lambda w: reverse("mediation:dispute-detail", args=[w.made.pk]),
                                   permitted="promoter", make=_dispute),
    "mediation:dispute-agreement-pdf": Case(lambda w: reverse("mediation:dispute-agreement-pdf", args=[w.made.pk]),
                                          permitted="volunteer", make=_agreed),
    "mediation:dispute-screen": Case(lambda w: reverse("mediation:dispute-screen", args=[w.made.pk]),
                                   permitted="promoter", denied="volunteer", make=_dispute_matter),
    "api-dispute-list": Case(lambda w: DISPUTES, api=True, permitted="promoter", make=_dispute,
                             hidden=lambda r, w: r.json()["count"] == 0),
    "api-dispute-detail": Case(lambda w: f"{DISPUTES}{w.made.pk}/", api=True, permitted="promoter", make=_dispute),
    "api-dispute-parties": _post("parties/", lambda w: {"role": "other", "name": "张三"}, ok=(201,)),
    "api-dispute-mediators": _post("mediators/", lambda w: {"name": "赵调解"}, ok=(201,)),
    "api-dispute-mediator-remove": Case(
        lambda w: f"{DISPUTES}{w.made.pk}/mediators/{w.made.mediators.get().pk}/remove/", api=True, method="post",
        data=lambda w: {"reason": "申请人拒绝"}, make=_dispute, permitted="promoter", denied="volunteer"),
    "api-dispute-sessions": _post("sessions/", lambda w: {"held_on": _today(w), "place": "调解室"}, ok=(201,)),
    "api-dispute-agreement": _post("agreement/", lambda w: {**AGREEMENT, "effective_on": _today(w),
                                                            "parties_signed": True, "mediator_signed": True},
                                   ok=(201,)),
    "api-dispute-agreement-confirmation": _post("agreement/confirmation/", lambda w: {"applied_on": _today(w)},
                                                make=_agreed),
    "api-dispute-agreement-confirmation-result": _post("agreement/confirmation-result/",
                                                       lambda w: {"result": "裁定确认有效"}, make=_applied),
    "api-dispute-conclude": _post("conclude/", lambda w: {"outcome": "failed", "outcome_on": _today(w),
                                                          "remedies_told": ["litigation"]}),
    # The volunteer may read the agreement (as on the page); one with no grant may not.
    "api-dispute-agreement-pdf": Case(lambda w: f"{DISPUTES}{w.made.pk}/agreement/pdf/", api=True,
                                      permitted="volunteer", make=_agreed),
    "api-dispute-stats": Case(lambda w: f"/api/v1/stats/disputes/?within={w.district.village.code}", api=True,
                              permitted="village_cadre", make=_dispute),
}

test_three_ways = three_ways(CASES)
