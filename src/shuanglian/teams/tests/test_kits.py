"""The five ones (五个一): issue and return per member and item, an item not issued twice without its return (the
service, the constraint and the 409), counts per township, scope and the API's query budget."""
import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from shuanglian.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from shuanglian.core.models import AuditEvent
from shuanglian.teams import selectors, services
from shuanglian.teams.models import KitIssue
from shuanglian.teams.services import kits

D = dt.date(2010, 3, 1)
URL = "/api/v1/kits/"


def appoint(grid, name, phone, role="volunteer"):
    return services.membership_appoint(actor=None, grid=grid, role=role, name=name, phone=phone, category="doctor",
                                       started_on=D)


@pytest.fixture
def posts(district):
    return {"wang": appoint(district.grid, "王大明", "13912345678", "promoter"),
            "li": appoint(district.grid, "李医生", "13900000001"),
            "li3": appoint(district.grid3, "李医生", "13900000001"),
            "chen": appoint(district.grid4, "陈老师", "13900000003")}


def held(member):
    return {row["item"]: row["issue"] for row in selectors.member_kit(member)}


def test_the_whole_kit_then_an_item_twice_is_refused(district, personas, posts):
    rows = kits.kit_issue(actor=personas.village_cadre, membership=posts["wang"], issued_on=D)
    assert sorted(r.item for r in rows) == ["badge", "bag", "card", "notebook", "pen"]
    assert all(r.grid_id == district.grid.pk and r.township_id == district.township.pk for r in rows)
    with pytest.raises(Conflict) as exc:
        kits.kit_issue(actor=personas.village_cadre, membership=posts["wang"], items=["pen", "badge"])
    assert exc.value.code == "kit_item_outstanding" and exc.value.http_status == 409
    assert "王大明" in exc.value.message and "2010-03-01" in exc.value.message
    assert set(exc.value.details["items"]) == {"pen", "badge"}
    assert KitIssue.objects.count() == 5
    with pytest.raises(IntegrityError), transaction.atomic():  # the database keeps the rule too
        KitIssue.objects.create(member=posts["wang"].member, item="pen", issued_on=D, division=district.grid)


def test_the_same_person_through_another_post_is_refused_too(district, personas, posts):
    kits.kit_issue(actor=personas.township_cadre, membership=posts["li"], items=["card"], issued_on=D)
    with pytest.raises(Conflict):
        kits.kit_issue(actor=personas.township_cadre, membership=posts["li3"], items=["card"])
    kits.kit_issue(actor=personas.township_cadre, membership=posts["li3"], items=["pen"], issued_on=D)
    assert {item for item, issue in held(posts["li"].member).items() if issue} == {"card", "pen"}


def test_return_then_issue_again(district, personas, posts):
    pen = kits.kit_issue(actor=personas.village_cadre, membership=posts["wang"], items=["pen"], issued_on=D)[0]
    with pytest.raises(ValidationFailed):
        kits.kit_return(actor=personas.village_cadre, issue=pen, returned_on=dt.date(2010, 2, 1))
    kits.kit_return(actor=personas.village_cadre, issue=pen, returned_on=dt.date(2010, 6, 1))
    with pytest.raises(Conflict) as exc:
        kits.kit_return(actor=personas.village_cadre, issue=pen)
    assert exc.value.code == "already_returned"
    assert held(posts["wang"].member)["pen"] is None
    again = kits.kit_issue(actor=personas.village_cadre, membership=posts["wang"], items=["pen"],
                           issued_on=dt.date(2010, 7, 1))[0]
    assert held(posts["wang"].member)["pen"] == again
    assert list(KitIssue.objects.filter(item="pen").order_by("id").values_list("issued_on", "returned_on")) == [
        (D, dt.date(2010, 6, 1)), (dt.date(2010, 7, 1), None)]
    assert [e.action for e in AuditEvent.objects.filter(object_type="teams.kitissue").order_by("seq")] == [
        "teams.kit_issue", "teams.kit_return", "teams.kit_issue"]


