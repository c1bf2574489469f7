"""Applications: promised dates on the working-day calendar, suspension, forwarding (代办), illegal steps, scope."""
import datetime as dt
import re

import pytest
from django.db import IntegrityError, transaction

from shuanglian.applications import selectors, services
from shuanglian.applications.models import Application, ServiceItem, Transition
from shuanglian.core.exceptions import PermissionDenied, ValidationFailed
from shuanglian.core.workflow import IllegalTransition

from .conftest import at


def _accept(net, actor, *, item=None, point=None, when=None, name="张三"):
    return services.application_accept(actor=actor, item=item or net.hukou, point=point or net.center,
                                       applicant_name=name, applicant_phone="13912345678", at=when)


@pytest.mark.parametrize(("accepted", "days", "promised"), [
    (at(2026, 11, 27, 10), 3, dt.date(2026, 12, 2)),  # Friday: the weekend does not count
    (at(2010, 9, 30, 16), 5, dt.date(2010, 10, 13)),  # National Day, then the make-up Saturday 10-09 counts
    (at(2026, 2, 13, 9), 2, dt.date(2026, 2, 24)),  # make-up Saturday 02-14, then the Spring Festival
    (at(2026, 9, 30, 23, 30), 1, dt.date(2026, 10, 8)),  # late at night, local date; National Day off
    (at(2026, 10, 9, 9), 1, dt.date(2026, 10, 10)),  # make-up Saturday 10-10 is a working day
])
def test_the_promised_date_counts_working_days_from_acceptance(net, personas, accepted, days, promised):
    net.hukou.promised_days = days
    app = _accept(net, personas.service_staff, when=accepted)
    assert app.promised_date == promised
    app.refresh_from_db()
    assert app.promised_date == promised and app.status == "accepted"
    assert list(app.transitions.values_list("action", "to_status")) == [("accept", "accepted")]


def test_receipt_numbers_are_unique_and_readable(net, personas):
    a = _accept(net, personas.service_staff, when=at(2026, 3, 2, 9))
    b = _accept(net, personas.service_staff, when=at(2026, 3, 2, 10))
    c = _accept(net, personas.service_staff, when=at(2027, 1, 4, 10))
    numbers = [a.receipt_no, b.receipt_no, c.receipt_no]
    assert all(re.fullmatch(r"20\d\d-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", n) for n in numbers), numbers
    assert numbers[0].startswith("2026-") and numbers[2].startswith("2027-") and len(set(numbers)) == 3
    # Not a sequence: the next number cannot be worked out from one's own receipt.
    assert numbers[1] not in {numbers[0][:-1] + chr(ord(numbers[0][-1]) + 1), "2026-000002"}


def test_promised_never_longer_than_legal(net, personas, district):
    with pytest.raises(ValidationFailed):
        services.service_item_create(actor=personas.county_office, code="X-1", name="x", department=personas.police,
                                     legal_days=5, promised_days=6)
    with pytest.raises(ValidationFailed):
        services.service_item_update(actor=personas.county_office, item=net.hukou, promised_days=21)
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceItem.objects.filter(pk=net.hukou.pk).update(promised_days=25)
    with pytest.raises(PermissionDenied):
        services.service_item_update(actor=personas.service_staff, item=net.hukou, promised_days=3)


def test_accept_handle_reply_at_a_center(net, personas):
    app = _accept(net, personas.service_staff, when=at(2026, 3, 2, 9))
    assert app.promised_date == dt.date(2026, 3, 9)
    assert services.allowed_actions(app) == ["handle", "request_materials", "refuse", "return"]
    services.transition(actor=personas.service_staff, application=app, action="handle", at=at(2026, 3, 3, 9))
    with pytest.raises(ValidationFailed):
        services.transition(actor=personas.department_member, application=app, action="reply", result="已办结")
    app = services.transition(actor=personas.department_member, application=app, action="reply", result="已办结",
                              notified_by="phone", satisfaction="satisfied", at=at(2026, 3, 9, 17))
    assert app.status == "replied" and app.on_time is True and app.department == personas.police
    assert [t.action for t in app.transitions.all()] == ["accept", "handle", "reply"]


