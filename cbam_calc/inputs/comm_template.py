"""Installations' communication templates: the EU workbook in which an installation outside the EU
reports the specific embedded emissions (SEE) of its goods to the EU declarant.

Long because: the template's layout (three sheets, header texts, the installation block), the
checks that refuse a bad template naming its cell, and the route a product's process implies all
belong to one reading, and a reader of the format should find them together.

What is read, and why so:

- Only ``Summary_Products`` (one row per product: SEE, embedded electricity, qualifying parameters,
  carbon price due), ``Summary_Communication`` (the installation block and the processes block,
  English whatever the template's language) and ``VersionDocumentation`` (the version), with
  python-calamine: cached values, one sheet in ~0.03 s. The other 16 sheets, which the summary
  formulas read from, are never opened; the guard bounds the archive and these three sheets, the
  only parts calamine reads (:func:`cbam_calc.inputs.xlsx_guard.guard_sheets`).
- Detected by its sheets; the version from ``VersionDocumentation`` B3, the date the template's
  own "automatic version detection" block states (2024-06-05 v2.1, 2024-12-13 v2.1.1). Columns are
  found by their header text (row 8 of Summary_Products; row 11 of Summary_Communication's processes
  block), never by letter: v2.1.1 inserts a column in Summary_Communication.
- The installation by position, ``Summary_Communication!G12:G21``: two labels there both read
  "Country:" (G15 is the city, G16 the country code).
- Product rows 10-109 of Summary_Products; row 9 is the template's typed example, the same in every
  copy, and is never read.
- A formula saved without its value (a file written by a script and never opened in Excel) is
  refused, never read as zero; Excel's cached empty string (``=IF(D10="","",...)``) is an empty
  cell.
- A product row with a CN code but no SEE, an SEE in another unit, a CN code that is not a CBAM good,
  an installation without a name: the template is refused, naming file, sheet, row and column. A
  reporting period other than the year of import is a warning: 2026 imports use the latest
  completed period.
- Routes: the template names each aggregated good's production routes in words (block 2(a) of
  Summary_Communication) and lists the goods of each process (block 2(b)). ``data/template/
  routes.csv`` maps the words to IR 2025/2620's letters; a product's route is certain only where
  the letters its process's goods allow leave one of its CN code's Column A routes. Otherwise the
  result says so, and the shipment file must give the route.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import os
import re
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from cbam_calc.core.errors import InputFileError
from cbam_calc.core.messages import Message
from cbam_calc.inputs import xlsx_guard
from cbam_calc.law.reference import DATA_DIR, read_commented_csv, reference_data
from cbam_calc.law.scope import spaced, unknown_code_reason

PRODUCTS = "Summary_Products"
COMMUNICATION = "Summary_Communication"
VERSION_SHEET = "VersionDocumentation"
SHEETS = (PRODUCTS, COMMUNICATION, VERSION_SHEET)

HEADER_ROW = 8  # Summary_Products
EXAMPLE_ROW = 9  # the template's typed example: never read
FIRST_ROW, LAST_ROW = 10, 109
PROCESS_HEADER_ROW = 11  # Summary_Communication, blocks 2(a) and 2(b)
BLOCK_ROWS = range(12, 22)
ROUTE_COLUMNS = 6  # Route 1..6, goods 1..6

# The version cell's date -> version (VersionDocumentation B3; 0_Versions lists the same)
VERSIONS = {dt.date(2024, 6, 5): "2.1", dt.date(2024, 12, 13): "2.1.1"}
TEMPLATE_TYPE = "CBAM communication SEE"  # VersionDocumentation B2 starts with it

# Summary_Communication G12:G21, by position
INSTALLATION_CELLS = (
    ("name", 12),
    ("street", 13),
    ("economic_activity", 14),
    ("city", 15),
    ("country", 16),
    ("unlocode", 17),
    ("latitude", 18),
    ("longitude", 19),
    ("period_start", 20),
    ("period_end", 21),
)
INSTALLATION_COLUMN = "G"

TEXT, NUMBER = "text", "number"

# Summary_Products row 8: (field, header text, kind), from the template's product table
# (data/template/communication_products.csv, with its source: one list of the template's columns,
# which the importer's workbook follows too). Matched on the text with white space collapsed and
# case folded; "Product name" is followed by "(used for communication ...)" and matched on its
# start. The first column with a header wins (helper columns BK..BN repeat some headers).
TEMPLATE_COLUMNS = DATA_DIR / "template" / "communication_products.csv"
PREFIX_HEADERS = {"product_name"}


def _template_specs(part: str) -> tuple[tuple[str, str, str], ...]:
    """The columns of one part of the template's product table (``product``: Summary_Products
    D..O and AL..AZ; ``qualifying``: the qualifying parameters P..AK, kept where given)."""
    table = read_commented_csv(TEMPLATE_COLUMNS)
    rows = table[table["part"] == part]
    out = []
    for name, header, kind in zip(rows["field"], rows["header"], rows["kind"]):
        header = " ".join(header.split())
        if name in PREFIX_HEADERS:  # "Product name (used for communication ...)": its start
            header = header.split(" (")[0]
        out.append((name, header, kind))
    return tuple(out)


PRODUCT_COLUMNS: tuple[tuple[str, str, str], ...] = _template_specs("product")
QUALIFYING_COLUMNS: tuple[tuple[str, str, str], ...] = _template_specs("qualifying")

# Figures that cannot be negative (a share, an SEE, a price)
NON_NEGATIVE = {
    "see_direct",
    "see_indirect",
    "see_total",
    "default_share",
    "embedded_electricity",
    "cp_share_covered",
    "cp_due",
    "rebate_share",
    "rebate_amount",
}
SEE_UNITS = {"t": "tCO2e/t", "MWh": "tCO2e/MWh"}  # by the good's unit; electricity is 2716 00 00
ELECTRICITY_PREFIX = "2716"
NOT_A_GOOD = {"only direct production", "n.a.", ""}  # block 2(b) entries that are no good
ROUTES_TABLE = DATA_DIR / "template" / "routes.csv"
PARALLEL_MIN_FILES = 20


# ---------------------------------------------------------------------------- the result
@dataclass(frozen=True)
class Installation:
    """The installation block, every value as the template shows it (periods as ISO dates), and
    the cell of each (Summary_Communication)."""

    name: str
    street: str
    economic_activity: str
    city: str
    country: str
    unlocode: str
    latitude: str
    longitude: str
    period_start: str
    period_end: str
    cells: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TemplateProduct:
    """One product row of Summary_Products. Numbers are as the template computed them (None where
    the cell is empty); ``cells`` gives the cell of every field read (``see_direct`` -> ``I10``),
    qualifying parameters included. ``route`` is an IR 2620 letter where the template decides it,
    else ''; ``route_choices`` the letters to choose from where the benchmark depends on the route
    and the template does not decide; ``route_note`` says which."""

    row: int
    process: str
    aggregated_good: str
    cn_code: str
    cn_name: str
    product_name: str
    see_direct: float | None
    see_indirect: float | None
    see_total: float | None
    unit: str
    default_share: float | None
    electricity_source: str
    embedded_electricity: float | None
    cp_instrument: str
    cp_share_covered: float | None
    cp_covered_tco2e: float | None
    cp_currency: str
    cp_due: float | None
    rebate_type: str
    rebate_share: float | None
    rebate_covered_tco2e: float | None
    rebate_amount: float | None
    effective_cp_due: float | None
    qualifying: dict[str, Any]
    route: str
    route_choices: tuple[str, ...]
    route_note: Message
    cells: dict[str, str]


@dataclass
class CommTemplate:
    """What one communication template says: its version, the installation and the products."""

    file: str  # as messages name it
    path: Path
    sha256: str
    version: str  # "2.1", "2.1.1", or the version cell's text for another version
    version_date: str  # ISO date of VersionDocumentation B3 ('' if none)
    installation: Installation
    products: list[TemplateProduct]
    warnings: list[Message] = field(default_factory=list)

    def where(self, product: TemplateProduct, name: str) -> Message:
        """The audit trail of one figure: file, sheet and cell, a message shown in the run's
        language ("file.xlsx, sheet Summary_Products, cell I10")."""
        return Message("M_TEMPLATE_FIGURE_CELL", file=self.file, sheet=PRODUCTS, cell=product.cells[name])

    def products_frame(self) -> pd.DataFrame:
        """One row per product: the file, the installation's name and country, every field, and
        the cell of each figure (``see_direct_cell`` ...)."""
        return products_frame([self])

    def to_json(self) -> dict[str, Any]:
        products = []
        for p in self.products:
            d = asdict(p)
            d["route_choices"] = list(p.route_choices)
            d["route_note"] = {"text": str(p.route_note), **p.route_note.to_json()}
            products.append(d)
        return {
            "file": self.file,
            "sha256": self.sha256,
            "version": self.version,
            "version_date": self.version_date,
            "sheets": {"products": PRODUCTS, "installation": COMMUNICATION},
            "installation": asdict(self.installation),
            "products": products,
            "warnings": [{"text": str(w), **w.to_json()} for w in self.warnings],
        }


FIGURES = tuple(f for f, _, kind in PRODUCT_COLUMNS if kind == NUMBER)


def products_frame(templates: Sequence[CommTemplate]) -> pd.DataFrame:
    """The products of several templates as one table (the join's input)."""
    rows = []
    for t in templates:
        for p in t.products:
            row: dict[str, Any] = {
                "file": t.file,
                "version": t.version,
                "installation": t.installation.name,
                "country": t.installation.country,
                "unlocode": t.installation.unlocode,
                "period_start": t.installation.period_start,
                "period_end": t.installation.period_end,
                "sheet": PRODUCTS,
            }
            for f in TemplateProduct.__dataclass_fields__:
                if f not in ("qualifying", "cells", "route_choices", "route_note"):
                    row[f] = getattr(p, f)
            row["route_choices"] = "/".join(p.route_choices)
            row["route_note"] = str(p.route_note)
            for key, value in p.qualifying.items():
                row[f"q_{key}"] = value
            for f in FIGURES:
                row[f"{f}_cell"] = p.cells[f]
            rows.append(row)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------- reading
def _norm(text: Any) -> str:
    return " ".join(str(text).split()).casefold()


def _cell(row: int, col: int) -> str:
    return f"{xlsx_guard.column_name(col)}{row}"


class _Sheet:
    """A sheet's cached values from A1 (calamine), and the cells whose formulas have no value."""

    def __init__(self, wb, name: str, guard: xlsx_guard.WorkbookInfo, file: str) -> None:
        self.name, self.file = name, file
        try:
            self.values = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as e:  # calamine raises several error types for broken sheets
            raise InputFileError(
                Message("E_SHEET_UNREADABLE", error=f"{type(e).__name__}: {e}"), file=file, sheet=name
            ) from None
        scanned = guard.sheets.get(name)
        self.uncached = scanned.uncached_formulas if scanned else set()

    def get(self, row: int, col: int) -> Any:
        """The value at 1-based ``row``, 0-based ``col`` ('' outside the sheet)."""
        if row - 1 < len(self.values):
            r = self.values[row - 1]
            if col < len(r):
                v = r[col]
                return "" if v is None else v
        return ""

    def error(self, message: Message, row: int, col: int) -> InputFileError:
        return InputFileError(
            message, file=self.file, sheet=self.name, row=row, column=xlsx_guard.column_name(col)
        )

    def refuse_uncached(self, rows: range | Sequence[int], cols: Sequence[int]) -> None:
        """Refuse the template if a cell read holds a formula saved without its value."""
        wanted_rows, wanted_cols = set(rows), set(cols)
        hit = sorted((r, c) for r, c in self.uncached if r in wanted_rows and c in wanted_cols)
        if hit:
            r, c = hit[0]
            raise self.error(Message("E_TEMPLATE_UNCACHED", n=len(hit), cell=_cell(r, c)), r, c)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _number(sheet: _Sheet, row: int, col: int, name: str, header: str) -> float | None:
    value = sheet.get(row, col)
    if value == "" or (isinstance(value, str) and not value.strip()):
        return None
    number: float | None = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().replace(",", "."))
        except ValueError:
            number = None
    if number is None or number != number or number in (float("inf"), float("-inf")):
        raise sheet.error(Message("E_TEMPLATE_NOT_NUMBER", value=_text(value), field=header), row, col)
    if number < 0 and name in NON_NEGATIVE:
        raise sheet.error(Message("E_TEMPLATE_NEGATIVE", field=header), row, col)
    return number


