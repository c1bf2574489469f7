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
import gc
import json
import os
import re
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from pathlib import Path

from django.db import connection, transaction
from django.utils.translation import gettext as _

from shuanglian.core import audit, clock, idnumber, pii, tabular
from shuanglian.core.bulk import copy_or_insert as _copy_or_insert
from shuanglian.core.sealing import SealAhead
from shuanglian.core.tabular import RowError, read_table
from shuanglian.divisions.choices import Level
from shuanglian.divisions.models import Division

from .choices import RELATION_WORDS, RelationToHead, ResidenceStatus
from .models import Household, HouseholdTag, HouseholdVersion, Person, Tag
from .selectors import importable_grids
from .services import HOUSEHOLD_COMPLETE

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
MAX_LENGTHS = {"number": Household._meta.get_field("number").max_length,
               "address": Household._meta.get_field("address").max_length,
               **{f: Person._meta.get_field(f).max_length
                  for f in ("name", "ethnicity", "education", "occupation", "skills")}}
FIELD_ORDER = ("number", "grid", "name", "id_number", "relation", "phone", "address", "ethnicity", "education",
               "occupation", "skills", "annual_income", "tags")
TEMPLATE_EXAMPLE = ["001", "330803001001001", "王大明", "11010519491231002X", "户主", "13912345678",
                    "樟潭社区1号", "汉族", "初中", "农民", "泥瓦匠", "36000", "低保户"]


@dataclass(slots=True)
class PersonRow:
    line: int
    seq: int  # the order Checker found it valid in: its place in the sealed columns
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
    tags: set[str] = field(default_factory=set)  # blind indexes
    heads: int = 0
    members: int = 0  # valid rows; with `filled`, what _completeness needs of them
    filled: int = 0  # per member: 1 (ID number) + phone, education, occupation given


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


def template_rows() -> list[list[str]]:
    return [list(COLUMNS), TEMPLATE_EXAMPLE]


# ---------------------------------------------------------------- checking


