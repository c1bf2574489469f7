"""Matter pages -- the list, the form, one matter with its actions, the supervision board -- each checked
three ways: no permission, permitted, out of scope (404)."""
import datetime as dt
import struct
import zlib
import zoneinfo

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shuanglian.archives import services as archive_services
from shuanglian.core.models import AuditEvent
from shuanglian.matters import attachments, services
from shuanglian.matters.models import Attachment, Matter

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
LIST = reverse("matters:list")
NEW = reverse("matters:new")
BOARD = reverse("matters:supervision")
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "main"}


def png(width: int = 1, height: int = 1) -> bytes:
    """A tiny real PNG (a white square)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def photo(name="现场.png", data=None, content_type="image/png"):
    return SimpleUploadedFile(name, png() if data is None else data, content_type=content_type)


def detail(matter) -> str:
    return reverse("matters:detail", kwargs={"pk": matter.pk})


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(dt.datetime(2010, 3, 1, 9, 0, tzinfo=SH), tick=False)  # a Monday
    return time_machine


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def as_(client):
    def login(user, language="en"):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return login


@pytest.fixture
def matters(district, personas):
    """A dispute in the promoter's grid (raised by phone), a hazard in the next grid, one in 上方镇."""
    services.ensure_default_categories()
    dispute = services.matter_report(actor=personas.promoter, grid=district.grid, type="dispute", source="visit",
                                     title="宅基地边界纠纷", category="neighbour", raised_by_name="王大明",
                                     raised_by_phone="13912345678")
    hazard = services.matter_report(actor=personas.village_cadre, grid=district.grid2, type="hazard",
                                    source="walk_in", title="电线私拉乱接")
    far = services.matter_report(actor=personas.county_office, grid=district.grid4, type="demand", source="phone",
                                 title="村道破损需修补")
    return {"dispute": dispute, "hazard": hazard, "far": far}


def titles(response) -> set[str]:
    return {m.title for m in response.context["page_obj"]}


# ---------------------------------------------------------------- every page: sign-in and capability