def _columns(sheet: _Sheet, specs, row: int) -> dict[str, tuple[int, str, str]]:
    """field -> (0-based column, header, kind), found by header text in ``row``."""
    headers = sheet.values[row - 1] if row - 1 < len(sheet.values) else []
    sheet.refuse_uncached([row], range(len(headers)))  # header texts are formulas (Translations)
    first: dict[str, int] = {}
    for i, h in enumerate(headers):
        if h not in ("", None):
            first.setdefault(_norm(h), i)
    out = {}
    for name, header, kind in specs:
        key = _norm(header)
        col = first.get(key)
        if col is None and name in PREFIX_HEADERS:
            col = next((i for k, i in first.items() if k.startswith(key)), None)
        if col is None:
            raise InputFileError(
                Message("E_TEMPLATE_NO_HEADER", header=header, row=row), file=sheet.file, sheet=sheet.name
            )
        out[name] = (col, header, kind)
    return out


def _version(sheet: _Sheet | None) -> tuple[str, str]:
    """(version, ISO date of the version cell) from VersionDocumentation B2:C3."""
    if sheet is None:
        return "", ""
    kind, when, name = _text(sheet.get(2, 1)), sheet.get(3, 1), _text(sheet.get(3, 2))
    if not kind.casefold().startswith(TEMPLATE_TYPE.casefold()):
        return name or kind, ""
    if isinstance(when, dt.datetime):
        when = when.date()
    if isinstance(when, dt.date):
        return VERSIONS.get(when, name or when.isoformat()), when.isoformat()
    return name or _text(when), ""


