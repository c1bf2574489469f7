"""Archive pages -- search, household file, reveal, dynamic management -- each checked three ways:
no permission, permitted, out of scope."""
import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shuanglian.archives import services
from shuanglian.archives.models import Household, HouseholdVersion, Person
from shuanglian.core import idnumber
from shuanglian.core.models import AuditEvent

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "main"}
SEARCH = reverse("archives:search")
ATTENTION = reverse("archives:attention")
TODAY = dt.date(2025, 6, 10)
ID_WANG = idnumber.make("330803", dt.date(1965, 3, 12), 11)
ID_LI = idnumber.make("330803", dt.date(1968, 7, 15), 22)
PHONE_WANG = "13912345678"


def hh_url(household) -> str:
    return reverse("archives:household", kwargs={"pk": household.pk})


def reveal_url(person) -> str:
    return reverse("archives:reveal", kwargs={"pk": person.pk})


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(dt.datetime(2025, 6, 10, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def as_(client):
    """Signed in, with the pages in English (the source strings) unless a test asks for Chinese."""

    def login(user, language="en"):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return login


@pytest.fixture
def files(district, personas):
    """Wang's household in the promoter's grid; one in the next grid of the village; one in another township."""
    keeper = personas.township_cadre
    wang = services.household_register(actor=keeper, grid=district.grid, number="001", address="樟潭社区1号",
                                       annual_income="36000", tags=["low_income", "veteran"])
    services.person_add(actor=keeper, household=wang, name="王大明", relation_to_head="head", id_number=ID_WANG,
                        phone=PHONE_WANG, education="初中")
    services.person_add(actor=keeper, household=wang, name="李秀英", relation_to_head="spouse", id_number=ID_LI)
    zhao = services.household_register(actor=keeper, grid=district.grid2, number="002", address="樟潭社区2号")
    services.person_add(actor=keeper, household=zhao, name="赵四", relation_to_head="head",
                        id_number=idnumber.make("330803", dt.date(1950, 1, 1), 31))
    far = services.household_register(actor=None, grid=district.grid4,
                                      number="001", address="上方村1号")
    services.person_add(actor=None, household=far, name="王小二", relation_to_head="head",
                        id_number=idnumber.make("330803", dt.date(1990, 2, 2), 41))
    return {"wang": wang, "zhao": zhao, "far": far}


def names(response) -> set[str]:
    return {p.name for p in response.context["page_obj"]}


# ---------------------------------------------------------------- every page: sign-in and capability

def test_anonymous_is_sent_to_login(client, files):
    for url in (SEARCH, ATTENTION, hh_url(files["wang"])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    wang = Person.objects.get(name="王大明")
    assert client.post(reveal_url(wang), {"field": "phone", "reason": "核实"}).status_code == 302


def test_pages_need_a_role_that_sees_archives(as_, personas, files):
    wang = Person.objects.get(name="王大明")
    for persona in (personas.nobody, personas.service_staff, personas.admin):
        client = as_(persona)
        for url in (SEARCH, ATTENTION, hh_url(files["wang"])):
            assert client.get(url).status_code == 403, (persona, url)
        assert client.post(reveal_url(wang), {"field": "phone", "reason": "核实"}).status_code == 403
    assert not AuditEvent.objects.filter(action="archives.reveal").exists()


def test_nav_links_the_archives_for_those_who_see_them(as_, personas, files):
    assert reverse("archives:search") in as_(personas.volunteer).get(reverse("divisions:browse"), follow=True) \
        .content.decode()
    assert reverse("archives:search") not in as_(personas.service_staff).get(
        reverse("divisions:browse"), follow=True).content.decode()


# ---------------------------------------------------------------- search

def test_promoter_searches_their_grid_with_masked_pii(as_, personas, files):
    response = as_(personas.promoter).get(SEARCH)
    body = response.content.decode()
    assert response.status_code == 200
    assert names(response) == {"王大明", "李秀英"} and response.context["page_obj"].paginator.count == 2
    assert "139****5678" in body and ID_WANG[:6] + "********" + ID_WANG[-4:] in body
    assert PHONE_WANG not in body and ID_WANG not in body


def test_search_filters(as_, personas, files, district):
    client = as_(personas.township_cadre)
    assert names(client.get(SEARCH, {"name": "王"})) == {"王大明"}  # 王小二 is in another township
    assert names(client.post(SEARCH, {"id_number": ID_LI.lower()})) == {"李秀英"}
    assert names(client.post(SEARCH, {"phone": "139 1234 5678"})) == {"王大明"}
    assert names(client.get(SEARCH, {"address": "2号"})) == {"赵四"}
    assert names(client.get(SEARCH, {"tag": "low_income"})) == {"王大明", "李秀英"}
    assert names(client.get(SEARCH, {"min_age": 70})) == {"赵四"}
    assert names(client.get(SEARCH, {"min_age": 55, "max_age": 58})) == {"李秀英"}
    assert names(client.get(SEARCH, {"within": district.grid2.code})) == {"赵四"}
    # A subtree outside the user's area finds nothing, rather than an error.
    assert names(client.get(SEARCH, {"within": district.grid4.code})) == set()


def test_volunteer_sees_names_but_cannot_search_or_see_pii(as_, personas, files):
    client = as_(personas.volunteer)
    response = client.get(SEARCH)
    body = response.content.decode()
    assert names(response) == {"王大明", "李秀英"}
    assert "139****5678" not in body and "********" not in body
    assert "id_number" not in response.context["form"].fields
    assert "low_income" not in dict(response.context["form"].fields["tag"].choices)
    # Filtering on what a volunteer may not see would be an oracle: it finds nobody.
    assert names(client.post(SEARCH, {"phone": PHONE_WANG})) == set()
    assert names(client.post(SEARCH, {"id_number": ID_WANG})) == set()
    assert names(client.get(SEARCH, {"tag": "low_income"})) == set()
    assert names(client.get(SEARCH, {"tag": "veteran"})) == {"王大明", "李秀英"}


def test_search_out_of_scope_finds_nothing(as_, personas, files):
    assert names(as_(personas.outsider).get(SEARCH, {"name": "王"})) == set()
    assert names(as_(personas.promoter).post(SEARCH, {"id_number": ID_WANG[:-1] + "0"})) == set()
    assert names(as_(personas.promoter).get(SEARCH, {"name": "赵"})) == set()


def test_search_runs_a_constant_number_of_queries(as_, personas, files, district):
    client = as_(personas.township_cadre)
    client.get(SEARCH)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(SEARCH)
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.context["page_obj"])

    before, shown = count()
    for i in range(6):
        hh = services.household_register(actor=None, grid=district.grid3, number=f"1{i}")
        services.person_add(actor=None, household=hh, name=f"钱{i}", relation_to_head="head",
                            id_number=idnumber.make("330803", dt.date(1980, 1, 1 + i), 100 + i), phone="1380000000")
    after, shown_after = count()
    assert shown_after == shown + 6
    assert before == after <= 16  # 12, and the page's one audit event of a PII read (archives.pii_read)


def test_search_by_htmx_returns_the_main_panel(as_, personas, files):
    response = as_(personas.promoter).get(SEARCH, {"name": "李"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "<header" not in body and "李秀英" in body


# ---------------------------------------------------------------- household file

def test_household_file_for_a_promoter(as_, personas, files):
    response = as_(personas.promoter).get(hh_url(files["wang"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert [m.name for m in response.context["members"]] == ["王大明", "李秀英"]
    assert "139****5678" in body and PHONE_WANG not in body and ID_WANG not in body
    assert "低保户" in body and "退役军人" in body and "36,000" in body
    assert response.context["may_edit"] and response.context["may_reveal"]
    history = response.context["history"]
    assert response.context["history_count"] == 3 and history[0]["actor"] == "township_cadre"
    assert any(c["after"] == "139****5678" for v in history for c in v["changes"])


def test_household_file_for_a_volunteer_hides_pii_income_and_sensitive_tags(as_, personas, files):
    response = as_(personas.volunteer).get(hh_url(files["wang"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "王大明" in body and "樟潭社区1号" in body and "退役军人" in body
    assert "****" not in body and "低保户" not in body and "36,000" not in body and "36000" not in body
    assert not response.context["may_edit"] and "hh-number" not in body
    # The history drops the private fields too.
    labels = {c["label"] for v in response.context["history"] for c in v["changes"]}
    assert "phone" not in labels and "ID number" not in labels and "annual income" not in labels


def test_household_file_out_of_scope_is_404(as_, personas, files):
    assert as_(personas.promoter).get(hh_url(files["zhao"])).status_code == 404
    assert as_(personas.outsider).get(hh_url(files["wang"])).status_code == 404
    assert as_(personas.township_cadre).get(hh_url(files["far"])).status_code == 404
    assert as_(personas.archive_keeper).get(hh_url(files["zhao"])).status_code == 200


def test_household_edits_need_the_edit_capability(as_, personas, files):
    url = hh_url(files["wang"])
    for persona in (personas.volunteer, personas.county_office, personas.auditor):
        response = as_(persona).post(url, {"action": "household", "hh-number": "001", "hh-address": "改了"})
        assert response.status_code == 403
    assert Household.objects.get(pk=files["wang"].pk).address == "樟潭社区1号"
    assert as_(personas.promoter).post(hh_url(files["zhao"]), {"action": "household"}).status_code == 404


def test_promoter_edits_the_household_through_the_page(as_, personas, files):
    client = as_(personas.promoter)
    url = hh_url(files["wang"])
    response = client.post(url, {"action": "household", "hh-number": "001", "hh-address": "樟潭社区1号",
                                 "hh-house": "砖混两层", "hh-annual_income": "40000", "hh-livelihood_notes": "务农"})
    assert response.status_code == 302 and response["Location"] == url
    wang = Household.objects.get(pk=files["wang"].pk)
    assert wang.house == "砖混两层" and wang.annual_income == 40000
    latest = HouseholdVersion.objects.filter(household=wang).first()
    assert latest.actor == personas.promoter and latest.action == "household_update"
    event = AuditEvent.objects.filter(action="archives.household_update").get()
    assert event.channel == "web"
    page = client.get(url)
    assert page.context["history"][0]["action"] == "changed the household"
    assert {"label": "house", "before": "—", "after": "砖混两层"} in page.context["history"][0]["changes"]


def test_tags_and_members_through_the_page(as_, personas, files):
    client = as_(personas.promoter)
    url = hh_url(files["wang"])
    response = client.post(url, {"action": "tags", "tags-tags": ["elderly_alone"]}, **HTMX)
    assert response.status_code == 200 and url in response["HX-Location"]
    assert {t.code for t in files["wang"].tag_list()} == {"elderly_alone"}
    son = idnumber.make("330803", dt.date(1992, 5, 1), 13)
    response = client.post(url, {"action": "person_add", "add-name": "王小明", "add-relation_to_head": "child",
                                 "add-id_number": son, "add-residence_status": "away", "add-phone": ""})
    assert response.status_code == 302
    xiaoming = Person.objects.get(name="王小明")
    assert xiaoming.sex == "male" and xiaoming.birth_date == dt.date(1992, 5, 1) and not xiaoming.phone
    # A change leaves the ID number alone when its box is empty.
    response = client.post(url, {"action": "person_edit", "person": xiaoming.pk, f"p{xiaoming.pk}-name": "王小明",
                                 f"p{xiaoming.pk}-relation_to_head": "child", f"p{xiaoming.pk}-phone": "13700001111",
                                 f"p{xiaoming.pk}-residence_status": "registered"})
    assert response.status_code == 302
    xiaoming.refresh_from_db()
    assert xiaoming.id_number.reveal() == son and xiaoming.phone.reveal() == "13700001111"
    assert xiaoming.residence_status == "registered"
    # The edit form never carries the full values back to the browser.
    body = client.get(url).content.decode()
    assert son not in body and "13700001111" not in body and "137****1111" in body


def test_service_errors_show_on_the_form(as_, personas, files):
    client = as_(personas.promoter)
    url = hh_url(files["wang"])
    bad = ID_WANG[:-1] + ("0" if ID_WANG[-1] != "0" else "1")
    response = client.post(url, {"action": "person_add", "add-name": "张三", "add-relation_to_head": "child",
                                 "add-id_number": bad, "add-residence_status": "registered"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 422 and 'id="person-add-form"' in body and "check character" in body
    assert "<header" not in body
    response = client.post(url, {"action": "person_add", "add-name": "张三", "add-relation_to_head": "head",
                                 "add-residence_status": "registered"})
    assert response.status_code == 422 and "already has a head" in response.content.decode()
    assert not Person.objects.filter(name="张三").exists()


def test_a_member_of_another_household_cannot_be_edited_here(as_, personas, files):
    zhao = Person.objects.get(name="赵四")
    response = as_(personas.archive_keeper).post(hh_url(files["wang"]), {
        "action": "person_edit", "person": zhao.pk, f"p{zhao.pk}-name": "x", f"p{zhao.pk}-relation_to_head": "head",
        f"p{zhao.pk}-residence_status": "registered"})
    assert response.status_code == 404
    assert Person.objects.get(pk=zhao.pk).name == "赵四"


def test_household_page_runs_a_constant_number_of_queries(as_, personas, files):
    client = as_(personas.promoter)
    url = hh_url(files["wang"])
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(4):
        services.person_add(actor=None, household=files["wang"], name=f"王{i}", relation_to_head="grandchild",
                            id_number=idnumber.make("330803", dt.date(2010, 1, 1 + i), 200 + i))
    assert count() == before


# ---------------------------------------------------------------- reveal

def test_reveal_shows_the_full_value_once_and_records_why(as_, personas, files):
    client = as_(personas.promoter)
    wang = Person.objects.get(name="王大明")
    response = client.post(reveal_url(wang), {"field": "phone", "reason": "办理低保复核"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and PHONE_WANG in body
    assert body.lstrip().startswith(f'<span class="pii revealed" id="pii-{wang.pk}-phone"')
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="archives.reveal")
    assert event.actor == personas.promoter and event.after == {"field": "phone", "reason": "办理低保复核",
                                                                "household": files["wang"].pk}
    # Not kept: the next page view is masked again, and the session holds nothing of it.
    assert PHONE_WANG not in client.get(hh_url(files["wang"])).content.decode()
    assert PHONE_WANG not in str(dict(client.session))


def test_reveal_without_a_reason_is_400_inline(as_, personas, files):
    wang = Person.objects.get(name="王大明")
    response = as_(personas.promoter).post(reveal_url(wang), {"field": "id_number", "reason": " "}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 400 and 'role="alert"' in body and "State why" in body
    assert ID_WANG not in body and 'name="reason"' in body
    assert not AuditEvent.objects.filter(action="archives.reveal").exists()


def test_reveal_without_the_permission_is_403_inline(as_, personas, files):
    wang = Person.objects.get(name="王大明")
    for persona in (personas.volunteer, personas.county_office, personas.auditor):
        response = as_(persona).post(reveal_url(wang), {"field": "id_number", "reason": "核实身份"}, **HTMX)
        body = response.content.decode()
        assert response.status_code == 403 and "may not reveal" in body and ID_WANG not in body
        assert 'name="reason"' not in body
    assert not AuditEvent.objects.filter(action="archives.reveal").exists()


def test_reveal_out_of_scope_is_404(as_, personas, files):
    zhao = Person.objects.get(name="赵四")
    assert as_(personas.promoter).post(reveal_url(zhao), {"field": "id_number", "reason": "核实"}).status_code == 404
    assert as_(personas.outsider).post(reveal_url(zhao), {"field": "id_number", "reason": "核实"}).status_code == 404
    assert not AuditEvent.objects.filter(action="archives.reveal").exists()


def test_reveal_is_a_post_and_works_without_javascript(as_, personas, files):
    client = as_(personas.archive_keeper)
    wang = Person.objects.get(name="王大明")
    assert client.get(reveal_url(wang)).status_code == 405
    response = client.post(reveal_url(wang), {"field": "id_number", "reason": "核实身份"})
    body = response.content.decode()
    assert response.status_code == 200 and ID_WANG in body and '<header class="site-header">' in body


def test_household_page_offers_reveal_only_to_those_who_may(as_, personas, files):
    url = hh_url(files["wang"])
    assert as_(personas.promoter).get(url).content.decode().count('name="reason"') == 3  # two IDs, one phone
    assert 'name="reason"' not in as_(personas.county_office).get(url).content.decode()


# ---------------------------------------------------------------- dynamic management

def test_attention_completeness_rollups(as_, personas, files, district):
    response = as_(personas.township_cadre).get(ATTENTION)
    assert response.status_code == 200
    townships = response.context["townships"]
    assert [(t["name"], t["households"]) for t in townships] == [("樟潭街道", 2)]
    villages = response.context["villages"]
    assert [(v["name"], v["households"]) for v in villages] == [("樟潭社区", 2)]
    completeness = sorted(Household.objects.filter(village=district.village).values_list("completeness", flat=True))
    assert villages[0]["average"] == pytest.approx(sum(completeness) / 2)
    assert villages[0]["below"] == sum(1 for c in completeness if c < 60)
    county = as_(personas.county_office).get(ATTENTION).context["townships"]
    assert [t["name"] for t in county] == ["樟潭街道", "上方镇"]


def test_attention_rollups_are_one_query_each(as_, personas, files, district):
    client = as_(personas.county_office)
    client.get(ATTENTION)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(ATTENTION).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for grid in (district.grid3, district.grid4):
        services.household_register(actor=None, grid=grid, number="777")
    assert count() == before


def test_attention_lists(as_, personas, files, district):
    with time_machine.travel(dt.datetime(2024, 1, 5, 9, 0, tzinfo=dt.UTC), tick=False):
        old = services.household_register(actor=None, grid=district.grid, number="003", address="老房子")
    adult = idnumber.make("330803", dt.date(2007, 6, 20), 51)  # turns 18 on 2025-06-20
    services.person_add(actor=None, household=old, name="孙十八", relation_to_head="head", id_number=adult)
    services.person_add(actor=None, household=old, name="孙八十", relation_to_head="parent",
                        id_number=idnumber.make("330803", dt.date(1945, 7, 9), 61))  # 80 on 2025-07-09
    services.person_add(actor=None, household=old, name="孙过了", relation_to_head="parent",
                        id_number=idnumber.make("330803", dt.date(1965, 7, 11), 71))  # 60 in 31 days: no
    Household.objects.filter(pk=old.pk).update(updated_at=dt.datetime(2024, 5, 1, tzinfo=dt.UTC))
    client = as_(personas.promoter)

    stale = client.get(ATTENTION, {"show": "stale"})
    assert [h.number for h in stale.context["page_obj"]] == ["003"]

    turning = client.get(ATTENTION, {"show": "milestones"})
    rows = [(p.name, p.milestone, p.milestone_on) for p in turning.context["page_obj"]]
    assert rows == [("孙八十", 80, dt.date(2025, 7, 9)), ("孙十八", 18, dt.date(2025, 6, 20))]

    incomplete = client.get(ATTENTION, {"show": "incomplete"})
    assert "003" in [h.number for h in incomplete.context["page_obj"]]


def test_attention_finds_identity_mismatches_for_pii_viewers_only(as_, personas, files):
    # Rows changed by some path other than the services (the services refuse a contradiction).
    Person.objects.filter(name="李秀英").update(birth_date=dt.date(1968, 7, 16))
    Person.objects.filter(name="王大明").update(sex="female")
    response = as_(personas.promoter).get(ATTENTION, {"show": "mismatch"})
    rows = {p.name: problems for p, problems in response.context["page_obj"]}
    assert rows == {"李秀英": ["birth date"], "王大明": ["sex"]}
    volunteer = as_(personas.volunteer).get(ATTENTION, {"show": "mismatch"})
    assert volunteer.context["show"] == "stale" and "mismatch" not in volunteer.context["lists"]


def test_attention_out_of_scope_shows_nothing_of_others(as_, personas, files):
    Person.objects.filter(name="王大明").update(sex="female")
    response = as_(personas.outsider).get(ATTENTION, {"show": "mismatch"})
    assert response.status_code == 200
    assert response.context["townships"] == [] and response.context["villages"] == []
    assert list(response.context["page_obj"]) == []
    far = as_(personas.township_cadre).get(ATTENTION, {"show": "incomplete"})
    assert "上方村1号" not in far.content.decode()


def test_pages_speak_chinese_by_default(as_, personas, files):
    client = as_(personas.promoter, language="zh-hans")
    body = client.get(SEARCH).content.decode()
    assert '<html lang="zh-hans">' in body and ">民情档案</a>" in body and "查找人员" in body and "姓名" in body
    body = client.get(hh_url(files["wang"])).content.decode()
    assert "户 001" in body and "家庭成员" in body and "变更记录" in body
    wang = Person.objects.get(name="王大明")
    response = client.post(reveal_url(wang), {"field": "phone", "reason": ""}, **HTMX)
    assert response.status_code == 400 and "请说明" in response.content.decode()


def test_id_numbers_and_phones_are_searched_by_post_and_never_stand_in_a_url(as_, personas, files):
    client = as_(personas.promoter)
    response = client.post(SEARCH, {"id_number": ID_WANG, "name": ""})
    assert response.status_code == 200 and names(response) == {"王大明"}
    body = response.content.decode()
    assert 'method="post"' in body and ID_WANG not in body.replace(f'value="{ID_WANG}"', "")
    # In a GET the number is not searched for (it is in a log already): the user is told to use the form.
    refused = client.get(SEARCH, {"id_number": ID_WANG})
    assert refused.context["refused"] and names(refused) == {"王大明", "李秀英"}
    # A POST without a number goes to the list's GET address, which pages and links can use.
    moved = client.post(SEARCH, {"name": "李", "id_number": "", "phone": ""})
    assert moved.status_code == 303 and moved["Location"] == f"{SEARCH}?name=%E6%9D%8E"
