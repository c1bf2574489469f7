"""`shuanglian import-households`: village archives from .xlsx or .csv (UTF-8 or GB18030).

One row per person; a household is the rows sharing (网格编码, 户号). Every row is checked before
anything is written. By default any invalid row rejects the whole file; `skip_invalid` writes the
households whose rows are all valid and hands back the rejected rows with reasons. Writing happens
in one transaction, so a killed import leaves the database as it was. A person whose ID number is
already recorded is updated (and moved to this household), never duplicated.

The write path is set-based (COPY on PostgreSQL, multi-row INSERT on SQLite) because villages
import whole townships at once; the service functions in services.py are for single edits.
"""
import csv
import datetime as dt
import io
import json
import os
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import connection, transaction
from django.utils.translation import gettext as _

from shuanglian.core import audit, clock, idnumber, pii
from shuanglian.divisions.choices import Level
from shuanglian.divisions.models import Division

from .choices import RELATION_WORDS, RelationToHead, ResidenceStatus
from .models import Household, HouseholdTag, Person, Tag

# Chinese header -> field. The first five are required.
COLUMNS = {
    "户号": "number",
    "网格编码": "grid",
    "姓名": "name",
    "身份证号": "id_number",
    "与户主关系": "relation",
    "联系电话": "phone",
    "地址": "address",
    "民族": "ethnicity",
    "文化程度": "education",
    "职业": "occupation",
    "技能特长": "skills",
    "家庭年收入": "annual_income",
    "标签": "tags",
}
REQUIRED = ("户号", "网格编码", "姓名", "身份证号", "与户主关系")
HEADER_BY_FIELD = {v: k for k, v in COLUMNS.items()}
FIELD_ORDER = ("number", "grid", "name", "id_number", "relation", "phone", "address", "ethnicity", "education",
               "occupation", "skills", "annual_income", "tags")
TEMPLATE_EXAMPLE = ["001", "330803001001001", "王大明", "11010519491231002X", "户主", "13912345678",
                    "樟潭社区1号", "汉族", "初中", "农民", "泥瓦匠", "36000", "低保户"]


@dataclass
class RowError:
    line: int
    field: str
    reason: str

    def __str__(self):
        return f"line {self.line}: {self.field}: {self.reason}" if self.field else f"line {self.line}: {self.reason}"


@dataclass(slots=True)
class PersonRow:
    line: int
    key: tuple[int, str]  # (grid id, household number)
    name: str
    id_number: str
    birth_date: dt.date
    sex: str
    relation: str
    phone: str
    ethnicity: str
    education: str
    occupation: str
    skills: str


@dataclass
class HouseholdRow:
    grid: Division
    number: str
    lines: list[int] = field(default_factory=list)
    address: str = ""
    income: Decimal | None = None
    tags: set[int] = field(default_factory=set)
    heads: int = 0


@dataclass
class ImportResult:
    file: str
    rows: int = 0
    valid_rows: int = 0
    households_created: int = 0
    households_updated: int = 0
    persons_created: int = 0
    persons_updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    rejected_lines: set[int] = field(default_factory=set)
    written: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict:
        return {"file": Path(self.file).name, "rows": self.rows, "valid_rows": self.valid_rows,
                "households_created": self.households_created, "households_updated": self.households_updated,
                "persons_created": self.persons_created, "persons_updated": self.persons_updated,
                "invalid_rows": len(self.rejected_lines), "written": self.written}


class Progress:
    """Where an import has got to, in a small JSON file a page can poll while the transaction is open."""

    def __init__(self, path: Path | None):
        self.path = path
        self.last = 0.0

    def __call__(self, stage: str, done: int = 0, total: int = 0, force: bool = False) -> None:
        if self.path is None:
            return
        now = time.monotonic()
        if not force and now - self.last < 0.5:
            return
        self.last = now
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"stage": stage, "done": done, "total": total}), encoding="utf-8")
        os.replace(tmp, self.path)


# ---------------------------------------------------------------- reading


