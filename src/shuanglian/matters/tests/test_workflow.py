"""The matter workflow: every transition of the table, the refusals, escalation up the four levels to a
department and back, time limits on the working-day calendar with a frozen clock, suspension, scope."""
import datetime as dt
import zoneinfo

import pytest

from shuanglian.core.exceptions import PermissionDenied, ValidationFailed
from shuanglian.core.models import AuditEvent
from shuanglian.matters import selectors, services
from shuanglian.matters.choices import Action, Level, Satisfaction, Stage, Status
from shuanglian.matters.models import Matter
from shuanglian.matters.services import TRANSITIONS, IllegalTransition
from shuanglian.notifications.models import Notification
from shuanglian.organizations.choices import Function, OrganizationKind
from shuanglian.organizations.services import organization_create

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
# Friday 24 September 2010, the day after Mid-Autumn; 25 Sep (Sat) and 26 Sep (Sun) are make-up working
# days, then National Day 1-7 October.
FRIDAY = dt.datetime(2010, 9, 24, 9, 0, tzinfo=SH)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(FRIDAY, tick=False)
    return time_machine


@pytest.fixture
def office(district):
    return organization_create(actor=None, division=district.county, name="区民情沟通日办公室",
                               kind=OrganizationKind.OFFICE, function=Function.CONTACT_DAY_OFFICE)


def report(personas, district, **kw):
    fields = {"grid": district.grid, "type": "demand", "source": "visit", "title": "路灯坏了",
              "description": "村口路灯不亮", **kw}
    return services.matter_report(actor=personas.promoter, **fields)


def act(actor, matter, action, **kw):
    if action in (Action.ESCALATE, Action.SEND_BACK, Action.SUSPEND, Action.REOPEN) and "reason" not in kw:
        kw["reason"] = "test"
    if action == Action.ASSIGN and "user" not in kw and "organization" not in kw:
        kw["user"] = actor
    if action == Action.RESOLVE and "result" not in kw:
        kw["result"] = "已修好"
    if action == Action.FOLLOW_UP and "satisfaction" not in kw:
        kw["satisfaction"] = Satisfaction.SATISFIED
    return services.transition(actor=actor, matter=matter, action=action, **kw)


def test_a_matter_goes_from_report_to_close_and_every_step_is_on_its_timeline(district, personas, clock):
    matter = report(personas, district)
    assert matter.number.startswith("2010") and matter.status == Status.REPORTED
    assert (matter.level, matter.stage) == (Level.GRID, Stage.ACCEPT)
    p = personas.promoter
    for action in (Action.ACCEPT, Action.ASSIGN, Action.RESOLVE, Action.FOLLOW_UP, Action.CLOSE):
        matter = act(p, matter, action)
    assert matter.status == Status.CLOSED and matter.result == "已修好" and matter.stage == ""
    timeline = list(selectors.matter_timeline(matter).values_list("action", "from_status", "to_status"))
    assert timeline == [("report", "", "reported"), ("accept", "reported", "accepted"),
                        ("assign", "accepted", "handling"), ("resolve", "handling", "resolved"),
                        ("follow_up", "resolved", "followed_up"), ("close", "followed_up", "closed")]
    assert AuditEvent.objects.filter(object_type="matters.matter", object_id=str(matter.pk)).count() == 6


def _in_status(personas, district, status):
    """A matter brought to `status` through the services."""
    p = personas.promoter
    matter = report(personas, district)
    path = {Status.REPORTED: [], Status.ACCEPTED: [Action.ACCEPT], Status.HANDLING: [Action.ACCEPT, Action.ASSIGN],
            Status.RESOLVED: [Action.ACCEPT, Action.ASSIGN, Action.RESOLVE],
            Status.FOLLOWED_UP: [Action.ACCEPT, Action.ASSIGN, Action.RESOLVE, Action.FOLLOW_UP],
            Status.CLOSED: [Action.ACCEPT, Action.ASSIGN, Action.RESOLVE, Action.FOLLOW_UP, Action.CLOSE],
            Status.SUSPENDED: [Action.ACCEPT, Action.SUSPEND]}[status]
    for action in path:
        matter = act(p, matter, action)
    return matter


@pytest.mark.parametrize("status", [s for s in Status])
def test_every_action_the_table_does_not_allow_is_refused_and_the_allowed_ones_work(district, personas, clock,
                                                                                    status):
    p = personas.township_cadre  # may act at grid, village and township level: only the table decides here
    for action in Action:
        if action == Action.REPORT:
            continue
        matter = _in_status(personas, district, status)
        allowed = status in TRANSITIONS[action].sources and not (action == Action.SEND_BACK)  # grid: nothing below
        if allowed:
            moved = act(p, matter, action)
            assert (moved.status, moved.level) != (status, Level.GRID) or action == Action.ASSIGN, action
            assert moved.transitions.filter(action=action).exists()
        else:
            before = Matter.objects.get(pk=matter.pk)
            steps = before.transitions.count()
            with pytest.raises(IllegalTransition) as refused:
                act(p, matter, action)
            assert refused.value.code == "illegal_transition" and refused.value.http_status == 409
            after = Matter.objects.get(pk=matter.pk)
            assert (after.status, after.level, after.cycle) == (before.status, before.level, before.cycle)
            assert after.transitions.count() == steps


