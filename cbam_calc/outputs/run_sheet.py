"""The "Run" sheet: the run record (outputs.run_record) as a reader sees it, in the report's language.

Each row is a key and its values: the cbam-calc version, each input with its sheet and SHA-256,
the price path, the carbon-prices file and the communication templates, the reference data's
SHA-256 and each reference file (in Chinese named by its Chinese title, locale/zh_CN/
reference_files.yaml), every option (in Chinese by its name and the command-line option that sets
it, its value in words), the headline figures and the lines' digest; then the whole record as JSON
on the ``record_json`` row, which is what ``cbam calc --check`` reads (its key is the same in every
language). An English sheet is as it was before it was translated; ``canonical_key`` gives the
English key of a row in either language, so that a check compares a report's Run sheet with its
recomputation whatever language either was written in.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache

from cbam_calc.core.labels import LABELS, label, record_figure
from cbam_calc.core.sheets import RECORD_ROW, RUN, sheet_name

SHEET = sheet_name(RUN)  # "Run" in every language (core.sheets says why); readers find it by key
# the headline figures a record keeps (run_record.make_record), each a row of the sheet
FIGURES = (
    "lines",
    "rejected",
    "embedded_tco2e",
    "free_allocation_tco2e",
    "art9_reduction_tco2e",
    "certificates",
    "cost_eur",
)
# every figure a record may hold: FIGURES, a batch's failed files, a scenario run's (_batch_figures,
# _scenario_figures)
ALL_FIGURES = (*FIGURES, "failed_files", "scenario_rows", "eu_levy_eur")

RECORD_PIECE = 32_000  # characters of record_json per cell (an Excel cell holds 32,767)
# the widest each column of the Run sheet is made, in characters: A the keys (a Chinese one of 17
# characters is 34 wide); B values, files and
# figures; C a sheet; D a SHA-256 (64); E an act or an installation; F a date. Within these the
# sheet prints on one landscape page across at 70 % or more (print_layout), every figure whole
RUN_MAX_WIDTHS = (36, 42, 12, 66, 40, 12)
RUN_MIN_WIDTH = 8

# the keys of the rows: label keys (core.labels), the English of each being the key the sheet had
# before it was translated (and has in English)
KEYS = ("version", "input", "price_path", "carbon_prices", "template", "reference_sha", "reference_file")
# the options of a record (CalcOptions, ReadOptions under "read") as a Chinese sheet names them,
# and the command-line option that sets each, shown beside it
OPTION_LABEL = "run_opt_{}"
OPTION_FLAGS = {
    "year": "--year",
    "price_eur_per_tco2e": "--price",
    "art9": "--art9",
    "default_carbon_price": "--default-carbon-price",
    "fx": "--fx",
    "de_minimis": "--de-minimis",
    "ignore_destination": "--ignore-destination",
    "exporter": "--exporter",
    "currency": "--currency",
    "read_encoding": "--encoding",
    "read_skip_hidden": "--skip-hidden",
    "read_columns": "--column",
    "read_from_export_date_days": "--from-export-date",
}


def _key(name: str, lang: str) -> str:
    return label(f"run_{name}", lang)


def _is_figure(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def option_value(value: object, lang: str) -> str:
    """An option's value as the sheet shows it: JSON in English (as before); in Chinese in words,
    a table as KEY=VALUE pairs (the keys are the fields and codes a user types)."""
    if lang == "en":
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return label("run_unset", lang)
    if isinstance(value, bool):
        return label("scen_yes" if value else "scen_no", lang)
    if isinstance(value, dict):
        parts = [f"{k}={option_value(v, lang)}" for k, v in value.items()]
        return "; ".join(parts) if parts else label("run_none", lang)
    if isinstance(value, list):
        return "、".join(option_value(v, lang) for v in value) if value else label("run_none", lang)
    return str(value)


def _option_rows(options: dict, lang: str) -> list[list]:
    """One row per option: ``option KEY`` and its JSON in English; in Chinese each option by its
    name (the reading options of ``read`` each on its own row), its value in words and the
    command-line option that sets it."""
    if lang == "en":
        return [[f"option {k}", option_value(v, lang)] for k, v in options.items()]
    items = []
    for k, v in options.items():
        items += (
            [(f"read_{rk}", rv) for rk, rv in v.items()] if k == "read" and isinstance(v, dict) else [(k, v)]
        )
    return [[_option_name(k, lang), option_value(v, lang), OPTION_FLAGS.get(k, "")] for k, v in items]


def _option_name(key: str, lang: str) -> str:
    name = OPTION_LABEL.format(key)
    return label(name, lang) if name in LABELS else label("run_option", lang, key=key)


def _rows(record: dict, lang: str) -> list[tuple[str | None, list]]:
    """(figure key or None, cells) of each row of the sheet."""
    rows: list[tuple[str | None, list]] = []

    def add(name: str, *cells) -> None:
        rows.append((None, [_key(name, lang), *cells]))

    rows.append((None, [label("run_title", lang, command=record.get("command", "calc"))]))
    rows.append((None, []))
    add("version", record["cbam_calc_version"])
    for f in record["inputs"]:
        add("input", f["file"], f["sheet"] or "", f["sha256"], f.get("member", ""))
    if record["price_path"]:
        add("price_path", record["price_path"]["file"], "", record["price_path"]["sha256"])
    for t in record.get("carbon_prices") or []:
        add("carbon_prices", t["file"], t.get("sheet") or "", t["sha256"])
    for t in record.get("templates") or []:
        evidenced = label("run_evidenced", lang) if t.get("evidenced") else ""
        add("template", t["file"], evidenced, t["sha256"], t.get("installation", ""))
    add("reference_sha", record["reference_data_sha256"])
    for path, f in (record.get("reference_files") or {}).items():
        add("reference_file", path, "", f["sha256"], _reference_title(path, f, lang), f.get("updated") or "")
    rows += [(None, r) for r in _option_rows(record["options"], lang)]
    rows += [(k, [record_figure(k, lang), v]) for k, v in record["figures"].items()]
    if record["lines_sha256"]:
        add("lines_sha", record["lines_sha256"])
    text = json.dumps(record, ensure_ascii=False)
    pieces = (text[i : i + RECORD_PIECE] for i in range(0, len(text), RECORD_PIECE))
    rows.append((None, [RECORD_ROW, *pieces]))
    return rows


def _reference_title(path: str, entry: dict, lang: str) -> str:
    """What a reference file is: its act in English; in Chinese its Chinese title (the act, an
    English citation, is in the record and in ``cbam data``)."""
    if lang == "en":
        return entry.get("act", "")
    from cbam_calc.law.inventory import titles_zh

    return titles_zh().get(path, {}).get("title") or entry.get("act", "")


def run_sheet_rows(record: dict, lang: str = "en") -> list[list]:
    """The rows of the "Run" sheet in ``lang``: readable keys, then the record as JSON (cut in
    pieces of RECORD_PIECE characters over the row's cells: an Excel cell holds 32,767 at most,
    and the record of a batch of many files is longer)."""
    return [cells for _, cells in _rows(record, lang)]


def run_sheet_widths(rows: list[list]) -> list[float]:
    """Each column's width on the Run sheet: its widest text or figure (with thousands separators
    and three decimals, as the figures are shown), two characters more, within RUN_MAX_WIDTHS (a
    longer text runs on into the empty cells beside it or is cut at the column). The title row and
    the record_json row are not measured: they run on (the print stops at the last column). Was
    one width for the keys, and the default for every other column: the figures of the Run sheet
    printed as ### (LibreOffice, #,##0.000 in 8.43 characters)."""
    widths = [float(RUN_MIN_WIDTH)] * len(RUN_MAX_WIDTHS)
    for row in rows[1:]:
        if row and row[0] == RECORD_ROW:
            continue
        for c, v in enumerate(row[: len(RUN_MAX_WIDTHS)]):
            text = f"{v:,.3f}" if _is_figure(v) else "" if v is None else str(v)
            chars = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)  # CJK characters take two
            widths[c] = max(widths[c], min(chars + 2, RUN_MAX_WIDTHS[c]))
    return widths


