"""Division pages, each checked three ways: no permission, permitted, out of scope."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shuanglian.core.models import AuditEvent
from shuanglian.divisions.models import Division
from shuanglian.divisions.services import division_create

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "main"}
DAY = "2020-06-01"


def detail_url(division) -> str:
    return reverse("divisions:detail", kwargs={"code": division.code})


def restructure_url(division) -> str:
    return reverse("divisions:restructure", kwargs={"code": division.code})


@pytest.fixture
def as_(client):
    def login(user):
        client.force_login(user)
        return client

    return login


# Browse and detail

def test_anonymous_is_sent_to_login(client, district):
    for url in (reverse("divisions:browse"), detail_url(district.village), restructure_url(district.village)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_browse_starts_at_the_users_one_root(as_, personas, district):
    response = as_(personas.township_cadre).get(reverse("divisions:browse"))
    assert response.status_code == 302 and response["Location"] == detail_url(district.township)


def test_browse_without_roles_says_so(as_, personas):
    response = as_(personas.nobody).get(reverse("divisions:browse"))
    assert response.status_code == 200
    assert not response.context["roots"]


def test_township_page_shows_breadcrumbs_counts_and_villages(as_, personas, district):
    response = as_(personas.township_cadre).get(detail_url(district.township))
    assert response.status_code == 200
    crumbs = [(a.name, linkable) for a, linkable in response.context["crumbs"]]
    # Above the cadre's township the names show, but are not links (those pages would be out of scope).
    assert crumbs == [("浙江省", False), ("衢州市", False), ("衢江区", False)]
    assert dict(response.context["counts"]) == {"行政村（社区）": 2, "网格": 3}
    names = [c.name for c in response.context["children"]]
    assert names == ["樟潭社区", "樟树潭村"]
    assert [c.child_count for c in response.context["children"]] == [2, 1]
    assert f'href="{detail_url(district.village)}"' in response.content.decode()


def test_village_page_lists_its_grids(as_, personas, district):
    response = as_(personas.village_cadre).get(detail_url(district.village))
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["children"].paginator.count == 2
    assert "第一网格" in body and "第二网格" in body
    assert [a.name for a, _ in response.context["crumbs"]][-2:] == ["衢江区", "樟潭街道"]


def test_grid_page_shows_the_grid_and_its_breadcrumbs(as_, personas, district):
    response = as_(personas.promoter).get(detail_url(district.grid))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>第一网格</h1>" in body and "樟潭社区" in body
    assert not response.context["may_restructure"]


def test_out_of_scope_reads_as_404(as_, personas, district):
    assert as_(personas.outsider).get(detail_url(district.village)).status_code == 404
    assert as_(personas.promoter).get(detail_url(district.grid2)).status_code == 404
    assert as_(personas.nobody).get(detail_url(district.county)).status_code == 404
    assert as_(personas.township_cadre).get(detail_url(district.village3)).status_code == 404


def test_htmx_drilldown_returns_only_the_main_panel(as_, personas, district):
    response = as_(personas.township_cadre).get(detail_url(district.village), **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<header" not in body and "<title>樟潭社区" in body and "第二网格" in body
    assert "HX-Request" in response["Vary"]
    full = as_(personas.township_cadre).get(detail_url(district.village))
    assert '<header class="site-header">' in full.content.decode()


def test_htmx_404_is_a_fragment(as_, personas, district):
    response = as_(personas.outsider).get(detail_url(district.village), **HTMX)
    assert response.status_code == 404 and "<header" not in response.content.decode()


def test_search_within_a_township(as_, personas, district):
    client = as_(personas.township_cadre)
    response = client.get(reverse("divisions:browse"), {"q": "网格", "within": district.township.code})
    assert response.status_code == 200
    assert {d.code for d in response.context["page_obj"]} == {district.grid.code, district.grid2.code,
                                                              district.grid3.code}
    response = client.get(reverse("divisions:browse"), {"level": "village"})
    assert [d.name for d in response.context["page_obj"]] == ["樟潭社区", "樟树潭村"]
    # Search never reaches outside the user's scope.
    response = client.get(reverse("divisions:browse"), {"q": "上方"})
    assert list(response.context["page_obj"]) == []


def test_detail_runs_a_constant_number_of_queries(as_, personas, district):
    client = as_(personas.township_cadre)
    for i in range(4):
        division_create(actor=None, parent=district.village2, name=f"新网格{i}", effective_on=dt.date(2001, 1, 1))
    assert Division.objects.current().filter(parent=district.village2).count() == 5
    client.get(detail_url(district.township))  # session and caches warm

    def count(division) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(detail_url(division))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    two, five = count(district.village), count(district.village2)
    assert two == five <= 10


def test_language_default_is_chinese_and_english_on_request(as_, personas, district):
    client = as_(personas.village_cadre)
    body = client.get(detail_url(district.village)).content.decode()
    assert '<html lang="zh-hans">' in body
    assert '<h2 id="children">网格 ' in body and "退出" in body
    client.post(reverse("set_language"), {"language": "en", "next": detail_url(district.village)})
    body = client.get(detail_url(district.village)).content.decode()
    assert '<html lang="en">' in body
    assert '<h2 id="children">Grid ' in body and "Sign out" in body


# Restructuring

def test_restructure_needs_the_capability(as_, personas, district):
    assert as_(personas.promoter).get(restructure_url(district.grid)).status_code == 403
    assert as_(personas.village_cadre).post(restructure_url(district.village),
                                            {"action": "rename", "rename-name": "x",
                                             "rename-effective_on": DAY}).status_code == 403
    assert Division.objects.get(pk=district.village.pk).name == "樟潭社区"


def test_restructure_out_of_scope_is_404(as_, personas, district):
    assert as_(personas.outsider).get(restructure_url(district.village)).status_code == 404
    assert as_(personas.township_cadre).get(restructure_url(district.village3)).status_code == 404


def test_restructure_page_offers_what_fits_the_level(as_, personas, district):
    client = as_(personas.county_office)
    actions = lambda d: [p["action"] for p in client.get(restructure_url(d)).context["panels"]]  # noqa: E731
    assert actions(district.village) == ["rename", "create", "merge", "retire"]
    assert actions(district.grid) == ["rename", "move", "split", "retire"]
    response = client.get(restructure_url(district.village))
    merge = next(p for p in response.context["panels"] if p["action"] == "merge")
    # Sources: the other villages of the target's township.
    assert list(merge["form"].fields["sources"].queryset) == [district.village2]


def test_county_office_merges_villages_through_the_page(as_, personas, district):
    client = as_(personas.county_office)
    old_code = district.grid3.code
    response = client.post(restructure_url(district.village), {
        "action": "merge", "merge-sources": [district.village2.pk], "merge-effective_on": DAY,
        "merge-reason": "村规模调整"})
    assert response.status_code == 302 and response["Location"] == detail_url(district.village)
    district.village2.refresh_from_db()
    district.grid3.refresh_from_db()
    assert district.village2.retired_on == dt.date(2020, 6, 1) and district.village2.successor == district.village
    assert district.grid3.parent == district.village and district.grid3.code != old_code
    event = AuditEvent.objects.get(action="division.village_merge")
    assert event.actor == personas.county_office and event.after["reason"] == "村规模调整"
    assert event.channel == "web"
    page = client.get(response["Location"])
    assert page.context["children"].paginator.count == 3
    assert len(list(page.context["messages"])) == 1


def test_merge_by_htmx_loads_the_target_page(as_, personas, district):
    client = as_(personas.county_office)
    response = client.post(restructure_url(district.village), {
        "action": "merge", "merge-sources": [district.village2.pk], "merge-effective_on": DAY,
        "merge-reason": "村规模调整"}, **HTMX)
    assert response.status_code == 200
    assert detail_url(district.village) in response["HX-Location"]


def test_move_grid_through_the_page(as_, personas, district):
    client = as_(personas.county_office)
    response = client.post(restructure_url(district.grid4), {
        "action": "move", "move-village": district.village.pk, "move-effective_on": DAY, "move-reason": "调整"})
    assert response.status_code == 302
    district.grid4.refresh_from_db()
    assert district.grid4.parent == district.village
    assert response["Location"] == detail_url(district.grid4)
    assert AuditEvent.objects.filter(action="division.grid_move", actor=personas.county_office).exists()


def test_rename_create_split_and_retire_through_the_page(as_, personas, district):
    client = as_(personas.township_cadre)
    r = client.post(restructure_url(district.village2), {"action": "rename", "rename-name": "樟树潭新村",
                                                          "rename-effective_on": DAY})
    assert r.status_code == 302
    assert Division.objects.get(pk=district.village2.pk).name == "樟树潭新村"
    r = client.post(restructure_url(district.village2), {"action": "create", "create-name": "第二网格",
                                                          "create-planned_households": "42",
                                                          "create-effective_on": DAY})
    assert r.status_code == 302
    new = Division.objects.current().get(parent=district.village2, name="第二网格")
    assert new.planned_households == 42 and r["Location"] == detail_url(new)
    r = client.post(restructure_url(district.grid), {"action": "split", "split-names": "第三网格\n第四网格\n",
                                                      "split-planned_households": "20，10, 10",
                                                      "split-effective_on": DAY})
    assert r.status_code == 302
    assert set(Division.objects.current().filter(parent=district.village).values_list("name", flat=True)) == {
        "第一网格", "第二网格", "第三网格", "第四网格"}
    r = client.post(restructure_url(new), {"action": "retire", "retire-effective_on": DAY,
                                           "retire-reason": "并入第一网格", "retire-confirm": "on"})
    assert r.status_code == 302 and r["Location"] == detail_url(district.village2)
    new.refresh_from_db()
    assert new.retired_on == dt.date(2020, 6, 1)


def test_service_errors_show_on_the_form(as_, personas, district):
    client = as_(personas.county_office)
    # A rule the service enforces: a village with grids cannot be retired.
    r = client.post(restructure_url(district.village), {"action": "retire", "retire-effective_on": DAY,
                                                         "retire-reason": "x", "retire-confirm": "on"})
    assert r.status_code == 422
    panel = next(p for p in r.context["panels"] if p["action"] == "retire")
    assert panel["form"].non_field_errors()
    assert Division.objects.get(pk=district.village.pk).retired_on is None
    # The same by htmx: only the form's fragment comes back, with the message.
    r = client.post(restructure_url(district.village), {"action": "retire", "retire-effective_on": DAY,
                                                         "retire-reason": "x", "retire-confirm": "on"}, **HTMX)
    body = r.content.decode()
    assert r.status_code == 422 and "<header" not in body and 'id="op-retire"' in body
    assert "樟潭社区" in body and 'class="msg msg-error"' in body
    # A date in the future: the service's message, on the form.
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    r = client.post(restructure_url(district.village), {"action": "rename", "rename-name": "新名",
                                                         "rename-effective_on": future})
    assert r.status_code == 422
    assert Division.objects.get(pk=district.village.pk).name == "樟潭社区"


def test_shape_errors_show_on_the_field(as_, personas, district):
    client = as_(personas.county_office)
    r = client.post(restructure_url(district.village), {"action": "merge", "merge-effective_on": DAY,
                                                         "merge-reason": "x"})
    assert r.status_code == 422
    panel = next(p for p in r.context["panels"] if p["action"] == "merge")
    assert "sources" in panel["form"].errors
    assert client.post(restructure_url(district.village), {"action": "split"}).status_code == 400
