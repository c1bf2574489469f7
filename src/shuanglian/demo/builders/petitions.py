"""Demo: the petitions of 2009 and 2010, so that the statistics for the county give the seed's figures.

2010: 2,637 received (-16.3% on 3,150 in 2009); to Beijing 24 batches / 30 person-times (40 / 69 in
2009); to the province 39 / 76 (74 / 224 in 2009); 60 backlog cases, 52 closed, 46 with a withdrawal
pledge, against the provincial standard of 60%.

The year's petitions are written in bulk (they are history: each closed, or not accepted, with its
timeline rows saying whether each stage ended within its limit); petitioners are drawn from the archives
(a fifth are named petitioners not in them). A group visit is one batch: a batch's person-times are
spread so that the batches and person-times above add up exactly. Then a few dozen petitions received in
the last weeks go through the services, so the register and the clocks are live today.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from shuanglian.archives.generate import GIVEN, SURNAMES
from shuanglian.archives.models import Person
from shuanglian.core import audit, clock
from shuanglian.core.bulk import copy_or_insert
from shuanglian.core.calendar import WorkCalendar, work_calendar
from shuanglian.core.deadlines import sweep
from shuanglian.petitions import deadlines, services
from shuanglian.petitions.choices import Action, Category, Channel, Lodged, Outcome, Status
from shuanglian.petitions.models import (
    BacklogCase,
    BacklogStandard,
    Petition,
    Representative,
    Subject,
    Transition,
)

YEARS = {
    2009: {"received": 3150, "beijing": (40, 69), "province": (74, 224)},
    2010: {"received": 2637, "beijing": (24, 30), "province": (39, 76)},
}
BACKLOG = {"year": 2010, "cases": 60, "closed": 52, "pledged": 46}
STANDARDS = {2009: "0.60", 2010: "0.60"}
CITY_SHARE = 0.03  # lodged at the city and transferred back
CHANNELS = ((Channel.VISIT, 42), (Channel.LETTER, 30), (Channel.PHONE, 12), (Channel.ONLINE, 13), (Channel.FAX, 3))
CATEGORIES = ((Category.COMPLAINT, 68), (Category.SUGGESTION, 14), (Category.ACCUSATION, 18))
SUBJECTS = (("征地拆迁", Category.COMPLAINT), ("劳动和社会保障", Category.COMPLAINT), ("城乡建设", Category.COMPLAINT),
            ("环境保护", Category.COMPLAINT), ("涉法涉诉", Category.COMPLAINT), ("农村农业", Category.COMPLAINT),
            ("教育卫生", Category.COMPLAINT), ("民政优抚", Category.COMPLAINT), ("企业改制", Category.COMPLAINT),
            ("干部作风", Category.ACCUSATION), ("村务财务", Category.ACCUSATION), ("发展建议", Category.SUGGESTION))
SUMMARIES = {
    "征地拆迁": "反映征地补偿款未足额发放", "劳动和社会保障": "要求落实养老保险待遇", "城乡建设": "反映违章建筑影响通行",
    "环境保护": "反映企业排污影响农田", "涉法涉诉": "对法院判决执行不满", "农村农业": "反映土地承包经营权纠纷",
    "教育卫生": "反映学校周边卫生问题", "民政优抚": "要求享受优抚待遇", "企业改制": "要求解决改制企业职工安置",
    "干部作风": "举报村干部作风粗暴", "村务财务": "举报村集体资金使用不公开", "发展建议": "建议修建村级文化礼堂",
}
MAJOR_CASES = ("铀矿公司相关群众信访问题", "某学校公共卫生事件引发的群体信访")
LEADERS = ("县委副书记 周建国", "副县长 王志强", "县政法委书记 陈立平", "县人大常委会副主任 李明华",
           "县纪委副书记 张卫东", "副县长 刘春梅")
OPEN_NOW = 36


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _name(rng) -> str:
    return SURNAMES[rng.randrange(len(SURNAMES))] + GIVEN[rng.randrange(len(GIVEN))][:2]


def spread(rng, batches: int, person_times: int) -> list[int]:
    """`person_times` over `batches` batches, each at least 1, larger groups rare: adds up exactly."""
    if batches == 0:
        return []
    if person_times < batches:
        raise ValueError(f"{person_times} person-times cannot fill {batches} batches")
    sizes = [1] * batches
    for _i in range(person_times - batches):
        # Some batches draw the extra people (group visits), others stay single petitioners.
        sizes[rng.randrange(max(1, batches // 3))] += 1
    rng.shuffle(sizes)
    return sizes


def _petitioners(county, rng, n: int) -> list[tuple[int, str, int | None]]:
    """About `n` (person id, name, village id) drawn from the county's archives by random ids (one query a chunk)."""
    bounds = Person.objects.filter(county=county).aggregate(lo=Min("pk"), hi=Max("pk"))
    if bounds["lo"] is None:
        return []
    ids = sorted({rng.randint(bounds["lo"], bounds["hi"]) for _i in range(n)})
    found = []
    for i in range(0, len(ids), 900):
        found += list(Person.objects.filter(pk__in=ids[i:i + 900], county=county)
                      .values_list("pk", "name", "village_id"))
    return found


