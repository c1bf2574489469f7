"""Contact days: the date rule, no-meeting days, monthly plans (idempotent), attendance and the legal
liaison, visit logs, matters raised on the day and sent to the 20th, holding, and who sees what."""
import datetime as dt
import zoneinfo

import pytest

from shuanglian.core.calendar import WorkCalendar
from shuanglian.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from shuanglian.core.models import AuditEvent, CalendarDay
from shuanglian.matters import services as matter_services
from shuanglian.matters.choices import Action, Level, Source
from shuanglian.matters.models import Matter
from shuanglian.organizations.choices import Function, OrganizationKind
from shuanglian.organizations.services import organization_create
from shuanglian.outreach import filtersets, schedule, selectors, services
from shuanglian.outreach.choices import AttendeeRole, ContactDayKind
from shuanglian.outreach.models import ContactDay

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
TV, CT = ContactDayKind.TOWNSHIP_VILLAGE, ContactDayKind.COUNTY_TOWNSHIP


@pytest.fixture
def clock(time_machine):
    # Thursday 25 March 2010: the month's 10th (Wednesday) and 20th (Saturday) have passed.
    time_machine.move_to(dt.datetime(2010, 3, 25, 9, 0, tzinfo=SH), tick=False)
    return time_machine


@pytest.fixture
def march(district, personas, clock):
    """March 2010 planned by the county office: the county's 20th and both its townships' 10ths."""
    plan = services.contact_days_plan(actor=personas.county_office, division=district.county, year=2010, month=3,
                                townships=True)
    days = {d.division_id: d for d in plan.days}
    return {"twenty": days[district.county.pk], "ten": days[district.township.pk],
            "ten2": days[district.township2.pk]}


# ---------------------------------------------------------------- the date rule and no-meeting days


def test_the_10th_is_the_townships_no_meeting_day_and_the_20th_the_countys(db):
    allowed, reason = schedule.meeting_allowed("township", dt.date(2010, 3, 10))
    assert allowed is False
    assert "township–village contact day" in reason and "township cadres are in the villages" in reason
    allowed, reason = schedule.meeting_allowed("county", dt.date(2010, 3, 20))  # a Saturday: the day is kept
    assert allowed is False and "county–township contact day" in reason and "the county holds no meetings" in reason


def test_other_days_and_other_levels_may_meet(db):
    for level, day in [("county", dt.date(2010, 3, 10)), ("township", dt.date(2010, 3, 20)),
                       ("township", dt.date(2010, 3, 11)), ("county", dt.date(2010, 3, 19)),
                       ("village", dt.date(2010, 3, 10)), ("grid", dt.date(2010, 3, 10))]:
        allowed, reason = schedule.meeting_allowed(level, day)
        assert allowed is True, (level, day)
        assert "is not a no-meeting day" in reason and "meetings may be held" in reason


def test_an_unknown_level_is_refused(db):
    with pytest.raises(ValidationFailed) as exc:
        schedule.meeting_allowed("planet", dt.date(2010, 3, 10))
    assert "level" in exc.value.details


def test_a_weekend_keeps_the_date_a_holiday_moves_it_to_the_next_working_day(db):
    saturday = schedule.scheduled_day(TV, 2010, 4, WorkCalendar())
    assert saturday.date == dt.date(2010, 4, 10) and saturday.weekend and not saturday.moved
    assert "keeps its date" in saturday.note()
    # 20 February 2026 is in the Spring Festival holiday (15-23 February): the 20th moves to Tuesday the 24th.
    festival = schedule.scheduled_day(CT, 2026, 2, WorkCalendar())
    assert (festival.nominal, festival.date, festival.holiday) == (dt.date(2026, 2, 20), dt.date(2026, 2, 24),
                                                                   "Spring Festival")
    assert "moves to" in festival.note() and "Spring Festival" in festival.note()
    assert schedule.scheduled_day(TV, 2010, 3, WorkCalendar()).note() == ""  # an ordinary Wednesday


def test_the_no_meeting_day_follows_a_moved_contact_day(db):
    moved, reason = schedule.meeting_allowed("county", dt.date(2026, 2, 24))
    assert moved is False and "moved from" in reason and "Spring Festival" in reason
    assert schedule.meeting_allowed("county", dt.date(2026, 2, 20))[0] is True  # a holiday, no contact day


def test_the_county_offices_calendar_corrections_move_the_day(db):
    CalendarDay.objects.create(date=dt.date(2010, 5, 10), is_working=False, name="Flood relief")
    assert schedule.scheduled_day(TV, 2010, 5).date == dt.date(2010, 5, 11)
    assert schedule.meeting_allowed("township", dt.date(2010, 5, 11))[0] is False
    assert schedule.meeting_allowed("township", dt.date(2010, 5, 10))[0] is True


