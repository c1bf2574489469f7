"""The demo's year 2010 of applications, written in bulk: rows as the services would leave them (random
receipt numbers of the year as the services draw them, promised dates from the shared working-day calendar, a
timeline row per step, on_time as transition() sets it) in a few statements, so the step takes seconds.

Volume: 30,000 applications, about one for every four households; the items' weights (applications_catalog) make
the rural medical scheme and the pension insurance the busiest. 45% of what an agent point may accept is
handed in there and forwarded the same or the next working day. Flows: most are handled and replied within
the promised days; 7% wait for materials (the clock stops), 1% of those are never completed and returned;
1.5% are refused, 1% withdrawn. About 3% are replied late. A few dozen draw a complaint, resolved.
"""
from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from functools import cache
from itertools import accumulate

from django.conf import settings
from django.db import connection

from shuanglian.applications.choices import AcceptedAt, Action, NotifiedBy, PointKind, Satisfaction, Status
from shuanglian.applications.models import Application, Complaint, ReceiptCounter, StaffPosting, Transition
from shuanglian.applications.services import receipt_no
from shuanglian.core import audit, pii
from shuanglian.core.bulk import copy_or_insert
from shuanglian.core.calendar import work_calendar
from shuanglian.demo.builders.teams import GIVEN, SURNAMES

YEAR = 2010
APPLICATIONS = 30_000
AT_AGENT_POINT = 0.45
FLOWS = (("reply", 905), ("materials", 60), ("not_supplied", 10), ("refuse", 15), ("withdraw", 10))
LATE = 0.03
SATISFACTION = ((Satisfaction.SATISFIED, 88), (Satisfaction.BASICALLY, 9), (Satisfaction.DISSATISFIED, 3))
NOTIFIED = ((NotifiedBy.IN_PERSON, 45), (NotifiedBy.PHONE, 30), (NotifiedBy.TEXT_MESSAGE, 20), (NotifiedBy.MAIL, 5))
REASONS = {"refuse": "经审核不符合申请条件，已书面告知不予办理的理由和依据", "withdraw": "申请人主动撤回申请",
           "not_supplied": "申请人逾期未补齐材料，退回申请，材料补齐后可重新申请"}
COMPLAINTS = ("办理时间超过承诺时限", "窗口工作人员态度生硬", "同一材料被要求重复提交", "代办员未及时送件", "结果告知不清楚")
RESOLUTION = "已核实，约谈相关工作人员并向申请人说明情况、致歉；纳入月度效能考核"
OPENS, CLOSES = 8 * 60 + 30, 17 * 60 + 30  # office hours, minutes after midnight
PHONE_PREFIXES = ("133", "135", "137", "138", "139", "153", "158", "159", "180", "188", "189")


