"""Many rows into one table at once, below the ORM: COPY on PostgreSQL, executemany on SQLite. For the set-based
write paths (archive imports, demo loads) where building a model object per row costs more than the insert.
Rows are tuples of column values as the database takes them: on SQLite, dates and times already adapted
(`date.isoformat()`, `datetime.isoformat(" ")` of an aware UTC time), as Django's sqlite3 adapters would."""
from collections.abc import Iterable
from itertools import islice

from django.db import connection


def copy_or_insert(table: str, columns: list[str], rows: Iterable[tuple], chunk: int = 2000, *,
                   binary: bool = False) -> None:
    """Insert rows, given as tuples in `columns` order (an iterator is consumed as it goes). On PostgreSQL
    by COPY; with `binary`, in COPY's binary format with the columns' own types: psycopg then writes
    each value with its C dumper, no text to format or escape, and the server parses nothing (the
    values must have exactly the column's type: int, str, date, aware datetime, Decimal, bool, None)."""
    names = ", ".join(columns)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            rows = iter(rows)
            first = next(rows, None)
            if first is None:
                return
            types = column_types(table, columns) if binary else None  # (no query once COPY has begun)
            with cur.cursor.copy(f"COPY {table} ({names}) FROM STDIN" + (" (FORMAT BINARY)" if binary else "")) as copy:
                if types:
                    copy.set_types(types)
                write_row = copy.write_row
                write_row(first)
                for row in rows:
                    write_row(row)
            return
        # One single-row statement run over a list of rows: sqlite3 loops in C. (A multi-row VALUES list
        # costs Django a regex pass over thousands of placeholders each statement.)
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        rows = iter(rows)
        while part := list(islice(rows, chunk)):
            cur.executemany(sql, part)


def column_types(table: str, columns: list[str]) -> list[int]:
    """The type oids of a PostgreSQL table's columns, in the order given (what binary COPY needs)."""
    with connection.cursor() as cur:
        cur.execute("SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
                    "AND NOT attisdropped", [table])
        oids = dict(cur.fetchall())
    return [oids[column] for column in columns]