class Checker:
    """Validates rows against the rules and the database (grids in scope, tags)."""

    def __init__(self, *, grids: dict[str, Division], tags: dict[str, Tag], today: dt.date):
        self.grids = grids
        self.tags = tags
        self.today = today

    def check(self, header: list[str], rows: list[tuple[int, list[str]]], result: ImportResult,
              sealer: SealAhead | None = None):
        """(persons, households) of the valid rows; `sealer` is handed each valid person's ID number and
        phone as they are found, in the order of their `seq`."""
        unknown = [h for h in header if h and h not in COLUMNS]
        missing = [h for h in REQUIRED if h not in header]
        if unknown or missing:
            if missing:
                result.errors.append(RowError(1, "", _("missing column(s): %(c)s") % {"c": ", ".join(missing)}))
            if unknown:
                result.errors.append(RowError(1, "", _("unknown column(s): %(c)s") % {"c": ", ".join(unknown)}))
            return [], {}
        index = {COLUMNS[h]: i for i, h in enumerate(header) if h in COLUMNS}
        # One itemgetter takes a row's cells in FIELD_ORDER. A column the file lacks, or a cell past the
        # end of a short row, reads as "": such rows are padded to width + 1 cells, the last one blank.
        width = len(header)
        pick = itemgetter(*[index.get(f, width) for f in FIELD_ORDER])
        all_columns = all(f in index for f in FIELD_ORDER)
        blank = [""] * (width + 1)
        strip = str.strip
        persons: list[PersonRow] = []
        households: dict[tuple[int, str], HouseholdRow] = {}
        seen_ids: dict[str, int] = {}
        errors = result.errors
        grids, tags, today = self.grids, self.tags, self.today
        grid_ids = {code: grid.pk for code, grid in grids.items()}
        head = RelationToHead.HEAD
        # A word of RELATION_WORDS, else a relation's own value (as RELATION_WORDS.get(w) or w in values).
        relation_of = {value: value for value in RelationToHead.values}
        relation_of.update({word: relation.value for word, relation in RELATION_WORDS.items() if relation})
        parse_id, invalid_id, normalize_phone = idnumber.parse_parts, idnumber.InvalidIDNumber, pii.normalize
        seal = sealer.add if sealer is not None else None
        # The columns' lengths (SQLite would store a 32,767-character name; PostgreSQL would fail the whole load).
        long_number, long_name, long_address, long_ethnicity, long_education, long_occupation, long_skills = (
            MAX_LENGTHS[f] for f in ("number", "name", "address", "ethnicity", "education", "occupation", "skills"))
        for line, cells in rows:
            if not all_columns or len(cells) < width:
                cells = cells[:width] + blank[min(len(cells), width):]
            (number, grid_code, name, raw_id, relation_word, phone, address, ethnicity, education, occupation,
             skills, raw_income, raw_tags) = map(strip, pick(cells))
            bad = []
            if not number:
                bad.append(RowError(line, "户号", _("required")))
            if (len(number) > long_number or len(name) > long_name or len(address) > long_address
                    or len(ethnicity) > long_ethnicity or len(education) > long_education
                    or len(occupation) > long_occupation or len(skills) > long_skills):
                for field, value in (("number", number), ("name", name), ("address", address),
                                     ("ethnicity", ethnicity), ("education", education), ("occupation", occupation),
                                     ("skills", skills)):
                    if len(value) > MAX_LENGTHS[field]:
                        bad.append(RowError(line, HEADER_BY_FIELD[field], _("%(n)s characters, at most %(max)s")
                                            % {"n": len(value), "max": MAX_LENGTHS[field]}))
                if len(number) > long_number:
                    number = ""  # not a household this row can join
            grid = grids.get(grid_code)
            if grid is None:
                bad.append(RowError(line, "网格编码", _("unknown grid code %(code)s") % {"code": grid_code or "''"}))
            if not name:
                bad.append(RowError(line, "姓名", _("required")))
            id_value = None
            try:
                id_value, birth_date, sex = parse_id(raw_id, today=today)
            except invalid_id as exc:
                bad.append(RowError(line, "身份证号", str(exc) if raw_id else _("required")))
            if id_value is not None:
                first = seen_ids.setdefault(id_value, line)
                if first != line:
                    bad.append(RowError(line, "身份证号", _("the same ID number is on line %(n)s") % {"n": first}))
            relation = relation_of.get(relation_word)
            if relation is None:
                bad.append(RowError(line, "与户主关系",
                                    _("unknown relation %(word)s") % {"word": relation_word or "''"}))
            if phone and not (len(phone) == 11 and phone.isdecimal()):  # a mobile number is normalized already
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
            tag_ids = set()  # the tags' blind indexes (HouseholdTag)
            if raw_tags:
                for word in filter(None, (w.strip() for w in raw_tags.replace("，", ",").replace("、", ",").split(","))):
                    tag = tags.get(word)
                    if tag is None:
                        bad.append(RowError(line, "标签", _("unknown tag %(tag)s") % {"tag": word}))
                    else:
                        tag_ids.add(tag.index)
            if grid is None or not number:
                errors.extend(bad)
                result.rejected_lines.add(line)
                continue
            key = (grid_ids[grid_code], number)
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
            household.members += 1
            household.filled += 1 + bool(phone) + bool(education) + bool(occupation)
            persons.append(PersonRow(line, len(persons), key, name, id_value, birth_date, sex, relation, phone,
                                     ethnicity, education, occupation, skills))
            if seal is not None:
                seal(id_value, phone)
        result.rows += len(rows)
        rejected_lines = result.rejected_lines
        for household in households.values():
            if household.heads == 0 and rejected_lines.isdisjoint(household.lines):
                errors.append(RowError(household.lines[0], "与户主关系",
                                       _("household %(n)s of grid %(g)s has no head (lines %(lines)s)")
                                       % {"n": household.number, "g": household.grid.code,
                                          "lines": _lines(household.lines)}))
                rejected_lines.update(household.lines)
            elif household.heads > 1:
                errors.append(RowError(household.lines[0], "与户主关系",
                                       _("household %(n)s of grid %(g)s has %(k)s heads (lines %(lines)s)")
                                       % {"n": household.number, "g": household.grid.code, "k": household.heads,
                                          "lines": _lines(household.lines)}))
                rejected_lines.update(household.lines)
        # A household with any invalid row is rejected whole: half a family is worse than none.
        if rejected_lines:
            rejected_keys = {k for k, h in households.items() if not rejected_lines.isdisjoint(h.lines)}
            for key in rejected_keys:
                rejected_lines.update(households[key].lines)
            persons = [p for p in persons if p.key not in rejected_keys]
            households = {k: h for k, h in households.items() if k not in rejected_keys}
        errors.sort(key=lambda e: e.line)
        result.valid_rows = len(persons)
        return persons, households