def test_waiting_for_materials_suspends_the_clock(net, personas):
    app = _accept(net, personas.service_staff, when=at(2026, 3, 2, 9))  # promised 03-09
    with pytest.raises(ValidationFailed) as e:
        services.transition(actor=personas.service_staff, application=app, action="request_materials", missing=[])
    assert "missing" in e.value.details
    app = services.transition(actor=personas.service_staff, application=app, action="request_materials",
                              missing=["户口簿原件", " 迁入地证明 "], at=at(2026, 3, 3, 10))
    assert app.status == "awaiting_materials" and app.missing_materials == ["户口簿原件", "迁入地证明"]
    with pytest.raises(IllegalTransition):
        services.transition(actor=personas.service_staff, application=app, action="handle")
    app = services.transition(actor=personas.service_staff, application=app, action="materials_received",
                              at=at(2026, 3, 6, 15))  # waited 03-04, 03-05, 03-06: three working days
    assert app.status == "accepted" and app.suspended_days == 3 and app.promised_date == dt.date(2026, 3, 12)
    row = app.transitions.get(action="materials_received")
    assert row.details == {"waited_working_days": 3, "promised_date": "2026-03-12"}


def test_suspension_across_a_weekend_and_a_holiday_counts_only_working_days(net, personas):
    # Mon 09-21; 5 days: 22, 23, 24, (25-27 Mid-Autumn Festival) 28, 29.
    app = _accept(net, personas.service_staff, when=at(2026, 9, 21, 9))
    assert app.promised_date == dt.date(2026, 9, 29)
    services.transition(actor=personas.service_staff, application=app, action="request_materials",
                        missing=["身份证"], at=at(2026, 9, 24, 9))
    # 09-25..27 the festival, 09-28 Mon: one working day waited.
    app = services.transition(actor=personas.service_staff, application=app, action="materials_received",
                              at=at(2026, 9, 28, 9))
    assert app.suspended_days == 1 and app.promised_date == dt.date(2026, 9, 30)


def test_an_agent_point_accepts_on_the_persons_behalf_and_forwards_to_the_center(net, personas):
    app = _accept(net, net.agent_staff, point=net.agent, when=at(2026, 3, 2, 9))
    assert app.center == net.center and app.village_id == net.agent.village_id
    assert services.allowed_actions(app) == ["forward", "request_materials", "refuse", "return"]
    with pytest.raises(IllegalTransition) as e:
        services.transition(actor=net.agent_staff, application=app, action="handle")
    assert e.value.code == "illegal_transition" and e.value.http_status == 409
    app = services.transition(actor=net.agent_staff, application=app, action="forward", at=at(2026, 3, 2, 16))
    assert app.status == "forwarded" and app.promised_date == dt.date(2026, 3, 9)  # the clock started at the agent point
    with pytest.raises(PermissionDenied):  # the center holds it now
        services.transition(actor=net.agent_staff, application=app, action="handle")
    app = services.transition(actor=personas.service_staff, application=app, action="handle", at=at(2026, 3, 3, 9))
    app = services.transition(actor=personas.service_staff, application=app, action="reply", result="已迁移",
                              notified_by="text_message", at=at(2026, 3, 10, 9))
    assert app.on_time is False
    assert [(t.action, t.from_status, t.to_status) for t in Transition.objects.filter(application=app)] == [
        ("accept", "", "accepted"), ("forward", "accepted", "forwarded"), ("handle", "forwarded", "handling"),
        ("reply", "handling", "replied")]


def test_some_items_are_accepted_only_at_a_center(net, personas):
    with pytest.raises(ValidationFailed):
        _accept(net, net.agent_staff, item=net.house, point=net.agent)
    with pytest.raises(PermissionDenied):
        _accept(net, net.agent_staff, point=net.center)


def test_illegal_steps_and_reasons(net, personas):
    app = _accept(net, personas.service_staff, when=at(2026, 3, 2, 9))
    for action in ("accept", "forward", "reply", "materials_received"):
        with pytest.raises(IllegalTransition) as e:
            services.transition(actor=personas.service_staff, application=app, action=action)
        assert e.value.details["allowed"] == ["handle", "request_materials", "refuse", "return"]
    with pytest.raises(ValidationFailed) as e:
        services.transition(actor=personas.service_staff, application=app, action="refuse")
    assert "reason" in e.value.details
    app = services.transition(actor=personas.service_staff, application=app, action="return", reason="不属于本中心受理范围")
    assert app.status == "returned" and app.closed_at is not None
    assert app.transitions.last().reason == "不属于本中心受理范围"
    with pytest.raises(IllegalTransition):
        services.transition(actor=personas.service_staff, application=app, action="refuse", reason="x")