def _decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM) if it decodes, else GB18030 (a superset of GBK and GB2312)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def read_table(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, cells) rows of a .csv or .xlsx file."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = []
        header: list[str] = []
        for n, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = ["" if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
                     for v in values]
            if n == 1:
                header = [c.strip() for c in cells]
            elif any(c.strip() for c in cells):
                rows.append((n, cells))
        book.close()
        return header, rows
    text = _decode(path.read_bytes())
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    rows = [(reader.line_num, cells) for cells in reader if any(c.strip() for c in cells)]
    return header, rows


def template_rows() -> list[list[str]]:
    return [list(COLUMNS), TEMPLATE_EXAMPLE]


# ---------------------------------------------------------------- checking


class Checker:
    """Validates rows against the rules and the database (grids in scope, tags)."""

    def __init__(self, *, grids: dict[str, Division], tags: dict[str, Tag], today: dt.date):
        self.grids = grids
        self.tags = tags
        self.today = today

    def check(self, header: list[str], rows: list[tuple[int, list[str]]], result: ImportResult):
        unknown = [h for h in header if h and h not in COLUMNS]
        missing = [h for h in REQUIRED if h not in header]
        if unknown or missing:
            if missing:
                result.errors.append(RowError(1, "", _("missing column(s): %(c)s") % {"c": ", ".join(missing)}))
            if unknown:
                result.errors.append(RowError(1, "", _("unknown column(s): %(c)s") % {"c": ", ".join(unknown)}))
            return [], {}
        index = {COLUMNS[h]: i for i, h in enumerate(header) if h in COLUMNS}
        order = [index.get(f) for f in FIELD_ORDER]
        persons: list[PersonRow] = []
        households: dict[tuple[int, str], HouseholdRow] = {}
        seen_ids: dict[str, int] = {}
        errors = result.errors
        grids, tags, today = self.grids, self.tags, self.today
        head = RelationToHead.HEAD
        parse_id, normalize_phone = idnumber.parse, pii.normalize
        for line, cells in rows:
            n = len(cells)
            (number, grid_code, name, raw_id, relation_word, phone, address, ethnicity, education, occupation,
             skills, raw_income, raw_tags) = [cells[i].strip() if i is not None and i < n else "" for i in order]
            bad = []
            if not number:
                bad.append(RowError(line, "户号", _("required")))
            grid = grids.get(grid_code)
            if grid is None:
                bad.append(RowError(line, "网格编码", _("unknown grid code %(code)s") % {"code": grid_code or "''"}))
            if not name:
                bad.append(RowError(line, "姓名", _("required")))
            parsed = None
            try:
                parsed = parse_id(raw_id, today=today)
            except idnumber.InvalidIDNumber as exc:
                bad.append(RowError(line, "身份证号", str(exc) if raw_id else _("required")))
            if parsed is not None:
                first = seen_ids.setdefault(parsed.value, line)
                if first != line:
                    bad.append(RowError(line, "身份证号", _("the same ID number is on line %(n)s") % {"n": first}))
            relation = RELATION_WORDS.get(relation_word) or (
                relation_word if relation_word in RelationToHead.values else None)
            if relation is None:
                bad.append(RowError(line, "与户主关系",
                                    _("unknown relation %(word)s") % {"word": relation_word or "''"}))
            if phone:
                phone = normalize_phone("phone", phone)
                if not (7 <= len(phone) <= 12):
                    bad.append(RowError(line, "联系电话", _("not a phone number: %(n)s digits") % {"n": len(phone)}))
            income = None
            if raw_income:
                try:
                    income = Decimal(raw_income.replace(",", ""))
                    if income < 0:
                        raise InvalidOperation
                except InvalidOperation:
                    bad.append(RowError(line, "家庭年收入", _("not an amount of yuan: %(v)s") % {"v": raw_income}))
            tag_ids = set()
            if raw_tags:
                for word in filter(None, (w.strip() for w in raw_tags.replace("，", ",").replace("、", ",").split(","))):
                    tag = tags.get(word)
                    if tag is None:
                        bad.append(RowError(line, "标签", _("unknown tag %(tag)s") % {"tag": word}))
                    else:
                        tag_ids.add(tag.pk)
            if grid is None or not number:
                errors.extend(bad)
                result.rejected_lines.add(line)
                continue
            key = (grid.pk, number)
            household = households.get(key)
            if household is None:
                household = households[key] = HouseholdRow(grid=grid, number=number)
            household.lines.append(line)
            if bad:
                errors.extend(bad)
                result.rejected_lines.add(line)
                continue
            if relation == head:
                household.heads += 1
            if address and (relation == head or not household.address):
                household.address = address
            if income is not None and (relation == head or household.income is None):
                household.income = income
            if tag_ids:
                household.tags |= tag_ids
            persons.append(PersonRow(line, key, name, parsed.value, parsed.birth_date, parsed.sex, relation, phone,
                                     ethnicity, education, occupation, skills))
        result.rows += len(rows)
        for household in households.values():
            if household.heads == 0 and not (set(household.lines) & result.rejected_lines):
                errors.append(RowError(household.lines[0], "与户主关系",
                                       _("household %(n)s of grid %(g)s has no head (lines %(lines)s)")
                                       % {"n": household.number, "g": household.grid.code,
                                          "lines": _lines(household.lines)}))
                result.rejected_lines.update(household.lines)
            elif household.heads > 1:
                errors.append(RowError(household.lines[0], "与户主关系",
                                       _("household %(n)s of grid %(g)s has %(k)s heads (lines %(lines)s)")
                                       % {"n": household.number, "g": household.grid.code, "k": household.heads,
                                          "lines": _lines(household.lines)}))
                result.rejected_lines.update(household.lines)
        # A household with any invalid row is rejected whole: half a family is worse than none.
        rejected_keys = {k for k, h in households.items() if set(h.lines) & result.rejected_lines}
        for key in rejected_keys:
            result.rejected_lines.update(households[key].lines)
        persons = [p for p in persons if p.key not in rejected_keys]
        households = {k: h for k, h in households.items() if k not in rejected_keys}
        errors.sort(key=lambda e: e.line)
        result.valid_rows = len(persons)
        return persons, households