def _lines(lines: list[int]) -> str:
    return ", ".join(map(str, lines[:10])) + (" ..." if len(lines) > 10 else "")


# ---------------------------------------------------------------- writing


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
    """Load many rows; when they outnumber what the table holds, with its indexes set aside (below)."""
    with _indexes_set_aside([table] if _worth_setting_aside(len(rows), existing) else []):
        _copy_or_insert(table, columns, rows)


def _worth_setting_aside(rows: int, existing: int) -> bool:
    return rows >= BULK_INDEX_REBUILD and rows >= existing


@contextmanager
def _indexes_set_aside(tables: list[str]):
    """For loads that outnumber what the tables hold (a first import of a township, the demo): drop
    their secondary indexes (and on PostgreSQL their foreign keys) and build them again afterwards, as
    pg_restore does: sorting once is several times cheaper than growing each index row by row, and
    re-adding a foreign key checks all rows in one join instead of one query per row (queued until
    the commit). All inside the transaction, so a failure or a kill leaves the tables as they were.
    Several tables loaded together share one window (one ANALYZE of the database before)."""
    if not tables:
        yield
        return
    postgres = connection.vendor == "postgresql"
    aside = [(table, _secondary_indexes(table), _foreign_keys(table) if postgres else []) for table in tables]
    with connection.cursor() as cur:
        if postgres:
            # ALTER TABLE needs no checks pending on the tables involved: run the queued ones now, with
            # fresh statistics (planned on tables that looked empty, each check scans a whole table).
            cur.execute("ANALYZE")
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            # Room to sort each index in memory (the server's default, 64MB, spills a million keys to
            # disk); for this transaction only.
            cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for table, indexes, foreign_keys in aside:
            for name, _sql in foreign_keys:
                cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for name, _sql in indexes:
                cur.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cur:
        for table, indexes, foreign_keys in aside:
            for _name, sql in indexes:
                cur.execute(sql)
            if foreign_keys:
                # Statistics for the checks' joins: of the key columns only, since sampling the whole
                # width (the ciphertexts) costs a second a million rows; autovacuum does the rest later.
                columns = sorted({c for _n, d in foreign_keys for c in _FK_COLUMNS.match(d).group(1).split(", ")})
                cur.execute(f"ANALYZE {table} ({', '.join(columns)})")
            for name, definition in foreign_keys:
                cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        if postgres:
            cur.execute("SET CONSTRAINTS ALL DEFERRED")


BULK_INDEX_REBUILD = 20000
_FK_COLUMNS = re.compile(r"FOREIGN KEY \(([^)]*)\)")
SEAL_IN_HELPER_FROM = 20000  # rows; below, starting a process costs more than it saves