def _subjects() -> dict[str, Subject]:
    have = {s.name: s for s in Subject.objects.filter(name__in=[n for n, _c in SUBJECTS])}
    missing = [Subject(name=n, category=c) for n, c in SUBJECTS if n not in have]
    Subject.objects.bulk_create(missing)
    return {s.name: s for s in Subject.objects.filter(name__in=[n for n, _c in SUBJECTS])}


def _moment(day: dt.date, hour: int, tz) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)), tz)


@transaction.atomic
def build(ctx, *, years: dict | None = None, backlog: dict | None = None, open_now: int = OPEN_NOW) -> dict:
    """Petitions of each year in `years` (received, (batches, person-times) to Beijing and the province), the
    backlog cases in `backlog`, and `open_now` petitions received lately. Returns the counts written."""
    rng, years, backlog = ctx.rng, years or YEARS, backlog or BACKLOG
    villages: Sequence = sorted(ctx.villages.values(), key=lambda v: v.code)
    by_id = {v.pk: v for v in villages}
    subjects = _subjects()
    wanted = sum(y["received"] for y in years.values())
    people = [p for p in _petitioners(ctx.county, rng, wanted) if p[2] in by_id]
    tz = timezone.get_current_timezone()
    handlers = sorted(ctx.departments.values(), key=lambda o: o.pk) if ctx.departments else []
    written, timeline, representatives = 0, [], []
    calendar = work_calendar(range(min(years) - 1, max(years) + 2))
    stamp = _stamp()
    for year, spec in sorted(years.items()):
        plan = []
        for lodged, key in ((Lodged.BEIJING, "beijing"), (Lodged.PROVINCE, "province")):
            plan += [(lodged, size) for size in spread(rng, *spec[key])]
        local = spec["received"] - len(plan)
        if local < 0:
            raise ValueError(f"{year}: more batches above than petitions received")
        plan += [(Lodged.CITY if rng.random() < CITY_SHARE else Lodged.COUNTY, 1 if rng.random() < 0.9 else
                  rng.randint(2, 12)) for _i in range(local)]
        days = sorted(dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365)) for _i in plan)
        rng.shuffle(plan)
        rows = []
        for seq, ((lodged, size), received_on) in enumerate(zip(plan, days, strict=True), start=1):
            category = _weighted(rng, CATEGORIES)
            names = [n for n, c in SUBJECTS if c == category]
            subject = subjects[rng.choice(names)]
            person = rng.choice(people) if people and rng.random() < 0.8 else None
            village = by_id[person[2]] if person else rng.choice(villages)
            channel = Channel.VISIT if lodged != Lodged.COUNTY or size > 1 else _weighted(rng, CHANNELS)
            registered = _moment(received_on + dt.timedelta(days=rng.choice((0, 0, 1, 2))), 10, tz)
            routed = registered + dt.timedelta(days=rng.randint(1, 10))
            refused = rng.random() < 0.05
            petition = Petition(
                number=services.NUMBER_FORMAT.format(year=year, seq=seq), year=year, channel=channel,
                category=category, subject=subject, lodged_at=lodged, received_on=received_on,
                registered_at=registered, summary=SUMMARIES[subject.name], content=SUMMARIES[subject.name] + "。",
                person_id=person[0] if person else None, petitioner_name=person[1] if person else _name(rng),
                person_times=size, handling_organization=rng.choice(handlers) if handlers else None,
                status=Status.NOT_ACCEPTED if refused else Status.CLOSED, routed_at=routed,
                division=village, county=ctx.county, township_id=village.parent_id, village=village)
            if not refused:
                petition.accepted_at = routed + dt.timedelta(days=rng.randint(1, 12))
                petition.replied_at = petition.accepted_at + dt.timedelta(days=rng.randint(10, 62))
                petition.outcome = _weighted(rng, ((Outcome.SUPPORT, 35), (Outcome.EXPLAIN, 50),
                                                   (Outcome.NOT_SUPPORT, 15)))
                petition.reply_request, petition.reply_facts = petition.summary, "经调查核实，情况基本属实。"
                petition.reply_reasons, petition.reply_basis = "依据有关政策规定处理。", "《信访工作条例》第三十二条"
                petition.closed_at = petition.replied_at + dt.timedelta(days=31)
            else:
                petition.closed_at = routed + dt.timedelta(days=rng.randint(1, 12))
            rows.append(petition)
        Petition.objects.bulk_create(rows, batch_size=1000)
        written += len(rows)
        for petition in rows:
            timeline += _history(petition, calendar, stamp)
            if petition.person_times > 1 and petition.channel == Channel.VISIT:
                representatives += [Representative(petition_id=petition.pk, name=_name(rng))
                                    for _i in range(min(5, petition.person_times))]
    # Below the ORM (core.bulk): preparing each value in bulk_create took most of the step.
    assert {f.column for f in Transition._meta.concrete_fields if not f.primary_key} == set(TRANSITION_COLUMNS)
    copy_or_insert(Transition._meta.db_table, TRANSITION_COLUMNS, timeline)
    Representative.objects.bulk_create(representatives, batch_size=2000)
    for year, rate in STANDARDS.items():
        BacklogStandard.objects.update_or_create(year=year, defaults={"rate": rate})
    cases = _backlog(ctx, rng, backlog, villages)
    audit.record(actor=None, action="petitions.demo", object_type="petitions.petition",
                 object_repr=f"{written} petitions, {cases} backlog cases",
                 after={"petitions": written, "backlog_cases": cases, "transitions": len(timeline)})
    opened = _open_now(ctx, rng, villages, subjects, open_now)
    ctx.log(f"  {written} petitions of {', '.join(map(str, sorted(years)))}, {cases} backlog cases, {opened} open now")
    return {"petitions": written, "backlog_cases": cases, "open_now": opened}