def _lines(lines: list[int]) -> str:
    return ", ".join(map(str, lines[:10])) + (" ..." if len(lines) > 10 else "")


# ---------------------------------------------------------------- writing


def _copy_or_insert(table: str, columns: list[str], rows: list[tuple], chunk: int = 400) -> None:
    if not rows:
        return
    names = ", ".join(columns)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        for i in range(0, len(rows), chunk):
            part = rows[i:i + chunk]
            cur.execute(f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * len(part))}",
                        [v for r in part for v in r])


def _secondary_indexes(table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of a table's indexes other than its primary key."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT i.indexname, i.indexdef FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname "
                        "JOIN pg_index x ON x.indexrelid = c.oid WHERE i.tablename = %s AND NOT x.indisprimary "
                        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)", [table])
        else:
            cur.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                        "AND sql IS NOT NULL", [table])
        return list(cur.fetchall())


def _foreign_keys(table: str) -> list[tuple[str, str]]:
    """(name, definition) of a PostgreSQL table's foreign keys."""
    with connection.cursor() as cur:
        cur.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'f'", [table])
        return list(cur.fetchall())


def _bulk_load(table: str, columns: list[str], rows: list[tuple], existing: int) -> None:
    """Load many rows. When they outnumber what the table holds (a first import of a township, the
    demo), drop the secondary indexes (and on PostgreSQL the foreign keys) and build them again
    afterwards, as pg_restore does: sorting once is several times cheaper than growing each index row
    by row, and re-adding a foreign key checks all rows in one join instead of one query per row.
    All inside the transaction, so a failure or a kill leaves the table as it was."""
    if len(rows) < BULK_INDEX_REBUILD or len(rows) < existing:
        _copy_or_insert(table, columns, rows)
        return
    postgres = connection.vendor == "postgresql"
    indexes = _secondary_indexes(table)
    foreign_keys = _foreign_keys(table) if postgres else []
    with connection.cursor() as cur:
        if postgres:
            # ALTER TABLE needs no checks pending on the tables involved: run the queued ones now, with
            # fresh statistics (planned on tables that looked empty, each check scans a whole table).
            cur.execute("ANALYZE")
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name, _sql in foreign_keys:
            cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _sql in indexes:
            cur.execute(f'DROP INDEX "{name}"')
    _copy_or_insert(table, columns, rows)
    with connection.cursor() as cur:
        for _name, sql in indexes:
            cur.execute(sql)
        if postgres:
            cur.execute(f"ANALYZE {table}")
        for name, definition in foreign_keys:
            cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        if postgres:
            cur.execute("SET CONSTRAINTS ALL DEFERRED")


