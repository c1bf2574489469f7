"""Demo: village affairs of 2010. Each village's bodies (a 5-member committee with a woman, a branch of 3, its
representatives at the minimum its archive population asks), the year's two-committee and representatives'
meetings with their quorum and a passed motion, major matters through the five steps, and the disclosure
board with its schedule, so that the statistics for 330803 give the seed's 3,312 joint meetings, 1,889
representatives' meetings and 1,401 matters put to the vote. A few villages lag (reviews answered late,
finances disclosed late); a handful of matters are in progress today at different steps.

Written in bulk (bulk_create, one audit event for the step): what the services would have left, with the
figures checked by the same rules (village_affairs.rules)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count
from django.utils import timezone

from shuanglian.archives.generate import GIVEN, SURNAMES
from shuanglian.archives.models import Person
from shuanglian.core import audit, clock
from shuanglian.core import deadlines as engine
from shuanglian.core.calendar import end_of_day, work_calendar
from shuanglian.core.deadlines import DeadlineState
from shuanglian.village_affairs import procedures, rules, services
from shuanglian.village_affairs.choices import (
    DONE,
    PENDING_SUFFIX,
    BodyKind,
    DisclosureKind,
    MeetingKind,
    PostKind,
)
from shuanglian.village_affairs.models import (
    Decision,
    DecisionStep,
    Disclosure,
    DisclosureDue,
    Meeting,
    Motion,
    Post,
    Representative,
)
from shuanglian.village_affairs.selectors import VILLAGERS

JOINT, REPRESENTATIVES, VOTED = 3312, 1889, 1401
LAGGING = 6  # villages whose reviews come back late and whose finances are posted late
INCOMPLETE = 9  # voted matters whose notice is still to come at the year's end
BATCH = 2000
TOPICS = {
    "land_contracting": ["第二轮土地承包调整方案", "承包地流转统一方案", "土地承包经营权确权方案"],
    "lease": ["村集体山林对外承包", "村办厂房出租", "集体鱼塘发包"],
    "collective_assets": ["旧村委办公楼处置", "集体闲置仓库拍卖", "村集体车辆处置"],
    "public_welfare": ["村道硬化工程", "自来水管网改造", "村文化礼堂建设", "路灯安装工程"],
    "compensation": ["征地补偿款分配方案"],
    "collective_income": ["集体经营收入使用方案"],
}


def _name(rng) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")


def _spread(total: int, order: list) -> dict:
    """`total` shared out over `order` as evenly as it goes, the remainder to the first ones."""
    base, extra = divmod(total, len(order))
    return {key: base + (1 if i < extra else 0) for i, key in enumerate(order)}


def _day(rng, year: int, month: int) -> dt.date:
    return dt.date(year, month, rng.randint(1, 28))


def build(ctx, year: int = 2010, *, joint: int = JOINT, representatives: int = REPRESENTATIVES,
          voted: int = VOTED) -> dict:
    rng = ctx.rng_for(f"village_affairs.demo:{year}")
    villages = [ctx.villages[code] for code in sorted(ctx.villages)]
    order = villages[:]
    rng.shuffle(order)
    # The same order for all three, so a village with an extra vote also has the extra meeting to hold it in.
    joint_of, reps_of, voted_of = (_spread(joint, order), _spread(representatives, order), _spread(voted, order))
    if any(voted_of[v] > reps_of[v] for v in villages):
        raise ValueError("more matters voted than representatives' meetings to vote them in")
    lagging = {v.pk for v in order[-LAGGING:]}
    population = dict(Person.objects.filter(village__in=villages, is_active=True, residence_status__in=VILLAGERS)
                      .order_by().values("village").annotate(n=Count("pk")).values_list("village", "n"))
    scope = {v.pk: {"division": v, "county": ctx.county, "township": ctx.townships[v.code[:9]], "village": v}
             for v in villages}
    term_from = dt.date(year - 2, 3, 1)
    steps = procedures.get(procedures.DEFAULT)["steps"]
    limit = services.review_limit()

    # ---- bodies
    posts, reps = [], []
    members_of = {}
    for v in villages:
        for i, post in enumerate([PostKind.DIRECTOR, PostKind.DEPUTY, PostKind.MEMBER, PostKind.MEMBER,
                                  PostKind.MEMBER]):
            posts.append(Post(body=BodyKind.COMMITTEE, post=post, name=_name(rng), woman=i == 4, held_from=term_from,
                              term_ends=dt.date(term_from.year + rules.TERM_YEARS, 3, 1), **scope[v.pk]))
        for post in (PostKind.SECRETARY, PostKind.DEPUTY, PostKind.MEMBER):
            posts.append(Post(body=BodyKind.PARTY_BRANCH, post=post, name=_name(rng), held_from=term_from,
                              term_ends=dt.date(term_from.year + rules.TERM_YEARS, 3, 1), **scope[v.pk]))
        n = rules.representatives_minimum(population.get(v.pk, 0))
        for i in range(n):
            reps.append(Representative(name=_name(rng), woman=i % 3 == 0, households=rng.randint(8, 15),
                                       held_from=term_from, **scope[v.pk]))
        members_of[v.pk] = n + 5
    Post.objects.bulk_create(posts, batch_size=BATCH)
    Representative.objects.bulk_create(reps, batch_size=BATCH)

    # ---- meetings: joint ones through the year, representatives' ones from February (they vote the matters)
    meetings = []
    for v in villages:
        for k in range(joint_of[v]):
            held = _day(rng, year, 1 + k * 12 // max(joint_of[v], 1))
            present = rng.randint(5, 8)
            q = rules.quorum(MeetingKind.JOINT, present=present, eligible=8)
            meetings.append(Meeting(kind=MeetingKind.JOINT, title="村两委联席会议", held_on=held, place="村委会议室",
                                    eligible=8, present=present, quorate=q.reached, quorum_text=q.text(),
                                    agenda="研究村级重大事项", **scope[v.pk]))
        eligible = members_of[v.pk]
        for k in range(reps_of[v]):
            held = _day(rng, year, 2 + k * 10 // max(reps_of[v], 1))
            present = rng.randint(rules.two_thirds_needed(eligible), eligible)
            q = rules.quorum(MeetingKind.REPRESENTATIVES, present=present, eligible=eligible)
            meetings.append(Meeting(kind=MeetingKind.REPRESENTATIVES, title="村民代表会议", held_on=held,
                                    place="村文化礼堂", eligible=eligible, present=present,
                                    agenda_sent_on=held - dt.timedelta(days=rng.choice([3, 4, 5, 7])),
                                    quorate=q.reached, quorum_text=q.text(), agenda="表决村级重大事项",
                                    **scope[v.pk]))
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    motions = []
    for m in meetings:
        votes_for = rng.randint(rules.more_than_half_needed(m.present), m.present)
        motions.append(Motion(meeting=m, text=m.agenda, votes_for=votes_for, votes_against=m.present - votes_for,
                              passed=True, outcome_text=f"通过：到会{m.present}人，赞成{votes_for}人"))
    Motion.objects.bulk_create(motions, batch_size=BATCH)
    motion_of = {mo.meeting_id: mo for mo in motions}
    joint_by, reps_by = defaultdict(list), defaultdict(list)
    for m in meetings:
        (joint_by if m.kind == MeetingKind.JOINT else reps_by)[m.village_id].append(m)

    # ---- the year's matters: five steps each; a few still to give notice at the year's end
    decisions, plans = [], []
    for v in villages:
        votes = sorted(reps_by[v.pk], key=lambda m: m.held_on)[:voted_of[v]]
        for vote in votes:
            earlier = [m for m in joint_by[v.pk] if m.held_on < vote.held_on - dt.timedelta(days=12)]
            deliberation = max(earlier, key=lambda m: m.held_on) if earlier else min(joint_by[v.pk],
                                                                                       key=lambda m: m.held_on)
            category = rng.choice(list(TOPICS))
            proposed = min(deliberation.held_on, vote.held_on) - dt.timedelta(days=rng.randint(2, 6))
            decisions.append(Decision(title=f"{v.name}{rng.choice(TOPICS[category])}", category=category,
                                      procedure=procedures.DEFAULT, steps=steps, status=DONE, proposed_on=proposed,
                                      voted_on=vote.held_on, completed_on=vote.held_on + dt.timedelta(days=3),
                                      result="已按决议组织实施", reviews_overdue=1 if v.pk in lagging else 0,
                                      **scope[v.pk]))
            plans.append((deliberation, vote))
    for i in rng.sample(range(len(decisions)), min(INCOMPLETE, len(decisions) // 10)):
        decisions[i].status, decisions[i].completed_on, decisions[i].result = "vote", None, ""
    # ---- in progress today, one at each step before the vote
    today = clock.today()
    now = clock.now()
    for i, status in enumerate(["new", "motion", "deliberation", "filing" + PENDING_SUFFIX, "filing"]):
        v = order[i % len(order)]
        d = Decision(title=f"{v.name}{rng.choice(TOPICS['public_welfare'])}", category="public_welfare",
                     procedure=procedures.DEFAULT, steps=steps, status=status,
                     proposed_on=today - dt.timedelta(days=20 - i), **scope[v.pk])
        if status.endswith(PENDING_SUFFIX):
            d.deadline_at = engine.deadline(now, limit.amount, limit.unit)
            d.yellow_at = engine.warning(d.deadline_at, limit.warn_before, limit.unit)
        decisions.append(d)
        plans.append((None, None))
    Decision.objects.bulk_create(decisions, batch_size=BATCH)

    timeline = []
    for d, (deliberation, vote) in zip(decisions, plans, strict=True):
        done = services.done_count(d)
        at = timezone.make_aware(dt.datetime.combine(d.proposed_on, dt.time(10)))
        status = "new"
        for k, spec in enumerate(steps[:done]):
            code = spec["code"]
            day = {"motion": d.proposed_on, "deliberation": deliberation.held_on if deliberation else d.proposed_on,
                   "filing": (deliberation.held_on if deliberation else d.proposed_on) + dt.timedelta(days=1),
                   "vote": d.voted_on, "notice": d.completed_on}[code] or d.proposed_on
            at = max(at, timezone.make_aware(dt.datetime.combine(day, dt.time(10 + k))))
            extra = {}
            if code == "deliberation" and deliberation:
                extra = {"meeting": deliberation, "motion": motion_of[deliberation.pk]}
            if code == "vote" and vote:
                extra = {"meeting": vote, "motion": motion_of[vote.pk]}
            if code == "notice":
                extra = {"on": d.completed_on, "place": "村务公开栏", "text": "表决结果公告"}
            if code == "filing":
                timeline.append(DecisionStep(decision=d, action=code, from_status=status,
                                             to_status=code + PENDING_SUFFIX, actor_label="system", at=at,
                                             text="报乡镇（街道）审核"))
                status = code + PENDING_SUFFIX
                at += dt.timedelta(days=14 if d.reviews_overdue else 3)
                code = "approve"
                to = "filing"
            else:
                to = DONE if k == len(steps) - 1 else code
            timeline.append(DecisionStep(decision=d, action=code, from_status=status, to_status=to,
                                         actor_label="system", at=at, **extra))
            status = to
        if d.status.endswith(PENDING_SUFFIX):
            timeline.append(DecisionStep(decision=d, action="filing", from_status=status, to_status=d.status,
                                         actor_label="system", at=now, text="报乡镇（街道）审核"))
    DecisionStep.objects.bulk_create(timeline, batch_size=BATCH)

    # ---- disclosure: finances monthly, village and party affairs quarterly, each matter after its notice
    items, dues = [], []

    calendar = work_calendar(years=range(year - 1, year + 2))  # once: each look-up would query the holidays

    def due(v, kind, since, posted, decision=None):
        lim = services.DISCLOSURE_LIMITS[kind]
        deadline_at = engine.deadline(end_of_day(since), lim.amount, lim.unit, calendar=calendar)
        late = end_of_day(posted) > deadline_at
        dues.append(DisclosureDue(kind=kind, since=since, decision=decision, deadline_at=deadline_at,
                                  yellow_at=engine.warning(deadline_at, lim.warn_before, lim.unit, calendar=calendar),
                                  met_on=posted,
                                  deadline_state=DeadlineState.RED if late else DeadlineState.OK, **scope[v.pk]))

    for v in villages:
        for kind, months, title in ((DisclosureKind.FINANCE, range(1, 13), "{m}月财务收支公开"),
                                    (DisclosureKind.VILLAGE, (1, 4, 7, 10), "{m}月村务公开"),
                                    (DisclosureKind.PARTY, (1, 4, 7, 10), "{m}月党务公开")):
            since = dt.date(year - 1, 12, 31)
            # Each village posts a kind on the same day of the month, so no gap passes its limit (a month
            # apart is at most 31 days, a quarter at most 92); the lagging ones post two months' finances late.
            day = rng.randint(3, 8)
            for m in months:
                posted = dt.date(year, m, day)
                if v.pk in lagging and kind == DisclosureKind.FINANCE and m in (3, 9):
                    posted = dt.date(year, m, 20)
                items.append(Disclosure(kind=kind, title=title.format(m=m), posted_on=posted, place="村务公开栏",
                                        text="详见公开栏", **scope[v.pk]))
                due(v, kind, since, posted)
                since = posted
    for d in decisions:
        if d.completed_on:
            posted = d.completed_on + dt.timedelta(days=1)
            items.append(Disclosure(kind=DisclosureKind.MAJOR, title=d.title + "实施结果", posted_on=posted,
                                    place="村务公开栏", text=d.result, decision=d, division=d.division,
                                    county=d.county, township=d.township, village=d.village))
            due(d.village, DisclosureKind.MAJOR, d.completed_on, posted, decision=d)
    Disclosure.objects.bulk_create(items, batch_size=BATCH)
    DisclosureDue.objects.bulk_create(dues, batch_size=BATCH)

    summary = {"joint_meetings": joint, "representatives_meetings": representatives, "decisions_voted": voted,
               "decisions_in_progress": 5, "posts": len(posts), "representatives": len(reps),
               "disclosures": len(items), "lagging": sorted(v.code for v in order[-LAGGING:])}
    audit.record(actor=None, action="village_affairs.demo", object_type="village_affairs.decision",
                 object_repr=f"village affairs {year}", after={k: v for k, v in summary.items() if k != "lagging"})
    ctx.log(f"village affairs {year}: {joint} joint meetings, {representatives} representatives' meetings, "
            f"{voted} matters voted")
    return summary