def _installation(sheet: _Sheet, products: int) -> Installation:
    """The installation block; a template with products and no installation name is refused (a
    blank template, without either, reads as no products)."""
    col = xlsx_guard.column_index(INSTALLATION_COLUMN)
    sheet.refuse_uncached([r for _, r in INSTALLATION_CELLS], [col])
    values = {name: _text(sheet.get(row, col)) for name, row in INSTALLATION_CELLS}
    cells = {name: f"{INSTALLATION_COLUMN}{row}" for name, row in INSTALLATION_CELLS}
    if not values["name"] and products:
        raise sheet.error(Message("E_TEMPLATE_NO_NAME"), INSTALLATION_CELLS[0][1], col)
    return Installation(**values, cells=cells)


@dataclass(frozen=True)
class Processes:
    """Block 2 of Summary_Communication: routes by aggregated good, goods by process."""

    routes: dict[str, list[str]]  # aggregated good (normalised) -> route texts given
    goods: dict[str, list[str]]  # process (normalised) -> goods (as written)
    names: dict[str, str]  # aggregated good (normalised) -> as written


def _processes(sheet: _Sheet) -> Processes:
    headers = sheet.values[PROCESS_HEADER_ROW - 1] if len(sheet.values) > PROCESS_HEADER_ROW - 1 else []
    sheet.refuse_uncached([PROCESS_HEADER_ROW], range(len(headers)))
    where = {_norm(h): i for i, h in reversed(list(enumerate(headers))) if h not in ("", None)}
    routes: dict[str, list[str]] = {}
    goods: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    good_col, route_col = where.get(_norm("Aggregated good produced")), where.get(_norm("Route 1"))
    process_col, category_col = (
        where.get(_norm("Production process")),
        where.get(_norm("Aggregated goods category")),
    )
    cols = [c for c in (good_col, process_col, category_col) if c is not None]
    if route_col is not None:
        cols += range(route_col, route_col + ROUTE_COLUMNS)
    if category_col is not None:
        cols += range(category_col + 1, category_col + 1 + ROUTE_COLUMNS)
    sheet.refuse_uncached(BLOCK_ROWS, cols)
    for r in BLOCK_ROWS:
        if good_col is not None and route_col is not None:
            good = _text(sheet.get(r, good_col))
            given = [_text(sheet.get(r, c)) for c in range(route_col, route_col + ROUTE_COLUMNS)]
            if good:
                routes.setdefault(_norm(good), []).extend(t for t in given if t)
                names.setdefault(_norm(good), good)
        if process_col is not None and category_col is not None:
            process = _text(sheet.get(r, process_col))
            if process:
                listed = [
                    _text(sheet.get(r, c)) for c in range(category_col, category_col + 1 + ROUTE_COLUMNS)
                ]
                goods.setdefault(_norm(process), []).extend(g for g in listed if _norm(g) not in NOT_A_GOOD)
    return Processes(routes, goods, names)