BULK_INDEX_REBUILD = 20000


def _execute_many(sql: str, rows: list[tuple]) -> None:
    if rows:
        with connection.cursor() as cur:
            cur.executemany(sql, rows)


def _recompute_completeness(household_ids: set[int]) -> None:
    """services.completeness for many households at once: two queries a chunk, then one statement."""
    from .services import HOUSEHOLD_COMPLETE

    updates = []
    for part in _chunks(sorted(household_ids)):
        filled, total = {}, {}
        for row in Household.objects.filter(pk__in=part).values("pk", *HOUSEHOLD_COMPLETE):
            filled[row["pk"]] = sum(1 for f in HOUSEHOLD_COMPLETE if row[f] not in ("", None))
            total[row["pk"]] = len(HOUSEHOLD_COMPLETE) + 1
        heads = set()
        for hh, relation, id_hash, phone_hash, education, occupation in Person.objects.filter(
                household_id__in=part, is_active=True).values_list(
                "household_id", "relation_to_head", "id_number_hash", "phone_hash", "education", "occupation"):
            total[hh] += 4
            filled[hh] += bool(id_hash) + bool(phone_hash) + bool(education) + bool(occupation)
            if relation == RelationToHead.HEAD:
                heads.add(hh)
        updates += [(round(100 * (filled[hh] + (hh in heads)) / total[hh]), hh) for hh in filled]
    _execute_many("UPDATE archives_household SET completeness = %s WHERE id = %s", updates)


def _chunks(items: list, size: int = 900):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _completeness(household: HouseholdRow, members: list[PersonRow]) -> int:
    filled = bool(household.address) + (household.income is not None) + 1  # head present
    total = 4 + 1
    for m in members:
        total += 4
        filled += 1 + bool(m.phone) + bool(m.education) + bool(m.occupation)
    return round(100 * filled / total)


