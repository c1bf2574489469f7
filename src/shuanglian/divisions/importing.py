"""`shuanglian import-divisions`: the national division lists, all files in one transaction.

Everything is read and checked before anything is written; any problem rejects the whole import
with every problem listed by file, line and reason.
"""
import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction

from shuanglian.core import audit, clock
from shuanglian.core.exceptions import ImportRejected

from .choices import LEVEL_BY_LENGTH, kind_from_code
from .models import Division, DivisionVersion

# Parent columns as the national lists name them, by the parent's code length.
PARENT_COLUMNS = {"provinceCode": 2, "cityCode": 4, "areaCode": 6, "streetCode": 9}
KNOWN_COLUMNS = {"code", "name", *PARENT_COLUMNS}
MAX_LISTED = 200


@dataclass
class Row:
    code: str
    name: str
    source: str  # "file:line"


@dataclass
class ImportReport:
    files: list[str]
    read: int = 0
    created: int = 0
    renamed: int = 0
    unchanged: int = 0
    by_level: dict[str, int] = field(default_factory=dict)


def _read(path: Path, errors: list[str]) -> list[Row]:
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        errors.append(f"{path}: cannot be read ({exc.strerror})")
        return []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        errors.append(f"{name}:{line}: the file is not UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8")
        return []
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        errors.append(f"{name}:1: the file is empty")
        return []
    header = [h.strip() for h in header]
    unknown = [h for h in header if h not in KNOWN_COLUMNS]
    missing = [h for h in ("code", "name") if h not in header]
    if unknown:
        errors.append(f"{name}:1: unknown column(s) {', '.join(unknown)}; expected {', '.join(sorted(KNOWN_COLUMNS))}")
    if missing:
        errors.append(f"{name}:1: missing column(s) {', '.join(missing)}")
    if unknown or missing:
        return []
    rows = []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            errors.append(f"{name}:{line}: {len(values)} fields where the header has {len(header)}")
            continue
        record = dict(zip(header, (v.strip() for v in values), strict=True))
        code, title = record["code"], record["name"]
        where = f"{name}:{line}"
        if not code.isdigit() or len(code) not in LEVEL_BY_LENGTH or len(code) == 15:
            errors.append(f"{where}: malformed code {code!r} (2, 4, 6, 9 or 12 digits)")
            continue
        if not title:
            errors.append(f"{where}: code {code} has no name")
            continue
        for column, n in PARENT_COLUMNS.items():
            given = record.get(column)
            if given and n < len(code) and given != code[:n]:
                errors.append(f"{where}: {column} {given} does not match code {code} (expected {code[:n]})")
        rows.append(Row(code, title, where))
    return rows


def parse(paths: list[Path]) -> tuple[dict[str, Row], list[str]]:
    errors: list[str] = []
    rows: dict[str, Row] = {}
    for path in paths:
        for row in _read(Path(path), errors):
            seen = rows.get(row.code)
            if seen and seen.name != row.name:
                errors.append(f"{row.source}: code {row.code} is {row.name!r} here but {seen.name!r} at {seen.source}")
            elif not seen:
                rows[row.code] = row
    return rows, errors


def _parent_code(code: str) -> str | None:
    n = {4: 2, 6: 4, 9: 6, 12: 9}.get(len(code))
    return code[:n] if n else None


def import_divisions(*, actor, paths: list[Path], effective_on: dt.date | None = None) -> ImportReport:
    rows, errors = parse(paths)
    existing = {d.code: d for d in Division.objects.current().only("id", "code", "name", "level", "kind", "parent_id")}
    for row in sorted(rows.values(), key=lambda r: (len(r.code), r.code)):
        parent = _parent_code(row.code)
        if parent and parent not in rows and parent not in existing:
            errors.append(f"{row.source}: parent {parent} of {row.code} is in neither the files nor the database")
    if errors:
        shown = errors[:MAX_LISTED]
        more = f"\n... and {len(errors) - MAX_LISTED} more" if len(errors) > MAX_LISTED else ""
        raise ImportRejected("Import rejected, nothing was written:\n" + "\n".join(shown) + more,
                             details={"errors": errors})

    day = effective_on or clock.today()
    report = ImportReport(files=[str(p) for p in paths], read=len(rows))
    with transaction.atomic():
        ids = {code: d.pk for code, d in existing.items()}
        for length in (2, 4, 6, 9, 12):
            level = LEVEL_BY_LENGTH[length]
            new, renamed = [], []
            for row in (r for r in rows.values() if len(r.code) == length):
                current = existing.get(row.code)
                if current is None:
                    new.append(row)
                elif current.name != row.name:
                    renamed.append((current, row.name))
                else:
                    report.unchanged += 1
            if new:
                _insert_divisions(new, level, ids, day)
            if renamed:
                _rename(renamed, day)
            report.created += len(new)
            report.renamed += len(renamed)
            if new or renamed:
                report.by_level[level] = len(new) + len(renamed)
        audit.record(actor=actor, action="division.import", object_type="divisions.division",
                     object_repr=", ".join(Path(p).name for p in paths)[:300],
                     after={"files": [Path(p).name for p in paths], "read": report.read, "created": report.created,
                            "renamed": report.renamed, "unchanged": report.unchanged, "effective_on": day})
    return report


# The national lists hold tens of thousands of rows: they go in as multi-row INSERTs (COPY on
# PostgreSQL), not one ORM object each: several times faster. Columns are those of the models.
_DIVISION_COLUMNS = "code, name, level, kind, kind_explicit, parent_id, code_key, valid_from"
_VERSION_COLUMNS = "division_id, valid_from, code, name, level, kind, parent_id, change"
_CHUNK = 500


def _insert_many(table: str, columns: str, values: list[tuple]) -> None:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # COPY: client-side parameter binding of big statements costs more than the insert itself.
            with cur.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            return
        width = columns.count(",") + 1
        placeholders = "(" + ", ".join(["%s"] * width) + ")"
        for i in range(0, len(values), _CHUNK):
            chunk = values[i:i + _CHUNK]
            cur.execute(f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholders] * len(chunk))}",
                        [v for r in chunk for v in r])


def _insert_divisions(new: list[Row], level: str, ids: dict[str, int], day: dt.date) -> None:
    values = []
    for row in new:
        parent_code = _parent_code(row.code)
        parent_id = ids.get(parent_code) if parent_code is not None else None
        values.append((row.code, row.name, level, kind_from_code(row.code, level), False, parent_id,
                       int(row.code.ljust(15, "0")), day))
    _insert_many("divisions_division", _DIVISION_COLUMNS, values)
    ids.update(Division.objects.current().filter(level=level).values_list("code", "id"))
    _insert_many("divisions_divisionversion", _VERSION_COLUMNS,
                 [(ids[v[0]], day, v[0], v[1], level, v[3], v[5], "import") for v in values])


def _rename(renamed: list[tuple[Division, str]], day: dt.date) -> None:
    for division, name in renamed:
        division.name = name
    Division.objects.bulk_update([d for d, _ in renamed], ["name"], batch_size=2000)
    pks = [d.pk for d, _ in renamed]
    DivisionVersion.objects.filter(division_id__in=pks, valid_to__isnull=True, valid_from__lt=day).update(valid_to=day)
    DivisionVersion.objects.filter(division_id__in=pks, valid_to__isnull=True).delete()  # same-day rename
    DivisionVersion.objects.bulk_create(
        [DivisionVersion(division=d, valid_from=day, code=d.code, name=d.name, level=d.level, kind=d.kind,
                         parent_id=d.parent_id, change="rename") for d, _ in renamed], batch_size=2000)
