"""Merged cells and hidden or filtered rows (issue 12): workbooks as exporters keep them, each beside
its clean equivalent, a few KB each.

- ``merged_importer.xlsx`` (and ``.xlsm``): importer, installation and a date merged down over
  several rows, a title merged across the header region, an installation merged across two
  columns in one row; ``merged_importer_clean.xlsx`` gives every row its own value.
- ``merged_mass.xlsx``: the clean file with one mass merged over rows 3-5 (60 t shown once over
  three shipments): those rows must be rejected, the others agree with the clean file.
- ``hidden_rows.xlsx``: an AutoFilter on the shipment type hides two sample shipments
  (``hidden="1"`` rows, as Excel, LibreOffice and WPS write them); ``hidden_rows_all.xlsx`` holds
  the same rows unfiltered, ``hidden_rows_visible.xlsx`` only the rows left visible.
- ``hidden_rows_libreoffice.ods``: the same shipments written by hand as LibreOffice writes them:
  the filtered rows ``table:visibility="filter"``, the importer merged down with
  ``table:number-rows-spanned`` over covered cells, the title spanning the columns, and the
  trailing million empty rows.

openpyxl writes merges and hidden rows as Excel does; its timestamps are fixed afterwards so that
the files are the same on every build. tests/inputs/test_hostile_sheetxml.py asserts what each
one gives.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from _zipfixed import write_zip

AREA = "habits/sheetxml"

TITLE = "2026年 CBAM 出口明细 (export details)"
HEADER = ("cn_code", "country", "net_mass_t", "import_date", "importer", "installation", "发货类型")
STEEL = "7208 51 20"

# body rows from row 3 (row 1: title, row 2: header): mass, date, importer, installation, type
ROWS = [
    (20, dt.date(2026, 2, 10), "Alpha GmbH", "Baosteel Plant 1", "EU"),
    (20, dt.date(2026, 2, 11), "Alpha GmbH", "Baosteel Plant 1", "EU"),
    (20, dt.date(2026, 2, 12), "Alpha GmbH", "Baosteel Plant 1", "EU"),
    (30, dt.date(2026, 3, 5), "Beta BV", "Baosteel Plant 1", "EU"),
    (15, dt.date(2026, 3, 5), "Beta BV", "Shougang Works", "EU"),
    (10, dt.date(2026, 4, 20), "Gamma SA", "Shougang Works", "EU"),
    (12, dt.date(2026, 5, 2), "Gamma SA", "Shougang Works", "EU"),
]
# hidden_rows: the same shipments with two samples the AutoFilter hides (rows 5 and 8)
HIDDEN_ROWS = [list(r) for r in ROWS]
HIDDEN_ROWS[2][4] = "sample"
HIDDEN_ROWS[5][4] = "sample"
HIDDEN = (5, 8)

# merged_importer: (range, column) merged down; the cells under the first are left empty
BODY_MERGES = ("E3:E5", "E6:E7", "F3:F6", "D6:D7")
HORIZONTAL = "F9:G9"  # an installation written across two columns of one row

_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def _save(wb, path: Path, macro: bool = False) -> None:
    """Save an openpyxl workbook with its timestamps fixed (deterministic bytes)."""
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    parts["docProps/core.xml"] = _CORE_DATES.sub(
        rb"\g<1>2026-01-01T00:00:00Z\g<2>", parts["docProps/core.xml"]
    )
    if macro:
        ct = parts["[Content_Types].xml"].decode()
        parts["[Content_Types].xml"] = ct.replace(XLSX_MAIN, XLSM_MAIN).encode()
    write_zip(path, parts)


def _workbook(rows, *, merge: bool = False, blank_under_merges: bool = False):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "出口明细"
    ws.append([TITLE])
    ws.append(list(HEADER))
    for mass, day, importer, installation, kind in rows:
        ws.append([STEEL, "CN", mass, day, importer, installation, kind])
    for row in ws.iter_rows(min_row=3, min_col=4, max_col=4):
        for c in row:
            c.number_format = "yyyy-mm-dd"
    ws.merge_cells("A1:G1")  # the title over the header region
    if merge:
        for ref in BODY_MERGES:
            ws.merge_cells(ref)  # openpyxl empties the cells under the first, as Excel does
        ws["F9"] = "Shougang Works"
        ws.merge_cells(HORIZONTAL)
    return wb


def build(folder: Path) -> None:
    _save(_workbook(ROWS), folder / "merged_importer_clean.xlsx")
    _save(_workbook(ROWS, merge=True), folder / "merged_importer.xlsx")
    _save(_workbook(ROWS, merge=True), folder / "merged_importer.xlsm", macro=True)

    wb = _workbook(ROWS)
    wb.active.merge_cells("C3:C5")  # 20 t on row 3 shown over three shipments
    wb.active["C3"] = 60
    _save(wb, folder / "merged_mass.xlsx")

    wb = _workbook(HIDDEN_ROWS)
    ws = wb.active
    ws.auto_filter.ref = f"A2:G{2 + len(HIDDEN_ROWS)}"
    ws.auto_filter.add_filter_column(6, ["EU"])
    for r in HIDDEN:
        ws.row_dimensions[r].hidden = True
    _save(wb, folder / "hidden_rows.xlsx")
    _save(_workbook(HIDDEN_ROWS), folder / "hidden_rows_all.xlsx")
    visible = [r for i, r in enumerate(HIDDEN_ROWS) if i + 3 not in HIDDEN]
    _save(_workbook(visible), folder / "hidden_rows_visible.xlsx")

    write_zip(folder / "hidden_rows_libreoffice.ods", _ods_parts(HIDDEN_ROWS))


# ---------------------------------------------------------------------------- ods
_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"'
)


def _text(value: str, attrs: str = "") -> str:
    return f'<table:table-cell office:value-type="string"{attrs}><text:p>{value}</text:p></table:table-cell>'


def _ods_parts(rows) -> dict[str, str]:
    """content.xml as LibreOffice writes it: the filtered rows marked ``visibility="filter"``,
    the importer of rows 3-5 spanning them over covered cells."""
    body = [
        "<table:table-row>"
        + _text(TITLE, ' table:number-columns-spanned="7"')
        + '<table:covered-table-cell table:number-columns-repeated="6"/></table:table-row>',
        "<table:table-row>" + "".join(_text(h) for h in HEADER) + "</table:table-row>",
    ]
    for i, (mass, day, importer, installation, kind) in enumerate(rows):
        row = i + 3
        vis = ' table:visibility="filter"' if row in HIDDEN else ""
        if row == 3:
            imp = _text(importer, ' table:number-rows-spanned="3"')
        elif row in (4, 5):
            imp = "<table:covered-table-cell/>"
        else:
            imp = _text(importer)
        body.append(
            f"<table:table-row{vis}>"
            + _text(STEEL)
            + _text("CN")
            + f'<table:table-cell office:value-type="float" office:value="{mass}"><text:p>{mass}</text:p>'
            "</table:table-cell>"
            + f'<table:table-cell office:value-type="date" office:date-value="{day.isoformat()}">'
            f"<text:p>{day.isoformat()}</text:p></table:table-cell>"
            + imp
            + _text(installation)
            + _text(kind)
            + "</table:table-row>"
        )
    body.append('<table:table-row table:number-rows-repeated="1048560"><table:table-cell/></table:table-row>')
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_NS}><office:body>'
        '<office:spreadsheet><table:table table:name="出口明细">'
        '<table:table-column table:number-columns-repeated="7"/>'
        + "".join(body)
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    return {
        "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
        "content.xml": content,
        "META-INF/manifest.xml": manifest,
    }