@cache
def route_table() -> dict[tuple[str, str], tuple[str, ...]]:
    """(aggregated good, template route), normalised -> IR 2620 letters (data/template/routes.csv)."""
    df = read_commented_csv(ROUTES_TABLE)
    return {
        (_norm(g), _norm(r)): tuple(x for x in letters.split("/") if x)
        for g, r, letters in zip(df["aggregated_good"], df["template_route"], df["routes"], strict=True)
    }


@cache
def _column_a_routes() -> dict[str, tuple[str, ...]]:
    """CN code -> the routes its Column A benchmark has values for (IR 2620): only codes with two
    or more; a code with one value does not depend on the route."""
    bm = reference_data().benchmarks
    a = bm[(bm["column"] == "A") & (bm["route"] != "")]
    out = a.groupby("cn_code")["route"].agg(lambda s: tuple(sorted(set(s))))
    return {k: v for k, v in out.items() if len(v) > 1}


def routes_of_code(cn: str) -> tuple[str, ...]:
    """The IR 2025/2620 Column A route letters of an 8-digit CN code, or of every code under a
    heading (empty: the benchmark does not depend on the route)."""
    table = _column_a_routes()
    if len(cn) == 8:
        return table.get(cn, ())
    return tuple(sorted({r for k, v in table.items() if k.startswith(cn) for r in v}))