def test_staff_of_another_point_may_not_act(net, personas):
    app = _accept(net, personas.service_staff, when=at(2026, 3, 2, 9))
    for user in (net.agent_staff, personas.outsider, personas.township_cadre):
        with pytest.raises(PermissionDenied):
            services.transition(actor=user, application=app, action="handle")


def test_scope(net, personas):
    center_app = _accept(net, personas.service_staff, when=at(2026, 3, 2, 9))
    agent_app = _accept(net, net.agent_staff, point=net.agent, item=net.allowance, when=at(2026, 3, 2, 9))
    other = _accept(net, personas.county_office, point=net.center2, item=net.allowance, when=at(2026, 3, 2, 9))

    def visible(user):
        return set(selectors.application_list_visible_to(user).values_list("pk", flat=True))

    # Staff see their point's applications (the center also those its agent points accept and forward).
    assert visible(personas.service_staff) == {center_app.pk, agent_app.pk}
    assert visible(net.agent_staff) == {agent_app.pk}
    # A department sees only what is assigned to it.
    assert visible(personas.department_member) == set()
    services.transition(actor=personas.service_staff, application=center_app, action="handle")
    assert visible(personas.department_member) == {center_app.pk}
    services.transition(actor=personas.service_staff, application=agent_app, action="forward")
    services.transition(actor=personas.service_staff, application=agent_app, action="handle")  # civil affairs
    assert visible(personas.department_member) == {center_app.pk}
    # Division grants: the township sees its own, the county everything, outsiders nothing.
    assert visible(personas.township_cadre) == {center_app.pk, agent_app.pk}
    assert visible(personas.county_office) == {center_app.pk, agent_app.pk, other.pk}
    assert visible(personas.outsider) == set() and visible(personas.nobody) == set()
    assert visible(personas.promoter) == set()
    assert Application.objects.count() == 3


def test_points_are_one_per_division_and_agent_points_forward_to_their_township(net, personas, district):
    with pytest.raises(ValidationFailed):
        services.service_point_create(actor=personas.county_office, division=district.township, kind="center",
                                      name="第二中心")
    with pytest.raises(ValidationFailed):
        services.service_point_create(actor=personas.county_office, division=district.village3, kind="agent_point",
                                      name="上方村代办点", center=net.center)
    point = services.service_point_create(actor=personas.county_office, division=district.village3,
                                          kind="agent_point", name="上方村代办点")
    assert point.center == net.center2
    # A village formed by merging keeps a second point at a former village's office, under its own name.
    second = services.service_point_create(actor=personas.county_office, division=district.village3,
                                           kind="agent_point", name="上方村(原下方村)代办点")
    assert second.center == net.center2 and second.village_id == district.village3.pk
    with pytest.raises(ValidationFailed):
        services.service_point_create(actor=personas.county_office, division=district.village3, kind="agent_point",
                                      name="上方村代办点")
    with pytest.raises(PermissionDenied):
        services.service_point_create(actor=personas.township_cadre, division=district.village2, kind="agent_point",
                                      name="x")


def test_stats(net, personas, district):
    a = _accept(net, personas.service_staff, when=at(2026, 3, 2, 9))
    _accept(net, net.agent_staff, point=net.agent, when=at(2026, 3, 2, 9))
    services.transition(actor=personas.service_staff, application=a, action="handle", at=at(2026, 3, 3, 9))
    services.transition(actor=personas.service_staff, application=a, action="reply", result="ok",
                        notified_by="in_person", at=at(2026, 3, 4, 9))
    services.staff_post(actor=personas.county_office, point=net.agent, name="志愿者", position="帮办", full_time=False)
    stats = selectors.service_stats(personas.county_office, within=district.county)
    assert (stats["centers"], stats["agent_points"], stats["staff"]) == (2, 1, 3)  # full-time staff only
    assert stats["by_status"]["replied"] == 1 and stats["by_status"]["accepted"] == 1
    assert stats["on_time_rate"] == 1.0
    stats = selectors.service_stats(personas.county_office, within=district.township2)
    assert (stats["centers"], stats["agent_points"], stats["staff"], stats["applications"]) == (1, 0, 1, 0)


