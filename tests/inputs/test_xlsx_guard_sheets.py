"""The guard's scan of one sheet as Excel writes it (column widths, conditional formats, page
margins, thousands of formulas caching an empty string) and guard_sheets, the guard of a workbook
read sheet by sheet (a communication template)."""

from __future__ import annotations

import zipfile

import pytest

from cbam_calc.core.errors import InputFileError
from cbam_calc.inputs import xlsx_guard

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _sheet(cells: str) -> str:
    # what Excel writes around the cells: <cols>, a conditional format (operator="..."), page margins
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS} xmlns:r="{RELS}">'
        '<cols><col min="1" max="3" width="12"/></cols><sheetData>'
        f"{cells}</sheetData>"
        '<conditionalFormatting sqref="A1:C9"><cfRule type="cellIs" operator="equal" priority="1">'
        "<formula>0</formula></cfRule></conditionalFormatting>"
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    )


def _workbook(path, sheets: dict[str, str]) -> None:
    names = list(sheets)
    wb = "".join(f'<sheet name="{n}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, n in enumerate(names))
    rels = "".join(
        f'<Relationship Id="rId{i + 1}" Type="{RELS}/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
        for i in range(len(names))
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", f'<workbook {NS} xmlns:r="{RELS}"><sheets>{wb}</sheets></workbook>')
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>',
        )
        for i, n in enumerate(names):
            z.writestr(f"xl/worksheets/sheet{i + 1}.xml", _sheet(sheets[n]))


def _rows(n: int, uncached_at: int | None = None) -> str:
    out = []
    for r in range(1, n + 1):
        value = "<v></v>" if r != uncached_at else ""
        t = ' t="str"' if r != uncached_at else ""
        out.append(
            f'<row r="{r}"><c r="A{r}"><v>1</v></c><c r="B{r}"{t}><f>IF(A{r}="","",A{r})</f>{value}</c></row>'
        )
    return "".join(out)


def test_an_excel_sheet_with_conditional_formats_and_margins_takes_the_fast_path(tmp_path, monkeypatch):
    # operator="equal" and header="0.3" end in r=" too: they are no cell reference, and the scan
    # must not fall back to counting every cell element by element
    _workbook(tmp_path / "a.xlsx", {"S": _rows(300)})

    def exact(*args, **kwargs):
        raise AssertionError("the exact per-element path was taken")

    monkeypatch.setattr(xlsx_guard, "_scan_xlsx_exact", exact)
    sheet = xlsx_guard.guard_workbook(tmp_path / "a.xlsx", "a.xlsx").sheets["S"]
    assert (sheet.rows, sheet.cols, sheet.written) == (300, 2, 600)
    assert sheet.uncached_formulas == set()


def test_one_uncached_formula_among_thousands_of_cached_empty_strings_is_found(tmp_path):
    _workbook(tmp_path / "a.xlsx", {"S": _rows(3000, uncached_at=1234)})
    sheet = xlsx_guard.guard_workbook(tmp_path / "a.xlsx", "a.xlsx").sheets["S"]
    assert sheet.uncached_formulas == {(1234, 1)}


def test_guard_sheets_scans_the_sheets_asked_for_and_names_them_all(tmp_path):
    _workbook(tmp_path / "a.xlsx", {"Cover": _rows(5, uncached_at=2), "Data": _rows(10, uncached_at=7)})
    info = xlsx_guard.guard_sheets(tmp_path / "a.xlsx", "a.xlsx", ("Data", "Missing"))
    assert info.names == ["Cover", "Data"]
    assert list(info.sheets) == ["Data"] and info.sheets["Data"].uncached_formulas == {(7, 1)}


def test_guard_sheets_refuses_what_is_not_an_xlsx_in_one_line(tmp_path):
    (tmp_path / "a.xlsx").write_bytes(b"\xd0\xcf\x11\xe0old excel")
    with pytest.raises(InputFileError, match=r"^a\.xlsx: not an \.xlsx workbook"):
        xlsx_guard.guard_sheets(tmp_path / "a.xlsx", "a.xlsx", ("Data",))
    (tmp_path / "b.xlsx").write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(InputFileError, match=r"^b\.xlsx: the workbook is damaged"):
        xlsx_guard.guard_sheets(tmp_path / "b.xlsx", "b.xlsx", ("Data",))


def test_a_formula_typed_str_without_any_value_is_uncached(tmp_path):
    cells = '<row r="1"><c r="A1" t="str"><f>A2</f></c><c r="B1" t="str"><f>A3</f><v></v></c></row>'
    _workbook(tmp_path / "a.xlsx", {"S": cells})
    sheet = xlsx_guard.guard_workbook(tmp_path / "a.xlsx", "a.xlsx").sheets["S"]
    assert sheet.uncached_formulas == {(1, 0)}  # B1 is Excel's cached empty string: a value
