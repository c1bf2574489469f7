"""Demo, after the teams are loaded: the lecturer group from five county departments, a year (2010) of training
sessions touring all the townships (2-4 each), attendance so that most members are trained, and the whole kit
(五个一) issued to every member. In bulk through `training.training_load` and `kits.kits_load`: a few multi-row
INSERTs and two audit events."""
import datetime as dt
import time
from collections import defaultdict

from shuanglian.organizations.choices import Function
from shuanglian.teams.models import Membership
from shuanglian.teams.services.kits import SCOPE_COLUMNS, kits_load
from shuanglian.teams.services.training import training_load

# department -> (lecturers, topics): the seed's lecturer group drawn from five departments
DEPARTMENTS = {
    Function.POLITICAL_LEGAL: (("吴建平", "徐丽华", "郑国强"), "平安创建, 网格化管理"),
    Function.JUSTICE: (("周明", "林芳", "何志刚"), "人民调解, 法律宣传"),
    Function.PUBLIC_SECURITY: (("陈卫东", "杨静"), "治安防范, 矛盾纠纷排查"),
    Function.PETITION: (("黄建国", "朱文英"), "信访工作, 民情沟通"),
    Function.CIVIL_AFFAIRS: (("刘春梅", "孙德华", "马玉兰"), "村务公开, 民情档案"),
}
TOPICS = ("网格服务团队职责", "矛盾纠纷排查调处", "民情档案记录", "人民调解实务", "平安创建与治安防范",
          "信访与民情沟通日", "村务公开与五步工作法", "为民办事全程服务")
YEAR_START, YEAR_END = dt.date(2010, 4, 1), dt.date(2010, 12, 20)  # after the grids were drawn (2010-03-01)
KITS_ISSUED = dt.date(2010, 3, 15)
ATTEND = 0.6  # each member attends each session of their township with this chance: ~9-20% stay untrained


def plan(ctx, members_by_township: dict[int, list[int]]) -> tuple[list[dict], list[dict]]:
    """The lecturers and the sessions (with trainers as indexes into the lecturers, and the members present)."""
    rng = ctx.rng_for("teams.training")  # its own draws: the teams' stay as they were
    lecturers = [{"name": name, "department": ctx.departments[function], "topics": topics}
                 for function, (names, topics) in DEPARTMENTS.items() for name in names]
    days = (YEAR_END - YEAR_START).days
    sessions = []
    for _code, township in sorted(ctx.townships.items()):
        members = members_by_township.get(township.pk, [])
        for topic in rng.sample(TOPICS, rng.randint(2, 4)):
            sessions.append({
                "township": township, "topic": topic, "held_on": YEAR_START + dt.timedelta(rng.randrange(days)),
                "place": rng.choice((f"{township.name}便民服务中心", f"{township.name}会议室")),
                "trainers": rng.sample(range(len(lecturers)), rng.randint(1, 2)),
                "members": [m for m in members if rng.random() < ATTEND],
            })
    return lecturers, sessions


def build(ctx) -> None:
    started = time.perf_counter()
    posts = list(Membership.objects.filter(township_id__in=[t.pk for t in ctx.townships.values()],
                                           ended_on__isnull=True).order_by("id")
                 .only("id", "member_id", *SCOPE_COLUMNS))
    members: dict[int, dict[int, None]] = defaultdict(dict)  # township -> its members, once each, in order
    for post in posts:
        members[post.township_id][post.member_id] = None
    lecturers, sessions = plan(ctx, {t: list(m) for t, m in members.items()})
    trained = training_load(actor=None, lecturers=lecturers, sessions=sessions)
    issued = kits_load(actor=None, posts=posts, issued_on=KITS_ISSUED)
    ctx.data["teams.training"] = trained
    ctx.log(f"  {trained['lecturers']} lecturers from {len(DEPARTMENTS)} departments, {trained['sessions']} training "
            f"sessions, {trained['attendance']:,} attendances; {issued['members']:,} kits "
            f"({issued['items']:,} items) in {time.perf_counter() - started:.1f}s")