def test_escalation_climbs_grid_village_township_county_department_and_comes_back(district, personas, clock,
                                                                                 office):
    m = report(personas, district)
    m = act(personas.promoter, m, Action.ESCALATE, reason="村里才能协调")
    assert (m.level, m.status, m.holder_organization) == (Level.VILLAGE, Status.REPORTED, None)
    with pytest.raises(PermissionDenied):  # the promoter does not act at the village level
        act(personas.promoter, m, Action.ACCEPT)
    m = act(personas.village_cadre, m, Action.ESCALATE, reason="涉及多村")
    assert m.level == Level.TOWNSHIP
    m = act(personas.township_cadre, m, Action.ESCALATE, reason="乡镇解决不了")
    assert (m.level, m.holder_organization) == (Level.COUNTY, office)
    # Not yet the police's: the department member does not see it.
    assert not selectors.matter_list_visible_to(personas.department_member).filter(pk=m.pk).exists()
    with pytest.raises(ValidationFailed):
        act(personas.county_office, m, Action.ESCALATE, reason="交公安")  # which department?
    m = act(personas.county_office, m, Action.ESCALATE, reason="交公安", organization=personas.police)
    assert (m.level, m.holder_organization) == (Level.DEPARTMENT, personas.police)
    assert selectors.matter_list_visible_to(personas.department_member).filter(pk=m.pk).exists()
    assert Action.ESCALATE not in services.allowed_actions(m)
    m = act(personas.department_member, m, Action.SEND_BACK, reason="属地处理")
    assert (m.level, m.holder_organization, m.status) == (Level.COUNTY, office, Status.ACCEPTED)
    # The police no longer hold it, so its member neither sees it nor acts on it.
    assert not selectors.matter_list_visible_to(personas.department_member).filter(pk=m.pk).exists()
    for who, level in ((personas.county_office, Level.TOWNSHIP), (personas.township_cadre, Level.VILLAGE),
                       (personas.village_cadre, Level.GRID)):
        m = act(who, m, Action.SEND_BACK, reason="下转")
        assert m.level == level
    assert list(m.transitions.values_list("to_level", flat=True)) == [
        "grid", "village", "township", "county", "department", "county", "township", "village", "grid"]


def test_a_department_member_sees_only_what_its_organization_holds(district, personas, clock):
    m = report(personas, district)
    assert not selectors.matter_list_visible_to(personas.department_member).exists()
    with pytest.raises(PermissionDenied):
        act(personas.department_member, m, Action.ACCEPT)


def test_who_sees_a_matter(district, personas, clock):
    here = report(personas, district)
    there = services.matter_report(actor=personas.village_cadre, grid=district.grid2, type="hazard",
                                   source="walk_in", title="河堤裂缝")
    def visible(user):
        return set(selectors.matter_list_visible_to(user).values_list("pk", flat=True))
    assert visible(personas.promoter) == {here.pk}
    assert visible(personas.volunteer) == {here.pk}
    assert visible(personas.village_cadre) == visible(personas.township_cadre) == {here.pk, there.pk}
    assert visible(personas.county_office) == visible(personas.auditor) == {here.pk, there.pk}
    assert visible(personas.outsider) == visible(personas.nobody) == set()
    with pytest.raises(PermissionDenied):
        services.matter_report(actor=personas.promoter, grid=district.grid2, type="demand", source="visit",
                               title="x")


def test_limits_count_working_days_and_skip_the_national_day_holiday(district, personas, clock):
    m = report(personas, district)
    # Accept within 2 working days: Sat 25 Sep and Sun 26 Sep are make-up working days.
    assert m.deadline_at == dt.datetime(2010, 9, 26, 23, 59, 59, tzinfo=SH)
    assert m.yellow_at == dt.datetime(2010, 9, 25, 23, 59, 59, tzinfo=SH)
    clock.move_to(dt.datetime(2010, 9, 30, 9, 0, tzinfo=SH), tick=False)
    m = act(personas.promoter, m, Action.ACCEPT)
    # Handle within 3 working days from 30 Sep: 1-7 Oct are the holiday, 9 Oct (Sat) is worked.
    assert (m.stage, m.deadline_at) == (Stage.HANDLE, dt.datetime(2010, 10, 11, 23, 59, 59, tzinfo=SH))


def test_a_hazard_is_accepted_within_two_working_hours_by_default(district, personas, clock):
    m = report(personas, district, type="hazard", title="电线裸露")  # on the Mid-Autumn holiday
    # Two hours of the next working day, the make-up Saturday: 8:30 + 2 h.
    assert m.limit_unit == "working_hours" and m.deadline_at == dt.datetime(2010, 9, 25, 10, 30, tzinfo=SH)


