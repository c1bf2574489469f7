"""The matter pages and endpoints three ways: a matter is seen from its grid up (the promoter of its grid,
the village, the township, the county); the time limits, categories and calendar are the county office's."""
import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shuanglian.matters import services
from shuanglian.matters.attachments import attachment_add
from shuanglian.testing.views import Case, three_ways

from .test_api import PNG

MATTERS = "/api/v1/matters/"
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

test_three_ways = three_ways(CASES)
