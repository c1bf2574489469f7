"""Spreadsheets the platform writes never carry a formula that a spreadsheet program would run."""
import csv
import io

from openpyxl import load_workbook

from shuanglian.core import tabular
from shuanglian.core.tabular import RowError, neutralize, read_table, template_response, write_rejects

ATTACKS = ["=cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0", "-2+3+cmd|'/C calc'!A0", "@SUM(1+9)*cmd|'/C calc'!A0",
           "\t=1+2", "\r=1+2"]


def test_formula_starts_get_an_apostrophe_and_plain_values_stay():
    for attack in ATTACKS:
        assert neutralize(attack) == "'" + attack
    for plain in ["王大明", "13800138000", "-3.5", "+86", "", 36000, None]:
        assert neutralize(plain) == plain


def test_rejected_rows_csv_neutralizes_formulas_and_reads_back_as_typed(tmp_path):
    source = tmp_path / "in.csv"
    with open(source, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["姓名", "备注"], ["=cmd|' /C calc'!A0", "@SUM(A1)"], ["李四", "ok"]])
    target = tmp_path / "rejects.csv"
    write_rejects(source=source, target=target, errors=[RowError(2, "姓名", "=bad")], rejected_lines={2})
    with open(target, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[1] == ["2", "'=cmd|' /C calc'!A0", "'@SUM(A1)", "姓名: =bad"]
    assert not any(c.startswith(tabular.FORMULA_START) for row in rows for c in row)
    # Corrected and imported again, the file gives back what was typed.
    _header, again = read_table(target)
    assert again[0][1][1:3] == ["=cmd|' /C calc'!A0", "@SUM(A1)"]


def test_templates_neutralize_in_csv_and_xlsx():
    rows = [["姓名", "备注"], ["=1+2", "-cmd"]]
    text = template_response(rows, stem="t", sheet_title="t", csv_format=True).content.decode("utf-8-sig")
    assert text.splitlines()[1] == "'=1+2,'-cmd"
    book = load_workbook(io.BytesIO(template_response(rows, stem="t", sheet_title="t").content))
    cells = [c for c in book.active[2]]
    assert [c.value for c in cells] == ["'=1+2", "'-cmd"] and all(c.data_type == "s" for c in cells)