TRANSITION_COLUMNS = ["petition_id", "action", "from_status", "to_status", "actor_id", "actor_label", "reason",
                      "details", "at"]


def _stamp():
    """An aware time -> what a DateTimeField column takes below the ORM: itself on PostgreSQL; on SQLite the
    naive text in the database's time zone that Django's own adapter writes."""
    if connection.vendor == "postgresql":
        return lambda moment: moment
    db_tz = connection.timezone
    return lambda moment: str(moment.astimezone(db_tz).replace(tzinfo=None))


def _history(petition: Petition, calendar: WorkCalendar, stamp) -> list[tuple]:
    """The timeline rows (TRANSITION_COLUMNS) of a petition closed in the past; each stage's end says if it
    was within its limit."""
    def row(action, before, after, at, due=None):
        details = {} if due is None else {"due": due.isoformat(), "on_time": at <= due}
        return (petition.pk, str(action), str(before), str(after), None, "demo", "", json.dumps(details), stamp(at))

    route_due = deadlines.deadline_for(Status.REGISTERED, deadlines.route_clock_start(petition), calendar=calendar)
    notice_due = deadlines.deadline_for(Status.ROUTED, petition.routed_at, calendar=calendar)
    out = [row("register", "", Status.REGISTERED, petition.registered_at),
           row(Action.ROUTE, Status.REGISTERED, Status.ROUTED, petition.routed_at, route_due)]
    if petition.status == Status.NOT_ACCEPTED:
        return out + [row(Action.NOT_ACCEPT, Status.ROUTED, Status.NOT_ACCEPTED, petition.closed_at, notice_due)]
    reply_due = deadlines.deadline_for(Status.ACCEPTED, petition.accepted_at, calendar=calendar)
    return out + [row(Action.ACCEPT, Status.ROUTED, Status.ACCEPTED, petition.accepted_at, notice_due),
                  row(Action.REPLY, Status.ACCEPTED, Status.REPLIED, petition.replied_at, reply_due),
                  row(Action.CLOSE, Status.REPLIED, Status.CLOSED, petition.closed_at)]


