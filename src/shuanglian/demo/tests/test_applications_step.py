"""The demo step's builders on the test district: the network and the bulk-written year read back through the
selectors and the services exactly as the services would have left them."""
import datetime as dt
import random
import re

import pytest
from django.utils import timezone

from shuanglian.applications import public, selectors, services
from shuanglian.applications.choices import CLOSED_STATUSES, PointKind, Status
from shuanglian.applications.models import Application, ReceiptCounter, ServicePoint, StaffPosting
from shuanglian.core.calendar import WorkCalendar, work_calendar
from shuanglian.core.exceptions import ValidationFailed
from shuanglian.core.models import AuditEvent
from shuanglian.demo.builders import applications as demo
from shuanglian.demo.builders import applications_catalog, applications_year
from shuanglian.demo.context import DemoContext

YEAR_COUNT = 400


@pytest.fixture
def built(district, personas):
    ctx = DemoContext(seed=1, rng=random.Random(1), log=lambda _text: None, county=district.county,
                      townships={d.code: d for d in (district.township, district.township2)},
                      villages={d.code: d for d in (district.village, district.village2, district.village3)},
                      service_centers={district.township.code: personas.service_center})
    points = demo.build_network(ctx, agent_points=3, staff=20)
    items = applications_catalog.build(ctx)
    counts = applications_year.build(ctx, points, items, count=YEAR_COUNT)
    opened = demo.open_today(ctx, points, items)
    return ctx, points, items, counts, opened


def test_the_network_and_the_stats_read_back(built, district):
    _ctx, points, items, counts, opened = built
    stats = selectors.service_stats(None, within=district.county)
    assert (stats["centers"], stats["agent_points"], stats["staff"]) == (2, 3, 20)
    assert stats["applications"] == sum(stats["by_status"].values()) == Application.objects.count()
    assert Application.objects.filter(accepted_at__year=2010).count() == counts["applications"] == YEAR_COUNT
    assert 0 < stats["on_time_rate"] < 1 and stats["closed"] >= YEAR_COUNT
    assert opened == Application.objects.exclude(status__in=CLOSED_STATUSES).count() > 0
    center = ServicePoint.objects.get(division=district.township, kind=PointKind.CENTER)
    assert center.organization.name == "樟潭街道便民服务中心" and center.agent_points.count() == 2
    # 17 besides the 3 agents: 6 each, the other 5 by points served (3 and 2): the bigger center has more
    assert StaffPosting.objects.filter(point=center).count() == 9
    assert StaffPosting.objects.filter(point__division=district.township2, point__kind="center").count() == 8
    assert len(items) == len(applications_catalog.CATALOG) >= 30
    assert all(i.promised_days <= i.legal_days for i in items)
    assert AuditEvent.objects.filter(action__in=["services.points_load", "services.load_year"]).count() == 2


def test_the_year_is_as_the_services_would_leave_it(built):
    calendar = work_calendar()
    year = Application.objects.filter(accepted_at__year=2010).select_related("item", "point")
    receipts = list(year.order_by("accepted_at", "pk").values_list("receipt_no", flat=True))
    assert len(set(receipts)) == len(receipts) == YEAR_COUNT
    assert all(re.fullmatch(r"2010-[0-9A-Z]{4}-[0-9A-Z]{4}", r) for r in receipts)  # as the services draw them
    assert ReceiptCounter.objects.get(year=2010).last == YEAR_COUNT
    assert services.next_receipt_no(2010) not in receipts
    for app in year.prefetch_related("transitions"):
        steps = list(app.transitions.all())
        assert app.status in CLOSED_STATUSES and steps[0].action == "accept" and steps[-1].to_status == app.status
        assert [s.at for s in steps] == sorted(s.at for s in steps) and steps[0].at == app.accepted_at
        assert all(a.to_status == b.from_status for a, b in zip(steps, steps[1:], strict=False))
        assert (steps[1].action == "forward") == (app.point.kind == PointKind.AGENT_POINT)
        # the promised working days, plus those waited for materials, from the shared calendar
        accepted = timezone.localdate(app.accepted_at)
        assert app.promised_date == calendar.add_working_days(accepted, app.item.promised_days + app.suspended_days)
        assert app.on_time == (timezone.localdate(app.closed_at) <= app.promised_date)
        assert steps[-1].at == app.closed_at
        assert (app.satisfaction != "") == (app.status == Status.REPLIED)
    app = year.first()
    phone = app.applicant_phone.reveal()
    assert len(phone) == 11 and "*" in str(app.applicant_phone)
    answer = public.lookup(receipt_no=app.receipt_no, phone_last4=phone[-4:], client="test")
    assert answer["status"] == app.status and "applicant_name" not in answer


def test_the_indexed_calendar_answers_as_the_shared_one():
    shared = WorkCalendar()
    days = applications_year.Workdays(shared, dt.date(2010, 1, 1), dt.date(2011, 12, 31))
    rng = random.Random(5)
    for _i in range(300):
        start = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(365))
        n = rng.randrange(0, 40)
        assert days.add_working_days(start, n) == shared.add_working_days(start, n)
        end = start + dt.timedelta(days=rng.randrange(60))
        assert days.working_days_between(start, end) == shared.working_days_between(start, end)
        assert days.is_working_day(start) == shared.is_working_day(start)


def test_a_load_is_checked_whole(district, personas):
    center = {"division": district.township, "kind": PointKind.CENTER, "name": "樟潭街道便民服务中心"}
    agent = {"division": district.village3, "kind": PointKind.AGENT_POINT, "name": "上方村代办点"}
    with pytest.raises(ValidationFailed):  # 上方镇 has no center, in the set or recorded
        services.service_points_load(actor=None, points=[center, agent], staff=[])
    with pytest.raises(ValidationFailed):
        services.service_points_load(actor=None, points=[center, center], staff=[])
    with pytest.raises(ValidationFailed) as refused:
        services.service_points_load(actor=None, points=[center], staff=[{"point": 0, "name": "", "position": "窗口"}])
    assert "Staff row 1" in refused.value.message and "name" in refused.value.details
    assert not ServicePoint.objects.exists() and not AuditEvent.objects.filter(action="services.points_load").exists()
    made = services.service_points_load(actor=None, points=[center], staff=[{"point": 0, "name": "甲", "position": "窗口"}])
    with pytest.raises(ValidationFailed):  # recorded already
        services.service_points_load(actor=None, points=[center], staff=[])
    assert made[0].township_id == district.township.pk and made[0].staff.get().name == "甲"
