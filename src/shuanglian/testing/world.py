"""The test world (district and personas) built once per test database, then copied into each test.

Building it through the services costs about 455 queries and 54 audit events; a test that asks for it
gets the same rows back in one INSERT per table (about a dozen statements) inside its own transaction,
so it rolls back with the test and a test that does not ask for it sees an empty database, as before.

The rows are taken raw from the database (ciphertexts, hashes, the audit chain byte for byte) and put
back raw, so nothing is re-encrypted or re-hashed and `audit verify` holds. Where a copy cannot go in
as it is (a test made rows with the same keys first, e.g. an audit event), the world is built through
the services instead: slower, never different.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import IntegrityError, connection, transaction

from .district import District, build_district
from .personas import Personas, make_personas


@dataclass
class Table:
    name: str
    columns: list[str]
    rows: list[tuple[Any, ...]]  # rows the step added
    updated: list[tuple[Any, ...]]  # rows it changed (by id), e.g. the audit chain's head


@dataclass
class Snapshot:
    district_tables: list[Table]  # the rows build_district() adds
    personas_tables: list[Table]  # the rows make_personas() adds after it
    district: dict[str, int]  # field -> Division id
    personas: dict[str, tuple[str, int]]  # field -> (model label, id)


def _tables() -> list[str]:
    names = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and meta.db_table not in names:
            names.append(meta.db_table)
    return names


def _read(cursor, table: str) -> tuple[list[str], dict[Any, tuple]]:
    qn = connection.ops.quote_name
    cursor.execute(f"SELECT * FROM {qn(table)}")  # noqa: S608 (table names come from the models)
    columns = [c[0] for c in cursor.description]
    rows = cursor.fetchall()
    key = columns.index("id") if "id" in columns else None
    return columns, {(row[key] if key is not None else row): row for row in rows}


def take() -> Snapshot | None:
    """Build the world in a transaction that is rolled back, keeping its rows. None when the build changes
    a row that was there before it (then a copy could not stand for the build, and tests build it)."""
    names = _tables()
    changed = False

    def added(cursor, before):
        nonlocal changed
        tables, now = [], {}
        for name in names:
            columns, after = _read(cursor, name)
            now[name] = after
            old = before[name]
            changed |= any(key not in after for key in old)
            updated = [after[key] for key, row in old.items() if key in after and after[key] != row]
            changed |= bool(updated) and "id" not in columns
            new = [row for key, row in after.items() if key not in old]
            if new or updated:
                tables.append(Table(name, columns, new, updated))
        return tables, now

    with connection.cursor() as cursor, transaction.atomic():
        start = {name: _read(cursor, name)[1] for name in names}
        district = build_district()
        district_tables, middle = added(cursor, start)
        personas = make_personas(district)
        personas_tables, _ = added(cursor, middle)
        transaction.set_rollback(True)
    if changed:
        return None
    return Snapshot(
        district_tables=district_tables,
        personas_tables=personas_tables,
        district={f.name: getattr(district, f.name).pk for f in dataclasses.fields(district)},
        personas={f.name: (getattr(personas, f.name)._meta.label, getattr(personas, f.name).pk)
                  for f in dataclasses.fields(personas)},
    )


def _insert(tables: list[Table]) -> None:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables:
            if table.rows:
                marks = ", ".join(["%s"] * len(table.columns))
                names = ", ".join(qn(c) for c in table.columns)
                cursor.executemany(f"INSERT INTO {qn(table.name)} ({names}) VALUES ({marks})",  # noqa: S608
                                   table.rows)
            if table.updated:
                key = table.columns.index("id")
                sets = ", ".join(f"{qn(c)} = %s" for c in table.columns if c != "id")
                for row in table.updated:
                    values = [v for i, v in enumerate(row) if i != key]
                    cursor.execute(f"UPDATE {qn(table.name)} SET {sets} WHERE id = %s", [*values, row[key]])  # noqa: S608


def restore_district(snapshot: Snapshot | None) -> District:
    """Put the district into the current test's database and return fresh instances of it."""
    if snapshot is not None:
        try:
            with transaction.atomic():
                _insert(snapshot.district_tables)
        except IntegrityError:
            pass
        else:
            Division = apps.get_model("divisions", "Division")
            divisions = Division.objects.in_bulk(snapshot.district.values())
            district = District(**{name: divisions[pk] for name, pk in snapshot.district.items()})
            district.from_snapshot = True  # type: ignore[attr-defined]
            return district
    return build_district()


def restore_personas(snapshot: Snapshot | None, district: District) -> Personas:
    """The personas, into a database that holds the district of restore_district(snapshot)."""
    if snapshot is not None and getattr(district, "from_snapshot", False):
        try:
            with transaction.atomic():
                _insert(snapshot.personas_tables)
        except IntegrityError:
            pass
        else:
            by_label: dict[str, list[int]] = {}
            for label, pk in snapshot.personas.values():
                by_label.setdefault(label, []).append(pk)
            loaded = {label: apps.get_model(label).objects.in_bulk(pks) for label, pks in by_label.items()}
            return Personas(**{name: loaded[label][pk] for name, (label, pk) in snapshot.personas.items()})
    return make_personas(district)
