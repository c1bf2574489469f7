"""The matter pages and endpoints three ways: a matter is seen from its grid up (the promoter of its grid,
the village, the township, the county); the time limits, categories and calendar are the county office's.
Disputes (mediation) follow their matter: the grid's volunteer looks but does not mediate (403)."""
import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shuanglian.core import clock
from shuanglian.matters import disputes, services
from shuanglian.matters.attachments import attachment_add
from shuanglian.testing.views import Case, three_ways

from .test_api import PNG
from .test_disputes_fixtures import AGREEMENT, agreed, report_dispute, screened, with_parties

MATTERS = "/api/v1/matters/"
DISPUTES = "/api/v1/disputes/"
TITLE = "宅基地边界纠纷"


def _matter(w):
    services.ensure_default_categories()
    return services.matter_report(actor=w.personas.promoter, grid=w.district.grid, type="dispute",
                                  category="neighbour", source="visit", title=TITLE, raised_by_name="王大明",
                                  raised_by_phone="13912345678")


def _red_matter(w):
    """A matter of the 樟潭 grid gone past its deadline, so the supervision boards count it."""
    from shuanglian.core.deadlines import sweep
    from shuanglian.matters.deadlines import CLOCK

    matter = _matter(w)
    sweep(CLOCK, at=matter.deadline_at + dt.timedelta(days=10))
    return matter


def _with_photo(w):
    matter = _matter(w)
    return attachment_add(actor=w.personas.promoter, matter=matter, upload=SimpleUploadedFile("现场.png", PNG))


def _without_matter(r, w) -> bool:
    return TITLE not in r.content.decode()


def _categories(w):
    services.ensure_default_categories()
    from shuanglian.matters.models import Category

    return Category.objects.get(code="neighbour")


CELL = {"level": "grid", "type": "demand", "stage": "handle", "amount": 4, "unit": "working_days", "warn_before": 1}

CASES = {
    "matters:list": Case(lambda w: reverse("matters:list"), permitted="promoter", make=_matter,
                         hidden=_without_matter),
    "matters:detail": Case(lambda w: reverse("matters:detail", args=[w.made.pk]), permitted="promoter",
                           make=_matter),
    "matters:attachment": Case(lambda w: reverse("matters:attachment", args=[w.made.matter_id, w.made.pk]),
                               permitted="promoter", make=_with_photo),
    # The report form and its category menu name no record (the grid is picked in the form): the auditor, who
    # reads but reports nothing, is refused.
    "matters:new": Case(lambda w: reverse("matters:new"), permitted="promoter", denied="auditor", outsider=None),
    "matters:category_field": Case(lambda w: reverse("matters:category_field") + "?type=dispute",
                                   permitted="promoter", denied="auditor", outsider=None),
    "matters:supervision": Case(lambda w: reverse("matters:supervision"), permitted="township_cadre",
                                denied="promoter", make=_red_matter,
                                hidden=lambda r, w: "樟潭街道" not in r.content.decode()),
    # One configuration for the county: no record lies out of a county office's reach.
    "matters:settings": Case(lambda w: reverse("matters:settings"), permitted="county_office",
                             denied="township_cadre", outsider=None),
    "matters:limit_edit": Case(lambda w: reverse("matters:limit_edit", args=["grid", "demand", "handle"]),
                               permitted="county_office", denied="township_cadre", outsider=None),
    "matters:settings_categories": Case(lambda w: reverse("matters:settings_categories"),
                                        permitted="county_office", denied="township_cadre", outsider=None),
    "matters:settings_calendar": Case(lambda w: reverse("matters:settings_calendar"), permitted="county_office",
                                      denied="township_cadre", outsider=None),
    "api-matter-list": Case(lambda w: MATTERS, api=True, permitted="promoter", make=_matter, hidden=_without_matter),
    "api-matter-detail": Case(lambda w: f"{MATTERS}{w.made.pk}/", api=True, permitted="promoter", make=_matter),
    # A photo from the phone (multipart); the auditor reads the matter but neither handles nor reports (403).
    "api-matter-attachments": Case(lambda w: f"{MATTERS}{w.made.pk}/attachments/", api=True, method="post",
                                   format="multipart", data=lambda w: {"file": SimpleUploadedFile("现场.png", PNG)},
                                   permitted="promoter", denied="auditor", denied_status=(403,), ok=(201,),
                                   make=_matter),
    # The volunteer of the grid sees the matter but does not handle it (403).
    "api-matter-act": Case(lambda w: f"{MATTERS}{w.made.pk}/actions/accept/", api=True, method="post",
                           data=lambda w: {}, permitted="promoter", denied="volunteer", make=_matter),
    # The promoter sees the matter but does not supervise (403).
    "api-matter-supervise": Case(lambda w: f"{MATTERS}{w.made.pk}/supervise/", api=True, method="post",
                                 data=lambda w: {"note": "请加快办理"}, permitted="township_cadre", ok=(201,),
                                 denied="promoter", make=_matter),
    "api-matter-supervision-board": Case(lambda w: f"{MATTERS}supervision-board/", api=True,
                                         permitted="township_cadre", denied="promoter", make=_red_matter,
                                         hidden=lambda r, w: r.json() == []),
    "api-matter-category-list": Case(lambda w: "/api/v1/matter-categories/", api=True, method="post",
                                     data=lambda w: {"type": "dispute", "code": "water", "name": "用水纠纷"},
                                     permitted="county_office", denied="township_cadre", outsider=None, ok=(201,)),
    "api-matter-category-detail": Case(lambda w: f"/api/v1/matter-categories/{w.made.pk}/", api=True,
                                       method="patch", data=lambda w: {"name": "邻里纠纷（含宅基地）"},
                                       permitted="county_office", denied="township_cadre", outsider=None,
                                       make=_categories),
    "api-time-limits": Case(lambda w: "/api/v1/matters/time-limits/", api=True, method="put",
                            data=lambda w: CELL, permitted="county_office", denied="township_cadre",
                            outsider=None),
}