def person(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def phone(rng) -> str:
    return rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"


@cache
def _cumulative(pairs):
    values, weights = zip(*pairs, strict=True)
    return values, list(accumulate(weights))


def _pick(rng, pairs):
    values, cumulative = _cumulative(pairs)
    return rng.choices(values, cum_weights=cumulative)[0]


class Workdays:
    """The shared calendar over the demo's years, indexed: add_working_days and working_days_between (the step
    asks some 150,000 times) are one lookup each, with WorkCalendar's answers."""

    def __init__(self, calendar, first: dt.date, last: dt.date):
        self.days: list[dt.date] = []  # the working days in order
        self.rank: dict[dt.date, int] = {}  # date -> working days from `first` up to and including it
        day = first
        while day <= last:
            if calendar.is_working_day(day):
                self.days.append(day)
            self.rank[day] = len(self.days)
            day += dt.timedelta(days=1)

    def is_working_day(self, day: dt.date) -> bool:
        return self.rank[day] > self.rank.get(day - dt.timedelta(days=1), 0)

    def add_working_days(self, start: dt.date, count: int) -> dt.date:
        return self.days[self.rank[start] + count - 1] if count else start

    def working_days_between(self, first: dt.date, last: dt.date) -> int:
        return max(0, self.rank[last] - self.rank[first])


class _Timeline:
    """Steps of one application, in local time; every step later than the one before, in office hours."""

    def __init__(self, rng, calendar):
        self.rng, self.calendar = rng, calendar
        self.steps: list[tuple] = []

    def at_office(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=self.rng.randint(OPENS, CLOSES - 30))

    def later(self, at: dt.datetime, working_days: int) -> dt.datetime:
        """`working_days` after `at` at some office hour; 0: an hour or two later the same day if it is open."""
        if working_days == 0:
            then = at + dt.timedelta(minutes=self.rng.randint(15, 150))
            if then.hour * 60 + then.minute < CLOSES:
                return then
            working_days = 1
        return self.at_office(self.calendar.add_working_days(at.date(), working_days))

    def add(self, action, from_status, to_status, at, label, reason="", details=None):
        self.steps.append((action, from_status, to_status, at, label, reason, details or {}))


APPLICATION_COLUMNS = (
    "receipt_no", "item_id", "point_id", "center_id", "department_id", "handler_id", "applicant_name",
    "applicant_phone", "applicant_phone_hash", "status", "resume_status", "accepted_at", "promised_date",
    "yellow_at", "deadline_at", "deadline_state", "suspended_at", "suspended_days", "missing_materials", "result",
    "notified_by", "satisfaction", "closed_at", "on_time", "division_id", "county_id", "township_id", "village_id",
    "grid_id")
TRANSITION_COLUMNS = ("application_id", "action", "from_status", "to_status", "actor_id", "actor_label", "reason",
                      "details", "at")


def build(ctx, points, items, *, count: int = APPLICATIONS) -> dict:
    rng = ctx.rng
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    calendar = Workdays(work_calendar(range(YEAR, YEAR + 2)), dt.date(YEAR, 1, 1), dt.date(YEAR + 1, 12, 31))
    days = [d for d in calendar.days if d.year == YEAR]
    agents = [p for p in points if p.kind == PointKind.AGENT_POINT]
    by_pk = {p.pk: p for p in points}
    staff: dict[int, list[str]] = {}
    for point_id, name in StaffPosting.objects.filter(point__in=points, full_time=True).values_list("point_id", "name"):
        staff.setdefault(point_id, []).append(name)
    weights = [item.entry.weight for item in items]
    plans = []
    for _i in range(count):
        item = rng.choices(items, weights=weights)[0]
        home = rng.choice(agents)  # the agent point of the applicant's village
        at_agent = item.accepted_at == AcceptedAt.ANY and rng.random() < AT_AGENT_POINT
        point = home if at_agent else by_pk[home.center_id]
        plans.append((_Timeline(rng, calendar).at_office(rng.choice(days)), item, point))
    plans.sort(key=lambda plan: plan[0])
    apps, timelines = [], []
    # Receipt numbers from their own seeded generator: the district's other draws stay as they were.
    receipts, drawn = random.Random(f"shuanglian receipts {YEAR}"), set()
    for accepted, item, point in plans:
        app, steps = _application(rng, calendar, accepted, item, point, by_pk[point.center_id or point.pk], staff)
        app["receipt_no"] = number = receipt_no(YEAR, receipts.choice)
        while number in drawn:  # a clash in 2**40 is rare, but the column is unique
            app["receipt_no"] = number = receipt_no(YEAR, receipts.choice)
        drawn.add(number)
        apps.append(app)
        timelines.append(steps)
    stamp = _stamper(tz)
    encrypt, index = pii.encryptor(), pii.blind_indexer("phone")
    json = connection.ops.adapt_json_value
    for app in apps:
        app["applicant_phone_hash"] = index(app["applicant_phone"])
        app["applicant_phone"] = encrypt(app["applicant_phone"])
        app["missing_materials"] = json(app["missing_materials"], None)
        app["_closed"] = app["closed_at"]
        for key in ("accepted_at", "closed_at"):
            app[key] = stamp(app[key])
    _insert(Application, APPLICATION_COLUMNS, (tuple(app[c] for c in APPLICATION_COLUMNS) for app in apps))
    ids = dict(Application.objects.filter(receipt_no__startswith=f"{YEAR}-").values_list("receipt_no", "pk"))
    rows = ((ids[app["receipt_no"]], action, from_status, to_status, None, label, reason, json(details, None), stamp(at))
            for app, steps in zip(apps, timelines, strict=True)
            for action, from_status, to_status, at, label, reason, details in steps)
    transitions = _insert(Transition, TRANSITION_COLUMNS, rows)
    complaints = _complaints(rng, apps, ids, tz)
    Complaint.objects.bulk_create(complaints, batch_size=2000)
    # The live counter continues after the last number used.
    ReceiptCounter.objects.update_or_create(year=YEAR, defaults={"last": count})
    closed = [a for a in apps if a["on_time"] is not None]
    counts = {"applications": len(apps), "transitions": transitions, "complaints": len(complaints),
              "staff": sum(len(v) for v in staff.values()),
              **{s: sum(a["status"] == s for a in apps) for s in (Status.REPLIED, Status.REFUSED, Status.RETURNED)},
              "on_time_rate": sum(bool(a["on_time"]) for a in closed) / len(closed) if closed else 0.0}
    audit.record(actor=None, action="services.load_year", object_type="services.application",
                 object_repr=f"{YEAR}: {len(apps)} applications",
                 after={k: v for k, v in counts.items() if k != "on_time_rate"})
    return counts


def _stamper(tz):
    """Local naive time -> the value a DateTimeField column takes: aware on PostgreSQL; on SQLite the naive
    UTC text Django's own adapter writes (so comparisons with Django's values hold)."""
    if connection.vendor == "postgresql":
        return lambda local: None if local is None else local.replace(tzinfo=tz)
    db_tz = connection.timezone
    return lambda local: None if local is None else str(local.replace(tzinfo=tz).astimezone(db_tz).replace(tzinfo=None))


def _insert(model, columns, rows) -> int:
    """Below the ORM (core.bulk): Django's per-value preparation in bulk_create would take most of the step.
    Every column of the table is given."""
    expected = {f.column for f in model._meta.concrete_fields if not f.primary_key}
    assert set(columns) == expected, f"{model.__name__} columns changed: {sorted(expected ^ set(columns))}"
    rows = list(rows)
    copy_or_insert(model._meta.db_table, list(columns), rows)
    return len(rows)


def _application(rng, calendar, accepted, item, point, center, staff) -> tuple[dict, list]:
    """One application of the year (its columns) and its timeline, as application_accept and transition()
    leave them. Times are local and naive here."""
    t = _Timeline(rng, calendar)
    department = item.department
    promised = calendar.add_working_days(accepted.date(), item.promised_days)
    clerk = rng.choice(staff.get(point.pk) or [point.name])
    t.add(Action.ACCEPT, "", Status.ACCEPTED, accepted, clerk,
          details={"point": point.name, "promised_date": promised.isoformat()})
    at, status = accepted, Status.ACCEPTED
    if point.kind == PointKind.AGENT_POINT:
        at = t.later(at, rng.choice((0, 0, 1)))
        t.add(Action.FORWARD, status, Status.FORWARDED, at, clerk, details={"to": center.name})
        status = Status.FORWARDED
    at = t.later(at, rng.choice((0, 0, 0, 1)))
    t.add(Action.HANDLE, status, Status.HANDLING, at, rng.choice(staff.get(center.pk) or [center.name]),
          details={"department": department.name})
    status = Status.HANDLING
    flow = _pick(rng, FLOWS)
    app = {"item_id": item.pk, "point_id": point.pk, "center_id": center.pk, "department_id": department.pk,
           "handler_id": None, "applicant_name": person(rng), "applicant_phone": phone(rng), "resume_status": "",
           "accepted_at": accepted, "yellow_at": None, "deadline_at": None, "deadline_state": "ok",  # none runs
           "suspended_at": None, "suspended_days": 0, "missing_materials": [], "result": "",
           "notified_by": "", "satisfaction": "", "division_id": point.division_id, "county_id": point.county_id,
           "township_id": point.township_id, "village_id": point.village_id, "grid_id": None}
    if flow in ("materials", "not_supplied"):
        at = t.later(at, rng.randint(0, 2))
        missing = item.materials[-rng.randint(1, min(2, len(item.materials))):] if item.materials else ["补充说明"]
        t.add(Action.REQUEST_MATERIALS, status, Status.AWAITING_MATERIALS, at, department.name,
              details={"missing": list(missing)})
        app["missing_materials"] = list(missing)
        waited = rng.randint(1, 8) if flow == "materials" else rng.randint(10, 20)
        received = t.later(at, waited)
        if flow == "materials":
            promised = calendar.add_working_days(promised, waited)
            app["suspended_days"] = waited
            t.add(Action.MATERIALS_RECEIVED, Status.AWAITING_MATERIALS, status, received, department.name,
                  details={"waited_working_days": waited, "promised_date": promised.isoformat()})
        else:
            status = Status.AWAITING_MATERIALS
        at = received
    if flow in ("reply", "materials"):
        left = calendar.working_days_between(at.date(), promised)
        late = rng.random() < LATE
        at = t.later(at, left + rng.randint(1, 5) if late else round(left * rng.betavariate(2, 2.5)))
        notified = _pick(rng, NOTIFIED) if point.kind == PointKind.CENTER else NotifiedBy.IN_PERSON
        satisfaction = Satisfaction.DISSATISFIED if late and rng.random() < 0.3 else _pick(rng, SATISFACTION)
        result = f"准予办理：{item.name}已办结"
        app.update(result=result, notified_by=notified, satisfaction=satisfaction, status=Status.REPLIED)
        t.add(Action.REPLY, status, Status.REPLIED, at, department.name, result,
              {"notified_by": notified, "satisfaction": satisfaction})
    else:
        if flow != "not_supplied":
            at = t.later(at, rng.randint(0, max(0, calendar.working_days_between(at.date(), promised))))
        app["status"] = Status.REFUSED if flow == "refuse" else Status.RETURNED
        t.add(Action.REFUSE if flow == "refuse" else Action.RETURN, status, app["status"], at, department.name,
              REASONS[flow])
    app.update(promised_date=promised, closed_at=at, on_time=at.date() <= promised)
    return app, t.steps


def _complaints(rng, apps, ids, tz) -> list[Complaint]:
    """Against about one in three dissatisfied applicants' cases and a few others; each resolved within days."""
    rows = []
    for app, closed in ((a, a["_closed"]) for a in apps):
        chance = 0.3 if app["satisfaction"] == Satisfaction.DISSATISFIED else 0.0005
        if rng.random() < chance:
            received = closed.replace(tzinfo=tz) + dt.timedelta(days=rng.randint(1, 10), hours=rng.randint(0, 6))
            text = COMPLAINTS[0] if not app["on_time"] else rng.choice(COMPLAINTS[1:])
            rows.append(Complaint(application_id=ids[app["receipt_no"]], text=text, received_at=received, recorded_by_label="区行政服务中心效能投诉",
                                  resolution=RESOLUTION, resolved_at=received + dt.timedelta(days=rng.randint(1, 7))))
    return rows
