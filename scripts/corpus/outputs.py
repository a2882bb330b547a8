"""Issue 11, outputs: inputs whose every text a spreadsheet would evaluate, and the inputs an
output must never replace.

- ``shipments.csv``: importer, installation and exporter texts and two extra headers starting
  with = + - @ tab, beside plain numbers as text (``-12.5``, ``+3``) that must stay as they are.
- ``members/``: a batch whose member names (file names) start with = + @ -, and a workbook member
  whose sheet is named ``=SUM(1)``; a member named with a leading tab is made by the tests
  (no such name is committed).
- ``scenarios.yaml``: scenario and baseline names starting with = + - tab, and a price path
  named ``+path.csv``; ``scenarios_yaml.xlsx``: the same YAML under a name ``-o`` accepts, so
  the gate (not the suffix check) must refuse writing over it.
- ``prices.csv``: a certificate price path (``--price-path``).
"""

from __future__ import annotations

from pathlib import Path

from _zipfixed import write_zip

AREA = "outputs"

HEADER = 'cn_code,country,net_mass_t,import_date,importer,installation,exporter,=HYPERLINK("h"),+1+1\n'
ROWS = (
    '7208 39 00,CN,100,2026-02-10,"=HYPERLINK(""http://x"",""y"")",@SUM(A1),-2+3,=1+1,-12.5\n'
    "7208 39 00,CN,200,2026-02-11,+1+1,\tTab plant,+3,@x,+3\n"
    "7601 10 10,CN,80,2026-03-01,-1+1,\"\rCR plant\",=cmd|' /C calc'!A0,-12.5,=A1\n"
)
PRICES = (
    "period,price_eur_per_tco2e,status,source\n"
    "2026Q1,75.36,published,corpus\n"
    "2026Q2,75.28,published,corpus\n"
    "2026Q3,82.32,published,corpus\n"
    "2026Q4,82.32,projection,corpus\n"
    "2027,80.00,projection,corpus\n"
)
SCENARIOS = """years: 2026-2027
baseline: "=HYPERLINK(\\"b\\")"
eua:
  reference: reference
  "@EUA": "+path.csv"
scenarios:
  "=HYPERLINK(\\"b\\")":
    cea_price_cny: 0
    ccer_price_cny: 0
    recognition: false
  "+1+1":
    cea_price_cny: 80
    ccer_price_cny: 40
    allocation_gap: 0.05
    recognition: true
    eua: "@EUA"
  "-2+3":
    cea_price_cny: 80
    ccer_price_cny: 40
    recognition: false
  "\\tTab":
    cea_price_cny: 80
    ccer_price_cny: 40
    recognition: true
"""
MEMBERS = ("=HYPERLINK(1).csv", "+1+1.csv", "@SUM(1).csv", "-2+3.csv")


def _cell(ref: str, text: str) -> str:
    esc = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{esc}</t></is></c>'


def workbook(rows: list[list[str]], sheet: str) -> dict[str, str]:
    """A minimal xlsx (inline strings, one sheet named ``sheet``) as zip parts."""
    cols = "ABCDEFGHIJ"
    body = "".join(
        f'<row r="{i}">' + "".join(_cell(f"{cols[j]}{i}", v) for j, v in enumerate(r)) + "</row>"
        for i, r in enumerate(rows, start=1)
    )
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    name = sheet.replace("&", "&amp;").replace('"', "&quot;")
    ct = "application/vnd.openxmlformats"
    sml = f"{ct}-officedocument.spreadsheetml"
    return {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="{ct}-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{sml}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{sml}.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} xmlns:r="{rel}">'
            f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>{body}</sheetData></worksheet>'
        ),
    }


def build(folder: Path) -> None:
    (folder / "shipments.csv").write_bytes((HEADER + ROWS).encode("utf-8"))
    (folder / "prices.csv").write_bytes(PRICES.encode("utf-8"))
    (folder / "+path.csv").write_bytes(PRICES.encode("utf-8"))
    (folder / "scenarios.yaml").write_bytes(SCENARIOS.encode("utf-8"))
    (folder / "scenarios_yaml.xlsx").write_bytes(SCENARIOS.encode("utf-8"))
    members = folder / "members"
    members.mkdir()
    for i, name in enumerate(MEMBERS):  # each its own content: a byte-identical copy is a duplicate
        rows_i = ROWS.replace("CN,100,", f"CN,{101 + i},", 1)
        (members / name).write_bytes((HEADER + rows_i).encode("utf-8"))
    rows = [r.split(",") for r in (HEADER.strip(), "7208 39 00,CN,50,2026-04-01,@imp,=inst,+exp,-9+9,-12.5")]
    write_zip(members / "book.xlsx", workbook(rows, "=SUM(1)"))
