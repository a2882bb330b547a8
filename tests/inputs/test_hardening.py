"""The traps of real spreadsheets, and hostile files: each handled, nothing lost, nothing guessed."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from conftest import line

from cbam_calc.cli import main
from cbam_calc.compute.batch import run_batch
from cbam_calc.compute.calculate import calculate
from cbam_calc.core.errors import InputFileError

HEADER = ["cn_code", "country", "net_mass_t", "import_date"]


def book(path, rows, *, title_rows=0, sheets=None, merge=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Exports"
    for _ in range(title_rows):
        ws.append(["CBAM shipments, company X"])
    for r in rows:
        ws.append(r)
    if merge:
        ws.merge_cells(merge)
    for name, srows in (sheets or {}).items():
        other = wb.create_sheet(name)
        for r in srows:
            other.append(r)
    wb.save(path)
    return path


def test_merged_title_and_header_cells(tmp_path):
    path = book(
        tmp_path / "m.xlsx",
        [["Shipments 2026 — merged title"], HEADER, ["7208 51 20", "CN", 100, dt.date(2026, 2, 10)]],
        merge="A1:D1",
    )
    r = calculate(path)
    assert r.summary.lines == 1 and r.summary.inputs[0].header_row == 2


def test_trailing_empty_rows_and_columns_are_not_rows(tmp_path):
    path = tmp_path / "t.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["7208 51 20", "CN", 100, dt.date(2026, 2, 10)])
    for r in range(3, 40):  # formatted but empty cells, as Excel leaves them
        ws.cell(row=r, column=1).number_format = "@"
        ws.cell(row=r, column=8).value = None
    ws.cell(row=50, column=10).value = "   "
    wb.save(path)
    r = calculate(path)
    assert (r.summary.rows_read, r.summary.lines, r.summary.rejected) == (1, 1, 0)


def test_totals_row_at_the_bottom_is_excluded_with_a_warning(tmp_path):
    path = book(
        tmp_path / "t.xlsx",
        [
            HEADER,
            ["7208 51 20", "CN", 100, dt.date(2026, 2, 10)],
            ["7208 51 20", "CN", 50, dt.date(2026, 3, 10)],
            ["合计", None, 150, None],
        ],
    )
    r = calculate(path)
    assert r.summary.lines == 2 and r.summary.net_mass_t == 150
    rej = r.rejected.iloc[0]
    assert rej["row"] == 4 and rej["reason"] == "totals row, not a shipment: excluded"
    assert any("totals row" in w for w in r.summary.warnings)
    # a totals row is no shipment: no "rejected rows not counted for de minimis" warning, and a
    # strict batch over the folder passes
    assert not any(w.startswith("rejected rows are not counted") for w in r.summary.warnings)
    assert main(["batch", str(tmp_path), "--strict"]) == 0
    assert run_batch([tmp_path]).rejected_shipments == 0


def test_numbers_and_dates_stored_as_text_full_width_and_chinese(tmp_path):
    path = book(
        tmp_path / "t.xlsx",
        [
            HEADER,
            ["72085120", "中国", "１２，５００", "２０２６年２月１０日"],
            [72085120, "CN", "25.5", 46063],
        ],
    )
    r = calculate(path)
    assert line(r, 2)["net_mass_t"] == 12500.0
    assert str(line(r, 2)["import_date_used"])[:10] == "2026-02-10"
    assert line(r, 3)["net_mass_t"] == 25.5 and str(line(r, 3)["import_date_used"])[:10] == "2026-02-10"


def test_heading_instead_of_cn_code_lists_the_candidates(run):
    r = run(
        [
            {"cn_code": "720851", "country": "CN", "net_mass_t": "5", "import_date": "2026-01-05"},
            {"cn_code": "7208512", "country": "CN", "net_mass_t": "5", "import_date": "2026-01-05"},
        ]
    )
    reasons = r.rejected["reason"].tolist()
    assert reasons[0].startswith(
        "720851 is a heading, not an 8-digit CN code: CBAM codes under it: 7208 51 20"
    )
    assert "no CBAM code starts with 0" in reasons[1]


def test_formula_cached_value_is_read_and_missing_value_is_rejected(tmp_path):
    path = book(
        tmp_path / "f.xlsx",
        [
            HEADER,
            ["7208 51 20", "CN", "=40+60", dt.date(2026, 2, 10)],
            ["7208 51 20", "CN", 100, dt.date(2026, 2, 10)],
        ],
    )
    # openpyxl saves formulas without a value: the cell must be rejected, not read as empty
    r = calculate(path)
    rej = r.rejected.iloc[0]
    assert (rej["row"], rej["column"]) == (2, "net_mass_t")
    assert rej["reason"].startswith("formula without a saved value")
    # a workbook saved by Excel carries the value: put one in the XML, as Excel does
    raw = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert b"<f>40+60</f><v />" in raw
    fixed = tmp_path / "cached.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(fixed, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<f>40+60</f><v />", b"<f>40+60</f><v>100</v>")
            if item.filename == "xl/workbook.xml":  # Excel saves without asking for a recalculation
                assert b'fullCalcOnLoad="1"' in data
                data = data.replace(b'fullCalcOnLoad="1"', b"")
            dst.writestr(item, data)
    r = calculate(fixed)
    assert r.summary.rejected == 0 and line(r, 2)["net_mass_t"] == 100


def test_several_sheets_the_user_chooses(tmp_path):
    rows = [HEADER, ["7208 51 20", "CN", 100, dt.date(2026, 2, 10)]]
    path = book(tmp_path / "two.xlsx", rows, sheets={"Q2": rows})
    r = calculate(path)
    assert any("other sheets also look like shipment tables (Q2)" in w for w in r.summary.warnings)
    assert calculate(path, sheet="Q2").summary.inputs[0].sheet == "Q2"
    path = book(tmp_path / "intro.xlsx", [["Read me first"]], sheets={"Data": rows, "Old": rows})
    with pytest.raises(InputFileError, match="choose one with --sheet: Data, Old"):
        calculate(path)


def _zip(path, parts: dict[str, bytes], compress=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compress) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def _minimal_parts(sheet_xml: bytes, workbook_xml: bytes | None = None) -> dict[str, bytes]:
    buf = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.append(HEADER)
    wb.save(buf)
    with zipfile.ZipFile(buf) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/worksheets/sheet1.xml"] = sheet_xml
    if workbook_xml is not None:
        parts["xl/workbook.xml"] = workbook_xml
    return parts


def test_zip_bomb_is_refused_without_expanding_it(tmp_path):
    bomb = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>" + b" " * (64 * 1024**2) + b"</sheetData></worksheet>"
    )
    path = _zip(tmp_path / "bomb.xlsx", _minimal_parts(bomb))
    assert path.stat().st_size < 1024**2
    with pytest.raises(InputFileError, match="looks like a zip bomb"):
        calculate(path)


def test_oversized_dimension_is_not_trusted(tmp_path):
    # the guard bounds the cells actually present (tests/inputs/test_hostile_workbooks.py): a
    # <dimension> claiming 700 million cells over an empty sheet neither refuses nor allocates
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="A1:ZZ1048576"/><sheetData/></worksheet>'
    )
    with pytest.raises(InputFileError, match="the sheet is empty"):
        calculate(_zip(tmp_path / "huge.xlsx", _minimal_parts(sheet)))


def test_xml_entities_in_the_workbook_are_refused(tmp_path):
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheets><sheet name='&b;' sheetId='1'/></sheets></workbook>"
    )
    parts = _minimal_parts(
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>', evil
    )
    with pytest.raises(InputFileError, match="cannot be read safely"):
        calculate(_zip(tmp_path / "evil.xlsx", parts))


def test_csv_line_with_too_many_values_is_rejected_not_shifted(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(
        "cn_code,country,net_mass_t,import_date\n"
        "7208 51 20,CN,100,2026-02-10\n"
        "\n"
        "7208 51 20,CN,12,5,2026-02-10\n"  # an unquoted decimal comma
        "7208 51 20,CN,50\n"  # a short line: the missing date is reported, not guessed
        '7208 51 20,CN,"12,5",2026-03-10\n',
        encoding="utf-8",
    )
    r = calculate(path, raise_if_empty=False)
    got = {int(x.row): x.reason for x in r.rejected.itertuples()}
    assert got[4].startswith("this line has 5 values but the header has 4 columns")
    assert got[5] == "missing import date"
    assert line(r, 6)["net_mass_t"] == 12.5
    assert r.summary.rows_read == 4 and r.summary.lines == 2  # the blank line 3 is not a row
    assert sorted([*r.lines["row"], *r.rejected["row"]]) == [2, 4, 5, 6]
