"""Hostile numbers and parquet oddities (issue 11): one file per case, deterministic.

Numbers: the decimal mark of a column is settled from the file's delimiter and all the column's
texts (parse.convention); a text both conventions read differently, in a column that settles
nothing, is rejected as ambiguous. Each CSV/xlsx has one China hot-rolled coil line per mass
(7208 51 20, CN, 2026-02-10), so the tests can state the tonnes and the EUR of each line.

Parquet: list, struct, map and binary columns, column names that are not strings, no rows and no
columns: each must end in one line naming the file, exit 2 (a list column was an internal error).
"""

from __future__ import annotations

from pathlib import Path

from _zipfixed import write_zip

AREA = "numbers"

GOOD = ("7208 51 20", "CN", "2026-02-10")
HEADER = ("cn_code", "country", "net_mass_t", "import_date")

# name -> (delimiter, masses as written, one line each)
CSV_CASES: dict[str, tuple[str, list[str]]] = {
    "semicolon_decimal_comma.csv": (";", ["24,350"]),  # European Excel: 24.35 t
    "semicolon_thousands_point.csv": (";", ["24.350", "100"]),  # 24350 t: a ; file writes 1.234,5
    "semicolon_point_decimals.csv": (";", ["24.350", "2.5"]),  # 2.5 contradicts the ; : 24.350 ambiguous
    "comma_quoted_thousands.csv": (",", ['"24,350"', "100"]),  # a , file: the comma groups thousands
    "comma_file_decimal_comma.csv": (",", ['"24,350"', '"0,5"']),  # 0,5 contradicts the , file
    "tab_no_evidence.csv": ("\t", ["24,350", "100"]),  # nothing tells: 24,350 rejected
    "tab_decimal_comma.csv": ("\t", ["24,350", "0,5"]),  # 0,5 settles a decimal comma
    "tab_decimal_point.csv": ("\t", ["24.350", "1,234.5"]),  # 1,234.5 settles a decimal point
    "tab_mixed_conventions.csv": ("\t", ["1.234,5", "1,234.5", "24,350", "100"]),
    "semicolon_spaces.csv": (";", ["1\u00a0234,5", "1\u202f234,5", "1 234", "12'345,5"]),
    "semicolon_fullwidth.csv": (";", ["２４，３５０", "２４.３５０"]),  # 24.35 t, 24350 t
    "semicolon_units.csv": (";", ["24,350 t", "24,350吨", "1.234,5 tonnes"]),
}

# name -> masses as cells (str: a text cell, float: a number cell)
XLSX_CASES: dict[str, list[str | float]] = {
    "xlsx_text_decimal_comma.xlsx": ["24,350", "1.234,5", 24.35],  # the column shows 1.234,5
    "xlsx_text_no_evidence.xlsx": ["24,350", 24.35],  # a number cell tells nothing about text
    "xlsx_text_thousands.xlsx": ["24,350", "1,234.5"],  # 1,234.5: the comma groups thousands
}


def _csv(sep: str, masses: list[str]) -> bytes:
    lines = [sep.join(HEADER)]
    for m in masses:
        code, country, date = GOOD
        lines.append(sep.join((code, country, m, date)))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _col(i: int) -> str:
    return "ABCD"[i]


def _cell(ref: str, value: str | float) -> str:
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{_escape(value)}</t></is></c>'
    return f'<c r="{ref}"><v>{value!r}</v></c>'


def _xlsx(path: Path, masses: list[str | float]) -> None:
    """A minimal workbook (inline strings): what calamine and Excel read, no volatile metadata."""
    rows = [list(HEADER)] + [[GOOD[0], GOOD[1], m, GOOD[2]] for m in masses]
    xml_rows = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(_cell(f"{_col(c)}{r}", v) for c, v in enumerate(row))
        xml_rows.append(f'<row r="{r}">{cells}</row>')
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:D{len(rows)}"/><sheetData>{"".join(xml_rows)}</sheetData></worksheet>'
    )
    write_zip(
        path,
        {
            "[Content_Types].xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                'relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                'officedocument.spreadsheetml.sheet.main+xml"/>'
                '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
                'officedocument.spreadsheetml.worksheet+xml"/></Types>'
            ),
            "_rels/.rels": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
            ),
            "xl/workbook.xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                '<sheets><sheet name="Shipments" sheetId="1" r:id="rId1"/></sheets></workbook>'
            ),
            "xl/_rels/workbook.xml.rels": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
            ),
            "xl/worksheets/sheet1.xml": sheet,
        },
    )


def _parquet(folder: Path) -> None:
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    def base(n: int = 1) -> dict:
        return {"cn_code": [GOOD[0]] * n, "country": [GOOD[1]] * n, "import_date": [GOOD[2]] * n}

    def write(name: str, table: pa.Table) -> None:
        pq.write_table(table, folder / name, compression="NONE")

    write("list_column.parquet", pa.table({**base(), "net_mass_t": pa.array([[24.35, 1.0]])}))
    write("list_note_column.parquet", pa.table({**base(), "net_mass_t": [24.35], "note": pa.array([["a"]])}))
    write("struct_column.parquet", pa.table({**base(), "net_mass_t": pa.array([{"value": 24.35}])}))
    mass_map = pa.array([[("t", 24.35)]], type=pa.map_(pa.string(), pa.float64()))
    write("map_column.parquet", pa.table({**base(), "net_mass_t": mass_map}))
    write("binary_column.parquet", pa.table({**base(), "net_mass_t": pa.array([b"24.35"])}))
    ints = pa.Table.from_pandas(pd.DataFrame([[GOOD[0], GOOD[1], 24.35, GOOD[2]]]), preserve_index=False)
    write("int_column_names.parquet", ints)
    empty = {k: pa.array([], type=pa.string()) for k in HEADER}
    write("no_rows.parquet", pa.table(empty))
    write("no_columns.parquet", pa.table({}))
    write("decimal_text_column.parquet", pa.table({**base(2), "net_mass_t": ["24,350", "1.234,5"]}))


def build(folder: Path) -> None:
    for name, (sep, masses) in CSV_CASES.items():
        (folder / name).write_bytes(_csv(sep, masses))
    for name, masses in XLSX_CASES.items():
        _xlsx(folder / name, masses)
    _parquet(folder)