def product_route(
    cn: str, good: str, process: str, blocks: Processes
) -> tuple[str, tuple[str, ...], Message]:
    """The product's IR 2620 route: (letter or '', letters to choose from, why)."""
    needed = routes_of_code(cn)
    if not needed:
        return "", (), Message("M_ROUTE_NOT_NEEDED")
    table = route_table()
    allowed = set(needed)
    said = []
    goods = dict.fromkeys(_norm(g) for g in [good, *blocks.goods.get(_norm(process), [])])
    for g in goods:
        letters: set[str] = set()
        texts = list(dict.fromkeys(blocks.routes.get(g, [])))
        known = [t for t in texts if (g, _norm(t)) in table]
        for t in known:
            letters |= set(table[(g, _norm(t))])
        if known and letters:  # this good's routes name letters: the product's route is among them
            allowed &= letters
            said.append(f"{blocks.names.get(g, g)}: {', '.join(known)}")
    choices = tuple(sorted(allowed))
    if len(choices) == 1 and said:
        return choices[0], (), Message("M_ROUTE_FROM_TEMPLATE", route=choices[0], routes_text="; ".join(said))
    shown = choices or needed
    return "", shown, Message("M_ROUTE_UNCERTAIN", routes="/".join(shown))


_DIGITS = re.compile(r"\d{4}(?:\d{2}){0,2}")