def write(persons: list[PersonRow], households: dict[tuple[int, str], HouseholdRow], result: ImportResult, *,
          actor, progress: Progress) -> None:
    now = clock.now()
    members: dict[tuple[int, str], list[PersonRow]] = {}
    for p in persons:
        members.setdefault(p.key, []).append(p)

    # Households: existing ones by (grid, number) are updated, the rest created.
    grid_ids = sorted({grid_id for grid_id, _ in households})

    def households_of_grids() -> dict[tuple[int, str], int]:
        found = {}
        for part in _chunks(grid_ids, 500):
            for grid_id, number, pk in Household.objects.filter(grid_id__in=part).values_list("grid_id", "number", "pk"):
                if (grid_id, number) in households:
                    found[(grid_id, number)] = pk
        return found

    existing_hh = households_of_grids()
    progress("households", 0, len(households), force=True)
    new_rows, updates = [], []
    for key, h in households.items():
        g = h.grid
        compl = _completeness(h, members.get(key, []))
        if key in existing_hh:
            updates.append((existing_hh[key], h))
        else:
            new_rows.append((h.number, h.address, "", h.income, "", "", compl, now, now, True,
                             g.pk, g.parent.parent.parent_id, g.parent.parent_id, g.parent_id, g.pk))
    existing_households = Household.objects.count() if len(new_rows) >= BULK_INDEX_REBUILD else 0
    _bulk_load("archives_household",
               ["number", "address", "house", "annual_income", "land_notes", "livelihood_notes",
                "completeness", "created_at", "updated_at", "is_active",
                "division_id", "county_id", "township_id", "village_id", "grid_id"], new_rows, existing_households)
    result.households_created = len(new_rows)
    if new_rows:
        existing_hh = households_of_grids()
    # Re-imported households: a blank cell keeps what is recorded. One prepared statement, many rows.
    _execute_many("UPDATE archives_household SET address = CASE WHEN %s = '' THEN address ELSE %s END, "
                  "annual_income = COALESCE(%s, annual_income), updated_at = %s WHERE id = %s",
                  [(h.address, h.address, h.income, now, pk) for pk, h in updates])
    result.households_updated = len(updates)

    # Persons: an ID number already recorded updates that person (wherever they were).
    hash_of = {p.id_number: pii.blind_index("id_number", p.id_number) for p in persons}
    existing_p: dict[str, int] = {}
    moved_from: set[int] = set()  # households that lose a member to this file: their completeness changes
    hashes = list(hash_of.values())
    for part in _chunks(hashes):
        for id_hash, pk, household_id in Person.objects.filter(id_number_hash__in=part).values_list(
                "id_number_hash", "pk", "household_id"):
            existing_p[id_hash] = pk
            moved_from.add(household_id)
    progress("persons", 0, len(persons), force=True)
    updated_keys = {key for pk, h in updates for key in [(h.grid.pk, h.number)]}
    if updated_keys:
        # A re-imported household's head may change: demote the recorded head so the file's can take the post.
        ids = [existing_hh[k] for k in updated_keys]
        for part in _chunks(ids):
            Person.objects.filter(household_id__in=part, relation_to_head=RelationToHead.HEAD).update(
                relation_to_head=RelationToHead.OTHER)
    new_p, upd_p = [], []
    for i, p in enumerate(persons):
        h = households[p.key]
        g = h.grid
        hh_id = existing_hh[p.key]
        id_hash = hash_of[p.id_number]
        phone_enc = pii.encrypt(p.phone) if p.phone else ""
        phone_hash = pii.blind_index("phone", p.phone) if p.phone else ""
        if id_hash in existing_p:
            upd_p.append((existing_p[id_hash], p, hh_id, g, phone_enc, phone_hash))
            continue
        new_p.append((hh_id, p.name, pii.encrypt(p.id_number), id_hash, p.sex, p.birth_date, phone_enc, phone_hash,
                      p.ethnicity, p.education, p.occupation, p.skills, "", "", p.relation,
                      ResidenceStatus.REGISTERED, now, now, True,
                      g.pk, g.parent.parent.parent_id, g.parent.parent_id, g.parent_id, g.pk))
        if i % 20000 == 0:
            progress("persons", i, len(persons))
    existing_persons = Person.objects.count() if len(new_p) >= BULK_INDEX_REBUILD else 0
    _bulk_load("archives_person",
               ["household_id", "name", "id_number", "id_number_hash", "sex", "birth_date", "phone",
                "phone_hash", "ethnicity", "education", "occupation", "skills", "health", "political_status",
                "relation_to_head", "residence_status", "created_at", "updated_at", "is_active",
                "division_id", "county_id", "township_id", "village_id", "grid_id"], new_p, existing_persons)
    result.persons_created = len(new_p)
    if upd_p:
        _execute_many(
            "UPDATE archives_person SET household_id = %s, name = %s, sex = %s, birth_date = %s, "
            "relation_to_head = %s, ethnicity = %s, education = %s, occupation = %s, skills = %s, "
            "phone = CASE WHEN %s = '' THEN phone ELSE %s END, "
            "phone_hash = CASE WHEN %s = '' THEN phone_hash ELSE %s END, updated_at = %s, is_active = %s, "
            "division_id = %s, county_id = %s, township_id = %s, village_id = %s, grid_id = %s WHERE id = %s",
            [(hh_id, p.name, p.sex, p.birth_date, p.relation, p.ethnicity, p.education, p.occupation, p.skills,
              phone_hash, phone_enc, phone_hash, phone_hash, now, True,
              g.pk, g.parent.parent.parent_id, g.parent.parent_id, g.parent_id, g.pk, pk)
             for pk, p, hh_id, g, phone_enc, phone_hash in upd_p])
    result.persons_updated = len(upd_p)

    # Tags: the file's tags replace those of every household it names.
    progress("tags", 0, 0, force=True)
    touched = [existing_hh[k] for k in households]
    if updates:
        for part in _chunks([pk for pk, _ in updates]):
            HouseholdTag.objects.filter(household_id__in=part).delete()
    _copy_or_insert("archives_householdtag", ["household_id", "tag_id"],
                    [(existing_hh[k], t) for k, h in households.items() for t in sorted(h.tags)])

    # History: one version row per household touched, saying which file and lines.
    label = audit.actor_label(actor)
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    name = Path(result.file).name
    _copy_or_insert("archives_householdversion", ["household_id", "at", "actor_id", "actor_label", "action",
                                                  "changes"],
                    [(existing_hh[k], now, actor_id, label, "import",
                      json.dumps({"file": name, "lines": _lines(h.lines)}, ensure_ascii=False))
                     for k, h in households.items()])
    if updates or upd_p:
        _recompute_completeness({pk for pk, _ in updates} | {row[2] for row in upd_p} | moved_from)
    result.written = bool(touched)


