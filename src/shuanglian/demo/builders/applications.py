"""Demo step: the seed's full-process service network, its catalog, a year 2010 of applications and a few
open today.

The network has the seed's figures: 21 service centers (one per township, each linked to the township's
便民服务中心 organization), 297 agent points and 538 full-time staff. The glossary has one agent point per
village, but 2010 counts 271 villages and 3 communities, 274. The other 23 are second points in the 23
villages formed by merging the most villages: after the 2010 restructuring such a village kept a point at
the office of a former village (named after it, e.g. 周家村（原上坞村）代办点), so the people of the
merged-away village still hand in applications without walking to the new village seat. Each agent point
has one full-time agent (代办员); the centers share the other 241, by how many villages they serve.

Points, staff and catalog go through the services (audited); the year is written in bulk (applications_year);
the open applications of today through application_accept and transition, so queues and the supervision
board are live.
"""
from __future__ import annotations

import datetime as dt
from functools import partial

from shuanglian.applications import services
from shuanglian.applications.choices import AcceptedAt, Action, NotifiedBy, PointKind
from shuanglian.applications.models import ServicePoint
from shuanglian.core import clock
from shuanglian.demo.builders import applications_catalog, applications_year
from shuanglian.demo.names import apportion
from shuanglian.divisions.models import Division

CENTERS = 21
AGENT_POINTS = 297
STAFF = 538
CENTER_MINIMUM = 6  # full-time staff of the smallest center
CENTER_HOURS = "周一至周五 8:30-12:00，14:00-17:30（夏令时 14:30-18:00）；节假日值班电话见公示栏"
AGENT_HOURS = "周一至周五 8:30-11:30，14:00-17:00；农忙时节可预约上门代办"
CENTER_POSITIONS = ("主任", "副主任", "综合受理窗口", "民政窗口", "社保窗口", "新农合窗口", "计生窗口", "国土村建窗口",
                    "农业窗口", "残联窗口", "户籍代办窗口", "咨询引导", "综合受理窗口", "民政窗口", "社保窗口", "新农合窗口")
DEMO_TOWNSHIP = "330803001"  # 樟潭街道, where the demo accounts work


def build(ctx):
    points = build_network(ctx)
    items = applications_catalog.build(ctx)
    year = applications_year.build(ctx, points, items)
    opened = open_today(ctx, points, items)
    centers = sum(p.kind == PointKind.CENTER for p in points)
    ctx.data["services.points"] = points
    ctx.log(f"  {centers} service centers, {len(points) - centers} agent points, {year['staff']} full-time staff, "
            f"{len(items)} service items")
    ctx.log(f"  {year['applications']:,} applications of {applications_year.YEAR} ({year['replied']:,} replied, "
            f"{year['refused']} refused, {year['returned']} returned; {year['on_time_rate']:.1%} on time), "
            f"{year['transitions']:,} timeline rows, {year['complaints']} complaints; {opened} open today")


def _second_point_villages(ctx, count: int) -> list[tuple[Division, Division]]:
    """(current village, merged-away village whose office keeps a point) for the `count` villages formed by
    merging the most villages; ties go to the lower code. The former village is the first merged away."""
    merged: dict[int, list[Division]] = {}
    retired = Division.objects.filter(pk__in=[d.pk for d in ctx.retired_villages.values()], successor__isnull=False)
    for old in retired.order_by("code"):
        merged.setdefault(old.successor_id, []).append(old)
    current = {v.pk: v for v in ctx.villages.values()}
    ranked = sorted((v for v in merged if v in current), key=lambda pk: (-len(merged[pk]), current[pk].code))
    return [(current[pk], merged[pk][0]) for pk in ranked[:count]]


