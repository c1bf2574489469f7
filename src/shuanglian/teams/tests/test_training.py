"""The lecturer group, training sessions and attendance: services, the training record, the members-without-training
report, scope and the API (with its query budgets)."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuanglian.core.exceptions import PermissionDenied, ValidationFailed
from shuanglian.core.models import AuditEvent
from shuanglian.teams import selectors, services
from shuanglian.teams.models import Attendance
from shuanglian.teams.services import training

D = dt.date(2010, 3, 1)
SESSIONS = "/api/v1/training-sessions/"
LECTURERS = "/api/v1/lecturers/"
TODAY = dt.datetime(2010, 12, 31, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(TODAY, tick=False)


def appoint(grid, name, phone, role="volunteer", category="doctor", started_on=D):
    return services.membership_appoint(actor=None, grid=grid, role=role, name=name, phone=phone, category=category,
                                       started_on=started_on)


@pytest.fixture
def posts(district):
    return {
        "wang": appoint(district.grid, "王大明", "13912345678", "promoter", "five_elders"),
        "li": appoint(district.grid, "李医生", "13900000001"),
        "li3": appoint(district.grid3, "李医生", "13900000001"),  # the same person in another grid of 樟潭
        "zhang": appoint(district.grid3, "张乡贤", "13900000002", category="notable"),
        "chen": appoint(district.grid4, "陈老师", "13900000003", category="teacher"),  # 上方镇
    }


@pytest.fixture
def lecturer(personas):
    return training.lecturer_create(actor=personas.county_office, name="周讲师", department=personas.police,
                                    topics="法治, 调解")


@pytest.fixture
def session(district, personas, lecturer):
    return training.session_create(actor=personas.township_cadre, township=district.township, topic="矛盾纠纷调处",
                                   held_on=dt.date(2010, 5, 10), place="樟潭街道会议室", trainers=[lecturer])


def test_the_county_office_keeps_the_lecturer_group(district, personas, lecturer):
    assert (lecturer.department, lecturer.topics) == (personas.police, "法治, 调解")
    with pytest.raises(PermissionDenied):
        training.lecturer_create(actor=personas.township_cadre, name="吴", department=personas.police)
    with pytest.raises(ValidationFailed) as exc:
        training.lecturer_create(actor=personas.county_office, name="周讲师", department=personas.police)
    assert "already exists" in exc.value.message  # the same name twice in a department
    with pytest.raises(ValidationFailed) as exc:  # the service center serves a township: not a county department
        training.lecturer_create(actor=personas.county_office, name="吴", department=personas.service_center)
    assert exc.value.details == {"department": personas.service_center.pk}
    training.lecturer_update(actor=personas.county_office, lecturer=lecturer, is_active=False)
    with pytest.raises(ValidationFailed) as exc:  # retired from the group: gives no new session
        training.session_create(actor=None, township=district.township, topic="x", held_on=D, trainers=[lecturer])
    assert "周讲师" in exc.value.message
    assert [e.action for e in AuditEvent.objects.filter(object_type="teams.lecturer").order_by("seq")] == [
        "teams.lecturer_create", "teams.lecturer_update"]


def test_a_session_is_recorded_in_a_township_by_its_managers(district, personas, session):
    assert session.township == district.township and list(session.trainers.all())[0].name == "周讲师"
    with pytest.raises(PermissionDenied):  # a village cadre manages teams of a village, not a township's training
        training.session_create(actor=personas.village_cadre, township=district.township, topic="x", held_on=D)
    with pytest.raises(PermissionDenied):
        training.session_create(actor=personas.township_cadre, township=district.township2, topic="x", held_on=D)
    with pytest.raises(ValidationFailed):
        training.session_create(actor=personas.county_office, township=district.village, topic="x", held_on=D)
    with pytest.raises(ValidationFailed) as exc:
        training.session_create(actor=personas.county_office, township=district.township, topic=" ", held_on=D)
    assert "topic" in exc.value.details


def test_attendance_is_the_whole_list_of_the_townships_members(district, personas, posts, session):
    wang, li, chen = posts["wang"].member_id, posts["li"].member_id, posts["chen"].member_id
    counts = training.session_attendance_set(actor=personas.township_cadre, session=session, member_ids=[wang, li])
    assert counts == {"attended": 2, "added": 2, "removed": 0}
    zhang = posts["zhang"].member_id
    counts = training.session_attendance_set(actor=personas.township_cadre, session=session, member_ids=[li, zhang])
    assert counts == {"attended": 2, "added": 1, "removed": 1}
    assert set(Attendance.objects.filter(session=session).values_list("member_id", flat=True)) == {li, zhang}
    with pytest.raises(ValidationFailed) as exc:  # 陈老师 serves in 上方镇; nothing is recorded then
        training.session_attendance_set(actor=personas.township_cadre, session=session, member_ids=[wang, chen])
    assert exc.value.code == "not_eligible" and exc.value.details == {"members": [chen]}
    assert str(chen) in exc.value.message and "樟潭街道" in exc.value.message
    assert Attendance.objects.filter(session=session).count() == 2
    with pytest.raises(PermissionDenied):
        training.session_attendance_set(actor=personas.village_cadre, session=session, member_ids=[])
    later = training.session_create(actor=None, township=district.township, topic="x", held_on=dt.date(2011, 1, 5))
    with pytest.raises(ValidationFailed):  # not held yet
        training.session_attendance_set(actor=None, session=later, member_ids=[li])
    events = AuditEvent.objects.filter(action="teams.attendance_set", object_id=str(session.pk)).order_by("seq")
    assert [e.after["removed_ids"] for e in events] == [[], [wang]]


def test_a_post_begun_after_the_session_is_not_on_its_list(district, personas, posts, session):
    late = appoint(district.grid2, "晚到", "13900000009", started_on=dt.date(2010, 6, 1))
    with pytest.raises(ValidationFailed):
        training.session_attendance_set(actor=None, session=session, member_ids=[late.member_id])
    candidates = selectors.session_candidates(session, None)
    assert [c["member"].name for c in candidates] == ["王大明", "李医生", "张乡贤"]  # 李医生 once


def test_training_record_and_members_without_training(district, personas, posts, session):
    other = training.session_create(actor=None, township=district.township, topic="档案", held_on=dt.date(2010, 9, 1))
    li = posts["li"].member
    training.session_attendance_set(actor=None, session=session, member_ids=[li.pk])
    training.session_attendance_set(actor=None, session=other, member_ids=[li.pk, posts["wang"].member_id])
    assert [a.session.topic for a in selectors.member_training(li, None)] == ["档案", "矛盾纠纷调处"]
    untrained = selectors.members_without_training(personas.county_office)
    assert [m.name for m in untrained] == ["张乡贤", "陈老师"]
    assert [m.name for m in selectors.members_without_training(personas.county_office, within=district.village)] == []
    in_may = selectors.members_without_training(personas.county_office, since=dt.date(2010, 5, 1),
                                                until=dt.date(2010, 5, 31))
    assert [m.name for m in in_may] == ["王大明", "张乡贤", "陈老师"]
    assert [m.name for m in selectors.members_without_training(personas.village_cadre)] == []  # 樟潭社区 only
    assert [m.name for m in selectors.members_without_training(personas.outsider)] == []


def test_the_coverage_page_links_each_untrained_member_to_their_record(client, district, personas, persona_password,
                                                                      posts, session):
    assert client.login(username=personas.county_office.username, password=persona_password)
    html = client.get("/teams/").content.decode()
    untrained = html[html.index('id="untrained"'):]
    post = posts["zhang"]  # a member's page is reached through a post
    assert f'<a href="/teams/members/{post.pk}/">张乡贤</a>' in untrained
    assert "张乡贤" in client.get(f"/teams/members/{post.pk}/").content.decode()


def test_sessions_are_seen_in_their_township_and_below(api, district, personas, posts, session):
    far = training.session_create(actor=None, township=district.township2, topic="上方", held_on=D)

    def seen(user, **params):
        response = api.as_(user).get(SESSIONS, params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert seen(personas.county_office) == {session.pk, far.pk}
    assert seen(personas.township_cadre) == {session.pk}
    assert seen(personas.village_cadre) == {session.pk}  # the township above the village
    assert seen(personas.promoter) == {session.pk}
    assert seen(personas.outsider) == seen(personas.nobody) == set()
    assert seen(personas.county_office, township=district.township2.code) == {far.pk}
    assert seen(personas.county_office, within=district.township.code, year=2010) == {session.pk}
    assert seen(personas.county_office, year=2011) == set()
    assert api.as_(personas.outsider).get(f"{SESSIONS}{session.pk}/").status_code == 404
    assert api.as_(personas.township_cadre).get(f"{SESSIONS}{far.pk}/").status_code == 404


def test_session_and_attendance_over_the_api(api, district, personas, posts, lecturer):
    body = {"township": district.township.code, "topic": "平安创建", "held_on": "2010-06-01", "trainers": [lecturer.pk]}
    assert api.as_(personas.auditor).post(SESSIONS, body, format="json").status_code == 403  # reads, writes nothing
    assert api.as_(personas.village_cadre).post(SESSIONS, body, format="json").status_code == 404  # township above
    assert api.as_(personas.outsider).post(SESSIONS, body, format="json").status_code == 404
    assert api.as_(personas.county_office).post(SESSIONS, {**body, "trainers": [999]}, format="json").status_code == 400
    created = api.as_(personas.township_cadre).post(SESSIONS, body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["trainers"][0]["name"] == "周讲师" and created.json()["attendees"] == []
    url = f"{SESSIONS}{pk}/attendance/"
    members = [posts["wang"].member_id, posts["li"].member_id]
    assert api.as_(personas.village_cadre).post(url, {"members": members}, format="json").status_code == 403
    refused = api.as_(personas.township_cadre).post(url, {"members": [posts["chen"].member_id]}, format="json")
    assert refused.status_code == 400 and refused.json()["details"] == {"members": [posts["chen"].member_id]}
    done = api.as_(personas.township_cadre).post(url, {"members": members}, format="json")
    assert done.status_code == 200 and done.json() == {"attended": 2, "added": 2, "removed": 0}
    detail = api.as_(personas.promoter).get(f"{SESSIONS}{pk}/").json()
    assert detail["attendee_count"] == 2 and {a["name"] for a in detail["attendees"]} == {"王大明", "李医生"}
    record = api.as_(personas.promoter).get(f"/api/v1/team-members/{posts['li'].pk}/training/")
    assert record.status_code == 200
    assert [(r["topic"], r["held_on"], r["trainers"]) for r in record.json()] == [("平安创建", "2010-06-01", ["周讲师"])]
    assert api.as_(personas.outsider).get(f"/api/v1/team-members/{posts['li'].pk}/training/").status_code == 404
    coverage = api.as_(personas.county_office).get("/api/v1/team-coverage/").json()
    assert [m["name"] for m in coverage["without_training"]] == ["张乡贤", "陈老师"]
    coverage = api.as_(personas.county_office).get("/api/v1/team-coverage/", {"trained_since": "2010-07-01"}).json()
    assert len(coverage["without_training"]) == 4


def test_lecturers_over_the_api(api, personas, lecturer):
    assert api.as_(personas.promoter).get(LECTURERS).json()["results"][0]["department_name"] == "衢江区公安分局"
    assert api.as_(personas.nobody).get(LECTURERS).json()["results"] == []
    body = {"name": "吴讲师", "department": personas.police.pk, "topics": "信访"}
    assert api.as_(personas.township_cadre).post(LECTURERS, body, format="json").status_code == 403
    created = api.as_(personas.county_office).post(LECTURERS, body, format="json")
    assert created.status_code == 201 and created.json()["is_active"] is True
    changed = api.as_(personas.county_office).patch(f"{LECTURERS}{created.json()['id']}/", {"is_active": False},
                                                    format="json")
    assert changed.status_code == 200 and changed.json()["is_active"] is False
    assert [r["name"] for r in api.as_(personas.county_office).get(LECTURERS, {"active": "true"}).json()["results"]] \
        == ["周讲师"]


def test_session_list_and_record_queries_do_not_grow(api, district, personas, posts, lecturer):
    client = api.as_(personas.county_office)
    member_ids = [p.member_id for p in posts.values() if p.township_id == district.township.pk]

    def add_sessions(n):
        for i in range(n):
            s = training.session_create(actor=None, township=district.township, topic=f"t{i}",
                                        held_on=dt.date(2010, 4, 1 + i), trainers=[lecturer])
            training.session_attendance_set(actor=None, session=s, member_ids=member_ids)

    add_sessions(1)
    record = f"/api/v1/team-members/{posts['li'].pk}/training/"
    with CaptureQueriesContext(connection) as few:
        client.get(SESSIONS)
    with CaptureQueriesContext(connection) as few_record:
        client.get(record)
    add_sessions(8)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(SESSIONS).json()["results"]) == 9
    with CaptureQueriesContext(connection) as many_record:
        assert len(client.get(record).json()) == 9
    assert len(many) == len(few) and len(many_record) == len(few_record)
    with CaptureQueriesContext(connection) as coverage:
        client.get("/api/v1/team-coverage/")
    appoint(district.grid2, "新人", "13900000010")
    with CaptureQueriesContext(connection) as coverage_more:
        client.get("/api/v1/team-coverage/")
    assert len(coverage) == len(coverage_more)


def test_a_village_sees_the_townships_sessions_but_only_its_own_attendees(district, personas, posts, session):
    """The 樟潭 session is visible to a promoter of the community's first grid; its attendees from village2 (张乡贤)
    and the sessions' record of members elsewhere are not."""
    training.session_attendance_set(actor=personas.township_cadre, session=session,
                                    member_ids=[posts["wang"].member_id, posts["zhang"].member_id])
    promoter = personas.promoter  # grid_promoter at district.grid
    assert selectors.session_get_for_user(promoter, session.pk) == session
    assert [m.name for m in selectors.session_attendees(session, promoter)] == ["王大明"]
    assert {m.name for m in selectors.session_attendees(session, personas.township_cadre)} == {"王大明", "张乡贤"}
    assert {row["member"].name for row in selectors.session_candidates(session, promoter)} == {"王大明", "李医生"}
    other = training.session_create(actor=personas.county_office, township=district.township2, topic="安全生产",
                                    held_on=dt.date(2010, 6, 1), trainers=[])
    training.session_attendance_set(actor=personas.county_office, session=other, member_ids=[posts["chen"].member_id])
    chen = posts["chen"].member
    assert [a.session.topic for a in selectors.member_training(chen, personas.county_office)] == ["安全生产"]
    assert list(selectors.member_training(chen, personas.township_cadre)) == []  # 上方镇's session: not theirs