def test_a_hazard_reported_at_night_is_due_in_the_morning_not_at_one_oclock(district, personas, clock):
    clock.move_to(dt.datetime(2010, 9, 27, 23, 0, tzinfo=SH), tick=False)  # a working Monday, 11 p.m.
    m = report(personas, district, type="hazard", title="电线裸露")
    assert m.deadline_at == dt.datetime(2010, 9, 28, 10, 30, tzinfo=SH)  # 8:30 + 2 h the next morning


def test_a_county_that_staffs_nights_sets_hours_day_and_night(district, personas, clock):
    services.time_limit_set(actor=personas.county_office, level="grid", type="hazard", stage="accept", amount=2,
                            unit="hours", warn_before=1)
    clock.move_to(dt.datetime(2010, 9, 27, 23, 0, tzinfo=SH), tick=False)
    m = report(personas, district, type="hazard", title="电线裸露")
    assert m.limit_unit == "hours" and m.deadline_at == dt.datetime(2010, 9, 28, 1, 0, tzinfo=SH)


def test_suspension_stops_the_clock_and_resuming_moves_the_deadline(district, personas, clock):
    m = act(personas.promoter, report(personas, district), Action.ACCEPT)
    due = m.deadline_at  # 3 working days from Fri 24 Sep: 25, 26 (make-up), 27 Sep
    assert due == dt.datetime(2010, 9, 27, 23, 59, 59, tzinfo=SH)
    m = act(personas.promoter, m, Action.SUSPEND, reason="等当事人提供材料")
    assert m.status == Status.SUSPENDED
    clock.move_to(dt.datetime(2010, 9, 28, 9, 0, tzinfo=SH), tick=False)  # past the old deadline
    from shuanglian.core.deadlines import sweep
    from shuanglian.matters.deadlines import CLOCK
    assert sweep(CLOCK).red == 0  # a suspended matter is not swept
    m = act(personas.promoter, m, Action.RESUME)
    # The clock stood still over 24 Sep -> 28 Sep: 25, 26, 27, 28 are 4 working days.
    # From 27 Sep, 4 working days later: 28, 29, 30 Sep, then after the holiday Fri 8 Oct.
    assert m.status == Status.ACCEPTED and m.deadline_at == dt.datetime(2010, 10, 8, 23, 59, 59, tzinfo=SH)
    assert m.deadline_state == "ok"


def test_reopen_when_the_person_is_not_satisfied(district, personas, clock):
    p = personas.promoter
    m = _in_status(personas, district, Status.RESOLVED)
    m = act(p, m, Action.FOLLOW_UP, satisfaction=Satisfaction.UNSATISFIED)
    with pytest.raises(ValidationFailed):
        act(p, m, Action.CLOSE)  # not satisfied: a reason is needed to close
    with pytest.raises(ValidationFailed):
        services.transition(actor=p, matter=m, action=Action.REOPEN, reason=" ")
    m = act(p, m, Action.REOPEN, reason="群众不满意")
    assert (m.status, m.reopened, m.satisfaction, m.stage) == (Status.ACCEPTED, 1, "", Stage.HANDLE)


def test_the_holder_is_notified_when_a_matter_reaches_them(district, personas, clock):
    m = report(personas, district)
    assert Notification.objects.filter(recipient=personas.promoter, object_id=str(m.pk)).exists()
    act(personas.promoter, m, Action.ESCALATE, reason="村里才能协调")
    assert Notification.objects.filter(recipient=personas.village_cadre, object_id=str(m.pk),
                                       kind="matter.escalate").exists()


def test_the_reporter_is_told_who_accepted_it_and_where_it_went(district, personas, clock):
    """The village cadre reports at the grid on a walk; the grid's promoter accepts it and sends it up."""
    m = services.matter_report(actor=personas.village_cadre, grid=district.grid, type="demand", source="visit",
                               title="路灯坏了")
    act(personas.promoter, m, Action.ACCEPT)
    act(personas.promoter, m, Action.ESCALATE, reason="村里才能协调")
    told = list(Notification.objects.filter(recipient=personas.village_cadre, object_id=str(m.pk))
                .order_by("pk").values_list("kind", flat=True))
    assert "matter.accept.reporter" in told and "matter.escalate.reporter" in told
    # One's own step is not news to oneself.
    own = report(personas, district)
    act(personas.promoter, own, Action.ACCEPT)
    assert not Notification.objects.filter(recipient=personas.promoter, kind="matter.accept.reporter").exists()


def test_reasons_and_results_are_required_where_the_form_says_so(district, personas, clock):
    m = report(personas, district)
    with pytest.raises(ValidationFailed) as no_reason:
        services.transition(actor=personas.promoter, matter=m, action=Action.ESCALATE)
    assert "reason" in no_reason.value.details
    m = act(personas.promoter, m, Action.ACCEPT)
    with pytest.raises(ValidationFailed) as no_result:
        services.transition(actor=personas.promoter, matter=m, action=Action.RESOLVE, result="  ")
    assert "result" in no_result.value.details