def test_anonymous_is_sent_to_login(client, matters):
    for url in (LIST, NEW, detail(matters["dispute"]), BOARD, reverse("matters:settings")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")), url


def test_pages_need_a_role_with_matters(as_, personas, matters):
    for persona in (personas.nobody, personas.admin):
        client = as_(persona)
        for url in (LIST, NEW, detail(matters["dispute"]), BOARD):
            assert client.get(url).status_code == 403, (persona, url)
        assert client.post(NEW, {"type": "demand"}).status_code == 403
        assert client.get(reverse("matters:category_field"), {"type": "demand"}).status_code == 403
        assert client.get(reverse("matters:attachment", kwargs={"pk": matters["dispute"].pk,
                                                                "attachment_pk": 1})).status_code == 403
    client = as_(personas.department_member)  # sees what is assigned to the bureau, records nothing
    assert client.get(LIST).status_code == 200 and titles(client.get(LIST)) == set()
    assert client.get(NEW).status_code == 403
    assert client.get(BOARD).status_code == 403
    assert client.get(detail(matters["dispute"])).status_code == 404


def test_nav_links_matters_and_the_inbox(as_, personas, matters):
    body = as_(personas.promoter).get(reverse("divisions:browse"), follow=True).content.decode()
    assert f'href="{LIST}"' in body and 'id="inbox-link"' in body
    body = as_(personas.admin).get(reverse("divisions:browse"), follow=True).content.decode()
    assert f'href="{LIST}"' not in body and 'id="inbox-link"' in body


# ---------------------------------------------------------------- the list


def test_the_list_shows_the_users_area_only(as_, personas, matters):
    assert titles(as_(personas.promoter).get(LIST)) == {"宅基地边界纠纷"}
    assert titles(as_(personas.township_cadre).get(LIST)) == {"宅基地边界纠纷", "电线私拉乱接"}
    assert titles(as_(personas.county_office).get(LIST)) == {"宅基地边界纠纷", "电线私拉乱接", "村道破损需修补"}
    assert titles(as_(personas.outsider).get(LIST)) == set()


def test_list_filters(as_, personas, matters, district):
    client = as_(personas.township_cadre)
    services.transition(actor=personas.promoter, matter=matters["dispute"], action="accept")
    assert titles(client.get(LIST, {"type": "hazard"})) == {"电线私拉乱接"}
    assert titles(client.get(LIST, {"status": "accepted"})) == {"宅基地边界纠纷"}
    assert titles(client.get(LIST, {"status": "open"})) == {"宅基地边界纠纷", "电线私拉乱接"}
    assert titles(client.get(LIST, {"level": "village"})) == set()
    assert titles(client.get(LIST, {"within": district.grid2.code})) == {"电线私拉乱接"}
    assert titles(client.get(LIST, {"within": district.grid4.code})) == set()  # not theirs: nothing, no error
    assert titles(client.get(LIST, {"q": "边界"})) == {"宅基地边界纠纷"}
    assert titles(client.get(LIST, {"q": matters["hazard"].number})) == {"电线私拉乱接"}
    assert titles(client.get(LIST, {"deadline_state": "red"})) == set()
    # A hazard is accepted within 2 hours: by noon it is overdue.
    from shuanglian.core.deadlines import sweep
    from shuanglian.matters.deadlines import CLOCK

    sweep(CLOCK, at=dt.datetime(2010, 3, 1, 12, 0, tzinfo=SH))
    response = client.get(LIST, {"deadline_state": "red"})
    assert titles(response) == {"电线私拉乱接"}
    assert 'class="tag tag-red"' in response.content.decode()
    # Held by me: the promoter holds what sits at their grid only if assigned to them.
    services.transition(actor=personas.promoter, matter=matters["dispute"], action="assign", user=personas.promoter)
    assert titles(as_(personas.promoter).get(LIST, {"held_by_me": "on"})) == {"宅基地边界纠纷"}
    assert titles(as_(personas.township_cadre).get(LIST, {"held_by_me": "on"})) == set()


def test_the_list_runs_a_constant_number_of_queries(as_, personas, district, django_assert_max_num_queries):
    client = as_(personas.township_cadre)
    for i in range(2):
        services.matter_report(actor=personas.promoter, grid=district.grid, type="demand", source="visit",
                               title=f"需求{i}")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert len(client.get(LIST).context["page_obj"]) == 2
    services.ensure_default_categories()
    for i in range(28):
        grid = [district.grid, district.grid2, district.grid3][i % 3]
        m = services.matter_report(actor=personas.township_cadre, grid=grid, type="dispute", source="walk_in",
                                   title=f"纠纷{i}", category="family")
        if i % 2:
            services.transition(actor=personas.township_cadre, matter=m, action="accept")
        if i % 4 == 1:
            services.transition(actor=personas.township_cadre, matter=m, action="assign", user=personas.township_cadre)
    with django_assert_max_num_queries(len(few)):
        response = client.get(LIST)
    assert len(response.context["page_obj"]) == 30


# ---------------------------------------------------------------- one matter


def test_detail_permitted_with_a_masked_phone_and_the_timeline(as_, personas, matters):
    response = as_(personas.promoter).get(detail(matters["dispute"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "宅基地边界纠纷" in body and "139****5678" in body and "13912345678" not in body
    assert [t.action for t in response.context["timeline"]] == ["report"]
    assert [f.action for f in response.context["action_forms"]] == ["accept", "escalate", "suspend"]
    # A volunteer sees the matter but not the phone, and may not act on it.
    response = as_(personas.volunteer).get(detail(matters["dispute"]))
    assert response.status_code == 200 and "****" not in response.content.decode()
    assert response.context["action_forms"] == []


def test_detail_out_of_scope_is_404(as_, personas, matters):
    assert as_(personas.outsider).get(detail(matters["dispute"])).status_code == 404
    assert as_(personas.promoter).get(detail(matters["hazard"])).status_code == 404  # the next grid
    assert as_(personas.promoter).post(detail(matters["hazard"]), {"action": "accept"}).status_code == 404
    assert as_(personas.promoter).get(reverse("matters:detail", kwargs={"pk": 999999})).status_code == 404


def test_accept_then_escalate_with_a_reason(as_, personas, matters):
    client = as_(personas.promoter)
    url = detail(matters["dispute"])
    response = client.post(url, {"action": "accept"})
    assert response.status_code == 302 and response["Location"] == url
    matter = Matter.objects.get(pk=matters["dispute"].pk)
    assert matter.status == "accepted"
    assert "accepted" in client.get(url).content.decode()
    # No reason: the form says so and nothing moves.
    response = client.post(url, {"action": "escalate", "escalate-reason": ""})
    assert response.status_code == 422
    assert response.context["form"].errors["reason"]
    assert Matter.objects.get(pk=matter.pk).level == "grid"
    response = client.post(url, {"action": "escalate", "escalate-reason": "需村委协调"})
    assert response.status_code == 302
    matter = Matter.objects.get(pk=matter.pk)
    assert matter.level == "village" and matter.status == "reported"
    body = client.get(url).content.decode()
    assert "需村委协调" in body and "escalated" in body.lower()
    # The promoter still sees it, but no longer acts on it.
    assert client.get(url).context["action_forms"] == []


def test_an_illegal_action_is_explained_on_the_page(as_, personas, matters):
    client = as_(personas.promoter)
    url = detail(matters["dispute"])
    response = client.post(url, {"action": "resolve", "resolve-result": "已调解"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "cannot be" in body and 'role="alert"' in body
    assert Matter.objects.get(pk=matters["dispute"].pk).status == "reported"
    # With htmx, only the form comes back, with the message.
    response = client.post(url, {"action": "resolve", "resolve-result": "已调解"}, **HTMX)
    assert response.status_code == 422 and "cannot be" in response.content.decode()
    assert "<html" not in response.content.decode()
    assert client.post(url, {"action": "fly"}).status_code == 400


def test_acting_where_one_may_not_is_refused_on_the_page(as_, personas, matters):
    services.transition(actor=personas.promoter, matter=matters["dispute"], action="escalate", reason="上报")
    response = as_(personas.promoter).post(detail(matters["dispute"]), {"action": "accept"})
    assert response.status_code == 422
    assert "you may not act on it" in response.content.decode()
    assert Matter.objects.get(pk=matters["dispute"].pk).status == "reported"


def test_assign_resolve_follow_up_and_close(as_, personas, matters):
    client = as_(personas.township_cadre)
    url = detail(matters["dispute"])
    client.post(url, {"action": "accept"})
    form = next(f for f in client.get(url).context["action_forms"] if f.action == "assign")
    people = dict(form.fields["user"].choices)
    assert personas.promoter.pk in people and personas.village_cadre.pk in people
    assert personas.volunteer.pk not in people and personas.outsider.pk not in people
    response = client.post(url, {"action": "assign", "assign-user": personas.promoter.pk})
    assert response.status_code == 302
    matter = Matter.objects.get(pk=matters["dispute"].pk)
    assert matter.status == "handling" and matter.holder_user == personas.promoter
    response = client.post(url, {"action": "resolve", "resolve-result": ""})
    assert response.status_code == 422 and response.context["form"].errors["result"]
    assert client.post(url, {"action": "resolve", "resolve-result": "双方达成协议"}).status_code == 302
    response = client.post(url, {"action": "follow_up", "follow_up-satisfaction": "satisfied"})
    assert response.status_code == 302
    assert client.post(url, {"action": "close"}).status_code == 302
    matter = Matter.objects.get(pk=matter.pk)
    assert matter.status == "closed" and matter.satisfaction == "satisfied" and matter.result == "双方达成协议"
    assert [t.action for t in matter.transitions.all()] == ["report", "accept", "assign", "resolve", "follow_up",
                                                           "close"]


def test_the_county_escalates_to_a_department_it_names(as_, personas, matters):
    matter = matters["dispute"]
    for reason in ("村级无法解决", "镇级无法解决", "需区级协调"):
        matter = services.transition(actor=personas.county_office, matter=matter, action="escalate", reason=reason)
    assert matter.level == "county"
    client = as_(personas.county_office)
    form = next(f for f in client.get(detail(matter)).context["action_forms"] if f.action == "escalate")
    assert dict(form.fields["organization"].choices).get(personas.police.pk) == "衢江区公安分局"
    assert personas.service_center.pk not in dict(form.fields["organization"].choices)
    response = client.post(detail(matter), {"action": "escalate", "escalate-reason": "涉及治安"})
    assert response.status_code == 422 and response.context["form"].errors["organization"]
    response = client.post(detail(matter), {"action": "escalate", "escalate-reason": "涉及治安",
                                            "escalate-organization": personas.police.pk})
    assert response.status_code == 302
    matter = Matter.objects.get(pk=matter.pk)
    assert matter.level == "department" and matter.holder_organization == personas.police
    # Now the bureau's member sees it and may accept it.
    response = as_(personas.department_member).get(detail(matter))
    assert response.status_code == 200 and [f.action for f in response.context["action_forms"]][0] == "accept"


def test_supervision_from_the_matter_page(as_, personas, matters):
    url = detail(matters["dispute"])
    assert as_(personas.promoter).get(url).context["supervise_form"] is None
    client = as_(personas.township_cadre)
    assert client.get(url).context["supervise_form"] is not None
    response = client.post(url, {"action": "supervise", "supervise-note": ""})
    assert response.status_code == 422
    assert client.post(url, {"action": "supervise", "supervise-note": "三日内办结"}).status_code == 302
    body = client.get(url).content.decode()
    assert "三日内办结" in body
    assert Matter.objects.get(pk=matters["dispute"].pk).supervision == "ordinary"


# ---------------------------------------------------------------- the form, with photos


def test_the_form_preselects_the_promoters_only_grid(as_, personas, district, matters):
    response = as_(personas.promoter).get(NEW)
    form = response.context["form"]
    assert response.status_code == 200
    assert form.single_grid == district.grid and form.fields["grid"].widget.input_type == "hidden"
    body = response.content.decode()
    assert 'accept="image/*"' in body and " capture" in body and " multiple" in body
    assert 'enctype="multipart/form-data"' in body
    # A township cadre chooses among the township's grids, and only those.
    form = as_(personas.township_cadre).get(NEW).context["form"]
    codes = [c for c, _label in form.fields["grid"].choices if c]
    assert codes == [district.grid.code, district.grid2.code, district.grid3.code]
    # The service center's staff record matters for the township, without the archives' households.
    form = as_(personas.service_staff).get(NEW).context["form"]
    assert len(form.fields["grid"].choices) == 4 and "household" not in form.fields
    response = as_(personas.service_staff).post(NEW, {"grid": district.grid3.code, "type": "demand",
                                                      "source": "walk_in", "title": "办理残疾证"})
    assert response.status_code == 302
    assert Matter.objects.get(title="办理残疾证").grid == district.grid3


def test_a_promoter_records_a_matter_with_a_photo(as_, personas, district, matters, media):
    archive_services.household_register(actor=personas.township_cadre, grid=district.grid, number="007")
    client = as_(personas.promoter)
    before = Matter.objects.count()
    response = client.post(NEW, {
        "grid": district.grid.code, "type": "dispute", "category": "family", "source": "visit",
        "title": "赡养老人纠纷", "description": "兄弟三人分担赡养费有争议", "household": "007",
        "raised_by_name": "王大明", "raised_by_phone": "139 1234 5678",
        "attachments": [photo(), photo("2.png")]})
    assert response.status_code == 302, response.context["form"].errors
    matter = Matter.objects.latest("pk")
    assert Matter.objects.count() == before + 1 and response["Location"] == detail(matter)
    assert matter.category.code == "family" and matter.household.number == "007"
    assert matter.raised_by_phone.reveal() == "13912345678" and matter.reported_by == personas.promoter
    rows = list(matter.attachments.all())
    assert [(a.name, a.content_type, a.size) for a in rows] == [("现场.png", "image/png", len(png())),
                                                                ("2.png", "image/png", len(png()))]
    assert all(str(a.file.path).startswith(str(media)) for a in rows)
    assert AuditEvent.objects.filter(action="matters.attachment_add", object_id=str(matter.pk)).count() == 2
    page = client.get(detail(matter)).content.decode()
    url = reverse("matters:attachment", kwargs={"pk": matter.pk, "attachment_pk": rows[0].pk})
    assert url in page and f"Matter {matter.number} recorded." in page
    # The photo is served to those who see the matter, and to nobody else.
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png()
    assert response["X-Content-Type-Options"] == "nosniff"
    assert as_(personas.outsider).get(url).status_code == 404
    assert as_(personas.promoter).get(
        reverse("matters:attachment", kwargs={"pk": matters["dispute"].pk, "attachment_pk": rows[0].pk})
    ).status_code == 404


def test_the_form_refuses_big_or_unknown_files_with_a_clear_message(as_, personas, district, matters):
    client = as_(personas.promoter)
    before = Matter.objects.count()
    response = client.post(NEW, {"grid": district.grid.code, "type": "demand", "source": "visit", "title": "x",
                                 "attachments": [photo("病毒.exe", b"MZ\x90\x00" * 10, "image/png")]})
    assert response.status_code == 422
    assert "病毒.exe is not a photo or a PDF" in response.content.decode()
    big = png() + b"\x00" * (attachments.MAX_BYTES + 1 - len(png()))
    response = client.post(NEW, {"grid": district.grid.code, "type": "demand", "source": "visit", "title": "x",
                                 "attachments": [photo("big.png", big)]})
    assert response.status_code == 422 and "big.png is larger than 10 MB" in response.content.decode()
    assert Matter.objects.count() == before and not Attachment.objects.exists()


def test_the_form_checks_grid_category_and_household(as_, personas, district, matters):
    client = as_(personas.promoter)
    response = client.post(NEW, {"grid": district.grid4.code, "type": "demand", "source": "visit", "title": "x"})
    assert response.status_code == 422 and response.context["form"].errors["grid"]
    response = client.post(NEW, {"grid": district.grid.code, "type": "demand", "category": "family",
                                 "source": "visit", "title": "x"})
    assert response.status_code == 422 and response.context["form"].errors["category"]
    response = client.post(NEW, {"grid": district.grid.code, "type": "demand", "source": "visit", "title": "x",
                                 "household": "404"})
    assert response.status_code == 422
    assert "no household 404" in response.context["form"].errors["household"][0]
    assert as_(personas.outsider).post(NEW, {"grid": district.grid.code, "type": "demand", "source": "visit",
                                             "title": "x"}).status_code == 422


def test_the_category_menu_follows_the_type(as_, personas, matters):
    client = as_(personas.promoter)
    body = client.get(reverse("matters:category_field"), {"type": "hazard"}, **HTMX).content.decode()
    assert 'id="category-field"' in body and 'value="fire"' in body and 'value="family"' not in body
    # Without JavaScript the menu holds every type's categories, grouped.
    body = client.get(NEW).content.decode()
    assert "<optgroup" in body and 'value="fire"' in body and 'value="family"' in body


def test_attachments_added_later_on_the_matter_page(as_, personas, matters):
    url = detail(matters["dispute"])
    assert as_(personas.township_cadre).get(url).context["attach_form"] is not None
    response = as_(personas.volunteer).post(url, {"action": "attach", "attach-attachments": [photo("补充.png")]})
    assert response.status_code == 302
    assert [a.name for a in matters["dispute"].attachments.all()] == ["补充.png"]
    response = as_(personas.auditor).post(url, {"action": "attach", "attach-attachments": [photo()]})
    assert response.status_code == 422 and "may not add attachments" in response.content.decode()


# ---------------------------------------------------------------- the supervision board


def test_the_supervision_board(as_, personas, district, matters):
    from shuanglian.core.deadlines import sweep
    from shuanglian.matters.deadlines import CLOCK

    sweep(CLOCK, at=dt.datetime(2010, 3, 5, 9, 0, tzinfo=SH))
    response = as_(personas.county_office).get(BOARD)
    rows = {r["township__name"]: (r["yellow"], r["red"]) for r in response.context["rows"]}
    assert rows == {"樟潭街道": (0, 2), "上方镇": (0, 1)}
    row = next(r for r in response.context["rows"] if r["township__name"] == "樟潭街道")
    assert row["red_url"] in response.content.decode().replace("&amp;", "&")
    listed = as_(personas.county_office).get(row["red_url"])
    assert titles(listed) == {"宅基地边界纠纷", "电线私拉乱接"}
    response = as_(personas.township_cadre).get(BOARD)
    assert [r["township__name"] for r in response.context["rows"]] == ["樟潭街道"]
    assert as_(personas.promoter).get(BOARD).status_code == 403
    assert as_(personas.township_cadre).get(BOARD, {"within": district.township2.code}).status_code == 404
    assert as_(personas.county_office).get(BOARD, {"within": district.township2.code}).context["totals"] == {
        "yellow": 0, "red": 1}
