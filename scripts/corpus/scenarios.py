"""Hostile scenario files (cbam scenario --config) and batch member folders (cbam batch).

Scenario files: a year range of 900 million years, ``eua:`` as a list, 5,000 nested brackets,
a billion-laughs alias bomb, an alias inside its own anchor, a GBK file (read as GB18030, as a
CSV is), a file that is neither UTF-8 nor GB18030, scenarios that are not mappings, a bad key
three scenarios down, no scenario, a key that is not text, and a valid file for --baseline.

Member folders: ``members/`` holds alpha.csv and alpha.xlsx (same stem), Alpha.csv is in
``members_case/`` next to alpha.csv, ``members_crash/`` holds two csv members and one workbook
the tests make the reader abort on (fault injection), ``members_hostile/`` a csv member and a
1 KB workbook with one cell at XFD1048576 and no dimension (the reader would allocate ~550 GB).
"""

from __future__ import annotations

from pathlib import Path

from _zipfixed import write_zip

AREA = "scenarios"

CSV_HEADER = "cn_code,country,net_mass_t,import_date\n"


def _csv(rows: list[tuple[str, str, float, str]]) -> str:
    return CSV_HEADER + "".join(f"{c},{k},{m:g},{d}\n" for c, k, m, d in rows)


def _xlsx(path: Path, rows: list[list[str | float]], cell_ref_last: str | None = None) -> None:
    """A minimal workbook of inline strings and numbers; ``cell_ref_last``: one more cell there
    (with no <dimension>, as hostile files have)."""

    def col(i: int) -> str:
        s = ""
        i += 1
        while i:
            i, r = divmod(i - 1, 26)
            s = chr(65 + r) + s
        return s

    def cell(ref: str, v: str | float) -> str:
        if isinstance(v, str):
            return f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>'
        return f'<c r="{ref}"><v>{v:g}</v></c>'

    body = "".join(
        f'<row r="{r + 1}">' + "".join(cell(f"{col(c)}{r + 1}", v) for c, v in enumerate(row)) + "</row>"
        for r, row in enumerate(rows)
    )
    if cell_ref_last:
        body += (
            f'<row r="{cell_ref_last.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}">{cell(cell_ref_last, 1)}</row>'
        )
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    write_zip(
        path,
        {
            "[Content_Types].xml": (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" '
                'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                'officedocument.spreadsheetml.sheet.main+xml"/>'
                '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
                'officedocument.spreadsheetml.worksheet+xml"/></Types>'
            ),
            "_rels/.rels": (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
                "</Relationships>"
            ),
            "xl/workbook.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} xmlns:r="{rel}">'
                '<sheets><sheet name="Shipments" sheetId="1" r:id="rId1"/></sheets></workbook>'
            ),
            "xl/_rels/workbook.xml.rels": (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
                "</Relationships>"
            ),
            "xl/worksheets/sheet1.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}>'
                f"<sheetData>{body}</sheetData></worksheet>"
            ),
        },
    )


def _rows_xlsx(rows: list[tuple[str, str, float, str]]) -> list[list[str | float]]:
    return [CSV_HEADER.strip().split(","), *[[c, k, m, d] for c, k, m, d in rows]]


ALPHA_CSV = [("7208 39 00", "CN", 100.0, "2026-02-10"), ("7208 39 00", "CN", 200.0, "2026-02-11")]
ALPHA_XLSX = [("7208 39 00", "CN", 50.0, "2026-03-01")]
BETA = [("7208 39 00", "CN", 70.0, "2026-04-01")]

SCENARIO_OK = """years: 2026-2027
scenarios:
  low:
    cea_price_cny: 50
    recognition: true
  high:
    cea_price_cny: 150
    recognition: true
"""


def _laughs() -> str:
    out = "a: &a {k0: x, k1: x, k2: x, k3: x, k4: x, k5: x, k6: x, k7: x, k8: x}\n"
    prev = "a"
    for name in "bcdefghi":
        out += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
        prev = name
    return out + "installations: {x: *i}\nscenarios:\n  a: {cea_price_cny: 1}\n"


def build(folder: Path) -> None:
    files: dict[str, bytes] = {
        "years_huge.yaml": b"years: 2026-900000000\nscenarios:\n  a: {cea_price_cny: 1}\n",
        "eua_list.yaml": b"eua:\n  - 80\n  - 90\nscenarios:\n  a: {cea_price_cny: 1}\n",
        "deep_nesting.yaml": b"scenarios: " + b"[" * 5000 + b"\n",
        "billion_laughs.yaml": _laughs().encode(),
        "self_alias.yaml": b"defaults: &d {x: [*d]}\nscenarios:\n  a: {cea_price_cny: 1}\n",
        "gbk.yaml": "scenarios:\n  钢铁高碳价:\n    cea_price_cny: 150\n".encode("gbk"),
        "not_utf8.yaml": b"scenarios:\n  caf\xe9 \xff\xfe:\n    cea_price_cny: 150\n",
        "scenario_not_mapping.yaml": b"scenarios:\n  low: 5\n",
        "scenarios_list_bad_eua.yaml": (
            b"scenarios:\n  - {name: a, cea_price_cny: 1}\n  - {name: b, cea_price_cny: 2}\n"
            b"  - {name: c, eua: [80]}\n"
        ),
        "scenarios_empty.yaml": b"scenarios: {}\n",
        "key_not_text.yaml": b"defaults: {1: 2}\nscenarios:\n  a: {}\n",
        "ok.yaml": SCENARIO_OK.encode(),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)

    members = folder / "members"
    members.mkdir()
    (members / "alpha.csv").write_text(_csv(ALPHA_CSV), encoding="utf-8")
    _xlsx(members / "alpha.xlsx", _rows_xlsx(ALPHA_XLSX))
    (members / "beta.csv").write_text(_csv(BETA), encoding="utf-8")

    case = folder / "members_case"
    case.mkdir()
    (case / "Alpha.csv").write_text(_csv(ALPHA_CSV), encoding="utf-8")
    (case / "alpha.csv").write_text(_csv(BETA), encoding="utf-8")

    crash = folder / "members_crash"
    crash.mkdir()
    (crash / "alpha.csv").write_text(_csv(ALPHA_CSV), encoding="utf-8")
    _xlsx(crash / "crasher.xlsx", _rows_xlsx(ALPHA_XLSX))
    (crash / "gamma.csv").write_text(_csv(BETA), encoding="utf-8")

    hostile = folder / "members_hostile"
    hostile.mkdir()
    (hostile / "alpha.csv").write_text(_csv(ALPHA_CSV), encoding="utf-8")
    _xlsx(hostile / "huge_cell.xlsx", _rows_xlsx(ALPHA_XLSX), cell_ref_last="XFD1048576")
