"""Demo step: a year 2010 of matters, disputes, contact days and visits across the district, and a
few matters open now so the workflow, the deadlines and the supervision board are live.

The 2010 year is written in bulk (rows as the services would leave them: timeline rows, numbers,
stamps), so the step takes seconds; the open matters go through the services. The disputes screened
and mediated in 2010 are the seed's: 4,526 and 4,421.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, LPad
from django.utils import timezone

from shuanglian.archives.models import Household
from shuanglian.core import clock
from shuanglian.core.calendar import work_calendar
from shuanglian.core.deadlines import sweep
from shuanglian.demo.builders import mediation, outreach
from shuanglian.demo.figures import GRIDDED
from shuanglian.matters import services
from shuanglian.matters.choices import Action, Level, MatterType, Satisfaction, Source, Status
from shuanglian.matters.deadlines import CLOCK
from shuanglian.matters.models import Category, Matter, Transition

YEAR = 2010
DISPUTES_SCREENED = 4526
DISPUTES_MEDIATED = 4421
# Other matters recorded in 2010 (the seed gives no count; about one per eight households).
OTHER_COUNTS = {MatterType.DEMAND: 6200, MatterType.HAZARD: 1500, MatterType.SUGGESTION: 900, MatterType.OTHER: 600}
SOURCES = [(Source.VISIT, 40), (Source.CONTACT_DAY, 15), (Source.WALK_IN, 20), (Source.PHONE, 15),
           (Source.ONLINE, 10)]
# Where matters were finally solved: most in the grid and the village, as the seed intends.
FINAL_LEVELS = [(Level.GRID, 55), (Level.VILLAGE, 25), (Level.TOWNSHIP, 13), (Level.COUNTY, 5),
                (Level.DEPARTMENT, 2)]
TITLES = {
    "roads": ["村道破损需修补", "机耕路塌方", "路灯不亮"], "water": ["自来水压力不足", "水渠堵塞", "饮用水浑浊"],
    "livelihood": ["低保申请咨询", "危房改造求助", "困难家庭临时救助"],
    "social_security": ["新农合报销咨询", "养老保险补缴", "残疾证办理"],
    "neighbour": ["邻里宅基地边界纠纷", "排水引发邻里矛盾", "堆放杂物占道纠纷"],
    "family": ["赡养老人纠纷", "婚姻家庭矛盾", "分家析产纠纷"], "land": ["山林权属纠纷", "土地承包经营权纠纷", "征地补偿分配纠纷"],
    "wages": ["农民工工资拖欠", "务工受伤赔偿纠纷"], "contract": ["借款纠纷", "房屋租赁纠纷", "买卖合同纠纷"],
    "fire": ["电线私拉乱接", "柴草堆放隐患"], "geology": ["山体滑坡隐患点", "房屋后山裂缝"],
    "traffic": ["村口急弯无警示", "校车路线安全隐患"], "street_lights": ["路灯不亮", "路灯杆倾斜"],
    "road_damage": ["桥面坑洼", "路基塌陷"], "water_supply": ["水管爆裂", "停水未通知"],
    "village_affairs": ["建议公开村务开支", "建议完善村规民约"],
    "development": ["建议发展柑橘合作社", "建议建设农产品冷库"], "other": ["咨询政策", "其他事项"],
}
RESULTS = {MatterType.DEMAND: "已协调解决并答复当事人", MatterType.DISPUTE: "经调解达成协议",
           MatterType.HAZARD: "隐患已整改，复查合格", MatterType.SUGGESTION: "建议已采纳并反馈",
           MatterType.OTHER: "已答复"}


def build(ctx):
    services.ensure_default_categories()
    contact_days = _contact_days(ctx)
    matters = _year(ctx, contact_days)
    disputes = [m for m in matters if m.type == MatterType.DISPUTE]
    _disputes(ctx, disputes)
    _open_now(ctx)
    ctx.data["matters.2010"] = len(matters)


def _contact_days(ctx) -> dict:
    return outreach.build(ctx, year=YEAR) or {}


def _disputes(ctx, disputes) -> None:
    mediation.build(ctx, disputes)


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _year(ctx, contact_days: dict) -> list[Matter]:
    rng = ctx.rng
    calendar = work_calendar(range(YEAR, YEAR + 1))
    # From the day the grids were drawn: a matter is attached to its grid.
    first = GRIDDED
    workdays = [d for d in (first + dt.timedelta(days=i) for i in range((dt.date(YEAR, 12, 31) - first).days + 1))
                if calendar.is_working_day(d)]
    grids = sorted(ctx.grids.values(), key=lambda g: g.code)
    households = defaultdict(list)
    for pk, grid_id in Household.objects.filter(is_active=True).values_list("pk", "grid_id"):
        households[grid_id].append(pk)
    categories = defaultdict(list)
    for category in Category.objects.filter(is_active=True).order_by("code"):
        categories[category.type].append(category)
    chain = {g.pk: _chain(g, ctx) for g in grids}
    offices = ctx.departments
    office = next((o for f, o in offices.items() if str(f) == "contact_day_office"), None)
    departments = [o for f, o in offices.items() if o.kind == "department"]
    plan = [MatterType.DISPUTE] * DISPUTES_SCREENED + [t for t, n in OTHER_COUNTS.items() for _ in range(n)]
    rng.shuffle(plan)
    matters, steps = [], []
    for seq, type_ in enumerate(plan):
        grid = rng.choice(grids)
        county, township, village = chain[grid.pk]
        day = rng.choice(workdays)
        source = _weighted(rng, SOURCES)
        contact_day = contact_days.get((township.code, dt.date(YEAR, day.month, 10))) if source == Source.CONTACT_DAY \
            else None
        category = rng.choice(categories[type_])
        reported = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(8, 16), rng.randint(0, 59))))
        final = _weighted(rng, FINAL_LEVELS)
        matter = Matter(
            number=f"demo-{seq}", type=type_, category=category, source=source,
            title=rng.choice(TITLES.get(category.code, ["其他事项"])), description="", division=grid, county=county,
            township=township, village=village, grid=grid,
            household_id=rng.choice(households[grid.pk]) if households[grid.pk] and rng.random() < 0.8 else None,
            contact_day=contact_day, status=Status.CLOSED, level=final, reported_at=reported,
            result=RESULTS[type_], satisfaction=_weighted(rng, [(Satisfaction.SATISFIED, 90),
                                                                 (Satisfaction.BASICALLY, 8),
                                                                 (Satisfaction.UNSATISFIED, 2)]))
        if final == Level.DEPARTMENT:
            matter.holder_organization = rng.choice(departments) if departments else office
        elif final == Level.COUNTY:
            matter.holder_organization = office
        matter_steps, closed = _steps(rng, matter, final, calendar)
        matter.accepted_at = matter_steps[1][3]
        matter.resolved_at = next(step[3] for step in matter_steps if step[0] == Action.RESOLVE)
        matter.closed_at = closed
        matters.append(matter)
        steps.append(matter_steps)
    Matter.objects.bulk_create(matters, batch_size=2000)
    # Numbers as the services give them: the year and the id.
    Matter.objects.filter(number__startswith="demo-").update(number=Concat(
        Value(str(YEAR)), LPad(Cast("id", CharField()), 8, Value("0"))))
    assert matters[0].pk, "bulk inserts return ids on SQLite 3.35+ and PostgreSQL"
    rows = []
    for matter, matter_steps in zip(matters, steps, strict=True):
        for action, from_status, to_status, at, from_level, to_level, reason in matter_steps:
            rows.append(Transition(matter_id=matter.pk, action=action, from_status=from_status, to_status=to_status,
                                   from_level=from_level, to_level=to_level, actor_label="demo",
                                   reason=reason, at=at))
    Transition.objects.bulk_create(rows, batch_size=5000)
    ctx.log(f"  {len(matters):,} matters of {YEAR} ({DISPUTES_SCREENED:,} disputes), {len(rows):,} timeline rows")
    return matters


def _chain(grid, ctx):
    village = ctx.villages.get(grid.code[:12])
    township = ctx.townships.get(grid.code[:9])
    return ctx.county, township, village


_LEVELS = [Level.GRID, Level.VILLAGE, Level.TOWNSHIP, Level.COUNTY, Level.DEPARTMENT]


def _steps(rng, matter, final, calendar):
    """The timeline of a matter solved at `final`: report, accept, escalations, assign, resolve, follow-up, close."""
    at = matter.reported_at
    steps = [(Action.REPORT, "", Status.REPORTED, at, "", Level.GRID, "")]

    def later(hours_low, hours_high):
        nonlocal at
        at = at + dt.timedelta(hours=rng.uniform(hours_low, hours_high))
        return at

    steps.append((Action.ACCEPT, Status.REPORTED, Status.ACCEPTED, later(0.5, 20), Level.GRID, Level.GRID, ""))
    level = Level.GRID
    while level != final:
        up = _LEVELS[_LEVELS.index(level) + 1]
        steps.append((Action.ESCALATE, Status.ACCEPTED, Status.REPORTED, later(24, 96), level, up,
                      "本级无法解决，上报"))
        steps.append((Action.ACCEPT, Status.REPORTED, Status.ACCEPTED, later(1, 20), up, up, ""))
        level = up
    steps.append((Action.ASSIGN, Status.ACCEPTED, Status.HANDLING, later(1, 8), level, level, ""))
    steps.append((Action.RESOLVE, Status.HANDLING, Status.RESOLVED, later(24, 24 * 12), level, level, matter.result))
    steps.append((Action.FOLLOW_UP, Status.RESOLVED, Status.FOLLOWED_UP, later(24, 24 * 6), level, level, ""))
    reason = "当事人诉求超出政策范围，已解释" if matter.satisfaction == Satisfaction.UNSATISFIED else ""
    closed = later(0.1, 4)
    steps.append((Action.CLOSE, Status.FOLLOWED_UP, Status.CLOSED, closed, level, level, reason))
    return steps, closed


def _open_now(ctx) -> None:
    """A few dozen matters open today, through the services, so the work lists and the board are live."""
    rng = ctx.rng
    grids = sorted(ctx.grids.values(), key=lambda g: g.code)
    now = clock.now()
    categories = defaultdict(list)
    for category in Category.objects.filter(is_active=True).order_by("code"):
        categories[category.type].append(category)
    opened = 0
    for days_ago in (0, 1, 2, 3, 5, 8, 13, 21):
        for _i in range(5):
            grid = rng.choice(grids)
            reported = now - dt.timedelta(days=days_ago, hours=rng.uniform(0, 6))
            type_ = rng.choice([MatterType.DEMAND, MatterType.HAZARD, MatterType.SUGGESTION, MatterType.OTHER])
            category = rng.choice(categories[type_])
            matter = services.matter_report(actor=None, grid=grid, type=type_, source=_weighted(rng, SOURCES),
                                            title=rng.choice(TITLES.get(category.code, ["其他事项"])),
                                            category=category, reported_at=reported)
            if rng.random() < 0.7:
                matter = services.transition(actor=None, matter=matter, action=Action.ACCEPT,
                                             at=reported + dt.timedelta(hours=2))
            opened += 1
    result = sweep(CLOCK)
    ctx.log(f"  {opened} matters open now; {result}")
