"""Spreadsheets the platform writes never carry a formula that a spreadsheet program would run."""
import csv
import io

import pytest
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


# --- Limits before and while reading (finding 11) and stale dimensions (finding 15) --------------------

@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


def test_the_limits_are_said_in_chinese_too(tmp_path, settings):
    from django.utils import translation

    settings.TABULAR_MAX_CELL_CHARS = 3
    path = tmp_path / "c.csv"
    path.write_text("姓名\n王大明明\n", encoding="utf-8")
    with translation.override("zh-hans"), pytest.raises(tabular.TableTooLarge, match="第 2 行第 1 列：4 个字符，超过上限 3 个"):
        read_table(path)


def _xlsx(path, rows):
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _set_dimension(path, ref):
    """Rewrite the sheet's declared dimension, as another program may leave it."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    members[sheet] = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="' + ref.encode() + b'"', members[sheet])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_stale_dimension_does_not_hide_the_rows(tmp_path):
    path = _set_dimension(_xlsx(tmp_path / "s.xlsx", [["姓名", "备注"], ["甲", "1"], ["乙", "2"], ["丙", "3"]]), "A1:A1")
    header, rows = read_table(path)
    assert header == ["姓名", "备注"] and [cells for _n, cells in rows] == [["甲", "1"], ["乙", "2"], ["丙", "3"]]


def test_a_huge_dimension_does_not_pad_rows(tmp_path):
    path = _set_dimension(_xlsx(tmp_path / "w.xlsx", [["姓名"], ["甲"]]), "A1:XFD1048576")
    assert read_table(path) == (["姓名"], [(2, ["甲"])])


def test_an_xlsx_that_unpacks_past_the_limit_is_refused_before_parsing(tmp_path, settings, monkeypatch):
    import openpyxl

    settings.TABULAR_MAX_UNCOMPRESSED_BYTES = 1_000_000
    path = _xlsx(tmp_path / "bomb.xlsx", [["姓名"], *([["x" * 1000]] * 1500)])
    assert path.stat().st_size < 100_000  # compresses well: the size on disk says nothing
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("parsed"))
    with pytest.raises(tabular.TableTooLarge, match="unpacks to 1 MB, more than the limit of 1 MB"):
        read_table(path)


def test_rows_columns_and_cell_length_are_limited(tmp_path, settings):
    settings.TABULAR_MAX_ROWS = 3
    many = tmp_path / "many.csv"
    many.write_text("姓名\n" + "".join(f"n{i}\n" for i in range(4)), encoding="utf-8")
    with pytest.raises(tabular.TableTooLarge, match="more than 3 rows"):
        read_table(many)
    with pytest.raises(tabular.TableTooLarge, match="more than 3 rows"):
        read_table(_xlsx(tmp_path / "many.xlsx", [["姓名"], ["a"], ["b"], ["c"], ["d"]]))
    settings.TABULAR_MAX_ROWS = 100
    long_name = "王" * 32_767
    for path in (_xlsx(tmp_path / "long.xlsx", [["姓名", "电话"], ["甲", "1"], [long_name, "2"]]),):
        with pytest.raises(tabular.TableTooLarge, match="line 3: column 1: 32767 characters, more than the limit"):
            read_table(path)
    wide = tmp_path / "wide.csv"
    wide.write_text("a\n" + ",".join("x" * 101) + "\n", encoding="utf-8")
    with pytest.raises(tabular.TableTooLarge, match="line 2: 101 columns"):
        read_table(wide)