def _update_by_id(table: str, columns: dict[str, str], assignments: str, rows: list[tuple]) -> None:
    """UPDATE table SET assignments WHERE id = row[0], for each row: (id, *values of `columns`).

    `columns` names the new values and their PostgreSQL types; `assignments` refers to a new value as
    {name} and to the recorded one by its column name. On PostgreSQL the rows go by COPY into a
    temporary table joined by one UPDATE: single-row UPDATEs cost a statement and a round trip each,
    over 200 microseconds a row. SQLite runs the single-row statement over the rows (in C, in process)."""
    if not rows:
        return
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("CREATE TEMPORARY TABLE import_update (id bigint, "
                        + ", ".join(f"new_{name} {kind}" for name, kind in columns.items()) + ")")
            _copy_or_insert("import_update", ["id", *(f"new_{name}" for name in columns)], rows, binary=True)
            cur.execute(f"UPDATE {table} SET {assignments.format(**{n: f'u.new_{n}' for n in columns})} "
                        f"FROM import_update u WHERE {table}.id = u.id")
            cur.execute("DROP TABLE import_update")
        else:
            names = ["id", *columns]
            cur.executemany(f"UPDATE {table} SET {assignments.format(**{n: f'%({n})s' for n in columns})} "
                            "WHERE id = %(id)s", [dict(zip(names, row, strict=True)) for row in rows])


def _recompute_completeness(household_ids: set[int]) -> None:
    """services.completeness for many households at once: two queries a chunk, then one statement."""
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
        updates += [(hh, round(100 * (filled[hh] + (hh in heads)) / total[hh])) for hh in filled]
    _update_by_id("archives_household", {"completeness": "smallint"}, "completeness = {completeness}", updates)


def _chunks(items: list, size: int = 900):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _completeness(household: HouseholdRow) -> int:
    """services.completeness of a new household, from what Checker counted of its members."""
    filled = bool(household.address) + (household.income is not None) + 1 + household.filled  # head present
    total = 4 + 1 + 4 * household.members
    return round(100 * filled / total)


def _has_rows(table: str) -> bool:
    with connection.cursor() as cur:
        cur.execute(f"SELECT 1 FROM {table} LIMIT 1")
        return cur.fetchone() is not None


def _household_ids(grid_ids: list[int], wanted) -> dict[tuple[int, str], int]:
    """{(grid id, number): household id} of the recorded households among `wanted`."""
    found = {}
    with connection.cursor() as cur:
        for part in _chunks(grid_ids, 500):
            cur.execute(f"SELECT grid_id, number, id FROM archives_household WHERE grid_id IN "
                        f"({', '.join(['%s'] * len(part))})", part)
            for grid_id, number, pk in cur.fetchall():
                if (grid_id, number) in wanted:
                    found[(grid_id, number)] = pk
    return found


def _persons_by_hash(hashes: list[str]) -> dict[str, tuple[int, int]]:
    """{ID number hash: (person id, household id)} of the recorded persons among `hashes`."""
    # The unique index on the hash is partial (blank hashes left out): a query can use it only if its
    # WHERE says so too, else each chunk scans the whole table (on both backends).
    indexed = "NOT (id_number_hash = '')"
    found = {}
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":  # one array parameter: no statement with 900 placeholders to parse
            for part in _chunks(hashes, 10000):
                cur.execute("SELECT id_number_hash, id, household_id FROM archives_person "
                            f"WHERE id_number_hash = ANY(%s) AND {indexed}", [part])
                found.update((h, (pk, hh)) for h, pk, hh in cur.fetchall())
        else:
            for part in _chunks(hashes):
                cur.execute("SELECT id_number_hash, id, household_id FROM archives_person "
                            f"WHERE id_number_hash IN ({', '.join(['%s'] * len(part))}) AND {indexed}", part)
                found.update((h, (pk, hh)) for h, pk, hh in cur.fetchall())
    return found


def _scope_of(grid: Division) -> tuple:
    """The scope columns of a record attached to a grid: division, county, township, village, grid."""
    return grid.pk, grid.parent.parent.parent_id, grid.parent.parent_id, grid.parent_id, grid.pk


HOUSEHOLD_COLUMNS = ["number", "address", "house", "annual_income", "land_notes", "livelihood_notes",
                     "completeness", "created_at", "updated_at", "is_active",
                     "division_id", "county_id", "township_id", "village_id", "grid_id"]
PERSON_COLUMNS = ["household_id", "name", "id_number", "id_number_hash", "sex", "birth_date", "phone",
                  "phone_hash", "ethnicity", "education", "occupation", "skills", "health", "political_status",
                  "relation_to_head", "residence_status", "created_at", "updated_at", "is_active",
                  "division_id", "county_id", "township_id", "village_id", "grid_id"]


