"""tests/data/hostile/habits/earlier/: four habits whose behaviour landed before the habit workbooks.

Workbooks as a Chinese exporter keeps them: a title row above a Chinese header (商品编码, 原产国,
净重(吨), 进口日期, 进口商, 目的国), dates as real Excel date cells, each messy file beside its clean
equivalent. The title is row 1 and the header row 2, so the first shipment is row 3.

- ``importer_blank.xlsx``: three rows with no importer (rows 4, 6, 7; one holds only spaces):
  one unnamed importer for de minimis, "(no importer)", 18 + 12.5 + 9 = 39.5 t, exempt, with a
  warning naming the rows. ``importer_blank_clean.xlsx``: the same rows with that importer
  written as one name (Nord Handel GmbH): the same de minimis outcome and EUR, no warning.
- ``destination.xlsx``: a 目的国 column; 美国, UK and 英国 lie outside the EU customs territory
  (Art 2 of Regulation (EU) 2023/956), 鹿特丹 (a port, not a country) is not recognised; 德国, DE,
  欧盟, EU are computed. ``destination_clean.xlsx``: only those four EU rows, the same lines and EUR.
- ``batch_duplicate/``: alpha.xlsx, beta.xlsx and "beta - 副本.xlsx" (what Windows in Chinese
  names a copy), byte for byte beta.xlsx: counted once. ``batch_clean/``: alpha and beta only,
  the same totals.
- ``old_codes.xlsx``: codes from before CN 2026 under headings Annex I covers (7601 10 00, and
  3102 10 10 which CN 2026 split), beside 7323 93 00 (kitchenware, a CN 2026 code Annex I does not
  cover). ``old_codes_clean.xlsx``: the same rows with the CN 2026 codes 7601 10 90 and 3102 10 12
  (the kitchenware row stays, still not a CBAM good).

Workbooks are written by openpyxl, then zipped again with fixed timestamps and document dates.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from _zipfixed import save_workbook

AREA = "habits/earlier"

TITLE = "浙江华东金属制品有限公司 2026年对欧出口明细"
HEAD = ["商品编码", "原产国", "净重(吨)", "进口日期", "进口商"]
RHEIN, MILANO, NORD = "Rhein Stahl GmbH", "Milano Alluminio SpA", "Nord Handel GmbH"
COIL, ALU, CEMENT = "7208 51 20", "7601 10 90", "2523 29 00"

# (code, tonnes, date, importer): None and "  " are the blank importer cells (rows 4, 6, 7)
IMPORTER_ROWS = [
    (COIL, 60.0, dt.date(2026, 2, 10), RHEIN),
    (COIL, 18.0, dt.date(2026, 3, 5), None),
    (ALU, 45.0, dt.date(2026, 4, 12), RHEIN),
    (COIL, 12.5, dt.date(2026, 6, 20), "  "),
    (CEMENT, 9.0, dt.date(2026, 8, 1), None),
]

# (code, tonnes, date, importer, destination): rows 3..10
DESTINATION_ROWS = [
    (COIL, 80.0, dt.date(2026, 2, 10), RHEIN, "德国"),
    (COIL, 40.0, dt.date(2026, 2, 18), "Great Lakes Steel Inc.", "美国"),
    (ALU, 65.0, dt.date(2026, 3, 3), MILANO, "欧盟"),
    (COIL, 30.0, dt.date(2026, 4, 9), "Midlands Steel Ltd", "UK"),
    (COIL, 55.0, dt.date(2026, 5, 14), RHEIN, "DE"),
    (ALU, 25.0, dt.date(2026, 6, 2), "Midlands Steel Ltd", "英国"),
    (CEMENT, 70.0, dt.date(2026, 7, 21), MILANO, "EU"),
    (COIL, 20.0, dt.date(2026, 8, 30), RHEIN, "鹿特丹"),
]
EU_DESTINATIONS = {"德国", "DE", "欧盟", "EU"}

ALPHA = [(COIL, 60.0, dt.date(2026, 2, 10), RHEIN)]
BETA = [(ALU, 45.0, dt.date(2026, 4, 12), MILANO), (CEMENT, 20.0, dt.date(2026, 5, 6), MILANO)]

# (old code, CN 2026 code, tonnes, date, importer): rows 3..6
OLD_CODE_ROWS = [
    ("7601 10 00", "7601 10 90", 60.0, dt.date(2026, 3, 2), MILANO),
    (COIL, COIL, 80.0, dt.date(2026, 3, 9), RHEIN),
    ("7323 93 00", "7323 93 00", 5.0, dt.date(2026, 4, 1), RHEIN),
    ("3102 10 10", "3102 10 12", 120.0, dt.date(2026, 5, 11), "Agrar Nord GmbH"),
]


def xlsx(path: Path, header: list[str], rows: list[tuple]) -> None:
    """One sheet, a title row above the header, dates as date cells shown 2026/3/2."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "出口明细"
    ws.append([TITLE])
    ws.append(header)
    for r in rows:
        ws.append(list(r))
    for cells in ws.iter_rows(min_row=3):
        for x in cells:
            if isinstance(x.value, dt.date):
                x.number_format = "yyyy/m/d"
    save_workbook(wb, path)


def shipments(rows) -> list[tuple]:
    """(code, tonnes, date, importer, *rest) as sheet rows in the order of HEAD, origin 中国."""
    return [(code, "中国", t, d, importer, *rest) for code, t, d, importer, *rest in rows]


def build(folder: Path) -> None:
    xlsx(folder / "importer_blank.xlsx", HEAD, shipments(IMPORTER_ROWS))
    named = [(c, t, d, NORD if i is None or not i.strip() else i) for c, t, d, i in IMPORTER_ROWS]
    xlsx(folder / "importer_blank_clean.xlsx", HEAD, shipments(named))

    dest_head = [*HEAD, "目的国"]
    xlsx(folder / "destination.xlsx", dest_head, shipments(DESTINATION_ROWS))
    eu = [r for r in DESTINATION_ROWS if r[-1] in EU_DESTINATIONS]
    xlsx(folder / "destination_clean.xlsx", dest_head, shipments(eu))

    for name in ("batch_duplicate", "batch_clean"):
        (folder / name).mkdir()
        xlsx(folder / name / "alpha.xlsx", HEAD, shipments(ALPHA))
        xlsx(folder / name / "beta.xlsx", HEAD, shipments(BETA))
    shutil.copyfile(folder / "batch_duplicate" / "beta.xlsx", folder / "batch_duplicate" / "beta - 副本.xlsx")

    old = [(o, t, d, i) for o, _, t, d, i in OLD_CODE_ROWS]
    new = [(n, t, d, i) for _, n, t, d, i in OLD_CODE_ROWS]
    xlsx(folder / "old_codes.xlsx", HEAD, shipments(old))
    xlsx(folder / "old_codes_clean.xlsx", HEAD, shipments(new))
