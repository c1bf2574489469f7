"""Spreadsheet imports shared by every module: reading .xlsx and .csv (UTF-8 or GB18030, detected),
the bad-row record (`RowError`: line, field, reason), the file of rejected rows, and the downloadable
template. The archives' household import and the teams' team-list import both use these, so a village
clerk meets the same rules and messages in both."""
import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _


@dataclass
class RowError:
    line: int
    field: str
    reason: str

    def __str__(self):
        return f"line {self.line}: {self.field}: {self.reason}" if self.field else f"line {self.line}: {self.reason}"

    def located(self, file: str) -> str:
        """`file:line: field: reason`, as compilers say it (editors jump to the line)."""
        return f"{file}:{self.line}: {self.field}: {self.reason}" if self.field else f"{file}:{self.line}: {self.reason}"


# A spreadsheet program reads a cell that starts with one of these as a formula (`=cmd|' /C calc'!A0`,
# `@SUM(...)`, `+`/`-` followed by anything); tab and CR start one too after some programs trim them.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def neutralize(value):
    """A cell value safe to write to a CSV or .xlsx: text that a spreadsheet would take for a formula gets
    a leading apostrophe (shown as text, never run), as OWASP advises; numbers, dates and plain signed
    numbers ("-3.5") are left as they are. Every CSV and .xlsx the platform writes passes its cells here."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralized(cells) -> list:
    return [neutralize(c) for c in cells]


def _unneutralize(cell: str) -> str:
    """The inverse on reading: a rejected-rows file, corrected and imported again, gives back what was typed."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_START):
        return cell[1:]
    return cell


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM) if it decodes, else GB18030 (a superset of GBK and GB2312)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


class TableTooLarge(ValueError):
    """A file past the limits (TABULAR_MAX_*): refused before or while it is read, with what and where.
    A ValueError, so every importer's "cannot read FILE: ..." reports it."""


def _limits() -> tuple[int, int, int, int]:
    return (settings.TABULAR_MAX_UNCOMPRESSED_BYTES, settings.TABULAR_MAX_ROWS, settings.TABULAR_MAX_COLUMNS,
            settings.TABULAR_MAX_CELL_CHARS)


def _check_xlsx_size(path: Path, max_bytes: int) -> None:
    """An .xlsx is a zip: the sizes its members will have unpacked are in its directory, read before any of
    them is (a 76 KB file once unpacked to 24.5 MB of XML and kept the web process busy for 101 s)."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        raise ValueError(_("not an .xlsx file (not a zip archive)")) from None
    if unpacked > max_bytes:
        raise TableTooLarge(_("unpacks to %(mb)s MB, more than the limit of %(max)s MB; split the file")
                            % {"mb": unpacked // 1_000_000, "max": max_bytes // 1_000_000})


def _too_many_rows(max_rows: int) -> str:
    return _("more than %(max)s rows; split the file") % {"max": max_rows}


def _check_row(line: int, cells: list[str], max_columns: int, max_chars: int) -> None:
    if len(cells) <= max_columns and (not cells or max(map(len, cells)) <= max_chars):
        return  # the usual case, in one C-level pass
    if len(cells) > max_columns:
        raise TableTooLarge(_("line %(line)s: %(n)s columns, more than the limit of %(max)s")
                            % {"line": line, "n": len(cells), "max": max_columns})
    for column, cell in enumerate(cells, start=1):
        if len(cell) > max_chars:
            raise TableTooLarge(_("line %(line)s: column %(column)s: %(n)s characters, more than the limit of "
                                  "%(max)s") % {"line": line, "column": column, "n": len(cell), "max": max_chars})


def read_table(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, cells) rows of a .csv or .xlsx file; blank rows are left out. Refuses
    (TableTooLarge) a file past the TABULAR_MAX_* settings: unpacked size first, then rows, columns and
    cell length as it reads, so nothing large is built from a hostile file."""
    path = Path(path)
    max_bytes, max_rows, max_columns, max_chars = _limits()
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook  # heavy, and only for .xlsx: loaded on first use

        _check_xlsx_size(path, max_bytes)
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            # The dimension a file declares may be stale (A1:A1 over thousands of rows: read as "0 rows, no
            # errors") or huge (A1:XFD1: every row padded to 16,384 cells): read what is there instead.
            sheet.reset_dimensions()
            rows = []
            header: list[str] = []
            for n, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if n > max_rows + 1:
                    raise TableTooLarge(_too_many_rows(max_rows))
                cells = [_unneutralize(_cell(v)) for v in values]
                while cells and cells[-1] == "":  # trailing empty cells of a row are not columns
                    cells.pop()
                _check_row(n, cells, max_columns, max_chars)
                if n == 1:
                    header = [c.strip() for c in cells]
                elif any(c.strip() for c in cells):
                    rows.append((n, cells))
        finally:
            book.close()
        return header, rows
    if path.stat().st_size > max_bytes:
        raise TableTooLarge(_("%(mb)s MB, more than the limit of %(max)s MB; split the file")
                            % {"mb": path.stat().st_size // 1_000_000, "max": max_bytes // 1_000_000})
    text = decode(path.read_bytes())
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader, [])]
        rows = []
        for cells in reader:
            # "".join(cells).strip() is any(c.strip() for c in cells) in one step: a row with something in it.
            if "".join(cells).strip():
                if len(rows) >= max_rows:
                    raise TableTooLarge(_too_many_rows(max_rows))
                _check_row(reader.line_num, cells, max_columns, max_chars)
                rows.append((reader.line_num, [_unneutralize(c) for c in cells]))
    except csv.Error as exc:  # e.g. a field past the csv module's own limit (128 KB)
        raise ValueError(_("line %(line)s: %(error)s") % {"line": reader.line_num, "error": exc}) from None
    return header, rows