def test_the_county_offices_calendar_corrections_count(net, personas):
    from shuanglian.core.calendar import calendar_day_set

    calendar_day_set(actor=personas.county_office, day=dt.date(2026, 3, 4), is_working=False, name="local holiday")
    app = _accept(net, personas.service_staff, when=at(2026, 3, 2, 9))
    assert app.promised_date == dt.date(2026, 3, 10)  # 03, (04 off) 05, 06, 09, 10


def test_each_step_is_audited_without_the_phone(net, personas):
    from shuanglian.core.models import AuditEvent

    app = _accept(net, personas.service_staff, when=at(2026, 3, 2, 9))
    services.transition(actor=personas.service_staff, application=app, action="handle")
    events = AuditEvent.objects.filter(object_type="services.application", object_id=str(app.pk))
    assert list(events.order_by("seq").values_list("action", flat=True)) == ["services.accept", "services.handle"]
    assert "13912345678" not in str(list(events.values_list("before", "after")))


def test_supervision_board_and_monthly_performance(net, personas, time_machine):
    from shuanglian.applications.choices import Status

    late = _accept(net, personas.service_staff, when=at(2026, 3, 2, 9))  # promised 03-09
    soon = _accept(net, personas.service_staff, when=at(2026, 3, 5, 9))  # promised 03-12
    waiting = _accept(net, personas.service_staff, when=at(2026, 3, 2, 9))
    services.transition(actor=personas.service_staff, application=waiting, action="request_materials",
                        missing=["身份证"], at=at(2026, 3, 3, 9))
    _accept(net, net.agent_staff, point=net.agent, item=net.allowance, when=at(2026, 3, 10, 9))  # promised 03-24
    board = selectors.supervision_board(personas.county_office, today=dt.date(2026, 3, 10))
    assert board == [{"id": net.center.pk, "name": "樟潭街道便民服务中心", "open": 3, "overdue": 1, "near_due": 1}]
    assert selectors.supervision_board(personas.outsider, today=dt.date(2026, 3, 10)) == []
    services.transition(actor=personas.service_staff, application=late, action="handle", at=at(2026, 3, 3, 9))
    by_department = selectors.supervision_board(personas.county_office, by="department", today=dt.date(2026, 3, 10))
    assert [(r["name"], r["overdue"]) for r in by_department][0] == ("衢江区公安分局", 1)
    services.transition(actor=personas.service_staff, application=late, action="reply", result="ok",
                        notified_by="phone", at=at(2026, 3, 11, 9))
    services.transition(actor=personas.service_staff, application=soon, action="handle", at=at(2026, 3, 6, 9))
    services.transition(actor=personas.service_staff, application=soon, action="reply", result="ok",
                        notified_by="phone", at=at(2026, 3, 6, 21))
    rows = selectors.monthly_performance(personas.county_office, year=2026, month=3)
    assert rows == [{"id": net.center.pk, "name": "樟潭街道便民服务中心", "closed": 2, "on_time_rate": 0.5,
                     "average_days": 5.25}]
    assert selectors.monthly_performance(personas.county_office, year=2026, month=4) == []
    assert Status.REPLIED == "replied"


def test_complaints(net, personas):
    from shuanglian.core.exceptions import Conflict

    app = _accept(net, personas.service_staff, when=at(2026, 3, 2, 9))
    with pytest.raises(PermissionDenied):
        services.complaint_record(actor=net.agent_staff, application=app, text="x")
    with pytest.raises(ValidationFailed):
        services.complaint_record(actor=personas.township_cadre, application=app, text=" ")
    row = services.complaint_record(actor=personas.township_cadre, application=app, text="窗口让跑了两趟")
    with pytest.raises(PermissionDenied):
        services.complaint_resolve(actor=personas.township_cadre, complaint=row, resolution="x")
    row = services.complaint_resolve(actor=personas.service_staff, complaint=row, resolution="已致歉并当场补办")
    assert row.resolved_at is not None
    with pytest.raises(Conflict):
        services.complaint_resolve(actor=personas.service_staff, complaint=row, resolution="again")
