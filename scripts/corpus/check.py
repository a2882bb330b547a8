"""tests/data/hostile/check/: what ``cbam calc --check`` must not be fooled by.

A real report embeds where its input was (an absolute path) and openpyxl dates the workbook when it
is written, so a report is not byte-deterministic: the tampered reports are made at test time, in a
temporary folder, from a report of samples/shipments_cement.csv, following ``tampering.json``
(one case per change a reader would see, and controls that change only metadata). The files here
are deterministic: the tampering specification, damaged run records (a small workbook each, whose
record is cut, of the wrong types, from a newer cbam-calc, or naming an input that is gone) and a
zip bomb dressed as a report (its shared strings expand about 1,000 times, to 200 MB).
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.sax.saxutils import escape

from _zipfixed import write_zip

AREA = "check"

# each case: what is edited (sheet and cell by the label in column A / a header, or the record),
# and what --check must name; controls must still match (exit 0)
TAMPERING = {
    "sample": "samples/shipments_cement.csv",
    "cases": [
        {"name": "summary_total", "edit": {"sheet": "Summary", "label": "CBAM cost, EUR", "add": 100.0}},
        {"name": "lines_cost", "edit": {"sheet": "Lines", "row": 3, "header": "cost_eur", "add": 1.0}},
        {
            "name": "by_sheet_figure",
            "edit": {"sheet": "By country", "row": 2, "header": "CBAM cost, EUR", "add": 1.0},
        },
        {"name": "run_row", "edit": {"sheet": "Run", "label": "cost_eur", "add": 1.0}},
        {
            "name": "by_sheet_key",
            "texts_only": True,
            "edit": {"sheet": "By sector", "row": 2, "column": 1, "set": "Iron and steel"},
        },
        {"name": "record_nan", "edit": {"record": "figures.cost_eur", "set": "NaN"}},
        {"name": "record_figures_removed", "edit": {"record": "figures", "set": {}}},
        {"name": "record_lines_digest_removed", "edit": {"record": "lines_sha256", "delete": True}},
        {"name": "lines_row_deleted", "edit": {"sheet": "Lines", "delete_row": 4}},
        {"name": "sheet_deleted", "edit": {"delete_sheet": "By importer"}},
        {"name": "cost_as_text", "edit": {"sheet": "Summary", "label": "CBAM cost, EUR", "text": True}},
    ],
    "controls": [
        {"name": "untouched_resaved", "edit": {}},
        {"name": "date_prepared_edited", "edit": {"properties": {"created": "2030-01-31T09:00:00"}}},
        {
            "name": "exporter_name_edited",
            "edit": {"properties": {"creator": "Hebei Steel Export Co.", "lastModifiedBy": "Li Wei"}},
        },
        {
            "name": "note_added",
            "edit": {
                "sheet": "Summary",
                "cell": "F4",
                "set": "Prepared 2030-01-31 by Hebei Steel Export Co.",
            },
        },
        {
            "name": "below_display_precision",
            "edit": {"sheet": "Summary", "label": "CBAM cost, EUR", "add": 0.001},
        },
    ],
}

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "{sheets}{shared}</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _cell(ref: str, value) -> str:
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def _sheet_xml(rows: list[list]) -> str:
    body = "".join(
        f'<row r="{i}">' + "".join(_cell(f"{chr(65 + j)}{i}", v) for j, v in enumerate(row)) + "</row>"
        for i, row in enumerate(rows, start=1)
    )
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{NS}">'
    return f"{head}<sheetData>{body}</sheetData></worksheet>"


def workbook(
    sheets: dict[str, list[list]], extra: dict[str, bytes] | None = None, shared: bool = False
) -> dict:
    """The parts of a minimal xlsx with ``sheets`` (inline strings), in a fixed order."""
    names = list(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(names) + 1)
    )
    shared_ct = (
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        if shared
        else ""
    )
    wb = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<workbook xmlns="{NS}" xmlns:r="{NS_R}"><sheets>'
        + "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, start=1))
        + "</sheets></workbook>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{NS_R}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(names) + 1)
        )
        + (
            f'<Relationship Id="rIdS" Type="{NS_R}/sharedStrings" Target="sharedStrings.xml"/>'
            if shared
            else ""
        )
        + "</Relationships>"
    )
    parts: dict = {
        "[Content_Types].xml": CONTENT_TYPES.format(sheets=overrides, shared=shared_ct),
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": wb,
        "xl/_rels/workbook.xml.rels": rels,
    }
    for i, n in enumerate(names, start=1):
        parts[f"xl/worksheets/sheet{i}.xml"] = _sheet_xml(sheets[n])
    parts.update(extra or {})
    return parts


def record(**changes) -> dict:
    """A run record of a calc report of ``shipments_gone.csv`` (valid unless ``changes`` say)."""
    out = {
        "format": "cbam-calc run record 1",
        "cbam_calc_version": "0.1.0",
        "command": "calc",
        "inputs": [
            {
                "file": "shipments_gone.csv",
                "absolute": "/nonexistent/shipments_gone.csv",
                "sheet": None,
                "sha256": "0" * 64,
            }
        ],
        "options": {
            "year": None,
            "price_eur_per_tco2e": None,
            "art9": "auto",
            "default_carbon_price": {},
            "fx": {},
            "de_minimis": True,
        },
        "price_path": None,
        "reference_data_sha256": "0" * 64,
        "reference_files": {},
        "figures": {
            "lines": 1,
            "rejected": 0,
            "embedded_tco2e": 1.0,
            "free_allocation_tco2e": 0.0,
            "art9_reduction_tco2e": 0.0,
            "certificates": 1.0,
            "cost_eur": 75.36,
        },
        "lines_sha256": "0" * 64,
    }
    out.update(changes)
    return out


def report_with(record_json: str) -> dict:
    """A small report: a Summary line and a Run sheet whose record_json cell holds ``record_json``."""
    return workbook(
        {
            "Summary": [["CBAM cost report"], ["CBAM cost, EUR", 75.36]],
            "Run": [["cbam-calc run record"], ["cost_eur", 75.36], ["record_json", record_json]],
        }
    )


DAMAGED = {
    "record_cut.xlsx": json.dumps(record())[:150],
    "record_wrong_types.xlsx": json.dumps(record(inputs="shipments.csv", figures=[1, 2])),
    "record_input_entry_wrong.xlsx": json.dumps(record(inputs=[{"file": 7, "sha256": None}])),
    "record_options_wrong.xlsx": json.dumps(record(options={"year": "last year", "art9": 3})),
    "record_newer_format.xlsx": json.dumps(
        record(format="cbam-calc run record 7", cbam_calc_version="9.0.0")
    ),
    "record_unknown_format.xlsx": json.dumps(record(format="something else")),
    "record_not_an_object.xlsx": json.dumps(["cbam-calc run record 1"]),
    "record_input_gone.xlsx": json.dumps(record()),
}

BOMB_STRINGS = 12_000_000  # x 18 bytes: a 216 MB sharedStrings part, about 210 KB compressed


def _bomb_shared_strings() -> bytes:
    """sharedStrings.xml of BOMB_STRINGS two-letter strings (one letter would be one object in
    CPython; two letters are a new object each: openpyxl would hold gigabytes of them)."""
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{NS}" count="{BOMB_STRINGS}">'.encode()
    return head + b"<si><t>xx</t></si>" * BOMB_STRINGS + b"</sst>"


def build(folder: Path) -> None:
    (folder / "tampering.json").write_text(json.dumps(TAMPERING, indent=2) + "\n", encoding="utf-8")
    for name, text in DAMAGED.items():
        write_zip(folder / name, report_with(text))
    parts = workbook(
        {
            "Summary": [["CBAM cost report"]],
            "Run": [["record_json", json.dumps(record())]],
        },
        extra={"xl/sharedStrings.xml": _bomb_shared_strings()},
        shared=True,
    )
    write_zip(folder / "report_zip_bomb.xlsx", parts)