def write(persons: list[PersonRow], households: dict[tuple[int, str], HouseholdRow], result: ImportResult, *,
          sealed: tuple[list[str], list[str], list[str], list[str]], actor, progress: Progress) -> None:
    """`sealed`: the persons' (ID ciphertexts, ID hashes, phone ciphertexts, phone hashes) by `seq`."""
    now = clock.now()
    postgres = connection.vendor == "postgresql"
    # Rows go to PostgreSQL as binary COPY (values of the columns' types) and to SQLite through
    # executemany; for SQLite the time is adapted once here, as the sqlite3 adapter Django registers would.
    now_value = now if postgres else now.isoformat(" ")
    grids = {h.grid.pk: h.grid for h in households.values()}
    # What every row attached to a grid ends with (times, active, scope columns): made once per grid.
    tails = {pk: (now_value, now_value, True, *_scope_of(g)) for pk, g in grids.items()}

    # Households: existing ones by (grid, number) are updated, the rest created.
    grid_ids = sorted(grids)
    existing_hh = _household_ids(grid_ids, households) if _has_rows("archives_household") else {}
    progress("households", 0, len(households), force=True)
    new_keys = [key for key in households if key not in existing_hh]
    updates = [(existing_hh[key], h) for key, h in households.items() if key in existing_hh]

    # Persons: an ID number already recorded updates that person (wherever they were).
    id_ciphers, id_hashes_by_seq, phone_ciphers, phone_hashes = sealed
    id_hashes = [id_hashes_by_seq[p.seq] for p in persons]
    existing_p = _persons_by_hash(id_hashes) if _has_rows("archives_person") else {}
    moved_from = {household_id for _, household_id in existing_p.values()}  # their completeness changes
    new_persons = len(persons) - sum(h in existing_p for h in id_hashes) if existing_p else len(persons)
    if updates:
        # A re-imported household's head may change: demote the recorded head so the file's can take the post.
        # And the file's tags replace those of every household it names. (Both before any index is set aside.)
        for part in _chunks([pk for pk, _ in updates]):
            Person.objects.filter(household_id__in=part, relation_to_head=RelationToHead.HEAD).update(
                relation_to_head=RelationToHead.OTHER)
            HouseholdTag.objects.filter(household_id__in=part).delete()
    tag_count = sum(len(h.tags) for h in households.values())
    loads = [(Household, len(new_keys)), (Person, new_persons), (HouseholdTag, tag_count),
             (HouseholdVersion, len(households))]
    aside = [model._meta.db_table for model, n in loads
             if n >= BULK_INDEX_REBUILD and _worth_setting_aside(n, model.objects.count())]

    # Income is sensitive: encrypted at rest (pii.SealedDecimalField), sealed here with one nonce supply.
    encrypt, plain = pii.encryptor(), Household._meta.get_field("annual_income").to_plain

    def income(h: HouseholdRow) -> str | None:
        return None if h.income is None else encrypt(plain(h.income))

    with _indexes_set_aside(aside):
        _copy_or_insert("archives_household", HOUSEHOLD_COLUMNS,
                        ((h.number, h.address, "", income(h), "", "", _completeness(h)) + tails[key[0]]
                         for key in new_keys for h in [households[key]]), binary=True)
        result.households_created = len(new_keys)
        if new_keys:
            existing_hh = _household_ids(grid_ids, households)
        # Re-imported households: a blank cell keeps what is recorded.
        _update_by_id("archives_household", {"address": "text", "income": "text", "at": "timestamptz"},
                      "address = CASE WHEN {address} = '' THEN address ELSE {address} END, "
                      "annual_income = COALESCE({income}, annual_income), updated_at = {at}",
                      [(pk, h.address, income(h), now) for pk, h in updates])
        result.households_updated = len(updates)

        progress("persons", 0, len(persons), force=True)
        upd_p = []
        if existing_p:
            for p, id_hash in zip(persons, id_hashes, strict=True):
                if id_hash in existing_p:
                    upd_p.append((existing_p[id_hash][0], p, existing_hh[p.key], grids[p.key[0]],
                                  phone_ciphers[p.seq], phone_hashes[p.seq]))
        registered = ResidenceStatus.REGISTERED.value
        total = len(persons)

        def person_rows():
            for i, (p, id_hash) in enumerate(zip(persons, id_hashes, strict=True)):
                if id_hash in existing_p:
                    continue
                seq = p.seq
                yield (existing_hh[p.key], p.name, id_ciphers[seq], id_hash, p.sex, p.birth_date,
                       phone_ciphers[seq], phone_hashes[seq], p.ethnicity,
                       p.education, p.occupation, p.skills, "", "", p.relation, registered) + tails[p.key[0]]
                if i % 20000 == 0:
                    progress("persons", i, total)

        _copy_or_insert("archives_person", PERSON_COLUMNS, person_rows(), binary=True)
        result.persons_created = new_persons
        if upd_p:
            _update_by_id(
                "archives_person",
                {"household": "bigint", "name": "text", "sex": "text", "birth": "date", "relation": "text",
                 "ethnicity": "text", "education": "text", "occupation": "text", "skills": "text", "phone": "text",
                 "phone_hash": "text", "at": "timestamptz", "active": "boolean", "division": "bigint",
                 "county": "bigint", "township": "bigint", "village": "bigint", "grid": "bigint"},
                "household_id = {household}, name = {name}, sex = {sex}, birth_date = {birth}, "
                "relation_to_head = {relation}, ethnicity = {ethnicity}, education = {education}, "
                "occupation = {occupation}, skills = {skills}, "
                "phone = CASE WHEN {phone_hash} = '' THEN phone ELSE {phone} END, "
                "phone_hash = CASE WHEN {phone_hash} = '' THEN phone_hash ELSE {phone_hash} END, updated_at = {at}, "
                "is_active = {active}, division_id = {division}, county_id = {county}, township_id = {township}, "
                "village_id = {village}, grid_id = {grid}",
                [(pk, hh_id, p.name, p.sex, p.birth_date, p.relation, p.ethnicity, p.education, p.occupation,
                  p.skills, phone_enc, phone_hash, now, True, *_scope_of(g))
                 for pk, p, hh_id, g, phone_enc, phone_hash in upd_p])
        result.persons_updated = len(upd_p)

        progress("tags", 0, 0, force=True)
        _copy_or_insert("archives_householdtag", ["household_id", "tag_index"],
                        [(existing_hh[k], t) for k, h in households.items() for t in sorted(h.tags)], binary=True)

        # History: one version row per household touched, saying which file and lines.
        label = audit.actor_label(actor)
        actor_id = actor.pk if getattr(actor, "pk", None) else None
        # json.dumps({"file": name, "lines": _lines(...)}, ensure_ascii=False), its constant part made once:
        # _lines() gives digits, commas, spaces and dots, which JSON does not escape.
        opening = '{"file": ' + json.dumps(Path(result.file).name, ensure_ascii=False) + ', "lines": "'
        if postgres:
            from psycopg.types.json import Jsonb  # the PostgreSQL path only

            def changes(text: str) -> Jsonb:
                return Jsonb(text, dumps=str)  # JSON text already: passed through as it is
        else:
            changes = str
        _copy_or_insert("archives_householdversion",
                        ["household_id", "at", "actor_id", "actor_label", "action", "changes"],
                        ((existing_hh[k], now_value, actor_id, label, "import", changes(f'{opening}{_lines(h.lines)}"}}'))
                         for k, h in households.items()), binary=True)
    if updates or upd_p:
        _recompute_completeness({pk for pk, _ in updates} | {row[2] for row in upd_p} | moved_from)
    result.written = bool(households)


