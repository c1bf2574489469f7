"""The staff pages: the queue per point, one application with a form per step, supervision and the county
office's item editor. Each checked for scope (out of scope reads as 404), for what the forms say, and for a
constant number of queries on the queue."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuanglian.applications import services
from shuanglian.applications.models import Application, ServiceItem

from .conftest import at

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def monday(time_machine):
    time_machine.move_to(at(2026, 3, 9, 10), tick=False)  # Monday 2026-03-09


MARCH_2 = at(2026, 3, 2, 9)


def _accept(net, actor, *, point=None, item=None, when=MARCH_2, name="王大明"):
    return services.application_accept(actor=actor, item=item or net.hukou, point=point or net.center,
                                       applicant_name=name, applicant_phone="13912345678", at=when)


def _login(client, user, password):
    assert client.login(username=user.username, password=password)


# ---------------------------------------------------------------- scope


def test_pages_three_ways(client, net, personas, persona_password):
    app = _accept(net, personas.service_staff)
    url = f"/services/applications/{app.pk}/"
    for page in ("/services/queue/", url, "/services/supervision/", "/services/items/"):
        assert client.get(page).status_code == 302  # to the login page
    _login(client, personas.promoter, persona_password)
    for page in ("/services/queue/", url, "/services/supervision/", "/services/items/"):
        assert client.get(page).status_code == 403  # sees no application, edits no catalog
    _login(client, net.agent_staff, persona_password)
    assert client.get(url).status_code == 404  # another point's application
    assert client.get(f"/services/queue/?at_point={net.center.pk}").status_code == 404  # another point's queue
    assert client.get("/services/items/").status_code == 403
    _login(client, personas.outsider, persona_password)  # a township cadre of another county
    assert client.get(url).status_code == 404
    _login(client, personas.service_staff, persona_password)
    page = client.get(url, **EN).content.decode()
    assert "王大明" in page and "139****5678" in page and "13912345678" not in page
    _login(client, personas.county_office, persona_password)
    assert client.get(url).status_code == 200


def test_the_queue_shows_a_points_applications_with_filters(client, net, personas, persona_password, monday):
    late = _accept(net, personas.service_staff, when=at(2026, 3, 2, 9), name="迟到")  # promised 03-09: due today
    older = _accept(net, personas.service_staff, when=at(2026, 2, 24, 9), name="超期")  # promised 03-03
    fine = _accept(net, personas.service_staff, item=net.allowance, when=at(2026, 3, 6, 9), name="宽裕")
    agent = _accept(net, net.agent_staff, point=net.agent, when=at(2026, 3, 6, 9), name="代办")
    other = _accept(net, personas.county_office, point=net.center2, name="上方")
    done = _accept(net, personas.service_staff, name="已办")
    services.transition(actor=personas.service_staff, application=done, action="refuse", reason="不符合条件")

    def receipts(query="", user=personas.service_staff):
        _login(client, user, persona_password)
        r = client.get(f"/services/queue/{query}", **EN)
        assert r.status_code == 200
        return {a.receipt_no for a in r.context["page_obj"]}

    # The staff's own center by default, open ones: its own and those its agent point accepted.
    assert receipts() == {late.receipt_no, older.receipt_no, fine.receipt_no, agent.receipt_no}
    assert receipts("?at_point=&status=") == {late.receipt_no, older.receipt_no, fine.receipt_no,
                                               agent.receipt_no, done.receipt_no}
    assert receipts("?deadline=overdue") == {older.receipt_no}
    assert receipts("?deadline=near_due") == {late.receipt_no}
    assert receipts("?deadline=fine") == {fine.receipt_no, agent.receipt_no}
    assert receipts("?status=refused") == {done.receipt_no}
    assert receipts(f"?q={other.receipt_no}") == set()  # out of scope even by its number
    assert receipts(f"?q={late.receipt_no[-3:]}") == {late.receipt_no}
    assert receipts(user=net.agent_staff) == {agent.receipt_no}
    assert receipts(f"?at_point={net.center2.pk}", user=personas.county_office) == {other.receipt_no}
    page = client.get("/services/queue/?at_point=", **EN).content.decode()
    assert "overdue" in page and "due soon" in page


def test_the_queue_runs_constant_queries(client, net, personas, persona_password, monday):
    _accept(net, personas.service_staff)
    _login(client, personas.service_staff, persona_password)
    client.get("/services/queue/")  # warm the session
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as few:
        assert client.get("/services/queue/").status_code == 200
    for i in range(12):
        _accept(net, personas.service_staff, item=net.allowance if i % 2 else net.hukou, name=f"申请人{i}")
        _accept(net, net.agent_staff, point=net.agent, name=f"代办{i}")
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as more:
        r = client.get("/services/queue/")
    assert r.context["page_obj"].paginator.count == 25
    assert len(more) == len(few) <= 12  # 11 here: session, user, grants, postings, points, count, page...


# ---------------------------------------------------------------- the action forms


def test_the_steps_from_acceptance_to_reply(client, net, personas, persona_password):
    app = _accept(net, personas.service_staff)
    url = f"/services/applications/{app.pk}/"
    _login(client, personas.service_staff, persona_password)
    page = client.get(url, **EN).content.decode()
    for form in ("action-handle", "action-request_materials", "action-refuse", "action-return", "action-complaint"):
        assert f'id="{form}"' in page
    assert 'id="action-reply"' not in page and 'id="action-forward"' not in page

    # One-time notice: every missing item at once, ticked from the item's list and typed.
    r = client.post(url, {"action": "request_materials", "request_materials-missing": ["户口簿", "身份证"],
                          "request_materials-other": "迁入地证明\n\n 结婚证 "}, **EN)
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.status == "awaiting_materials"
    assert app.missing_materials == ["户口簿", "身份证", "迁入地证明", "结婚证"]
    page = client.get(url, **EN).content.decode()
    assert "结婚证" in page and 'id="action-materials_received"' in page
    assert client.post(url, {"action": "materials_received"}).status_code == 302

    r = client.post(url, {"action": "handle", "handle-department": personas.police.pk,
                          "handle-handler": personas.department_member.pk})
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.status == "handling" and app.department == personas.police and app.handler == personas.department_member

    r = client.post(url, {"action": "reply", "reply-result": "已办结", "reply-notified_by": "phone",
                          "reply-satisfaction": "satisfied"}, **EN)
    assert r.status_code == 302
    app.refresh_from_db()
    assert (app.status, app.notified_by, app.satisfaction) == ("replied", "phone", "satisfied")
    page = client.get(url, **EN).content.decode()
    assert "已办结" in page and "by phone" in page
    assert [t.action for t in app.transitions.all()] == ["accept", "request_materials", "materials_received",
                                                        "handle", "reply"]


def test_request_materials_needs_at_least_one(client, net, personas, persona_password):
    app = _accept(net, personas.service_staff)
    _login(client, personas.service_staff, persona_password)
    r = client.post(f"/services/applications/{app.pk}/", {"action": "request_materials"}, **EN)
    assert r.status_code == 422
    assert "List every missing material at once" in r.content.decode()
    app.refresh_from_db()
    assert app.status == "accepted"


def test_refuse_without_a_reason_shows_the_error(client, net, personas, persona_password):
    app = _accept(net, personas.service_staff)
    url = f"/services/applications/{app.pk}/"
    _login(client, personas.service_staff, persona_password)
    r = client.post(url, {"action": "refuse", "refuse-reason": "  "}, **EN)
    assert r.status_code == 422
    form = r.context["form"]
    assert form.errors["reason"] == ["This field is required."]
    assert "This field is required." in r.content.decode()
    # With htmx, only the form comes back, with its message.
    r = client.post(url, {"action": "refuse", "refuse-reason": ""}, HTTP_HX_REQUEST="true", **EN)
    assert r.status_code == 422
    body = r.content.decode()
    assert body.lstrip().startswith("<form") and 'id="action-refuse"' in body and "This field is required." in body
    app.refresh_from_db()
    assert app.status == "accepted" and app.transitions.count() == 1


def test_an_illegal_step_shows_the_message(client, net, personas, persona_password):
    app = _accept(net, personas.service_staff)
    url = f"/services/applications/{app.pk}/"
    _login(client, personas.service_staff, persona_password)
    r = client.post(url, {"action": "reply", "reply-result": "已办结", "reply-notified_by": "phone"}, **EN)
    assert r.status_code == 422
    assert "An application that is accepted cannot be reply." in r.content.decode()
    services.transition(actor=personas.service_staff, application=app, action="return", reason="材料不全")
    r = client.post(url, {"action": "return", "return-reason": "again"}, **EN)
    assert r.status_code == 422 and "cannot be return" in r.content.decode()
    assert client.post(url, {"action": "accept"}).status_code == 400
    assert client.post(url, {"action": "delete"}).status_code == 400
    app.refresh_from_db()
    assert app.status == "returned" and app.transitions.count() == 2


def test_a_viewer_who_may_not_act_sees_no_step_but_may_record_a_complaint(client, net, personas, persona_password):
    app = _accept(net, personas.service_staff)
    url = f"/services/applications/{app.pk}/"
    _login(client, personas.township_cadre, persona_password)  # sees the township's applications, acts on none
    page = client.get(url, **EN).content.decode()
    assert 'id="action-refuse"' not in page and 'id="action-handle"' not in page and 'id="action-complaint"' in page
    r = client.post(url, {"action": "refuse", "refuse-reason": "x"}, **EN)
    assert r.status_code == 422 and "You may not act on application" in r.content.decode()
    r = client.post(url, {"action": "complaint", "complaint-text": "窗口态度差"}, **EN)
    assert r.status_code == 302
    complaint = app.complaints.get()
    assert complaint.text == "窗口态度差"
    assert "窗口态度差" in client.get("/services/supervision/", **EN).content.decode()
    assert f'id="action-resolve-{complaint.pk}"' not in client.get(url).content.decode()
    # The staff who may act on it resolve it; then it leaves the supervision page's open complaints.
    _login(client, personas.service_staff, persona_password)
    assert f'id="action-resolve-{complaint.pk}"' in client.get(url).content.decode()
    r = client.post(url, {"action": "resolve_complaint", "complaint": complaint.pk,
                          f"resolve-{complaint.pk}-resolution": ""}, **EN)
    assert r.status_code == 422 and "This field is required." in r.content.decode()
    assert client.post(url, {"action": "resolve_complaint", "complaint": 999999}).status_code == 404
    r = client.post(url, {"action": "resolve_complaint", "complaint": complaint.pk,
                          f"resolve-{complaint.pk}-resolution": "已约谈窗口人员"})
    assert r.status_code == 302
    complaint.refresh_from_db()
    assert complaint.resolution == "已约谈窗口人员" and complaint.resolved_at is not None
    assert "窗口态度差" not in client.get("/services/supervision/", **EN).content.decode()


# ---------------------------------------------------------------- supervision


def test_supervision_per_point_department_staff_and_month(client, net, personas, persona_password, monday):
    old = _accept(net, personas.service_staff, when=at(2026, 2, 24, 9))  # promised 03-03: overdue
    services.transition(actor=personas.service_staff, application=old, action="handle")
    _accept(net, personas.service_staff, when=at(2026, 3, 2, 9))  # promised 03-09: due today
    done = _accept(net, personas.service_staff, when=at(2026, 2, 2, 9))
    services.transition(actor=personas.service_staff, application=done, action="refuse", reason="x",
                        at=at(2026, 2, 4, 9))
    _login(client, personas.county_office, persona_password)
    r = client.get("/services/supervision/", **EN)
    assert r.status_code == 200
    row = next(x for x in r.context["rows"] if x["id"] == net.center.pk)
    assert (row["open"], row["overdue"], row["near_due"]) == (2, 1, 1)
    assert f"/services/queue/?at_point={net.center.pk}&amp;deadline=overdue" in r.content.decode()
    r = client.get("/services/supervision/?by=department", **EN)
    assert [(x["name"], x["overdue"]) for x in r.context["rows"] if x["overdue"]] == [(personas.police.name, 1)]
    assert client.get("/services/supervision/?by=staff").status_code == 200
    assert r.context["monthly"] == []  # March: nothing closed yet
    assert 'value="2026-03"' in r.content.decode()  # the month shown is the current one
    r = client.get("/services/supervision/?month=2026-02", **EN)
    assert [(x["name"], x["closed"], x["on_time_rate"]) for x in r.context["monthly"]] == [(net.center.name, 1, 1.0)]
    assert "100%" in r.content.decode()


def test_supervision_within_a_division(client, net, personas, persona_password, district, monday):
    _accept(net, personas.service_staff, when=at(2026, 2, 24, 9))  # at 樟潭街道's center, overdue
    _login(client, personas.county_office, persona_password)
    r = client.get("/services/supervision/", {"within": district.township.code}, **EN)
    assert [(x["id"], x["overdue"]) for x in r.context["rows"]] == [(net.center.pk, 1)]
    html = r.content.decode()
    assert f'<option value="{district.township.code}" selected>' in html
    assert f"?by=department&amp;within={district.township.code}" in html  # the grouping keeps the division
    assert f'name="within" value="{district.township.code}"' in html  # and so does the month form
    assert client.get("/services/supervision/", {"within": district.township2.code}).context["rows"] == []
    assert client.get("/services/supervision/", {"within": district.outside_village.code}).status_code == 404


# ---------------------------------------------------------------- the item editor


def _item_post(net, **changes):
    data = {"code": "MZ-09", "name": "残疾人证办理", "department": net.civil.pk, "conditions": "持证残疾人",
            "materials": "申请表\n\n 身份证 \n照片", "steps": "受理\n评定", "legal_days": "20", "promised_days": "10",
            "fees": "", "accepted_at": "any", "is_active": "on"}
    data.update(changes)
    return data


def test_the_item_editor_is_the_county_offices(client, net, personas, persona_password):
    for user in (personas.service_staff, personas.township_cadre, personas.department_member):
        _login(client, user, persona_password)
        assert client.get("/services/items/").status_code == 403
        assert client.post("/services/items/new/", _item_post(net)).status_code == 403
    assert not ServiceItem.objects.filter(code="MZ-09").exists()
    _login(client, personas.county_office, persona_password)
    page = client.get("/services/items/", **EN).content.decode()
    assert "户口迁移" in page and "5 of 20 working days" in page
    assert client.get("/services/items/999999/").status_code == 404


def test_the_item_editor_creates_and_edits(client, net, personas, persona_password):
    _login(client, personas.county_office, persona_password)
    r = client.post("/services/items/new/", _item_post(net), **EN)
    assert r.status_code == 302 and r.url == "/services/items/"
    item = ServiceItem.objects.get(code="MZ-09")
    assert item.materials == ["申请表", "身份证", "照片"] and item.steps == ["受理", "评定"]
    assert (item.legal_days, item.promised_days, item.department) == (20, 10, net.civil)
    r = client.post(f"/services/items/{item.pk}/", _item_post(net, code="CHANGED", name="残疾人证", is_active=""))
    assert r.status_code == 302
    item.refresh_from_db()
    assert (item.code, item.name, item.is_active) == ("MZ-09", "残疾人证", False)
    r = client.post("/services/items/new/", _item_post(net), **EN)  # the code is taken
    assert r.status_code == 422 and r.context["form"].errors.get("code")


def test_promised_longer_than_legal_is_a_field_error_and_nothing_is_saved(client, net, personas, persona_password):
    _login(client, personas.county_office, persona_password)
    r = client.post("/services/items/new/", _item_post(net, promised_days="25"), **EN)
    assert r.status_code == 422
    errors = r.context["form"].errors
    assert list(errors) == ["promised_days"]
    assert "never longer than the legal one" in errors["promised_days"][0]
    assert "never longer than the legal one" in r.content.decode()
    assert not ServiceItem.objects.filter(code="MZ-09").exists()
    r = client.post(f"/services/items/{net.hukou.pk}/", _item_post(net, legal_days="4", promised_days="5"), **EN)
    assert r.status_code == 422 and list(r.context["form"].errors) == ["promised_days"]
    net.hukou.refresh_from_db()
    assert (net.hukou.legal_days, net.hukou.promised_days, net.hukou.name) == (20, 5, "户口迁移")
    assert Application.objects.count() == 0


def test_navigation_links_only_for_those_who_may_use_them(client, net, personas, persona_password):
    _login(client, personas.promoter, persona_password)
    page = client.get("/services/guide/").content.decode()
    assert 'href="/services/queue/"' not in page and 'href="/services/counter/"' not in page
    _login(client, personas.service_staff, persona_password)
    page = client.get("/services/queue/").content.decode()
    assert 'href="/services/queue/"' in page and 'href="/services/counter/"' in page
    assert 'href="/services/items/"' not in page
    _login(client, personas.county_office, persona_password)
    assert 'href="/services/items/"' in client.get("/services/queue/").content.decode()


def _main_nav(page: str) -> str:
    start = page.index('<nav class="nav"')
    return page[start:page.index("</nav>", start)]


@pytest.mark.parametrize("who, counter, applications", [
    ("agent_staff", True, True),  # posted at an agent point, without any grant
    ("service_staff", True, True),
    ("county_office", False, True),  # handles applications anywhere, but has no counter of its own
    ("promoter", False, False),
])
def test_the_main_navigation_follows_postings_not_roles_alone(client, net, personas, persona_password, who,
                                                             counter, applications):
    user = net.agent_staff if who == "agent_staff" else getattr(personas, who)
    assert client.login(username=user.username, password="Persona-2010!" if who == "agent_staff" else persona_password)
    nav = _main_nav(client.get("/divisions/", follow=True, **EN).content.decode())
    assert ('href="/services/counter/"' in nav) is counter
    assert ('href="/services/queue/"' in nav) is applications
    if counter:  # and the link leads somewhere
        assert client.get("/services/counter/", follow=True).status_code == 200
    else:
        assert client.get("/services/counter/").status_code == 403


def test_the_api_filters_as_the_queue(api, net, personas, monday):
    """The queue's filters are ApplicationFilterSet's: the API answers the same."""
    older = _accept(net, personas.service_staff, when=at(2026, 2, 24, 9))
    agent = _accept(net, net.agent_staff, point=net.agent, when=at(2026, 3, 6, 9))
    _accept(net, personas.county_office, point=net.center2)
    client = api.as_(personas.county_office)

    def receipts(query):
        r = client.get(f"/api/v1/applications/?{query}")
        assert r.status_code == 200, r.json()
        return {a["receipt_no"] for a in r.json()["results"]}

    assert receipts("deadline=overdue") == {older.receipt_no}
    assert receipts(f"at_point={net.center.pk}") == {older.receipt_no, agent.receipt_no}
    assert receipts(f"q={agent.receipt_no[-3:]}") == {agent.receipt_no}
    assert client.get("/api/v1/applications/?deadline=someday").status_code == 400


def test_a_department_sees_in_its_queue_what_is_assigned_to_it(client, net, personas, persona_password):
    app = _accept(net, personas.service_staff)
    _login(client, personas.department_member, persona_password)  # public security bureau
    assert client.get("/services/queue/").context["page_obj"].paginator.count == 0
    assert client.get(f"/services/applications/{app.pk}/").status_code == 404
    services.transition(actor=personas.service_staff, application=app, action="handle")  # the item's: police
    r = client.get("/services/queue/", **EN)
    assert [a.pk for a in r.context["page_obj"]] == [app.pk]
    page = client.get(f"/services/applications/{app.pk}/", **EN).content.decode()
    assert 'id="action-reply"' in page  # the department replies