def import_households(path: Path, *, actor, dry_run: bool = False, skip_invalid: bool = False,
                      progress_path: Path | None = None, progress: Progress | None = None) -> ImportResult:
    """Check every row; then write everything or (skip_invalid) the valid households, in one transaction.

    Progress goes to `progress_path`, or to `progress` (a Progress, e.g. one that also tells the task
    runner the job is alive)."""
    progress = progress or Progress(progress_path)
    progress("reading", force=True)
    try:
        header, rows = read_table(Path(path))
    except (OSError, ValueError, KeyError) as exc:
        result = ImportResult(file=str(path))
        result.errors.append(RowError(0, "", _("cannot read %(f)s: %(e)s") % {"f": Path(path).name, "e": exc}))
        return result
    return import_rows(header, rows, source=str(path), actor=actor, dry_run=dry_run, skip_invalid=skip_invalid,
                       progress=progress)


def import_rows(header: list[str], rows: list[tuple[int, list[str]]], *, source: str, actor, dry_run: bool = False,
                skip_invalid: bool = False, progress: Progress | None = None) -> ImportResult:
    """The import proper, for rows already read (the demo generates them without a file)."""
    started = time.perf_counter()
    progress = progress or Progress(None)
    result = ImportResult(file=source)
    from .selectors import importable_grids

    checker = Checker(grids=importable_grids(actor), tags=_tag_lookup(), today=clock.today())
    progress("checking", 0, len(rows), force=True)
    persons, households = checker.check(header, rows, result)
    if dry_run or not households or (result.errors and not skip_invalid):
        result.seconds = time.perf_counter() - started
        progress("done", result.rows, result.rows, force=True)
        return result
    with transaction.atomic():
        write(persons, households, result, actor=actor, progress=progress)
        audit.record(actor=actor, action="archives.import", object_type="archives.household",
                     object_repr=Path(source).name, after=result.summary())
    result.seconds = time.perf_counter() - started
    progress("done", result.rows, result.rows, force=True)
    return result


def _tag_lookup() -> dict[str, Tag]:
    tags = list(Tag.objects.filter(is_active=True))
    return {**{t.code: t for t in tags}, **{t.name: t for t in tags}}


def write_rejects(result: ImportResult, source: Path, target: Path) -> int:
    """The rejected rows as they were, each with its reasons in a last column (UTF-8 CSV with BOM)."""
    header, rows = read_table(source)
    reasons: dict[int, list[str]] = {}
    for e in result.errors:
        reasons.setdefault(e.line, []).append(f"{e.field}: {e.reason}" if e.field else e.reason)
    count = 0
    with open(target, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["行号", *header, "原因"])
        for line, cells in rows:
            if line in result.rejected_lines:
                why = "; ".join(reasons.get(line, [_("the household has an invalid row")]))
                writer.writerow([line, *cells, why])
                count += 1
    return count


__all__ = ["COLUMNS", "REQUIRED", "import_households", "template_rows", "write_rejects", "Level"]