def import_households(path: Path, *, actor, dry_run: bool = False, skip_invalid: bool = False,
                      progress_path: Path | None = None, progress: Progress | None = None) -> ImportResult:
    """Check every row; then write everything or (skip_invalid) the valid households, in one transaction.

    Progress goes to `progress_path`, or to `progress` (a Progress, e.g. one that also tells the task
    runner the job is alive)."""
    progress = progress or Progress(progress_path)
    progress("reading", force=True)
    with _collector_paused():
        try:
            header, rows = read_table(Path(path))
        except (OSError, ValueError, KeyError) as exc:
            result = ImportResult(file=str(path))
            result.errors.append(RowError(0, "", _("cannot read %(f)s: %(e)s") % {"f": Path(path).name, "e": exc}))
            return result
        return import_rows(header, rows, source=str(path), actor=actor, dry_run=dry_run, skip_invalid=skip_invalid,
                           progress=progress)


@contextmanager
def _collector_paused():
    """No cyclic garbage collection while an import builds its millions of rows, strings and tuples.
    None of them form cycles, but each collection walks all those still alive: with the collector on,
    reading and checking a million-person file took about three times as long. (The switch is for the
    whole process; it is turned back on only by whoever turned it off.)"""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def import_rows(header: list[str], rows: list[tuple[int, list[str]]], *, source: str, actor, dry_run: bool = False,
                skip_invalid: bool = False, progress: Progress | None = None) -> ImportResult:
    """The import proper, for rows already read (the demo generates them without a file)."""
    started = time.perf_counter()
    progress = progress or Progress(None)
    result = ImportResult(file=source)

    checker = Checker(grids=importable_grids(actor), tags=_tag_lookup(), today=clock.today())
    progress("checking", 0, len(rows), force=True)
    # A large import seals its persons' ID numbers and phones in a helper process while the rows are
    # still being checked (a dry run seals nothing).
    helper = len(rows) >= SEAL_IN_HELPER_FROM and (os.cpu_count() or 1) > 1
    with _collector_paused(), (nullcontext() if dry_run else pii.seal_ahead(helper=helper)) as sealer:
        persons, households = checker.check(header, rows, result, sealer)
        if dry_run or not households or (result.errors and not skip_invalid):
            result.seconds = time.perf_counter() - started
            progress("done", result.rows, result.rows, force=True)
            return result
        with transaction.atomic():
            write(persons, households, result, sealed=sealer.results(), actor=actor, progress=progress)
            audit.record(actor=actor, action="archives.import", object_type="archives.household",
                         object_repr=Path(source).name, after=result.summary())
    result.seconds = time.perf_counter() - started
    progress("done", result.rows, result.rows, force=True)
    return result


