"""Issue 12, "Also found" and 10-digit codes: files that are not spreadsheets, workbooks whose first
sheet is a cover, batch members whose table is on another sheet, Chinese 10-digit tariff codes.

Each messy file sits beside the clean file it must agree with (``shipments_clean.csv``, the same
lines a careful user would give), or is one that must stop with a one-line error saying what the
file is. tests/inputs/test_hostile_habits_misc.py asserts what each gives.
"""

from __future__ import annotations

from pathlib import Path

from _zipfixed import write_zip
from workbooks import number, row, sheet, text, xlsx

AREA = "habits/misc"

HEADER = ("cn_code", "country", "net_mass_t", "import_date", "importer")
LINES = (
    ("7208 51 20", "CN", 120.0, "2026-02-10", "Rheinland Stahl GmbH"),
    ("7208 39 00", "CN", 80.0, "2026-03-05", "Rheinland Stahl GmbH"),
    ("7601 10 10", "CN", 30.0, "2026-04-14", "Alu Nord SA"),
)


def _csv(lines=LINES, header=HEADER) -> str:
    return "\n".join([",".join(header), *(",".join(str(v) for v in ln) for ln in lines)]) + "\n"


def _table_sheet(lines=LINES, first_row: int = 1) -> str:
    """A sheet holding the shipments table, its header on ``first_row``."""
    cols = "ABCDE"
    rows = row(first_row, "".join(text(f"{c}{first_row}", h) for c, h in zip(cols, HEADER, strict=True)))
    for i, (cn, country, mass, date, importer) in enumerate(lines):
        r = first_row + 1 + i
        rows += row(
            r,
            text(f"A{r}", cn)
            + text(f"B{r}", country)
            + number(f"C{r}", mass)
            + text(f"D{r}", date)
            + text(f"E{r}", importer),
        )
    return sheet(rows)


def _cover_sheet() -> str:
    """A cover as exporters keep one: a title, the company, a date; no table."""
    return sheet(
        row(1, text("A1", "CBAM 申报资料 / CBAM declaration data"))
        + row(2, text("A2", "河北钢铁出口有限公司"))
        + row(4, text("A4", "编制日期"))
        + row(5, text("A5", "2026-04-30"))
    )


def _not_spreadsheets(folder: Path) -> None:
    (folder / "script.csv").write_text(
        "#!/usr/bin/env python3\nimport csv\n\n\ndef main():\n    print('hello')\n", encoding="utf-8"
    )
    (folder / "document.csv").write_bytes(
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n%%EOF\n"
    )
    (folder / "picture.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(32))
    (folder / "photo.csv").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + bytes(32))
    write_zip(folder / "archive.csv", {"shipments.csv": _csv()})
    (folder / "page.csv").write_text(
        "<!DOCTYPE html>\n<html><head><title>Shipments</title></head><body><table><tr><td>cn_code</td>"
        "</tr></table></body></html>\n",
        encoding="utf-8",
    )
    (folder / "empty.csv").write_bytes(b"")
    xlsx(folder / "workbook.csv", [("Shipments", "", _table_sheet())])  # an xlsx saved as .csv
    # an Excel 97 (.xls) file: the OLE2 compound file signature, then its header sector
    (folder / "old_workbook.csv").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504))
    (folder / "text.xlsx").write_text(_csv(), encoding="utf-8")  # CSV text saved as .xlsx
    (folder / "document.xlsx").write_bytes((folder / "document.csv").read_bytes())


def _sheets(folder: Path) -> None:
    xlsx(folder / "cover_first.xlsx", [("封面", "", _cover_sheet()), ("明细", "", _table_sheet())])
    xlsx(
        folder / "cover_two_tables.xlsx",
        [("Cover", "", _cover_sheet()), ("2025", "", _table_sheet()), ("2026", "", _table_sheet())],
    )
    # a batch run with --sheet Shipments: the second member keeps its table on a sheet named otherwise
    batch = folder / "batch_sheet"
    batch.mkdir()
    xlsx(batch / "hebei.xlsx", [("Shipments", "", _table_sheet())])
    xlsx(batch / "tianjin.xlsx", [("封面", "", _cover_sheet()), ("明细", "", _table_sheet())])
    # and one whose other sheets hold two tables: which one is not for the tool to guess
    two = folder / "batch_sheet_two"
    two.mkdir()
    xlsx(two / "hebei.xlsx", [("Shipments", "", _table_sheet())])
    xlsx(two / "tianjin.xlsx", [("一季度", "", _table_sheet()), ("二季度", "", _table_sheet())])


def _ten_digit(folder: Path) -> None:
    # Chinese national tariff codes (10 digits): the EU CN code is read as the first 8
    ten = (
        ("7208390090", "CN", 40.0, "2026-02-10", "Rheinland Stahl GmbH"),
        ("7208390090", "CN", 25.0, "2026-02-20", "Rheinland Stahl GmbH"),
        ("7208 39 00 90", "CN", 15.0, "2026-03-02", "Rheinland Stahl GmbH"),
        ("7601101000", "CN", 30.0, "2026-04-14", "Alu Nord SA"),
        ("7208 51 20", "CN", 120.0, "2026-02-10", "Rheinland Stahl GmbH"),
    )
    clean = [(ln[0].replace(" ", "")[:8], *ln[1:]) for ln in ten]
    (folder / "ten_digit.csv").write_text(_csv(ten), encoding="utf-8")
    (folder / "ten_digit_clean.csv").write_text(_csv(clean), encoding="utf-8")


def build(folder: Path) -> None:
    (folder / "shipments_clean.csv").write_text(_csv(), encoding="utf-8")
    _not_spreadsheets(folder)
    _sheets(folder)
    _ten_digit(folder)
