"""Demo records for contact days and household visits (called by the matters demo step).

`build(ctx, year=2010)` writes, for each month of the year:

- every township's township-village contact day (the 10th) and the county's county-township day (the
  20th), on the dates the rule gives (schedule.scheduled_day), held when the date has passed,
  with a summary;
- their attendance: township cadres on the 10th; on the 20th county leaders, members of the county
  departments and the legal liaison (police, a judge, a lawyer), nearly all present;
- the 10th's visit logs: cadres going out to three to six villages of their township;

and household visits across the district: every active household visited about once a quarter by
its grid team, some twice, from the day the grids were drawn (2010-03-01 in the demo: March is the
first round, when the teams went to every door) to the end of the year (or today), so the coverage
pages look like a district that keeps in regular contact: some 86% of households a quarter, a third
a month.

Bulk writes (bulk_create for the few thousand contact-day rows; multi-row INSERT or COPY for the
visits), one audit event for the lot, no per-row services: 115,390 households give some 400,000 visits. Randomness comes from ctx.rng_for("matters.contact:<year>"), so
the figures do not depend on what the calling step drew before.

Returns the contact days keyed by (division code, date), so the matters demo can link the matters
raised on a contact day or escalated to a 20th.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import connection

from shuanglian.access.roles import Role
from shuanglian.accounts.models import Grant
from shuanglian.archives.generate import GIVEN, SURNAMES
from shuanglian.archives.importing import BULK_INDEX_REBUILD, _bulk_load
from shuanglian.archives.models import Household
from shuanglian.core import audit, clock
from shuanglian.core.calendar import work_calendar
from shuanglian.organizations.choices import Function
from shuanglian.outreach.choices import AttendeeRole, ContactDayKind
from shuanglian.outreach.models import ContactDay, ContactDayAttendee, ContactDayVisit, Visit
from shuanglian.outreach.schedule import scheduled_day

BATCH = 5000
QUARTER_VISIT = 0.86  # chance a household is visited in a given quarter (or the part of it after gridding)
EXTRA_VISIT = 0.05  # chance of one more visit in that quarter (a follow-up, a festival call)

VISIT_NOTES = ("了解家庭生产生活情况", "宣传惠民政策", "走访慰问，听取意见建议", "核对民情档案信息",
               "了解子女就学和老人赡养情况", "宣传平安建设和防火防汛知识", "了解种养殖收成和务工情况",
               "调解邻里小矛盾，已当场化解", "询问低保、医保办理情况", "回访上次反映的问题")
DAY_VISIT_NOTES = ("召开村民座谈会，听取群众意见", "走访困难户和独居老人", "实地查看道路、水利设施",
                   "现场解答群众政策咨询", "排查矛盾纠纷，逐户登记", "与村两委干部共商村级发展")
# County departments that send members to the 20th (the legal liaison departments come as such).
DEPARTMENTS_20TH = (Function.CIVIL_AFFAIRS, Function.HUMAN_RESOURCES, Function.NATURAL_RESOURCES,
                    Function.HEALTH, Function.EDUCATION, Function.PETITION, Function.POLITICAL_LEGAL,
                    Function.ORGANIZATION_DEPT, Function.SHUANGLIAN_OFFICE, Function.CONTACT_DAY_OFFICE)
LEGAL = ((AttendeeRole.POLICE, Function.PUBLIC_SECURITY), (AttendeeRole.JUDGE, Function.COURT),
         (AttendeeRole.LAWYER, Function.JUSTICE))


def _name(rng) -> str:
    given = GIVEN[rng.randrange(len(GIVEN))]
    if rng.random() < 0.6:
        given += GIVEN[rng.randrange(len(GIVEN))]
    return SURNAMES[rng.randrange(len(SURNAMES))] + given[:2]


def _team(rng, n: int) -> list[str]:
    names: list[str] = []
    while len(names) < n:
        name = _name(rng)
        if name not in names:
            names.append(name)
    return names


def _grant_users(ctx, role) -> dict[int, object]:
    """Demo users holding `role`, by the division (or organization) of their grant."""
    users = {u.pk: u for u in ctx.users.values()}
    found = {}
    for user_id, division_id, org_id in Grant.objects.filter(user_id__in=users, role=role, revoked_at__isnull=True) \
            .values_list("user_id", "division_id", "organization_id"):
        found[division_id or org_id] = users[user_id]
    return found


def build(ctx, year: int = 2010) -> dict[tuple[str, dt.date], ContactDay]:
    rng = ctx.rng_for(f"matters.contact:{year}")
    today = clock.today()
    calendar = work_calendar(years=range(year, year + 1))
    county, townships = ctx.county, dict(sorted(ctx.townships.items()))
    villages_of = defaultdict(list)
    for code, village in sorted(ctx.villages.items()):
        villages_of[code[:9]].append(village)

    # ---- the days
    existing = {(d.division_id, d.kind, d.date): d for d in ContactDay.objects.filter(date__year=year)}
    planned: list[ContactDay] = []
    for month in range(1, 13):
        ten = scheduled_day(ContactDayKind.TOWNSHIP_VILLAGE, year, month, calendar).date
        twenty = scheduled_day(ContactDayKind.COUNTY_TOWNSHIP, year, month, calendar).date
        for township in townships.values():
            planned.append(ContactDay(division=township, county=county, township=township,
                                      kind=ContactDayKind.TOWNSHIP_VILLAGE, date=ten,
                                      agenda="乡镇干部进村入户，听民情、解民忧、化矛盾"))
        planned.append(ContactDay(division=county, county=county, kind=ContactDayKind.COUNTY_TOWNSHIP, date=twenty,
                                  agenda="研究解决乡镇上报的民情事项；政法部门联系片参加"))
    new = [d for d in planned if (d.division_id, d.kind, d.date) not in existing]
    ContactDay.objects.bulk_create(new, batch_size=BATCH)
    days = [existing.get((d.division_id, d.kind, d.date), d) for d in planned]

    # ---- attendance and the 10th's visits (only for the days written now)
    township_users = _grant_users(ctx, Role.TOWNSHIP_CADRE)
    county_users = _grant_users(ctx, Role.COUNTY_OFFICE)
    police_users = _grant_users(ctx, Role.DEPARTMENT_MEMBER)
    cadres = {code: _team(rng, rng.randint(5, 8)) for code in townships}
    leaders = _team(rng, 4)
    staff = {function: _team(rng, 2) for function in (*DEPARTMENTS_20TH, *(f for _, f in LEGAL))}
    lawyers = _team(rng, 3)
    attendees, visits = [], []
    for day in new:
        held = day.date <= today
        if day.kind == ContactDayKind.TOWNSHIP_VILLAGE:
            township = day.division
            team = rng.sample(cadres[township.code], rng.randint(3, min(6, len(cadres[township.code]))))
            user = township_users.get(township.pk)
            for name in team:
                attendees.append(ContactDayAttendee(contact_day=day, name=name, role=AttendeeRole.CADRE,
                                                    attended=held and rng.random() < 0.94))
            if user is not None:
                attendees.append(ContactDayAttendee(contact_day=day, user=user, name=user.display_name,
                                                    role=AttendeeRole.CADRE, attended=held))
            chosen = rng.sample(villages_of[township.code], min(len(villages_of[township.code]), rng.randint(3, 6)))
            seen = 0
            for village in chosen:
                n = rng.randint(8, 25) if held else 0
                seen += n
                if held:
                    visits.append(ContactDayVisit(contact_day=day, village=village,
                                                  visitors="、".join(rng.sample(team, min(2, len(team)))),
                                                  notes=rng.choice(DAY_VISIT_NOTES), households_visited=n))
            if held:
                day.held = True
                day.summary = f"乡镇干部分{len(chosen)}组进村，走访农户{seen}户，现场收集并登记民情，能当场解决的当场解决。"
        else:
            for name in rng.sample(leaders, 2):
                attendees.append(ContactDayAttendee(contact_day=day, name=name, role=AttendeeRole.LEADER,
                                                    attended=held))
            for user in county_users.values():
                attendees.append(ContactDayAttendee(contact_day=day, user=user, name=user.display_name,
                                                    role=AttendeeRole.CADRE, attended=held))
            sent = rng.sample(DEPARTMENTS_20TH, rng.randint(4, 7))
            for function in sent:
                org = ctx.departments.get(function)
                attendees.append(ContactDayAttendee(contact_day=day, name=rng.choice(staff[function]),
                                                    role=AttendeeRole.DEPARTMENT, organization=org,
                                                    attended=held and rng.random() < 0.95))
            for role, function in LEGAL:
                org = ctx.departments.get(function)
                user = police_users.get(org.pk) if org is not None and role == AttendeeRole.POLICE else None
                name = user.display_name if user is not None else (
                    rng.choice(lawyers) if role == AttendeeRole.LAWYER else rng.choice(staff[function]))
                attendees.append(ContactDayAttendee(contact_day=day, user=user, name=name, role=role,
                                                    organization=org, attended=held and rng.random() < 0.97))
            if held:
                day.held = True
                day.summary = (f"区领导和{len(sent)}个部门、政法部门联系片到场，逐件研究乡镇上报的民情事项，"
                               "明确责任单位和办理时限。")
    ContactDay.objects.bulk_update([d for d in new if d.held], ["held", "summary"], batch_size=BATCH)
    ContactDayAttendee.objects.bulk_create(attendees, batch_size=BATCH)
    ContactDayVisit.objects.bulk_create(visits, batch_size=BATCH)

    # ---- household visits
    n_visits = _household_visits(ctx, rng, year, today)
    audit.record(actor=None, action="matters.contact_demo", object_type="matters.contactday",
                 object_repr=f"contact days and visits {year}",
                 after={"year": year, "contact_days": len(new), "attendees": len(attendees),
                        "contact_day_visits": len(visits), "household_visits": n_visits})
    ctx.log(f"  {len(new)} contact days ({sum(d.held for d in new)} held), {len(attendees):,} attendees, "
            f"{len(visits):,} village visits, {n_visits:,} household visits in {year}")
    result = {(d.division.code, d.date): d for d in days}
    ctx.data[f"matters.contact_days.{year}"] = result
    return result


def _household_visits(ctx, rng, year: int, today: dt.date) -> int:
    """About one visit a quarter to each active household (some two), by its grid team. The rows go in
    as multi-row INSERTs (COPY on PostgreSQL) through the archives' bulk loader, which rebuilds the
    table's indexes once when the load outnumbers what the table holds: building 400,000 model
    instances for bulk_create alone takes over a minute. One random draw decides each visit and its
    day, and the days are formatted once per grid, so the rows cost little to make."""
    first, last = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
    if last < first or Visit.objects.filter(visited_on__gte=first, visited_on__lte=last).exists():
        return 0  # nothing to visit yet, or the year's visits are there: a second run adds none
    grids = {g.pk: g for g in ctx.grids.values()}
    promoters = _grant_users(ctx, Role.GRID_PROMOTER)
    households = list(Household.objects.filter(is_active=True, grid_id__in=list(grids)).order_by("grid_id", "pk")
                      .values_list("pk", "grid_id", "village_id", "township_id", "county_id"))
    quarters = [(dt.date(year, m, 1), dt.date(year + (m + 2) // 12, (m + 2) % 12 + 1, 1) - dt.timedelta(days=1))
                for m in (1, 4, 7, 10)]
    created_at = connection.ops.adapt_datetimefield_value(clock.now())
    spans_from: dict[dt.date, list[list[str]]] = {}  # a grid's first day -> the days of each quarter it saw
    random = rng.random
    notes = len(VISIT_NOTES)
    rows: list[tuple] = []
    team = None
    for household_id, grid_id, village_id, township_id, county_id in households:
        if team is None or team[0] != grid_id:
            promoter = promoters.get(grid_id)
            name = promoter.display_name if promoter is not None else _name(rng)
            start = max(grids[grid_id].valid_from, first)
            if start not in spans_from:
                spans_from[start] = [
                    [(low + dt.timedelta(days=i)).isoformat() for i in range((high - low).days + 1)]
                    for q_start, q_end in quarters
                    for low, high in [(max(q_start, start), min(q_end, last))] if low <= high]
            names = [name, *(f"{name}、{v}" for v in _team(rng, 3))]
            team = (grid_id, names, promoter.pk if promoter is not None else None, spans_from[start])
        _grid, names, promoter_id, spans = team
        for days in spans:
            draw = random()
            if draw >= QUARTER_VISIT:
                continue
            visits = 2 if draw < QUARTER_VISIT * EXTRA_VISIT else 1
            for _ in range(visits):
                pick = random()
                rows.append((grid_id, county_id, township_id, village_id, grid_id, household_id,
                             days[int(pick * len(days))], promoter_id, names[0] if pick < 0.6 else
                             names[1 + int(pick * 1000) % 3], VISIT_NOTES[int(pick * 7919) % notes], created_at))
    existing = Visit.objects.count() if len(rows) >= BULK_INDEX_REBUILD else 0
    _bulk_load(Visit._meta.db_table, ["division_id", "county_id", "township_id", "village_id", "grid_id",
                                      "household_id", "visited_on", "visitor_id", "visitor_names", "notes",
                                      "created_at"], rows, existing)
    return len(rows)
