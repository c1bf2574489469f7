"""Demo step: people on every association and a year of meetings (2010).

Each of the 274 promotion associations (village or community) gets a president, a vice-president, a
secretary and two officers, new people drawn like the teams' names, and as members the promoters of the
village's grids (the same teams.Member records: a member may be both). Each of the 21 general associations
(township) gets a president, two vice-presidents, a secretary and two officers, and as members the presidents
of its villages' associations. Meetings: quarterly in each village (15 March, June, September, December),
monthly in each township (the 25th: the 10th is the townships' no-meeting day). Officers are in post from
1 January 2010, promoters from the day the grids were drawn; a meeting lists its officers by name and counts
the members and guests present.
Loaded in bulk through `services.associations_load` (one audit event).
"""
import datetime as dt

from shuanglian.associations.choices import Post
from shuanglian.associations.services import associations_load
from shuanglian.demo.builders.teams import GIVEN, SURNAMES
from shuanglian.demo.figures import GRIDDED
from shuanglian.divisions.choices import Level
from shuanglian.teams.choices import Category, TeamRole
from shuanglian.teams.models import Membership

FOUNDED = dt.date(2010, 1, 1)
# Disjoint from the teams demo's prefixes, so no new person takes a team member's phone.
PHONE_PREFIXES = ("130", "131", "132", "136", "150", "151", "152", "186", "187")
VILLAGE_OFFICERS = [(Post.PRESIDENT, Category.VILLAGE_CADRE), (Post.VICE_PRESIDENT, Category.NOTABLE),
                    (Post.SECRETARY, Category.VILLAGE_CADRE), (Post.OFFICER, Category.FIVE_ELDERS),
                    (Post.OFFICER, Category.SAFETY_ACTIVIST)]
TOWNSHIP_OFFICERS = [(Post.PRESIDENT, Category.TOWNSHIP_CADRE), (Post.VICE_PRESIDENT, Category.TOWNSHIP_CADRE),
                     (Post.VICE_PRESIDENT, Category.RETIRED_CADRE), (Post.SECRETARY, Category.TOWNSHIP_CADRE),
                     (Post.OFFICER, Category.POLICE), (Post.OFFICER, Category.VETERAN_PARTY_MEMBER)]
TOPICS = ["矛盾纠纷排查", "平安创建工作部署", "季度工作总结", "重点人员帮扶", "防汛防台安全", "综治宣传月活动",
          "网格走访情况通报", "信访苗头分析", "调解案例交流", "年度平安考评"]
DECISIONS = ["各网格本月完成一次全面走访", "排查出的纠纷三日内登记调处", "重点户由促进员包户联系",
             "下次会议通报整改情况", "组织一次法制宣传", "对困难户开展帮扶"]


def _plan(ctx, promoters: dict[int, list[int]]) -> tuple[list, list, list]:
    rng = ctx.rng
    people, posts, meetings, phones = [], [], [], set()

    def person(category) -> int:
        while True:
            number = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
            if number not in phones:
                phones.add(number)
                break
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        people.append({"name": name, "phone": number, "category": category})
        return len(people) - 1

    def meeting(association, held_on, listed: list[dict], count: int):
        meetings.append({"association": association, "held_on": held_on, "topic": rng.choice(TOPICS),
                         "attendees": listed, "attendee_count": count,
                         "minutes": f"{held_on:%Y年%m月%d日}召开会议，通报近期工作，研究下一步安排。",
                         "decisions": rng.sample(DECISIONS, rng.choice((1, 2, 3)))})

    village_presidents: dict[int, list[int]] = {}
    # Villages first: a general association's members are its villages' presidents.
    for association in sorted(ctx.associations.values(),
                              key=lambda a: (a.division.level == Level.TOWNSHIP, a.division.code)):
        division = association.division
        general = division.level == Level.TOWNSHIP
        officers = []
        for post, category in TOWNSHIP_OFFICERS if general else VILLAGE_OFFICERS:
            ref = {"person": person(category)}
            officers.append(ref)
            posts.append({"association": association, "post": post, "started_on": FOUNDED, **ref})
            if post == Post.PRESIDENT and not general:
                village_presidents.setdefault(division.parent_id, []).append(ref["person"])
        if general:
            members = [{"person": i} for i in village_presidents.get(division.pk, [])]
        else:
            members = [{"member_id": m} for m in promoters.get(division.pk, [])]
        posts += [{"association": association, "post": Post.MEMBER, "started_on": GRIDDED, **m} for m in members]
        months = range(1, 13) if general else (3, 6, 9, 12)
        for month in months:
            held_on = dt.date(2010, month, 25 if general else 15)
            # The officers are listed by name; members present and guests are counted only (the minutes of a
            # village meeting seldom list every promoter, and 17,000 attendance rows would slow the demo).
            present = sum(rng.random() < 0.8 for _ in members) if held_on >= GRIDDED else 0
            meeting(association, held_on, officers, len(officers) + present + rng.randrange(0, 4))
    return people, posts, meetings


def build(ctx):
    promoters: dict[int, list[int]] = {}
    for village_id, member_id in (Membership.objects.filter(role=TeamRole.PROMOTER, ended_on__isnull=True)
                                  .order_by("grid_id").values_list("village_id", "member_id")):
        promoters.setdefault(village_id, []).append(member_id)
    people, posts, meetings = _plan(ctx, promoters)
    counts = associations_load(actor=None, people=people, posts=posts, meetings=meetings)
    ctx.data["associations.counts"] = counts
    ctx.log(f"  {counts['associations']} associations, {counts['people']:,} officers, {counts['posts']:,} posts, "
            f"{counts['meetings']:,} meetings in 2010")