def _cn(sheet: _Sheet, row: int, col: int) -> str:
    """The CN code of a product row: 8 digits or a 4- or 6-digit heading, a CBAM good (law.scope)."""
    raw = _text(sheet.get(row, col))
    code = re.sub(r"[\s.]", "", raw)
    if not _DIGITS.fullmatch(code):
        raise sheet.error(Message("E_TEMPLATE_NOT_CN", value=raw), row, col)
    ref = reference_data()
    goods = ref.goods
    if len(code) == 8:
        if code not in goods.index:
            known = goods.index.to_numpy(dtype=str)[goods["status"].to_numpy() == "in_force"]
            raise sheet.error(unknown_code_reason(code, known, ref.annex_i_scope), row, col)
    elif not goods.index.str.startswith(code).any():
        raise sheet.error(Message("E_TEMPLATE_HEADING_NOT_CBAM", cn=spaced(code)), row, col)
    return code


def _products(sheet: _Sheet, blocks: Processes) -> tuple[list[TemplateProduct], list[int]]:
    columns = _columns(sheet, PRODUCT_COLUMNS, HEADER_ROW)
    qualifying = _columns(sheet, QUALIFYING_COLUMNS, HEADER_ROW)
    every = {**columns, **qualifying}
    rows = range(FIRST_ROW, LAST_ROW + 1)
    sheet.refuse_uncached(rows, [c for c, _, _ in every.values()])
    keys = [columns[k][0] for k in ("process", "cn_code", "product_name")]
    out, without_cn = [], []
    for r in rows:
        if all(sheet.get(r, c) == "" for c in keys):
            continue  # an empty product row (Excel's cached "" included)
        cn_col = columns["cn_code"][0]
        if _text(sheet.get(r, cn_col)) == "":
            without_cn.append(r)
            continue
        values: dict[str, Any] = {}
        for name, (col, header, kind) in columns.items():
            if name == "cn_code":
                values[name] = _cn(sheet, r, col)
            elif kind == NUMBER:
                values[name] = _number(sheet, r, col, name, header)
            else:
                values[name] = _text(sheet.get(r, col))
        given = {}
        for name, (col, header, kind) in qualifying.items():
            value = _number(sheet, r, col, name, header) if kind == NUMBER else _text(sheet.get(r, col))
            if value not in (None, ""):
                given[name] = value
        _check_see(sheet, r, values, columns)
        cells = {name: _cell(r, col) for name, (col, _, _) in every.items()}
        route, choices, note = product_route(
            values["cn_code"], values["aggregated_good"], values["process"], blocks
        )
        out.append(
            TemplateProduct(
                row=r,
                **values,
                qualifying=given,
                route=route,
                route_choices=choices,
                route_note=note,
                cells=cells,
            )
        )
    return out, without_cn


def _check_see(sheet: _Sheet, row: int, values: dict[str, Any], columns) -> None:
    """A product row with a CN code has an SEE, in tCO2e per unit of its good."""
    if values["see_total"] is None and values["see_direct"] is None:
        col, header, _ = columns["see_total"]
        raise sheet.error(Message("E_TEMPLATE_NO_SEE", cn=spaced(values["cn_code"]), field=header), row, col)
    good_unit = "MWh" if values["cn_code"].startswith(ELECTRICITY_PREFIX) else "t"
    expected = SEE_UNITS[good_unit]
    if values["unit"].replace(" ", "").casefold() != expected.casefold():
        col = columns["unit"][0]
        raise sheet.error(Message("E_TEMPLATE_SEE_UNIT", unit=values["unit"], expected=expected), row, col)


