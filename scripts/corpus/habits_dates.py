"""tests/data/hostile/habits/dates/: the dates Chinese exporters keep, each beside its clean equivalent.

An exporter's sheet dates a shipment by its export declaration (报关日期), weeks before the goods
are released in the EU, the date that fixes the CBAM certificate price (Reg 2023/956 Art 21; the
price-period rule of ../shared/domain/RULES.md). Or it gives the month alone (2026年5月), which fixes
the 2026 quarter but not the week of a 2027 import. The messy files and their clean twins:

- ``export_date_only.xlsx`` (报关日期, real Excel date cells): stops, naming both options;
  with ``--column import_date=报关日期`` it equals ``import_date_same_day.xlsx``; with
  ``--from-export-date 30`` it equals ``import_date_plus_30.xlsx`` (a December export lands in
  January 2027 and takes a 2027 price, a late-March export lands in Q2).
- ``export_date_only.csv``: the same, saved by Excel as "CSV UTF-8" (BOM, CRLF, Chinese headers).
- ``import_and_export_dates.csv``: both dates; the import date is used (= ``import_date_plus_30.csv``).
- ``month_only_2026.csv`` / ``month_only_2026.xlsx``: months alone written as Chinese, ISO,
  English and slashed text (and, in the workbook, a date cell formatted to show the month, which is
  a full date); equal to ``quarter_dates_2026.csv`` whose dates lie in the same quarters.
- ``month_only_2027.csv``: a 2027 month, rejected (weekly prices from 2027).

Workbooks are written by openpyxl as Excel writes them (shared strings, dates as serial numbers
with a date format), then zipped again with fixed timestamps and fixed document dates.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from _zipfixed import save_workbook

AREA = "habits/dates"

TRANSIT_DAYS = 30

# (CN code, country, tonnes, export date, importer): 60 t and more per importer, so that de minimis
# exempts nothing and the price of each period shows in the cost
SHIPMENTS = [
    ("7208 51 20", "中国", 120.0, dt.date(2026, 12, 10), "Rhein Stahl GmbH"),  # lands in January 2027
    ("7208 51 20", "中国", 80.0, dt.date(2026, 3, 25), "Rhein Stahl GmbH"),  # lands in Q2, not Q1
    ("7601 10 90", "中国", 60.0, dt.date(2026, 5, 6), "Milano Alluminio SpA"),
    ("2523 29 00", "中国", 75.5, dt.date(2026, 8, 20), "Milano Alluminio SpA"),
]
HEAD = ["商品编码", "原产国", "净重(吨)"]

# months alone, as typed (text), and a full date in the same quarter for the clean twin
MONTHS_2026 = [
    ("7208 51 20", "中国", 120.0, "2026年2月", dt.date(2026, 2, 14)),
    ("7208 51 20", "中国", 80.0, "2026-05", dt.date(2026, 5, 20)),
    ("7601 10 90", "中国", 60.0, "Aug 2026", dt.date(2026, 8, 3)),
    ("2523 29 00", "中国", 75.5, "2026/11", dt.date(2026, 11, 30)),
]


def _excel_csv(path: Path, rows: list[list]) -> None:
    """A CSV as Excel's "CSV UTF-8" saves it: BOM, CRLF, fields quoted only where needed."""

    def cell(v) -> str:
        s = v.isoformat() if isinstance(v, dt.date) else f"{v:g}" if isinstance(v, float) else str(v)
        return f'"{s}"' if "," in s or '"' in s else s

    text = "\r\n".join(",".join(cell(v) for v in r) for r in rows) + "\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))


def _xlsx(path: Path, rows: list[list], formats: dict[int, str] | None = None) -> None:
    """A one-sheet workbook; ``formats``: number format by column index for its date cells."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "出口明细"
    for r in rows:
        ws.append(r)
    for c, fmt in (formats or {}).items():
        for cells in ws.iter_rows(min_row=2, min_col=c + 1, max_col=c + 1):
            for x in cells:
                if isinstance(x.value, dt.date):
                    x.number_format = fmt
    save_workbook(wb, path)


def _rows(date_headers: list[str], dates) -> list[list]:
    out = [[*HEAD, *date_headers, "进口商"]]
    for (cn, country, t, _, importer), ds in zip(SHIPMENTS, dates):
        out.append([cn, country, t, *ds, importer])
    return out


def build(folder: Path) -> None:
    same = [[e] for _, _, _, e, _ in SHIPMENTS]
    plus = [[e + dt.timedelta(days=TRANSIT_DAYS)] for _, _, _, e, _ in SHIPMENTS]
    both = [[i, e] for (_, _, _, e, _), (i,) in zip(SHIPMENTS, plus)]
    date_format = {3: "yyyy/m/d"}  # as a Chinese Excel shows a date
    _xlsx(folder / "export_date_only.xlsx", _rows(["报关日期"], same), date_format)
    _xlsx(folder / "import_date_same_day.xlsx", _rows(["进口日期"], same), date_format)
    _xlsx(folder / "import_date_plus_30.xlsx", _rows(["进口日期"], plus), date_format)
    _excel_csv(folder / "export_date_only.csv", _rows(["报关日期"], same))
    _excel_csv(folder / "import_date_plus_30.csv", _rows(["进口日期"], plus))
    _excel_csv(folder / "import_and_export_dates.csv", _rows(["进口日期", "报关日期"], both))

    month_head = [*HEAD, "进口日期"]
    _excel_csv(folder / "month_only_2026.csv", [month_head, *([c, o, t, m] for c, o, t, m, _ in MONTHS_2026)])
    _excel_csv(
        folder / "quarter_dates_2026.csv", [month_head, *([c, o, t, d] for c, o, t, _, d in MONTHS_2026)]
    )
    # the workbook: three months typed as text, one a date cell Excel shows as 2026年8月 (a full
    # date, 1 August: read as the day it is)
    book = [month_head]
    for c, o, t, m, _ in MONTHS_2026:
        book.append([c, o, t, dt.datetime(2026, 8, 1) if m == "Aug 2026" else m])
    _xlsx(folder / "month_only_2026.xlsx", book, {3: 'yyyy"年"m"月"'})
    _excel_csv(
        folder / "month_only_2027.csv",
        [month_head, ["7208 51 20", "中国", 120.0, "2027年3月"], ["7601 10 90", "中国", 60.0, "2027-03-16"]],
    )