def test_bad_items_scope_and_ended_posts(district, personas, posts):
    with pytest.raises(ValidationFailed):
        kits.kit_issue(actor=None, membership=posts["wang"], items=["hat"])
    with pytest.raises(ValidationFailed):
        kits.kit_issue(actor=None, membership=posts["wang"], items=["pen", "pen"])
    with pytest.raises(PermissionDenied):
        kits.kit_issue(actor=personas.village_cadre, membership=posts["chen"])  # 上方镇
    with pytest.raises(PermissionDenied):
        kits.kit_issue(actor=personas.promoter, membership=posts["wang"])  # promoters read the teams
    services.membership_end(actor=None, membership=posts["li"], ended_on=dt.date(2010, 5, 1))
    posts["li"].refresh_from_db()
    with pytest.raises(ValidationFailed):
        kits.kit_issue(actor=None, membership=posts["li"])


def test_counts_per_township(district, personas, posts):
    kits.kits_load(actor=None, posts=list(posts.values()), issued_on=D)  # 李医生 once, through the first post
    pen = KitIssue.objects.get(member=posts["chen"].member, item="pen")
    kits.kit_return(actor=None, issue=pen)
    counts = {r["township"]: (r["members"], r["items"]) for r in selectors.kit_counts_by_township(None)}
    full = dict.fromkeys(("notebook", "card", "pen", "bag", "badge"), 2)
    assert counts == {district.township.code: (2, full),
                      district.township2.code: (1, {**dict.fromkeys(full, 1), "pen": 0})}
    assert [r["township"] for r in selectors.kit_counts_by_township(personas.village_cadre)] == [district.township.code]
    with pytest.raises(Conflict):
        kits.kits_load(actor=None, posts=[posts["wang"]], issued_on=D)


def test_kits_over_the_api(api, district, personas, posts):
    body = {"post": posts["wang"].pk, "items": ["pen", "badge"], "issued_on": "2010-03-02"}
    assert api.as_(personas.promoter).post(f"{URL}issue/", body, format="json").status_code == 403
    assert api.as_(personas.outsider).post(f"{URL}issue/", body, format="json").status_code == 404
    done = api.as_(personas.village_cadre).post(f"{URL}issue/", body, format="json")
    assert done.status_code == 201, done.content
    assert [(r["item"], r["name"], r["is_outstanding"]) for r in done.json()] == [
        ("pen", "王大明", True), ("badge", "王大明", True)]
    twice = api.as_(personas.village_cadre).post(f"{URL}issue/", {"post": posts["wang"].pk}, format="json")
    assert twice.status_code == 409 and twice.json()["code"] == "kit_item_outstanding"
    assert "pen" in twice.json()["details"]["items"] and KitIssue.objects.count() == 2
    assert api.as_(personas.village_cadre).post(f"{URL}issue/", {"post": posts["wang"].pk, "items": ["hat"]},
                                                format="json").status_code == 400
    pen = done.json()[0]["id"]
    assert api.as_(personas.outsider).post(f"{URL}{pen}/return/", {}, format="json").status_code == 404
    back = api.as_(personas.village_cadre).post(f"{URL}{pen}/return/", {"returned_on": "2010-09-01"}, format="json")
    assert back.status_code == 200 and back.json()["returned_on"] == "2010-09-01"
    assert api.as_(personas.village_cadre).post(f"{URL}{pen}/return/", {}, format="json").status_code == 409
    rows = api.as_(personas.promoter).get(URL, {"outstanding": "true"}).json()["results"]
    assert [r["item"] for r in rows] == ["badge"]
    assert api.as_(personas.outsider).get(URL).json()["results"] == []
    counts = api.as_(personas.county_office).get(f"{URL}townships/")
    assert counts.status_code == 200 and counts.json()[0]["items"]["badge"] == 1
    assert api.as_(personas.village_cadre).get(f"{URL}townships/", {"within": district.township2.code}
                                               ).status_code == 404


def test_kit_list_queries_do_not_grow(api, district, personas, posts):
    client = api.as_(personas.county_office)
    kits.kit_issue(actor=None, membership=posts["wang"], items=["pen"], issued_on=D)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    kits.kits_load(actor=None, posts=[posts["li"], posts["chen"]], issued_on=D)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(URL).json()["results"]) == 11
    assert len(many) == len(few)