def _cell(value) -> str:
    """An .xlsx cell as the text a person typed: whole numbers without ".0", dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "date") and hasattr(value, "hour") and not (value.hour or value.minute or value.second):
        return value.date().isoformat()
    return str(value)


def write_rejects(*, source: Path, target: Path, errors: list[RowError], rejected_lines: set[int],
                  default_reason: str = "") -> int:
    """The rejected rows as they were, each with its reasons in a last column (UTF-8 CSV with BOM, which
    Excel and WPS open as Chinese). Returns how many rows were written."""
    header, rows = read_table(source)
    reasons: dict[int, list[str]] = {}
    for e in errors:
        reasons.setdefault(e.line, []).append(f"{e.field}: {e.reason}" if e.field else e.reason)
    count = 0
    with open(target, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(neutralized(["行号", *header, "原因"]))
        for line, cells in rows:
            if line in rejected_lines:
                writer.writerow(neutralized([line, *cells, "; ".join(reasons.get(line, [default_reason]))]))
                count += 1
    return count


def template_response(rows: list[list[str]], *, stem: str, sheet_title: str, text_columns: str = "",
                      csv_format: bool = False, widths: dict[str, int] | None = None) -> HttpResponse:
    """An import template (the Chinese headers and an example row) as .xlsx, or as UTF-8 CSV with BOM.
    `text_columns` (letters) are formatted as text, so that ID numbers and phones stay digits, not 1.1E+17."""
    if csv_format:
        buffer = io.StringIO()
        csv.writer(buffer).writerows(neutralized(row) for row in rows)
        response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, f"{stem}.csv")
        return response
    # openpyxl is heavy and only for .xlsx: loaded on first use.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    for row in rows:
        sheet.append(neutralized(row))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = max(10, 2.2 * len(str(cell.value)) + 4)
    for column in text_columns:
        sheet.column_dimensions[column].number_format = "@"
        for cell in sheet[column]:
            cell.number_format = "@"
    for column, width in (widths or {}).items():
        sheet.column_dimensions[column].width = width
    workbook = io.BytesIO()
    book.save(workbook)
    response = HttpResponse(workbook.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, f"{stem}.xlsx")
    return response
