"""The training pages and the member page, each three ways (no permission, permitted, out of scope): record a
session, tick attendance, issue and take back kit items; the members without training on the coverage page; a
constant number of queries on the session list."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuanglian.teams import services
from shuanglian.teams.models import Attendance, KitIssue
from shuanglian.teams.services import kits, training

D = dt.date(2010, 3, 1)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(dt.datetime(2010, 12, 31, 12, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def posts(district):
    def appoint(grid, name, phone, role="volunteer"):
        return services.membership_appoint(actor=None, grid=grid, role=role, name=name, phone=phone,
                                           category="doctor", started_on=D)

    return {"wang": appoint(district.grid, "王大明", "13912345678", "promoter"),
            "li": appoint(district.grid3, "李医生", "13900000001"),
            "chen": appoint(district.grid4, "陈老师", "13900000003")}


@pytest.fixture
def lecturer(personas):
    return training.lecturer_create(actor=None, name="周讲师", department=personas.police, topics="调解")


@pytest.fixture
def session(district, lecturer):
    return training.session_create(actor=None, township=district.township, topic="矛盾纠纷调处",
                                   held_on=dt.date(2010, 5, 10), trainers=[lecturer])


def login(client, user, persona_password):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # assertions read the English source strings
    assert client.login(username=user.username, password=persona_password)
    return client


def test_session_list_and_recording_a_session(client, district, personas, persona_password, session, lecturer):
    assert login(client, personas.nobody, persona_password).get("/teams/training/").status_code == 403
    page = login(client, personas.outsider, persona_password).get("/teams/training/")
    assert page.status_code == 200 and "矛盾纠纷调处" not in page.content.decode()
    page = login(client, personas.promoter, persona_password).get("/teams/training/")
    html = page.content.decode()
    assert "矛盾纠纷调处" in html and "周讲师" in html and "Record a training session" not in html
    cadre = login(client, personas.township_cadre, persona_password)
    assert "Record a training session" in cadre.get("/teams/training/").content.decode()
    body = {"township": district.township.code, "topic": "平安创建", "held_on": "2010-06-01",
            "trainers": [lecturer.pk]}
    refused = cadre.post("/teams/training/", {**body, "topic": ""})
    assert refused.status_code == 422
    done = cadre.post("/teams/training/", body)
    assert done.status_code == 302
    assert "平安创建" in cadre.get(done["Location"]).content.decode()
    promoter = login(client, personas.promoter, persona_password)
    assert promoter.post("/teams/training/", body).status_code == 403


def test_attendance_form(client, district, personas, persona_password, posts, session):
    url = f"/teams/training/{session.pk}/"
    assert login(client, personas.nobody, persona_password).get(url).status_code == 403
    assert login(client, personas.outsider, persona_password).get(url).status_code == 404
    page = login(client, personas.village_cadre, persona_password).get(url)  # sees it, may not record it
    assert page.status_code == 200 and 'name="members"' not in page.content.decode()
    assert client.post(url, {"members": [posts["wang"].member_id]}).status_code == 403
    cadre = login(client, personas.township_cadre, persona_password)
    html = cadre.get(url).content.decode()
    assert html.count('name="members"') == 2 and "王大明" in html and "李医生" in html and "陈老师" not in html
    done = cadre.post(url, {"members": [posts["wang"].member_id, posts["li"].member_id]})
    assert done.status_code == 302
    assert "Attendance saved: 2 present." in cadre.get(url).content.decode()
    assert Attendance.objects.filter(session=session).count() == 2
    cadre.post(url, {"members": [posts["li"].member_id]})
    assert list(Attendance.objects.filter(session=session).values_list("member_id", flat=True)) == [
        posts["li"].member_id]
    refused = cadre.post(url, {"members": [posts["chen"].member_id]})  # not on the list: the form refuses
    assert refused.status_code == 422 and Attendance.objects.filter(session=session).count() == 1


def test_member_page_training_record_and_kit(client, district, personas, persona_password, posts, session):
    training.session_attendance_set(actor=None, session=session, member_ids=[posts["wang"].member_id])
    url = f"/teams/members/{posts['wang'].pk}/"
    assert login(client, personas.nobody, persona_password).get(url).status_code == 403
    assert login(client, personas.outsider, persona_password).get(url).status_code == 404
    page = login(client, personas.promoter, persona_password).get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "矛盾纠纷调处" in html and "139****5678" in html and "13912345678" not in html
    assert "Issue kit items" not in html and client.post(url, {"action": "issue", "items": ["pen"]}).status_code == 403
    cadre = login(client, personas.village_cadre, persona_password)
    assert "Issue kit items" in cadre.get(url).content.decode()
    assert cadre.post(url, {"action": "issue", "items": ["pen", "badge"], "issued_on": "2010-03-05"}).status_code == 302
    assert set(KitIssue.objects.filter(returned_on__isnull=True).values_list("item", flat=True)) == {"pen", "badge"}
    pen = KitIssue.objects.get(item="pen")
    assert cadre.post(url, {"action": "return", "issue": pen.pk}).status_code == 302
    pen.refresh_from_db()
    assert pen.returned_on == dt.date(2010, 12, 31)
    again = cadre.post(url, {"action": "return", "issue": pen.pk})
    assert again.status_code == 422 and "already returned" in again.content.decode()
    roster = cadre.get(f"/teams/grids/{district.grid.code}/").content.decode()
    assert url in roster  # names link to the member page


def test_coverage_lists_members_without_training(client, district, personas, persona_password, posts, session):
    training.session_attendance_set(actor=None, session=session, member_ids=[posts["wang"].member_id])
    html = login(client, personas.county_office, persona_password).get("/teams/").content.decode()
    assert "Members without training (2)" in html and "李医生" in html and "陈老师" in html


def test_session_list_queries_do_not_grow(client, district, personas, persona_password, posts, lecturer):
    cadre = login(client, personas.county_office, persona_password)
    training.session_create(actor=None, township=district.township, topic="t", held_on=D, trainers=[lecturer])
    with CaptureQueriesContext(connection) as few:
        cadre.get("/teams/training/")
    for i in range(6):
        s = training.session_create(actor=None, township=district.township2, topic=f"t{i}", held_on=D,
                                    trainers=[lecturer])
        training.session_attendance_set(actor=None, session=s, member_ids=[posts["chen"].member_id])
    with CaptureQueriesContext(connection) as many:
        assert cadre.get("/teams/training/").content.decode().count("/teams/training/") >= 7
    assert len(many) == len(few)
    kits.kit_issue(actor=None, membership=posts["wang"], issued_on=D)
    with CaptureQueriesContext(connection) as member_page:
        cadre.get(f"/teams/members/{posts['wang'].pk}/")
    assert len(member_page) <= 20