def test_the_month_calendar_marks_the_days(db):
    weeks = schedule.month_calendar(2010, 3)
    days = {d.date: d for week in weeks for d in week if d.in_month}
    assert len(days) == 31 and all(len(week) == 7 for week in weeks)
    assert days[dt.date(2010, 3, 10)].no_meeting == ["township"]
    assert days[dt.date(2010, 3, 20)].no_meeting == ["county"] and not days[dt.date(2010, 3, 20)].working
    assert days[dt.date(2010, 3, 11)].no_meeting == []


# ---------------------------------------------------------------- planning


def test_planning_a_township_creates_its_10th_once(district, personas, clock):
    cadre = personas.township_cadre
    plan = services.contact_days_plan(actor=cadre, division=district.township, year=2010, month=4)
    assert [(d.kind, d.date) for d in plan.days] == [(TV, dt.date(2010, 4, 10))]
    assert plan.created == plan.days and plan.expected_legal_liaison == []
    assert any("keeps its date" in note for note in plan.notes)  # 10 April 2010 is a Saturday
    day = plan.days[0]
    assert (day.county_id, day.township_id, day.village_id) == (district.county.pk, district.township.pk, None)
    again = services.contact_days_plan(actor=cadre, division=district.township, year=2010, month=4)
    assert again.created == [] and [d.pk for d in again.days] == [day.pk]
    assert ContactDay.objects.filter(division=district.township).count() == 1
    assert AuditEvent.objects.filter(action="matters.contact_day_plan").count() == 1


def test_planning_the_county_plans_its_20th_and_its_townships_10ths(district, personas, clock):
    plan = services.contact_days_plan(actor=personas.county_office, division=district.county, year=2010, month=3,
                                townships=True)
    assert sorted((d.division.code, d.kind, d.date) for d in plan.days) == [
        ("330803", CT, dt.date(2010, 3, 20)), ("330803001", TV, dt.date(2010, 3, 10)),
        ("330803100", TV, dt.date(2010, 3, 10))]
    assert plan.expected_legal_liaison == ["police", "judge", "lawyer"]
    # A township planned its own day before: kept, not duplicated.
    again = services.contact_days_plan(actor=personas.county_office, division=district.county, year=2010, month=3,
                                 townships=True)
    assert again.created == [] and ContactDay.objects.count() == 3


def test_a_plan_keeps_a_day_already_planned_in_the_month(district, personas, clock):
    services.contact_days_plan(actor=personas.township_cadre, division=district.township, year=2010, month=5)
    CalendarDay.objects.create(date=dt.date(2010, 5, 10), is_working=False, name="Flood relief")
    plan = services.contact_days_plan(actor=personas.township_cadre, division=district.township, year=2010, month=5)
    assert [d.date for d in plan.days] == [dt.date(2010, 5, 10)] and plan.created == []
    assert any("already planned" in note for note in plan.notes)


def test_who_may_plan_where(district, personas, clock):
    with pytest.raises(PermissionDenied):
        services.contact_days_plan(actor=personas.promoter, division=district.township, year=2010, month=4)
    with pytest.raises(PermissionDenied):
        services.contact_days_plan(actor=personas.township_cadre, division=district.county, year=2010, month=4)
    with pytest.raises(PermissionDenied):
        services.contact_days_plan(actor=personas.township_cadre, division=district.township2, year=2010, month=4)
    with pytest.raises(ValidationFailed):
        services.contact_days_plan(actor=personas.county_office, division=district.village, year=2010, month=4)
    with pytest.raises(ValidationFailed):
        services.contact_days_plan(actor=personas.county_office, division=district.county, year=2010, month=13)
    assert not ContactDay.objects.exists()


# ---------------------------------------------------------------- attendance and the legal liaison


