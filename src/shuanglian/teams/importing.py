"""`shuanglian import-team-members`: team lists from .xlsx or .csv (UTF-8 or GB18030, detected), with the
archives' bad-row rules (core.tabular reads the files and records the bad rows).

Every row is checked before anything is written: unknown grid code (or a grid the importer may not
manage), missing name, bad phone, unknown role or category, bad yes/no or date, a second promoter for a
grid (within the file or against the database), the same person twice on one grid (within the file or
already serving there), a phone recorded for someone of another name. By default any invalid row means
nothing is written; `skip_invalid` writes the valid rows and hands back the rejected ones with reasons.
The write is `services.teams_load`: one transaction (a killed import leaves the database as it was),
set-based inserts, one audit event. A phone already recorded is that member: they get the new post.
"""
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Q
from django.utils.translation import gettext as _

from shuanglian.access.roles import MANAGE_TEAMS
from shuanglian.access.scope import scope_for
from shuanglian.core import clock, pii, tabular
from shuanglian.core.tabular import RowError
from shuanglian.divisions.choices import Level
from shuanglian.divisions.models import Division

from . import services
from .choices import CATEGORY_WORDS, NO_WORDS, ROLE_WORDS, YES_WORDS, Category, TeamRole
from .models import Member, Membership

# Chinese header -> field. The first five are required.
COLUMNS = {
    "网格编码": "grid",
    "姓名": "name",
    "联系电话": "phone",
    "角色": "role",
    "类别": "category",
    "工作单位": "employer",
    "是否事业单位/公职": "public",
    "任职日期": "started_on",
}
HEADERS = {field: header for header, field in COLUMNS.items()}
MAX_LENGTHS = {f: Member._meta.get_field(f).max_length for f in ("name", "employer")}
ALIASES = {"角色(促进员/志愿者)": "角色", "是否公职": "是否事业单位/公职", "是否事业单位": "是否事业单位/公职"}
REQUIRED = ("网格编码", "姓名", "联系电话", "角色", "类别")
TEMPLATE_EXAMPLE = [["330803001001001", "王大明", "13912345678", "促进员", "五老人员", "", "否", "2010-03-01"],
                    ["330803001001001", "李医生", "13900000001", "志愿者", "医生", "区人民医院", "是", "2010-03-01"]]


@dataclass
class TeamImportResult:
    file: str
    rows: int = 0
    posts: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rejected_lines: set[int] = field(default_factory=set)
    counts: dict = field(default_factory=dict)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict:
        return {"file": Path(self.file).name, "rows": self.rows, "valid_rows": len(self.posts),
                "invalid_rows": len(self.rejected_lines), "written": self.written, **self.counts}


def importable_grids(actor) -> dict[str, Division]:
    """code -> current grid the actor may manage teams in (None: the system, every grid)."""
    qs = Division.objects.current().filter(level=Level.GRID).select_related("parent__parent")
    if actor is not None:
        qs = qs.filter(scope_for(actor, MANAGE_TEAMS).division_q())
    return {g.code: g for g in qs}


def _recorded(phones: set[str], grid_ids: set[int]) -> tuple[dict[str, Member], set[tuple[int, int]], dict]:
    """The members recorded with these phones, their current posts in these grids, and the grids'
    current promoters (three queries)."""
    members: dict[str, Member] = {}
    if phones:
        hashes = {pii.blind_index("phone", p): p for p in phones}
        for member in Member.objects.filter(phone_hash__in=list(hashes)):
            members[hashes[member.phone_hash]] = member
    serving = set(Membership.objects.filter(grid_id__in=grid_ids, member__in=list(members.values()),
                                            ended_on__isnull=True).values_list("grid_id", "member_id"))
    promoters = {m.grid_id: m.member.name for m in Membership.objects.filter(
        Q(grid_id__in=grid_ids), role=TeamRole.PROMOTER, ended_on__isnull=True).select_related("member")}
    return members, serving, promoters


