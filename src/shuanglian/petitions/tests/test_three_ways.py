"""The petition endpoints and pages three ways. The petition office (a `petition_officer` grant at the county,
made here: the shared personas predate the role) registers and routes; the county office sees petitions
and statistics but does not act (403); the cadre of another county sees none (404)."""
import copy

from django.urls import reverse

from shuanglian.core import clock
from shuanglian.petitions import services
from shuanglian.petitions.choices import Action
from shuanglian.testing.views import Case, three_ways

from .fixtures import REPLY, officer_at, register

PETITIONS = "/api/v1/petitions/"
SUMMARY = "征地补偿款未到位"


def _with_officer(w):
    """The world's personas plus the county petition officer (a copy: the shared personas stay as they are)."""
    w.personas = copy.copy(w.personas)
    w.personas.petition_officer = officer_at(w.district.county, "county_petition_officer")
    return w.personas.petition_officer


def _petition(w):
    return register(_with_officer(w), w.district.village, received_on=clock.today(), summary=SUMMARY)


def _routed(w):
    petition = _petition(w)
    return services.transition(actor=w.personas.petition_officer, petition=petition, action=Action.ROUTE,
                               organization=w.personas.police)


def _accepted(w):
    routed = _routed(w)
    return services.transition(actor=w.personas.petition_officer, petition=routed, action=Action.ACCEPT)


def _backlog(w):
    officer = _with_officer(w)
    return services.backlog_case_open(actor=officer, division=w.district.village, year=clock.today().year,
                                      title="积案甲", leader="副县长 王强", target_on=clock.today())


def _action(name, data, make=_petition, permitted="petition_officer", denied="county_office"):
    return Case(lambda w: f"{PETITIONS}{w.made.pk}/actions/{name}/", api=True, method="post",
                data=lambda w: data, make=make, permitted=permitted, denied=denied)


CASES = {
    "petitions:list": Case(lambda w: reverse("petitions:list"), permitted="township_cadre", make=_petition,
                           hidden=lambda r, w: SUMMARY not in r.content.decode()),
    "petitions:intake": Case(lambda w: reverse("petitions:intake"), permitted="petition_officer",
                             denied="county_office", outsider=None, make=_with_officer),
    "petitions:detail": Case(lambda w: reverse("petitions:detail", args=[w.made.pk]), permitted="township_cadre",
                             make=_petition),
    "petitions:backlog": Case(lambda w: reverse("petitions:backlog") + f"?year={clock.today().year}",
                              permitted="township_cadre", make=_backlog, hidden=lambda r, w: "积案甲" not in
                              r.content.decode()),
    # The acceptance notice carries the petitioner's name: the petition office, not the cadres (403).
    "petitions:document": Case(lambda w: reverse("petitions:document", args=[w.made.pk, "notice"]),
                               permitted="petition_officer", denied="township_cadre", make=_accepted),
    "petitions:monthly": Case(lambda w: reverse("petitions:monthly") + f"?year={clock.today().year}"
                                        f"&within={w.district.township.code}", permitted="township_cadre",
                              make=_petition, outsider_status=(403,)),
    "petitions:stats": Case(lambda w: reverse("petitions:stats") + f"?year={clock.today().year}"
                                      f"&within={w.district.township.code}", permitted="township_cadre",
                            make=_petition, outsider_status=(403,)),
    "api-petition-list": Case(lambda w: PETITIONS, api=True, permitted="county_office", make=_petition,
                              hidden=lambda r, w: r.json()["count"] == 0),
    "api-petition-detail": Case(lambda w: f"{PETITIONS}{w.made.pk}/", api=True, permitted="township_cadre",
                                make=_petition),
    # The action endpoint, for the office (route) and the handling unit (reply).
    "api-petition-act": _action("reply", {"outcome": "support", **REPLY}, make=_accepted,
                                permitted="department_member"),
    "api-petition-stats": Case(lambda w: f"/api/v1/stats/petitions/?year={clock.today().year}"
                                         f"&within={w.district.township.code}", api=True,
                               permitted="township_cadre", make=_petition, outsider_status=(403, 404)),
}

test_three_ways = three_ways(CASES)


def test_registering_through_the_api_is_for_the_petition_office(district, personas, api):
    officer = officer_at(district.county, "county_petition_officer")
    body = {"division": district.village.code, "channel": "letter", "category": "suggestion",
            "received_on": clock.today().isoformat(), "summary": "建议修缮村道", "petitioner_name": "赵六"}
    assert api.as_(personas.county_office).post(PETITIONS, body, format="json").status_code == 403
    assert api.as_(personas.outsider).post(PETITIONS, body, format="json").status_code == 404
    created = api.as_(officer).post(PETITIONS, body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["identity"]["name"] == "赵六"