def _period_warning(file: str, inst: Installation, year: int | None) -> Message | None:
    if not inst.period_start and not inst.period_end:
        cells = f"{inst.cells['period_start']}:{inst.cells['period_end']}"
        return Message("W_TEMPLATE_NO_PERIOD", file=file, cells=cells)
    if year is None:
        return None
    try:
        start = dt.date.fromisoformat(inst.period_start[:10]).year
        end = dt.date.fromisoformat(inst.period_end[:10]).year
    except ValueError:
        start = end = None
    if start is not None and end is not None and start <= year <= end:
        return None
    return Message("W_TEMPLATE_PERIOD", file=file, start=inst.period_start, end=inst.period_end, year=year)


def is_template(names: Sequence[str]) -> bool:
    """A workbook with these sheet names is a communication template (its two summary sheets)."""
    return PRODUCTS in names and COMMUNICATION in names


def read_template(path: str | Path, file: str | None = None, *, year: int | None = None) -> CommTemplate:
    """Read one communication template.

    Parameters
    ----------
    path : str or Path
        The .xlsx workbook.
    file : str, optional
        How messages name it (default: the path as given).
    year : int, optional
        The year of import: a reporting period that does not cover it is a warning.

    Returns
    -------
    CommTemplate
        The version, the installation and every product row, each figure with its cell.

    Raises
    ------
    InputFileError
        Not a template (``E_TEMPLATE_NOT_TEMPLATE``), formulas without cached values, or a bad
        template: one line naming file, sheet, row and column.
    """
    from python_calamine import CalamineWorkbook

    path = Path(path)
    file = file or str(path)
    if path.suffix.lower() != ".xlsx":
        raise InputFileError(Message("E_TEMPLATE_NOT_XLSX"), file=file)
    guard = xlsx_guard.guard_sheets(path, file, SHEETS)
    missing = [s for s in (PRODUCTS, COMMUNICATION) if s not in guard.names]
    if missing:
        raise InputFileError(Message("E_TEMPLATE_NOT_TEMPLATE", sheet=missing[0]), file=file)
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as e:  # calamine raises several error types for broken files
        raise InputFileError(
            Message("E_WORKBOOK_UNREADABLE", error=f"{type(e).__name__}: {e}"), file=file
        ) from None
    products_sheet = _Sheet(wb, PRODUCTS, guard, file)
    communication = _Sheet(wb, COMMUNICATION, guard, file)
    version_sheet = _Sheet(wb, VERSION_SHEET, guard, file) if VERSION_SHEET in guard.names else None
    version, version_date = _version(version_sheet)
    warnings: list[Message] = []
    if version not in VERSIONS.values():
        known = ", ".join(VERSIONS.values())
        warnings.append(Message("W_TEMPLATE_VERSION", file=file, version=version or "unknown", known=known))
    blocks = _processes(communication)
    products, without_cn = _products(products_sheet, blocks)
    installation = _installation(communication, len(products))
    if without_cn:
        rows = ", ".join(map(str, without_cn))
        warnings.append(Message("W_TEMPLATE_ROWS_NO_CN", file=file, n=len(without_cn), rows=rows))
    period = _period_warning(file, installation, year) if products else None
    if period is not None:
        warnings.append(period)
    return CommTemplate(
        file=file,
        path=path,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        version=version,
        version_date=version_date,
        installation=installation,
        products=products,
        warnings=warnings,
    )