# ---------------------------------------------------------------- disputes


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
    disputes.agreement_confirmation_applied(actor=w.personas.promoter, agreement=dispute.agreement,
                                            applied_on=clock.today())
    return dispute


def _today(w) -> str:
    return clock.today().isoformat()


def _post(path, data, make=_dispute, ok=(200,)):
    return Case(lambda w: f"{DISPUTES}{w.made.pk}/{path}", api=True, method="post", data=data, make=make,
                permitted="promoter", denied="volunteer", ok=ok)


CASES |= {
    "matters:dispute-list": Case(lambda w: reverse("matters:dispute-list"), permitted="promoter", make=_dispute,
                                 hidden=lambda r, w: TITLE not in r.content.decode()),
    "matters:dispute-detail": Case(lambda w: reverse("matters:dispute-detail", args=[w.made.pk]),
                                   permitted="promoter", make=_dispute),
    "matters:dispute-agreement-pdf": Case(lambda w: reverse("matters:dispute-agreement-pdf", args=[w.made.pk]),
                                          permitted="volunteer", make=_agreed),
    "matters:dispute-screen": Case(lambda w: reverse("matters:dispute-screen", args=[w.made.pk]),
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


# ---------------------------------------------------------------- contact days and household visits

DAYS = "/api/v1/contact-days/"
VISITS = "/api/v1/visits/"


def _last_month() -> tuple[int, int]:
    first = clock.today().replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month


def _ten(w):
    """Last month's contact days (past, so they may be kept): the 樟潭 10th, as the app's `march` fixture."""
    from shuanglian.matters import contact_days as cd

    year, month = _last_month()
    plan = cd.contact_days_plan(actor=w.personas.county_office, division=w.district.county, year=year, month=month,
                                townships=True)
    return next(d for d in plan.days if d.division_id == w.district.township.pk)


def _ten_with_attendee(w):
    from shuanglian.matters import contact_days as cd

    ten = _ten(w)
    return cd.contact_day_attendee_add(actor=w.personas.township_cadre, contact_day=ten,
                                       user=w.personas.village_cadre)


def _visit(w):
    from shuanglian.archives.services import household_register
    from shuanglian.matters import visits

    household = household_register(actor=None, grid=w.district.grid, number="001")
    return visits.visit_record(actor=w.personas.promoter, household=household, visited_on=clock.today(),
                               notes="走访")


def _day_post(path, data, make=_ten, ok=(201,)):
    # The village cadre reads the township's day but does not keep it (403).
    return Case(lambda w: f"{DAYS}{w.made.pk}/{path}", api=True, method="post", data=data, make=make,
                permitted="township_cadre", denied="village_cadre", ok=ok)


CASES |= {
    "matters:contact-calendar": Case(lambda w: reverse("matters:contact-calendar") + "?month={}-{:02d}".format(*_last_month()),
                                     permitted="township_cadre", make=_ten,
                                     hidden=lambda r, w: reverse("matters:contact-day", args=[w.made.pk])
                                     not in r.content.decode()),
    "matters:contact-day": Case(lambda w: reverse("matters:contact-day", args=[w.made.pk]),
                                permitted="township_cadre", make=_ten),
    "matters:contact-visits": Case(lambda w: reverse("matters:contact-visits") + f"?household={w.made.household_id}",
                                   permitted="promoter", make=_visit),
    "matters:contact-coverage": Case(lambda w: reverse("matters:contact-coverage") + f"?within={w.district.village.code}",
                                     permitted="village_cadre", make=_visit),
    "api-contact-day-list": Case(lambda w: DAYS, api=True, permitted="township_cadre", make=_ten,
                                 hidden=lambda r, w: w.made.pk not in [d["id"] for d in r.json()["results"]]),
    "api-contact-day-detail": Case(lambda w: f"{DAYS}{w.made.pk}/", api=True, permitted="township_cadre",
                                   make=_ten),
    # The township plans its month; a village cadre sees the township but may not plan it. A division is public
    # reference data (the national lists), so planning one out of scope is refused naming it (403), as planning
    # at one's own county is, rather than read as missing.
    "api-contact-day-plan": Case(lambda w: f"{DAYS}plan/", api=True, method="post",
                                 data=lambda w: {"division": w.district.township.code, "year": 2027, "month": 4},
                                 permitted="township_cadre", denied="village_cadre", ok=(200, 201),
                                 outsider_status=(403,)),
    # A rule of the calendar any signed-in user may ask about: no capability, no record.
    "api-contact-day-meeting-allowed": Case(lambda w: f"{DAYS}meeting-allowed/?level=township&date=2010-03-10",
                                            api=True, permitted="promoter", denied=None, outsider=None),
    "api-contact-day-attendees": _day_post("attendees/", lambda w: {"user": w.personas.village_cadre.pk}),
    "api-contact-day-attendance": Case(lambda w: f"{DAYS}{w.made.contact_day_id}/attendance/", api=True,
                                       method="post", data=lambda w: {"attendee": w.made.pk, "attended": True},
                                       make=_ten_with_attendee, permitted="township_cadre",
                                       denied="village_cadre"),
    "api-contact-day-visits": _day_post("visits/", lambda w: {"village": w.district.village2.code,
                                                              "visitors": "张书记", "households_visited": 9}),
    # Whoever may report at the grid raises a matter on the day (the village cadre too); the auditor, who
    # reads the day, reports nothing (403).
    "api-contact-day-matters": Case(lambda w: f"{DAYS}{w.made.pk}/matters/", api=True, method="post",
                                    data=lambda w: {"grid": w.district.grid.code, "type": "demand",
                                                    "title": "路灯不亮"},
                                    make=_ten, permitted="township_cadre", denied="auditor", ok=(201,)),
    "api-contact-day-hold": _day_post("hold/", lambda w: {"summary": "研究解决村级上报事项3件"}, ok=(200,)),
    "api-visit-list": Case(lambda w: VISITS, api=True, permitted="promoter", make=_visit,
                           hidden=lambda r, w: r.json()["count"] == 0),
    "api-visit-detail": Case(lambda w: f"{VISITS}{w.made.pk}/", api=True, permitted="promoter", make=_visit),
    # The auditor reads visits but raises nothing (403).
    "api-visit-matters": Case(lambda w: f"{VISITS}{w.made.pk}/matters/", api=True, method="post",
                              data=lambda w: {"type": "hazard", "title": "电线私拉乱接"}, permitted="promoter",
                              denied="auditor", ok=(201,), make=_visit),
    "api-visit-coverage": Case(lambda w: f"{VISITS}coverage/?within={w.district.village.code}", api=True,
                               permitted="village_cadre", make=_visit),
}

test_three_ways = three_ways(CASES)