def build_network(ctx, *, agent_points: int = AGENT_POINTS, staff: int = STAFF) -> list[ServicePoint]:
    """A center per township, an agent point per village (plus the second points) and the full-time staff,
    through services.service_points_load (the rules of one-by-one creation, one audit event)."""
    rng = ctx.rng
    townships = sorted(ctx.townships.items())
    points = [{"division": township, "kind": PointKind.CENTER, "name": f"{township.name}便民服务中心",
               "organization": ctx.service_centers.get(code), "opening_hours": CENTER_HOURS,
               "phone": f"0570-{rng.randrange(2800000, 2899999)}", "address": f"{township.name}人民政府一楼"}
              for code, township in townships]
    seconds = _second_point_villages(ctx, agent_points - len(ctx.villages))
    rows = [(v, f"{v.name}代办点", f"{v.name}村委会办公楼") for _, v in sorted(ctx.villages.items())]
    rows += [(v, f"{v.name}（原{old.name}）代办点", f"原{old.name}村委会") for v, old in seconds]
    points += [{"division": village, "kind": PointKind.AGENT_POINT, "name": name, "opening_hours": AGENT_HOURS,
                "address": address} for village, name, address in rows]
    # Staff: one agent per agent point, the rest over the centers by how many points they serve.
    center_of = {code: i for i, (code, _) in enumerate(townships)}
    served = [1 + sum(village.code[:9] == code for village, _, _ in rows) for code, _ in townships]
    per_center = apportion(staff - len(rows), served, minimum=CENTER_MINIMUM)
    demo_user = ctx.users.get("demo_service")
    name = partial(applications_year.person, rng)
    posts = []
    for (code, _), n in zip(townships, per_center, strict=True):
        for i in range(n):
            post = {"point": center_of[code], "name": name(), "position": CENTER_POSITIONS[i % len(CENTER_POSITIONS)]}
            if code == DEMO_TOWNSHIP and i == 2 and demo_user is not None:  # the demo service account's window
                post.update(name=demo_user.full_name, user=demo_user)
            posts.append(post)
    posts += [{"point": len(townships) + i, "name": name(), "position": "代办员"} for i in range(len(rows))]
    return services.service_points_load(actor=None, points=points, staff=posts)


def open_today(ctx, points, items) -> int:
    """Applications accepted over the last four weeks and still open (or just replied), through the services:
    half at the demo township's points (the demo accounts' queues), half elsewhere; some overdue."""
    rng = ctx.rng
    now = clock.now()
    township = ctx.townships.get(DEMO_TOWNSHIP)
    local = [p for p in points if township is not None and p.township_id == township.pk]
    others = [p for p in points if p not in local]
    clerk = ctx.users.get("demo_service")  # on duty at the demo township's center
    opened = 0
    for days_ago in (0, 0, 1, 1, 2, 3, 4, 6, 7, 9, 11, 14, 18, 21, 25, 28):
        for pool in (local or others, others):
            point = rng.choice(pool)
            item = rng.choice([i for i in items if point.kind == PointKind.CENTER or i.accepted_at == AcceptedAt.ANY])
            actor = clerk if point in local and point.kind == PointKind.CENTER else None
            accepted = now - dt.timedelta(days=days_ago, hours=rng.uniform(0, 5))
            app = services.application_accept(actor=actor, item=item, point=point, applicant_name=applications_year.person(rng),
                                              applicant_phone=applications_year.phone(rng), at=accepted)
            opened += _move(app, actor, rng, accepted, days_ago)
    return opened


def _move(app, actor, rng, accepted, days_ago) -> int:
    """Take a fresh application some way along its workflow; 1 if it is still open."""
    def step(action, hours, **kw):
        nonlocal app
        app = services.transition(actor=actor if action != Action.FORWARD else None, application=app,
                                  action=action, at=accepted + dt.timedelta(hours=hours), **kw)

    if days_ago == 0:
        return 1  # accepted today: waiting at the counter's queue
    if app.point.kind == PointKind.AGENT_POINT:
        step(Action.FORWARD, 2)
    step(Action.HANDLE, 4)
    roll = rng.random()
    if roll < 0.2 and days_ago >= 3:
        step(Action.REQUEST_MATERIALS, 24, missing=list(app.item.materials[-2:]) or ["补充说明"])
    elif roll < 0.35 and days_ago >= 2:
        step(Action.REPLY, 24 * min(days_ago, 3), result=f"{app.item.name}已办结", notified_by=NotifiedBy.PHONE,
             satisfaction="satisfied")
        return 0
    return 1