def _backlog(ctx, rng, spec: dict, villages) -> int:
    """The year's backlog cases: the first `closed` closed, the first `pledged` of them with a pledge."""
    year = spec["year"]
    candidates = list(Petition.objects.filter(year=year, category=Category.COMPLAINT, county=ctx.county)
                      .order_by("received_on", "pk").values_list("pk", "division_id", "summary")[:spec["cases"] * 3])
    by_id = {v.pk: v for v in villages}
    cases, links = [], []
    for i in range(spec["cases"]):
        pk, division_id, summary = candidates[(i * 3) % len(candidates)] if candidates else (None, None, "")
        village = by_id.get(division_id) or rng.choice(villages)
        title = MAJOR_CASES[i] if i < len(MAJOR_CASES) else f"{village.name}{summary}"
        closed = dt.date(year, rng.randint(3, 12), rng.randint(1, 28)) if i < spec["closed"] else None
        cases.append(BacklogCase(
            year=year, title=title[:200], leader=LEADERS[i % len(LEADERS)], target_on=dt.date(year, 12, 31),
            plan="包案领导接访，逐案制定化解方案，明确责任单位和化解时限。", major=i < len(MAJOR_CASES),
            progress="已结案" if closed else "正在化解", closed_on=closed,
            pledged_on=closed if i < spec["pledged"] else None,
            division=village, county=ctx.county, township_id=village.parent_id, village=village))
        links.append(pk)
    BacklogCase.objects.bulk_create(cases)
    through = BacklogCase.petitions.through
    through.objects.bulk_create([through(backlogcase_id=case.pk, petition_id=pk)
                                 for case, pk in zip(cases, links, strict=True) if pk])
    return len(cases)


def _open_now(ctx, rng, villages, subjects, n: int) -> int:
    """Petitions received in the last weeks, through the services, at each stage: the clocks run today."""
    today = clock.today()
    police = ctx.departments.get("public_security") if ctx.departments else None
    handling = police or (next(iter(ctx.departments.values())) if ctx.departments else None)
    for i in range(n):
        village = villages[(i * 7) % len(villages)]
        category = _weighted(rng, CATEGORIES)
        subject = subjects[rng.choice([s for s, c in SUBJECTS if c == category])]
        petition = services.petition_register(
            actor=None, division=village, channel=_weighted(rng, CHANNELS), category=category, subject=subject,
            summary=SUMMARIES[subject.name], content=SUMMARIES[subject.name] + "。", petitioner_name=_name(rng),
            received_on=today - dt.timedelta(days=rng.randint(0, 12)))
        stage = i % 4
        if stage >= 1 and handling is not None:
            petition = services.transition(actor=None, petition=petition, action=Action.ROUTE, organization=handling)
        if stage >= 2 and handling is not None:
            petition = services.transition(actor=None, petition=petition, action=Action.ACCEPT)
    sweep(deadlines.CLOCK)
    return n