# ---------------------------------------------------------------------------- files and folders
@dataclass
class TemplateSet:
    """The templates read from files and folders, the files skipped (not templates) and the
    templates refused, each with its reason."""

    templates: list[CommTemplate] = field(default_factory=list)
    skipped: list[tuple[str, Message]] = field(default_factory=list)
    failed: list[tuple[str, Message]] = field(default_factory=list)

    def products_frame(self) -> pd.DataFrame:
        return products_frame(self.templates)

    @property
    def warnings(self) -> list[Message]:
        return [w for t in self.templates for w in t.warnings]


def _hidden(relative: Path) -> bool:
    """Hidden files and folders, and the lock files Excel leaves next to an open workbook."""
    return any(p.startswith(".") for p in relative.parts) or relative.name.startswith("~$")


def template_files(inputs: Sequence[str | Path]) -> tuple[list[Path], list[tuple[str, Message]]]:
    """The .xlsx files of ``inputs`` (folders searched recursively, sorted; hidden and ``~$``
    files left out) and the other files of the folders, skipped with the reason. A file given by
    name is always read (and refused if it is no template)."""
    from cbam_calc.core.errors import OptionError

    found: list[Path] = []
    skipped: list[tuple[str, Message]] = []
    for given in inputs:
        p = Path(given)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if not f.is_file() or _hidden(f.relative_to(p)):
                    continue
                if f.suffix.lower() == ".xlsx":
                    found.append(f)
                else:
                    skipped.append((str(f), Message("M_SKIPPED_NOT_XLSX")))
        elif p.exists():
            found.append(p)
        else:
            raise OptionError(Message("E_NO_SUCH_FILE_OR_FOLDER", path=str(p)))
    seen: set[Path] = set()
    unique = [f for f in found if not (f.resolve() in seen or seen.add(f.resolve()))]
    return unique, skipped


def _read_one(job: tuple[Path, int | None, bool]) -> tuple[str, Any]:
    """One file of a folder: ("ok", template), ("skipped", reason) or ("failed", one-line error).
    Top level, so that worker processes can run it."""
    path, year, given = job
    try:
        return "ok", read_template(path, str(path), year=year)
    except InputFileError as e:
        if getattr(e.detail, "code", "") == "E_TEMPLATE_NOT_TEMPLATE" and not given:
            return "skipped", e.detail
        return "failed", e.message()  # a Message: shown in the report's language


def workers_for(files: int, jobs: int | None) -> int:
    """Worker processes for ``files`` templates: ``jobs`` if given, else one per core from
    PARALLEL_MIN_FILES templates on (a template costs ~0.1 s, a worker's start ~0.5 s)."""
    if jobs is not None:
        return max(1, min(jobs, files))
    if files < PARALLEL_MIN_FILES:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, files))


def read_templates(
    inputs: Sequence[str | Path], *, year: int | None = None, jobs: int | None = None
) -> TemplateSet:
    """Read every communication template of ``inputs`` (files and folders), in file order. A
    workbook of a folder that is no template is skipped with the reason; a template that cannot be
    used is listed as failed with its one-line error, and the others are read. Many templates are
    read in worker processes (``jobs``; default one per core from PARALLEL_MIN_FILES on); the
    result is the same however they are split."""
    files, skipped = template_files(inputs)
    given = {Path(g).resolve() for g in inputs if not Path(g).is_dir()}
    todo = [(f, year, f.resolve() in given) for f in files]
    workers = workers_for(len(todo), jobs)
    if workers > 1:
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if "forkserver" in methods:
            ctx.set_forkserver_preload(["cbam_calc.inputs.comm_template"])
        with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
            results = list(pool.map(_read_one, todo, chunksize=max(1, len(todo) // (workers * 8))))
    else:
        results = [_read_one(job) for job in todo]
    out = TemplateSet(skipped=skipped)
    for (f, _, _), (kind, value) in zip(todo, results, strict=True):
        if kind == "ok":
            out.templates.append(value)
        elif kind == "skipped":
            out.skipped.append((str(f), value))
        else:
            out.failed.append((str(f), value))
    return out