def _tag_lookup() -> dict[str, Tag]:
    tags = list(Tag.objects.filter(is_active=True))
    return {**{t.code: t for t in tags}, **{t.name: t for t in tags}}


# The columns of a rejects file masked by their kind; every other cell is scrubbed of what looks like one.
_MASKED_COLUMNS = {"身份证号": "id_number", "联系电话": "phone"}


def write_rejects(result: ImportResult, source: Path, target: Path) -> int:
    """The rejected rows, each with its reasons in a last column (UTF-8 CSV with BOM), ID numbers and phones
    masked: the file waits on disk for its download, so it holds no full number (the uploader has the
    original). Created 0600, readable by the app's user alone; purged with the job (jobs.purge_rejects)."""
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))  # the mode before any byte
    os.chmod(target, 0o600)
    count = tabular.write_rejects(source=source, target=target, errors=result.errors,
                                  rejected_lines=result.rejected_lines,
                                  default_reason=_("the household has an invalid row"))
    with open(target, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    if rows:
        kinds = [_MASKED_COLUMNS.get(name.strip()) for name in rows[0]]
        for row in rows[1:]:
            for i, cell in enumerate(row):
                kind = kinds[i] if i < len(kinds) else None
                row[i] = pii.mask(kind, pii.normalize(kind, cell)) if kind and cell else pii.scrub(cell)
    with open(target, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return count


__all__ = ["COLUMNS", "REQUIRED", "RowError", "import_households", "read_table", "template_rows", "write_rejects",
           "Level"]