def check(header: list[str], rows: list[tuple[int, list[str]]], *, grids: dict[str, Division],
          result: TeamImportResult, today: dt.date) -> None:
    header = [ALIASES.get(h, h) for h in header]
    missing = [h for h in REQUIRED if h not in header]
    unknown = [h for h in header if h and h not in COLUMNS]
    if missing:
        result.errors.append(RowError(1, "", _("missing column(s): %(c)s") % {"c": ", ".join(missing)}))
    if unknown:
        result.errors.append(RowError(1, "", _("unknown column(s): %(c)s") % {"c": ", ".join(unknown)}))
    if missing or unknown:
        result.rejected_lines.update(line for line, _cells in rows)
        result.rows = len(rows)
        return
    index = {COLUMNS[h]: i for i, h in enumerate(header)}
    roles = {**ROLE_WORDS, **{v: v for v in TeamRole.values}}
    categories = {**CATEGORY_WORDS, **{v: v for v in Category.values}, **{str(label): v for v, label in Category.choices}}
    parsed = []
    for line, cells in rows:
        cell = {f: (cells[i].strip() if i < len(cells) else "") for f, i in index.items()}
        bad = [RowError(line, HEADERS[f], _("%(n)s characters, at most %(max)s") % {"n": len(cell[f]), "max": n})
               for f, n in MAX_LENGTHS.items() if len(cell.get(f, "")) > n]
        grid = grids.get(cell["grid"])
        if grid is None:
            bad.append(RowError(line, "网格编码", _("unknown grid code %(code)s") % {"code": cell["grid"] or "''"}))
        if not cell["name"]:
            bad.append(RowError(line, "姓名", _("required")))
        phone = pii.normalize("phone", cell["phone"])
        if not (len(phone) == 11 and phone.startswith("1")):
            bad.append(RowError(line, "联系电话", _("not an 11-digit mobile number: %(v)s") % {"v": cell["phone"] or "''"}))
        role = roles.get(cell["role"])
        if role is None:
            bad.append(RowError(line, "角色", _("unknown role %(v)s (促进员 or 志愿者)") % {"v": cell["role"] or "''"}))
        category = categories.get(cell["category"])
        if category is None:
            bad.append(RowError(line, "类别", _("unknown category %(v)s") % {"v": cell["category"] or "''"}))
        public = cell.get("public", "").lower()
        if public not in YES_WORDS | NO_WORDS:
            bad.append(RowError(line, "是否事业单位/公职", _("not 是 or 否: %(v)s") % {"v": public}))
        started_on = None
        if cell.get("started_on"):
            try:
                started_on = dt.date.fromisoformat(cell["started_on"].replace("/", "-").replace(".", "-"))
                if started_on > today:
                    bad.append(RowError(line, "任职日期", _("in the future: %(v)s") % {"v": cell["started_on"]}))
            except ValueError:
                bad.append(RowError(line, "任职日期", _("not a date (YYYY-MM-DD): %(v)s") % {"v": cell["started_on"]}))
        if bad:
            result.errors.extend(bad)
            result.rejected_lines.add(line)
            continue
        parsed.append((line, {"grid": grid, "role": role, "name": cell["name"], "phone": phone,
                              "category": category, "employer": cell.get("employer", ""),
                              "from_public_institution": public in YES_WORDS, "started_on": started_on or today}))
    result.rows = len(rows)
    members, serving, promoters = _recorded({p["phone"] for _line, p in parsed}, {p["grid"].pk for _line, p in parsed})
    first_promoter: dict[int, int] = {}  # grid id -> line
    first_post: dict[tuple[int, str], int] = {}  # (grid id, phone) -> line
    names: dict[str, tuple[str, int]] = {}  # phone -> (name, line)
    for line, post in parsed:
        grid, phone = post["grid"], post["phone"]
        bad = []
        if post["role"] == TeamRole.PROMOTER:
            if grid.pk in promoters:
                bad.append(RowError(line, "角色", _("grid %(g)s already has a promoter: %(name)s")
                                    % {"g": grid.code, "name": promoters[grid.pk]}))
            elif first_promoter.setdefault(grid.pk, line) != line:
                bad.append(RowError(line, "角色", _("a second promoter for grid %(g)s (the first is on line %(n)s)")
                                    % {"g": grid.code, "n": first_promoter[grid.pk]}))
        if first_post.setdefault((grid.pk, phone), line) != line:
            bad.append(RowError(line, "联系电话", _("the same person is on line %(n)s for this grid")
                                % {"n": first_post[(grid.pk, phone)]}))
        member = members.get(phone)
        if member is not None and member.name != post["name"]:
            # Not named: a phone must not be a way to look up who holds it.
            bad.append(RowError(line, "联系电话", _("recorded for a team member with another name")))
        elif member is not None and (grid.pk, member.pk) in serving:
            bad.append(RowError(line, "姓名", _("already serves on the team of grid %(g)s") % {"g": grid.code}))
        seen_name, seen_line = names.setdefault(phone, (post["name"], line))
        if seen_name != post["name"]:
            bad.append(RowError(line, "联系电话", _("the same phone has another name on line %(n)s") % {"n": seen_line}))
        if bad:
            result.errors.extend(bad)
            result.rejected_lines.add(line)
            continue
        if member is not None:
            post = {"grid": grid, "role": post["role"], "member": member, "started_on": post["started_on"]}
        result.posts.append(post)
    result.errors.sort(key=lambda e: e.line)


def _no_progress(stage: str, done: int = 0, total: int = 0) -> None:
    pass


def import_team_members(path: Path, *, actor, dry_run: bool = False, skip_invalid: bool = False,
                        progress: Callable[[str, int, int], None] = _no_progress) -> TeamImportResult:
    """Check every row; then write all of them or (skip_invalid) the valid ones, in one transaction.
    `progress(stage, done, total)` hears of each stage (reading, checking, writing), never inside the
    transaction, so a job can save it where its page sees it."""
    result = TeamImportResult(file=str(path))
    progress("reading", 0, 0)
    try:
        header, rows = tabular.read_table(Path(path))
    except (OSError, ValueError, KeyError) as exc:
        result.errors.append(RowError(0, "", _("cannot read %(f)s: %(e)s") % {"f": Path(path).name, "e": exc}))
        return result
    progress("checking", 0, len(rows))
    check(header, rows, grids=importable_grids(actor), result=result, today=clock.today())
    if dry_run or not result.posts or (result.errors and not skip_invalid):
        return result
    progress("writing", 0, len(result.posts))
    result.counts = services.teams_load(actor=actor, posts=result.posts, started_on=clock.today(),
                                        action="teams.import", note={"file": Path(path).name,
                                                                     "invalid_rows": len(result.rejected_lines)})
    result.written = True
    return result


def write_rejects(result: TeamImportResult, source: Path, target: Path) -> int:
    return tabular.write_rejects(source=source, target=target, errors=result.errors,
                                 rejected_lines=result.rejected_lines)


def template_rows() -> list[list[str]]:
    return [list(COLUMNS), *TEMPLATE_EXAMPLE]