def write_run_sheet(
    wb, record: dict, number_format: Callable[[str], str | None] | None = None, lang: str = "en"
) -> None:
    """A "Run" sheet in ``lang``: on a workbook of cbam_calc.outputs.xlsx_book (calc and batch
    reports), or on an openpyxl workbook built in memory (the scenario workbook, whose every text
    cell writers.protect_cells makes safe after). ``number_format``: the format of a figure from
    its record key (outputs.xlsx.number_format, passed in: that module writes this sheet). Its
    columns are as wide as their contents (:func:`run_sheet_widths`), so it prints readably."""
    from cbam_calc.outputs.xlsx_book import Book

    rows = _rows(record, lang)
    widths = run_sheet_widths([cells for _, cells in rows])
    if isinstance(wb, Book):
        sheet = wb.add_sheet(SHEET)
        for c, w in enumerate(widths):
            sheet.set_width(c, w)
        for key, cells in rows:  # file, sheet and member names are any text a member chose
            fmt = number_format(key) if key and number_format and _is_figure(cells[1]) else None
            sheet.write_row(cells, [None, fmt] if fmt else None)
        return
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(SHEET)
    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    for _, cells in rows:
        ws.append(cells)


@cache
def _english_keys() -> dict[str, str]:
    """The key of every row a Run sheet may hold, in either language -> its English key."""
    rows = (*KEYS, "lines_sha")
    out = {label(f"run_{k}", lang): label(f"run_{k}", "en") for k in rows for lang in ("en", "zh")}
    return out | {record_figure(k, lang): k for k in ALL_FIGURES for lang in ("en", "zh")}


def canonical_key(key: object) -> object:
    """A Run sheet row's key in English, whichever language the sheet was written in (a report
    written before the sheet was translated has the English keys in a Chinese workbook)."""
    return _english_keys().get(key, key) if isinstance(key, str) else key