def test_attendance_and_the_legal_liaison_of_the_20th(district, personas, march):
    office = personas.county_office
    twenty = march["twenty"]
    court = organization_create(actor=None, division=district.county, name="衢江区人民法院",
                                kind=OrganizationKind.DEPARTMENT, function=Function.COURT)
    police = services.contact_day_attendee_add(actor=office, contact_day=twenty, user=personas.department_member,
                                         role=AttendeeRole.POLICE, organization=personas.police)
    assert police.name == "department_member" and not police.attended
    judge = services.contact_day_attendee_add(actor=office, contact_day=twenty, name="李法官", role=AttendeeRole.JUDGE,
                                        organization=court, attended=True)
    services.contact_day_attendee_add(actor=office, contact_day=twenty, name="区长", role=AttendeeRole.LEADER,
                                attended=True)
    services.contact_day_attendance_mark(actor=office, attendee=police, attended=True)
    status = {r["role"]: r for r in selectors.legal_liaison(twenty, list(selectors.contact_day_attendees(twenty)))}
    assert list(status) == ["police", "judge", "lawyer"]
    assert status["police"]["attended"] and status["judge"]["attended"]
    assert status["lawyer"] == {"role": "lawyer", "label": "lawyer", "listed": [], "attended": False}
    counted = selectors.with_counts(ContactDay.objects.filter(pk=twenty.pk)).get()
    assert (counted.attendee_count, counted.attended_count, counted.legal_attended_count) == (3, 3, 2)
    assert judge.organization == court
    # the 10th expects no legal liaison
    assert selectors.legal_liaison(march["ten"], []) == []


def test_an_attendee_is_listed_once(district, personas, march):
    office = personas.county_office
    services.contact_day_attendee_add(actor=office, contact_day=march["twenty"], user=personas.township_cadre)
    with pytest.raises(Conflict) as exc:
        services.contact_day_attendee_add(actor=office, contact_day=march["twenty"], user=personas.township_cadre)
    assert exc.value.code == "already_listed"
    services.contact_day_attendee_add(actor=office, contact_day=march["twenty"], name="王律师", role="lawyer")
    with pytest.raises(Conflict):
        services.contact_day_attendee_add(actor=office, contact_day=march["twenty"], name="王律师", role="lawyer")


def test_attendance_is_not_ticked_before_the_day(district, personas, clock):
    plan = services.contact_days_plan(actor=personas.township_cadre, division=district.township, year=2010, month=4)
    day = plan.days[0]
    attendee = services.contact_day_attendee_add(actor=personas.township_cadre, contact_day=day, name="张三")
    with pytest.raises(ValidationFailed) as exc:
        services.contact_day_attendance_mark(actor=personas.township_cadre, attendee=attendee, attended=True)
    assert exc.value.code == "not_yet"
    with pytest.raises(ValidationFailed):
        services.contact_day_hold(actor=personas.township_cadre, contact_day=day, summary="提前")


def test_an_organization_from_elsewhere_is_refused(district, personas, march):
    far = organization_create(actor=None, division=district.other_county, name="柯城区公安分局",
                              kind=OrganizationKind.DEPARTMENT, function=Function.PUBLIC_SECURITY)
    with pytest.raises(ValidationFailed):
        services.contact_day_attendee_add(actor=personas.county_office, contact_day=march["twenty"], name="某",
                                    role="police", organization=far)


def test_a_township_cadre_may_not_keep_the_countys_attendance(district, personas, march):
    with pytest.raises(PermissionDenied):
        services.contact_day_attendee_add(actor=personas.township_cadre, contact_day=march["twenty"], name="某")
    with pytest.raises(PermissionDenied):
        services.contact_day_attendee_add(actor=personas.township_cadre, contact_day=march["ten2"], name="某")


# ---------------------------------------------------------------- visits, matters, holding


def test_the_10th_logs_visits_to_villages_of_its_township(district, personas, march):
    cadre = personas.township_cadre
    visit = services.contact_day_visit_add(actor=cadre, contact_day=march["ten"], village=district.village2,
                                     visitors="张书记、李镇长", notes="走访困难户", households_visited=12)
    assert visit.village == district.village2
    with pytest.raises(ValidationFailed):  # a village of another township
        services.contact_day_visit_add(actor=cadre, contact_day=march["ten"], village=district.village3, visitors="张")
    with pytest.raises(ValidationFailed):
        services.contact_day_visit_add(actor=cadre, contact_day=march["ten"], village=district.village, visitors=" ")
    with pytest.raises(ValidationFailed) as exc:  # the 20th has no village visits
        services.contact_day_visit_add(actor=personas.county_office, contact_day=march["twenty"],
                                 village=district.village, visitors="张")
    assert exc.value.code == "wrong_kind"
    counted = selectors.with_counts(ContactDay.objects.filter(pk=march["ten"].pk)).get()
    assert (counted.visit_count, counted.households_visited) == (1, 12)


def test_a_visit_on_the_10th_raises_a_matter_on_the_spot(district, personas, march):
    matter = services.contact_day_matter_raise(actor=personas.township_cadre, contact_day=march["ten"], grid=district.grid3,
                                         type="demand", title="村道需要硬化", raised_by_name="王大伯")
    assert (matter.source, matter.contact_day, matter.grid, matter.level) == (Source.CONTACT_DAY, march["ten"],
                                                                              district.grid3, Level.GRID)
    assert list(selectors.contact_day_matters(personas.township_cadre, march["ten"])) == [matter]
    assert selectors.with_counts(ContactDay.objects.filter(pk=march["ten"].pk)).get().matter_count == 1
    with pytest.raises(ValidationFailed):  # a grid of another township
        services.contact_day_matter_raise(actor=personas.township_cadre, contact_day=march["ten"], grid=district.grid4,
                                    type="demand", title="x")


def test_the_20th_lists_what_townships_escalated_to_the_county(district, personas, march):
    organization_create(actor=None, division=district.county, name="区民情沟通日办公室",
                        kind=OrganizationKind.OFFICE, function=Function.CONTACT_DAY_OFFICE)
    april = services.contact_days_plan(actor=personas.county_office, division=district.county, year=2010, month=4).days[0]
    matter = matter_services.matter_report(actor=personas.promoter, grid=district.grid, type="demand", source="visit",
                                    title="灌溉渠年久失修")
    for actor in (personas.promoter, personas.village_cadre, personas.township_cadre):
        matter = matter_services.transition(actor=actor, matter=matter, action=Action.ESCALATE, reason="本级无法解决")
    assert matter.level == Level.COUNTY and matter.contact_day == april  # the next 20th after 25 March
    office = personas.county_office
    assert list(selectors.contact_day_matters(office, april)) == [matter]
    # The March 20th, not held yet, carries every open county-level matter as its agenda; once held, only its own.
    assert list(selectors.contact_day_matters(office, march["twenty"])) == [matter]
    services.contact_day_hold(actor=office, contact_day=march["twenty"], summary="研究了3件事项")
    march["twenty"].refresh_from_db()
    assert list(selectors.contact_day_matters(office, march["twenty"])) == []
    # The township that sent it still follows it on the 20th's list; the other township does not see it.
    assert list(selectors.contact_day_matters(personas.township_cadre, april)) == [matter]
    assert not Matter.objects.filter(pk=matter.pk, township=district.township2).exists()


def test_holding_a_day_records_its_summary(district, personas, march):
    cadre = personas.township_cadre
    with pytest.raises(ValidationFailed):
        services.contact_day_hold(actor=cadre, contact_day=march["ten"], summary="  ")
    day = services.contact_day_hold(actor=cadre, contact_day=march["ten"], summary="走访5个村")
    assert day.held and day.summary == "走访5个村"
    day = services.contact_day_hold(actor=cadre, contact_day=march["ten"], summary="走访6个村")
    event = AuditEvent.objects.filter(action="matters.contact_day_hold").order_by("-seq").first()
    assert event.before["summary"] == "走访5个村" and event.after["summary"] == "走访6个村"


# ---------------------------------------------------------------- who sees what


def visible(user):
    return {(d.division.code, d.kind) for d in selectors.contact_day_list_visible_to(user)}


def test_who_sees_which_contact_days(district, personas, march):
    county, t1, t2 = ("330803", CT), ("330803001", TV), ("330803100", TV)
    assert visible(personas.county_office) == {county, t1, t2}
    assert visible(personas.auditor) == {county, t1, t2}
    assert visible(personas.township_cadre) == {county, t1}  # its own 10th, and the 20th it escalates to
    assert visible(personas.village_cadre) == {county, t1}  # the 10th whose cadres come to the village
    assert visible(personas.promoter) == {county, t1}
    assert visible(personas.department_member) == {county}  # the 20th the police attend
    assert visible(personas.outsider) == set()
    assert visible(personas.nobody) == set()
    with pytest.raises(NotFound):
        selectors.contact_day_get_for_user(personas.outsider, march["ten"].pk)
    with pytest.raises(NotFound):
        selectors.contact_day_get_for_user(personas.township_cadre, march["ten2"].pk)
    assert selectors.contact_day_get_for_user(personas.township_cadre, march["ten"].pk) == march["ten"]


def test_month_and_within_filters(district, personas, march):
    qs = selectors.contact_day_list_visible_to(personas.county_office)
    fs = filtersets.ContactDayFilterSet({"month": "2010-03", "kind": "township_village", "within": "330803001"}, queryset=qs)
    assert [d.pk for d in fs.qs] == [march["ten"].pk]
    assert not filtersets.ContactDayFilterSet({"month": "2010-04"}, queryset=qs).qs.exists()
    assert not filtersets.ContactDayFilterSet({"month": "nonsense"}, queryset=qs).qs.exists()
    in_month = selectors.contact_days_in_month(personas.county_office, 2010, 3, within=district.county)
    assert [d.date.day for d in in_month] == [10, 10, 20]
