"""The carbon-prices table: one row per carbon pricing instrument an installation pays through,
keyed by installation (and optionally CN code and year), and which shipment lines each row
applies to (issue 16; RULES.md, Art 9 draft).
Long because: the table's columns, its reading (a sheet of the shipments workbook or a file of its
own), the check of every row and the join to the lines are one rule, and a reader should find
them together.

One installation often pays through several instruments at once (CEA for 95 % of its covered
emissions, CCER for the other 5 %): per-line columns hold one price, this table holds as many rows
as there are instruments. Where it comes from:

- a sheet of the shipments workbook named like ``carbon prices`` / ``碳价``
  (:data:`~cbam_calc.inputs.readers.PRICE_SHEET_NAMES`, matched as headers are: case, spaces and
  full-width forms aside), found by its name, and never read as shipments;
- a file of its own (csv or xlsx), ``--carbon-prices PATH``; in a workbook, its sheet named like
  the above, else its first visible sheet.

Headers are English or Chinese with aliases (:data:`PRICE_COLUMNS`), read by the shipments
reader's machinery: the header row found among the first rows, CSV encoding and delimiter
sniffed, numbers with thousands separators and shares written 0.95 or 95 %. Every row read ends
in :attr:`CarbonPrices.instruments` or :attr:`CarbonPrices.rejected` with its reason; a rejected
row stops a run (:meth:`CarbonPrices.require_clean`): an instrument row that cannot be read must
not quietly leave its lines without their deduction. An unknown unit or mechanism names the
column and the known ones (:mod:`cbam_calc.law.instruments`).

Which rows apply to a line (:func:`match_instruments`): the rows of the line's installation
(names normalised as the template join does: case, spaces, punctuation, full-width forms) whose
CN code (8 digits, or a heading of 4 or 6 digits the line's code starts with) and year, where
given, are the line's. Narrower keys win over broader ones, and every row of the narrowest level
that matches applies (several instruments at one level are several instruments):
installation + CN + year  >  installation + CN  >  installation + year  >  installation
(a longer CN code is narrower than a shorter one at the same level). A line that gives its own
``carbon_price_paid`` keeps it: the shipment file wins where it gives a value, as it does over a
communication template, and the rows that would have applied to it do not (a warning counts
those lines). A line whose installation's communication template gives a carbon price due
takes the template's row (:func:`template_instruments`) unless table rows apply to it: the table
replaces the template's price, never adds to it (:func:`apply_carbon_prices`). A row that applies
to no line is reported with the reason, never dropped silently.

For the engine, :func:`treat_rows` gives the (line, instrument) pairs in the form of
:func:`cbam_calc.law.instruments.treat`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cbam_calc.core.errors import InputFileError
from cbam_calc.core.messages import Message, message_columns
from cbam_calc.core.model import ReadOptions
from cbam_calc.inputs import csv_arrow, parse, sniff
from cbam_calc.inputs.columns import BY_NAME as LINE_COLUMNS
from cbam_calc.inputs.columns import ColumnSpec, normalise_header
from cbam_calc.inputs.csv_arrow import _unique_headers, find_header
from cbam_calc.inputs.readers import (
    SPREADSHEET_SUFFIXES,
    RawTable,
    _body_frame,
    _csv_frame,
    _drop_blank,
    _drop_empty_columns,
    _hidden_sheets,
    _open_workbook,
    _sheet_values,
    _uncached_by_header,
    hidden_mask,
    is_price_sheet,
)
from cbam_calc.inputs.validate import (
    REJECTED_COLUMNS,
    Issues,
    cell_issues,
    hidden_row_issues,
    rejected_with_unreadable,
)
from cbam_calc.law.importers import normalised_name

# ---------------------------------------------------------------------------- the table's columns


def _aliases(name: str, *more: str) -> tuple[str, ...]:
    """The shipments column's aliases (name included) and ``more``."""
    spec = LINE_COLUMNS[name]
    return (spec.name, *spec.aliases, *more)


def _like(name: str, line: str) -> ColumnSpec:
    """The shipments column ``line`` under the name ``name``: its kind, help and aliases."""
    spec = LINE_COLUMNS[line]
    return ColumnSpec(name, spec.kind, spec.help_en, spec.help_zh, spec.example, _aliases(line))


PRICE_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(
        "installation",
        "text",
        "producing installation, as the shipment lines name it (name or ID)",
        "生产设施，与货物行中的名称或编号一致",
        "Tangshan Jinhai Iron & Steel Co., Ltd. - No.2 BF-BOF works (Hebei)",
        _aliases("installation", "installation name", "设施名称", "设施编号", "生产设施名称"),
        required=True,
    ),
    ColumnSpec(
        "cn_code",
        "cn_key",
        "optional: the CN code (8 digits, or a heading of 4 or 6) the row applies to; blank: all",
        "可选：适用的CN编码（8位，或4位、6位税目）；留空则适用于全部产品",
        "7208 51 20",
        _aliases("cn_code"),
    ),
    ColumnSpec(
        "year",
        "year",
        "optional: the year of import the row applies to; blank: every year",
        "可选：适用的进口年份；留空则适用于所有年份",
        "2026",
        (
            "year",
            "compliance year",
            "reporting year",
            "year of import",
            "年份",
            "年度",
            "履约年度",
            "进口年份",
        ),
    ),
    ColumnSpec(
        "kind",
        "kind",
        "type of instrument, as in the communication template: none, carbon tax (levy, fee), "
        "ETS (national or regional), combination",
        "工具类型（同沟通模板）：none 无、carbon tax 碳税、ETS 碳排放权交易、combination 组合",
        "ETS",
        (
            "instrument kind",
            "kind of instrument",
            "type of instrument",
            "instrument type",
            "type of instrument (carbon pricing)",
            "type",
            "工具类型",
            "碳定价工具类型",
            "类型",
        ),
    ),
    ColumnSpec(
        "mechanism",
        "mechanism",
        "the carbon pricing mechanism (CNETS, K-ETS, UK ETS, a country's carbon tax ...)",
        "碳定价机制（全国碳市场 CNETS、K-ETS、UK ETS、某国碳税…）",
        "CNETS",
        (
            "carbon_price_mechanism",
            "carbon pricing mechanism",
            "carbon price mechanism",
            "scheme",
            "market",
            "机制",
            "碳定价机制",
            "碳市场名称",
            "碳定价体系",
        ),
    ),
    ColumnSpec(
        "unit",
        "unit",
        "the unit surrendered or paid for (CEA, CCER, EUA, ITMO, VCS ...)",
        "所缴纳或购买的单位（CEA 配额、CCER、ITMO、VCS…）",
        "CEA",
        (
            "carbon_price_instrument",
            "instrument",
            "carbon pricing instrument",
            "carbon unit",
            "allowance or credit",
            "碳定价工具",
            "碳单位",
            "配额或信用",
            "配额/信用",
            "单位类型",
        ),
    ),
    ColumnSpec(
        "use",
        "use",
        "compliance (surrendered inside the mechanism) or voluntary (retired for a pledge)",
        "用途：compliance 履约（在机制内清缴）或 voluntary 自愿（自愿注销）",
        "compliance",
        ("carbon_price_use", "use of the unit", "purpose", "用途", "使用方式", "使用用途"),
    ),
    ColumnSpec(
        "covered_share",
        "share",
        "share of the installation's embedded emissions the instrument covers (0-1 or %)",
        "该工具覆盖的隐含排放比例（0-1 或 %）",
        "95%",
        (
            "share covered",
            "covered share",
            "share of embedded emissions covered",
            "share of total embedded emissions covered by the carbon price",
            "share of emissions covered",
            "coverage",
            "覆盖比例",
            "覆盖排放比例",
            "覆盖份额",
            "覆盖占比",
        ),
    ),
    ColumnSpec(
        "price",
        "number",
        "price paid per unit of the basis (a tonne of good or a tCO2e), in the currency",
        "按计价基础（每吨产品或每吨CO2e）支付的价格，以所列币种计",
        "66.86",
        (
            "price",
            "price paid",
            "unit price",
            "carbon price",
            "carbon price paid",
            "carbon_price_paid",
            "价格",
            "单价",
            "碳价",
            "已付碳价",
            "已支付碳价",
            "成交价",
        ),
        required=True,
    ),
    _like("basis", "carbon_price_basis"),
    _like("currency", "carbon_price_currency"),
    _like("free_share", "carbon_price_free_share"),
    _like("rebate", "carbon_price_rebate"),
    _like("evidenced", "carbon_price_evidenced"),
)
PRICE_BY_NAME = {c.name: c for c in PRICE_COLUMNS}


def _alias_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for c in PRICE_COLUMNS:
        for alias in (c.name, *c.aliases):
            index.setdefault(normalise_header(alias), c.name)
    return index


PRICE_ALIASES = _alias_index()


def price_column(header: object) -> str | None:
    """The carbon-prices field a header names, or None."""
    return PRICE_ALIASES.get(normalise_header(header))


# The frame of instrument rows: its columns, as the engine's join takes them
INSTRUMENT_COLUMNS: dict[str, str] = {
    "source": "where the row was read: carbon-prices sheet, carbon-prices file or template",
    "file": "the file it was read from",
    "sheet": "its sheet ('' for a CSV)",
    "row": "its row, as the user sees it (a template: its Summary_Products row)",
    "installation": "the installation as written",
    "installation_key": "the installation normalised for matching (case, spaces, punctuation)",
    "cn_code": "the CN code or heading the row applies to ('' every good)",
    "year": "the year of import it applies to (0 every year)",
    "rank": "how narrow its key is: 2 x CN digits + 1 if a year is given (the narrowest wins)",
    "kind": "the template's type of instrument, a key of carbon_pricing.yaml kinds ('' not given)",
    "mechanism": "the mechanism's id in the reference table ('' not given)",
    "unit": "the unit's id in the reference table ('' not given)",
    "use": "compliance or voluntary ('' not given)",
    "covered_share": "share of embedded emissions covered (NaN not given)",
    "price": "price paid, in the currency, per tonne of good or per tCO2e (per_tco2e)",
    "per_tco2e": "True: the price is per tCO2e; False: per tonne of good",
    "currency": "ISO currency code ('' where the price is 0)",
    "free_share": "share of the priced emissions under free allocation at home (NaN not given)",
    "rebate": "rebate or compensation, same currency and basis (NaN not given)",
    "evidenced": "rebates and free allocation are evidenced (False removes the deduction)",
}
SOURCE_SHEET = "carbon-prices sheet"
SOURCE_FILE = "carbon-prices file"
SOURCE_TEMPLATE = "template"


def empty_instruments() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=_DTYPES.get(c, object)) for c in INSTRUMENT_COLUMNS})


_DTYPES = {
    "row": np.int64,
    "year": np.int64,
    "rank": np.int64,
    "covered_share": float,
    "price": float,
    "per_tco2e": bool,
    "free_share": float,
    "rebate": float,
    "evidenced": bool,
}


@dataclass
class CarbonPrices:
    """A carbon-prices table as read: the usable instrument rows (:data:`INSTRUMENT_COLUMNS`,
    index 0..k-1), the rows that cannot be used (REJECTED_COLUMNS, with their reasons), the
    file, sheet and SHA-256 (for the run record) and the warnings of reading it."""

    instruments: pd.DataFrame
    rejected: pd.DataFrame
    file: str
    sheet: str | None
    sha256: str
    rows_read: int
    header_row: int
    column_map: dict[str, str] = field(default_factory=dict)  # field -> header in the file
    warnings: list[Message] = field(default_factory=list)
    source: str = SOURCE_FILE  # SOURCE_SHEET: the shipments workbook's own sheet

    def require_clean(self) -> CarbonPrices:
        """Self, or InputFileError naming the first rejected row's file, sheet, row, column and
        reason (and how many others there are)."""
        if self.rejected.empty:
            return self
        first = self.rejected.iloc[0]
        more = len(self.rejected) - 1
        raise InputFileError(
            Message("E_CP_ROWS", value=first["value"], reason=first["reason"], more=more)
            if more
            else Message("E_CP_ROW", value=first["value"], reason=first["reason"]),
            file=self.file,
            sheet=self.sheet,
            row=int(first["row"]),
            column=str(first["column"]) or None,
        )


# ---------------------------------------------------------------------------- reading
def _check_headers(headers: list[str], file: str, sheet: str | None) -> dict[str, str]:
    """Field -> header; two headers for one field are refused, as in the shipments table."""
    seen: dict[str, str] = {}
    for h in headers:
        c = price_column(h)
        if c is None:
            continue
        if c in seen:
            raise InputFileError(
                Message("E_CP_TWO_COLUMNS", first=seen[c], second=h, field=c),
                file=file,
                sheet=sheet,
                column=h,
            )
        seen[c] = h
    missing = [c.name for c in PRICE_COLUMNS if c.required and c.name not in seen]
    if missing:
        spec = PRICE_BY_NAME[missing[0]]
        zh = next((a for a in spec.aliases if not a.isascii()), "")
        raise InputFileError(
            Message("E_CP_MISSING_COLUMN", field=spec.name, help=spec.help_en, zh=zh, found=headers),
            file=file,
            sheet=sheet,
            column=spec.name,
        )
    return seen


def _header(values: list[list], file: str, sheet: str | None) -> int:
    try:
        return find_header(values, file, sheet, price_column)
    except InputFileError:
        raise InputFileError(
            Message("E_CP_NO_HEADER", rows=csv_arrow.HEADER_SCAN_ROWS), file=file, sheet=sheet
        ) from None


def _sheet_table(wb, guard, file: str, name: str) -> RawTable:
    _, values = _sheet_values(wb, name, file)
    h = _header(values, file, name)
    headers = _unique_headers(values[h], file, name)
    frame = _body_frame(values[h + 1 :], headers)
    rows = np.arange(h + 2, h + 2 + len(frame), dtype=np.int64)
    frame, rows, blank = _drop_blank(frame, rows)
    table = RawTable(_drop_empty_columns(frame), rows, file, name, h + 1, blank)
    scanned = guard.sheets.get(name)
    if scanned is not None:
        table.uncached = _uncached_by_header(scanned.formula_rows, scanned.formula_cols, headers, rows)
        if scanned.hidden_rows:
            table.hidden = hidden_mask(rows, scanned.hidden_rows)
    return table


def read_workbook_sheet(path: str | Path, read: ReadOptions | None = None) -> CarbonPrices | None:
    """The carbon-prices sheet of a shipments workbook (:func:`is_price_sheet`), or None when the
    workbook has none (or ``path`` is no workbook). Two sheets named so: an InputFileError naming
    both."""
    file = str(path)
    p = Path(path)
    if p.suffix.lower() not in SPREADSHEET_SUFFIXES:
        return None
    wb, guard = _open_workbook(p, file)
    found = [n for n in wb.sheet_names if is_price_sheet(n)]
    if not found:
        return None
    if len(found) > 1:
        raise InputFileError(Message("E_CP_TWO_SHEETS", sheets=found), file=file)
    return parse_table(_sheet_table(wb, guard, file, found[0]), SOURCE_SHEET, read)


def read_carbon_prices(
    path: str | Path, sheet: str | None = None, read: ReadOptions | None = None
) -> CarbonPrices:
    """A carbon-prices file of its own (``--carbon-prices PATH``): a CSV (encoding and delimiter
    sniffed as for shipments; ``read.encoding`` if given), or a workbook: ``sheet``, else its
    sheet named like the table, else its first visible sheet. Raises InputFileError for an
    unusable file; rows that cannot be used are in ``rejected`` (:meth:`CarbonPrices.require_clean`)."""
    file = str(path)
    p = Path(path)
    read = read or ReadOptions()
    if not p.exists():
        raise InputFileError(Message("E_NO_SUCH_FILE"), file=file)
    if not p.is_file():
        raise InputFileError(csv_arrow.NOT_REGULAR, file=file)
    sniff.check_kind(p, file)
    if p.suffix.lower() in SPREADSHEET_SUFFIXES:
        wb, guard = _open_workbook(p, file)
        names = list(wb.sheet_names)
        if sheet is not None:
            if sheet not in names:
                raise InputFileError(Message("E_NO_SHEET", sheet=sheet, sheets=names, which=""), file=file)
            name = sheet
        else:
            hidden = _hidden_sheets(wb, guard)
            visible = [n for n in names if n not in hidden]
            named = [n for n in names if is_price_sheet(n)]
            if len(named) > 1:
                raise InputFileError(Message("E_CP_TWO_SHEETS", sheets=named), file=file)
            if not named and not visible:
                raise InputFileError(Message("E_ALL_SHEETS_HIDDEN", sheets=names), file=file)
            name = named[0] if named else visible[0]
        return parse_table(_sheet_table(wb, guard, file, name), SOURCE_FILE, read)
    if sheet is not None:
        raise InputFileError(Message("E_SHEET_NOT_SPREADSHEET"), file=file, sheet=sheet)
    got = csv_arrow.read_now(p, file, read.encoding, canonical=price_column)
    frame, rows, bad = _csv_frame(got, file)
    frame, rows, blank = _drop_blank(frame, rows)
    table = RawTable(_drop_empty_columns(frame), rows, file, None, got.h + 1, blank)
    table.bad_rows, table.sep, table.encoding = bad, got.sep, got.encoding
    return parse_table(table, SOURCE_FILE, read)


# ---------------------------------------------------------------------------- parsing
def cn_key(value) -> tuple[str, str]:
    """A CN code the row applies to: 8 digits, a heading of 4 or 6, or a 10-digit TARIC code
    (read as its 8 digits)."""
    digits = parse.cn_digits(value)
    if not digits.isdigit():
        return "", Message("R_NOT_CN_CODE")
    if len(digits) not in (4, 6, 8, 10):
        return "", Message("R_CP_CN_DIGITS", digits=len(digits))
    return digits[:8], ""


def kind_of(value) -> tuple[str, str]:
    """A type of instrument of the communication template's list (Summary_Products AL), as the
    key of the reference table's ``kinds`` (:mod:`cbam_calc.law.instruments`): its template
    string (National Emissions Trading System), Chinese name or key."""
    from cbam_calc.law import instruments

    index = _kind_index()
    got = index.get(instruments.normalise(parse.text(value)))
    if got is None:
        return "", Message("R_CP_UNKNOWN_KIND", known=list(instruments.template_kinds()))
    return got, ""


@functools.cache
def _kind_index() -> dict[str, str]:
    from cbam_calc.law import instruments

    out: dict[str, str] = {}
    for key, k in instruments.table()["kinds"].items():
        for name in (key, k["template"], k["zh"]):
            out.setdefault(instruments.normalise(name), key)
    out.pop("", None)
    return out


def unit_of(value) -> tuple[str, str]:
    """A unit of the reference table, or the name of a mechanism's allowance or tax (CEA, KAU,
    UKA, the Singapore carbon tax): the unit that mechanism's kind stands for (the mechanism is
    then named by the unit column, see :func:`parse_table`)."""
    from cbam_calc.law import instruments

    text = parse.text(value)
    got = instruments.resolve_unit(text)
    if got is None:
        mechanism = instruments.resolve_mechanism(text)
        if mechanism is not None:
            kind = instruments.table()["mechanisms"][mechanism].get("kind", "")
            got = instruments.table()["kinds"].get(kind, {}).get("unit")
    if got is None:
        return "", Message("R_CP_UNKNOWN", column="", known=instruments.known_units())
    return str(got), ""


def _mechanism_of_unit(value) -> str:
    """The mechanism a unit cell names by its allowance or tax (CEA: cnets), '' for a unit."""
    from cbam_calc.law import instruments

    text = parse.text(value)
    if instruments.resolve_unit(text) is not None:
        return ""
    return instruments.resolve_mechanism(text) or ""


def _named(fn, column: str):
    """``fn`` with the column named in its reason (R_CP_UNKNOWN names the header as written)."""

    def one(value) -> tuple[str, str]:
        got, why = fn(value)
        if why and getattr(why, "code", "") == "R_CP_UNKNOWN":
            why = Message("R_CP_UNKNOWN", column=column, known=why.params["known"])
        return got, why

    return one


def _resolved(resolve, known, column: str):
    """A per-distinct parser from a reference-table resolver (text -> id or None)."""

    def one(value) -> tuple[str, str]:
        got = resolve(parse.text(value))
        if got is None:
            return "", Message("R_CP_UNKNOWN", column=column, known=list(known()))
        return got, ""

    return one


def parse_table(raw: RawTable, source: str, read: ReadOptions | None = None) -> CarbonPrices:
    """Every row of a carbon-prices table checked and typed, vectorised per column (parsing once
    per distinct text). The first problem of a row is its reason (columns in the table's order)."""
    file, sheet = raw.file, raw.sheet
    headers = [str(h) for h in raw.frame.columns]
    column_map = _check_headers(headers, file, sheet)
    n = len(raw.frame)
    issues = Issues(n)
    warnings: list[Message] = []

    def col(name: str) -> pd.Series | None:
        return raw.frame[column_map[name]] if name in column_map else None

    def header(name: str) -> str:
        return column_map.get(name, name)

    hidden_row_issues(raw, read, issues, warnings)
    cell_issues(raw, column_map, issues)  # numbers merged over rows, formulas without a value

    def text_of(name: str, fn, empty_reason="") -> parse.Parsed | None:
        if name not in column_map:
            return None
        p = parse.per_distinct(col(name), fn, "", empty_reason)
        issues.add(p.bad, header(name), p.why)
        return p

    def texts(p: parse.Parsed | None) -> np.ndarray:
        if p is None:
            return np.full(n, "", dtype=object)
        return np.asarray(pd.Series(p.values, dtype=object).fillna("").to_numpy(dtype=object))[p.codes]

    def number(name: str, kind: str = "number") -> np.ndarray:
        if name not in column_map:
            return np.full(n, np.nan)
        if kind == "share":
            v, problems = parse.share(col(name), sep=raw.sep)
        else:
            v, problems = parse.number(col(name), sep=raw.sep)
        issues.add(problems.bad, header(name), problems.why)
        return v

    inst = text_of("installation", lambda v: (parse.text(v), ""), Message("R_CP_MISSING_INSTALLATION"))
    cn = text_of("cn_code", cn_key)
    year_v = number("year")
    year_bad = ~np.isnan(year_v) & ((year_v != np.round(year_v)) | (year_v < 1000) | (year_v > 9999))
    issues.add(year_bad, header("year"), Message("R_CP_NOT_YEAR"))
    kind = text_of("kind", kind_of)
    from cbam_calc.law import instruments as ref_instruments

    unit = text_of("unit", _named(unit_of, header("unit")))
    mech = text_of(
        "mechanism",
        _resolved(ref_instruments.resolve_mechanism, ref_instruments.known_mechanisms, header("mechanism")),
    )
    use = text_of("use", _resolved(ref_instruments.resolve_use, ref_instruments.known_uses, header("use")))
    mechanisms = texts(mech)
    if unit is not None:  # an allowance's name in the unit column (CEA) names its mechanism too
        implied = parse.per_distinct(col("unit"), lambda v: (_mechanism_of_unit(v), ""), "")
        named = texts(implied)
        clash = (named != "") & (mechanisms != "") & (named != mechanisms)
        issues.add(
            clash,
            header("mechanism"),
            lambda pos: np.array(
                [Message("R_CP_UNIT_MECHANISM", unit=named[i], mechanism=mechanisms[i]) for i in pos],
                dtype=object,
            ),
        )
        mechanisms = np.where(mechanisms == "", named, mechanisms)
    covered = number("covered_share", "share")
    price = number("price")
    issues.add(np.isnan(price), header("price"), Message("R_CP_MISSING_PRICE"))
    issues.add(~np.isnan(price) & (price < 0), header("price"), Message("R_NEGATIVE_PRICE_PAID"))
    priced = ~np.isnan(price) & (price > 0)
    bas = text_of("basis", parse.basis)
    issues.add(priced & (texts(bas) == ""), header("basis"), Message("R_PRICE_NEEDS_BASIS"))
    cur = text_of("currency", parse.currency)
    issues.add(priced & (texts(cur) == ""), header("currency"), Message("R_PRICE_NEEDS_CURRENCY"))
    free = number("free_share", "share")
    rebate = number("rebate")
    issues.add(~np.isnan(rebate) & (rebate < 0), header("rebate"), Message("R_NEGATIVE_REBATE"))
    if "evidenced" in column_map:
        ev = parse.per_distinct(col("evidenced"), parse.boolean, True)
        issues.add(ev.bad, header("evidenced"), ev.why)
        evidenced = ev.take(bool, True)
    else:
        evidenced = np.ones(n, dtype=bool)

    names = texts(inst)
    cn_codes = texts(cn)
    years = np.where(np.isnan(year_v) | year_bad, 0, np.nan_to_num(year_v)).astype(np.int64)
    frame = pd.DataFrame(
        {
            "source": source,
            "file": file,
            "sheet": sheet or "",
            "row": raw.rows.astype(np.int64),
            "installation": names,
            "installation_key": [normalised_name(x) for x in names],
            "cn_code": cn_codes,
            "year": years,
            "rank": rank_of(cn_codes, years),
            "kind": texts(kind),
            "mechanism": mechanisms,
            "unit": texts(unit),
            "use": texts(use),
            "covered_share": covered,
            "price": price,
            "per_tco2e": texts(bas) == "per_tco2e",
            "currency": texts(cur),
            "free_share": free,
            "rebate": rebate,
            "evidenced": evidenced,
        },
        columns=list(INSTRUMENT_COLUMNS),
    )
    # shares covered by the rows of one key and level cannot exceed the whole
    ok = ~issues.bad
    if ok.any() and "covered_share" in column_map:
        keyed = frame.loc[ok, ["installation_key", "cn_code", "year"]]
        total = frame.loc[ok, "covered_share"].fillna(0).groupby([keyed[c] for c in keyed]).transform("sum")
        over = np.zeros(n, dtype=bool)
        over[np.flatnonzero(ok)] = total.to_numpy() > 1 + SHARE_TOLERANCE
        issues.add(over, header("covered_share"), Message("R_CP_SHARES_OVER_ONE"))
    positions, columns, reasons = issues.records()
    rejected = rejected_with_unreadable(raw, positions, columns, reasons)
    instruments = frame.loc[~issues.bad].reset_index(drop=True)
    return CarbonPrices(
        instruments,
        rejected,
        file,
        sheet,
        csv_arrow.sha256_of_file(file),
        raw.rows_read,
        raw.header_row,
        column_map,
        warnings,
        source,
    )


SHARE_TOLERANCE = 1e-9  # float sums of shares written to a few decimals (0.95 + 0.05)


def rank_of(cn_codes: np.ndarray, years: np.ndarray) -> np.ndarray:
    """How narrow each row's key is: 2 x the CN code's digits (0, 4, 6, 8) + 1 where a year is
    given. installation+CN+year > installation+CN > installation+year > installation, and a
    longer code is narrower than a shorter one."""
    digits = np.fromiter((len(c) for c in cn_codes), dtype=np.int64, count=len(cn_codes))
    return 2 * digits + (np.asarray(years) > 0).astype(np.int64)


# ---------------------------------------------------------------------------- the join to the lines
@dataclass
class InstrumentLines:
    """Which instrument rows apply to which lines: ``pairs`` has one row per (line, instrument),
    ``line`` the label of the line in the lines' index and ``instrument`` the position of the
    row in the instruments frame, sorted by line; ``own_price`` marks the lines that keep their
    own carbon price columns (no pair); ``unused`` (REJECTED_COLUMNS) the instrument rows that
    apply to no line, with the reason; ``warnings`` what the join noticed."""

    pairs: pd.DataFrame
    own_price: np.ndarray
    unused: pd.DataFrame
    warnings: list[Message] = field(default_factory=list)
    # set by :func:`apply_carbon_prices`: the instrument rows ``pairs`` points into, the tables
    # they were read from (the run record names them) and the lines whose carbon price came from a
    # communication template and is replaced by the table's instruments
    instruments: pd.DataFrame | None = None
    tables: list[CarbonPrices] = field(default_factory=list)
    replaces_template: np.ndarray | None = None


def _line_keys(lines: pd.DataFrame, keys: pd.Index) -> np.ndarray:
    """Per line, the position in ``keys`` of its installation (normalised once per distinct
    installation), -1 where no instrument row names it."""
    inst = pd.Categorical(lines["installation"]) if "installation" in lines else None
    if inst is None or not len(inst.categories):
        return np.full(len(lines), -1, dtype=np.int64)
    per_category = keys.get_indexer([normalised_name(str(c)) for c in inst.categories])
    per_category = np.where(np.asarray([bool(str(c).strip()) for c in inst.categories]), per_category, -1)
    codes = np.asarray(inst.codes, dtype=np.int64)
    return np.where(codes < 0, -1, np.append(per_category, -1)[codes])


def match_instruments(instruments: pd.DataFrame, lines: pd.DataFrame) -> InstrumentLines:
    """The instrument rows that apply to each line (see the module docstring for the rule):
    vectorised, the matching done once per distinct (installation, CN code, year) of the lines.

    Parameters
    ----------
    instruments : pandas.DataFrame
        :data:`INSTRUMENT_COLUMNS`, index 0..k-1 (:attr:`CarbonPrices.instruments`, with
        :func:`template_instruments` rows concatenated where templates were given).
    lines : pandas.DataFrame
        Validated lines: ``installation``, ``cn_code`` (8 digits), ``year``, and
        ``carbon_price_paid`` (a line giving its own keeps it; one whose price came from a
        communication template, ``carbon_price_from_template``, does not: the carbon-prices
        table wins over a template's price due).
    """
    from cbam_calc.core.arrays import factorize_frame
    from cbam_calc.inputs.template_match import FROM_TEMPLATE

    n, k = len(lines), len(instruments)
    paid = (
        lines["carbon_price_paid"].to_numpy(dtype=float)
        if "carbon_price_paid" in lines
        else np.full(n, np.nan)
    )
    own = ~np.isnan(paid)
    if FROM_TEMPLATE in lines:
        own &= ~lines[FROM_TEMPLATE].to_numpy(dtype=bool)
    empty_pairs = pd.DataFrame({"line": lines.index[:0], "instrument": np.zeros(0, dtype=np.int64)})
    if not k:
        return InstrumentLines(
            empty_pairs, np.zeros(n, dtype=bool), _unused(instruments, np.zeros(0, bool), None)
        )
    keys = pd.Index(pd.unique(instruments["installation_key"].to_numpy(dtype=object)))
    line_key = _line_keys(lines, keys)
    frame = pd.DataFrame(
        {
            "key": line_key,
            "cn": pd.Categorical(lines["cn_code"]),  # codes: no string per line
            "year": lines["year"].to_numpy(dtype=np.int64) if n else np.zeros(0, dtype=np.int64),
        }
    )
    codes, distinct = factorize_frame(frame)
    distinct["d"] = np.arange(len(distinct))
    inst = instruments.assign(key=keys.get_indexer(instruments["installation_key"]), instrument=np.arange(k))
    cand = distinct[distinct["key"] >= 0].merge(
        inst[["key", "cn_code", "year", "rank", "instrument"]], on="key"
    )
    cn_d = cand["cn"].astype(str).to_numpy(dtype=object)
    cn_i = cand["cn_code"].to_numpy(dtype=object)
    cn_ok = np.fromiter((c.startswith(p) for c, p in zip(cn_d, cn_i)), dtype=bool, count=len(cand))
    fits = cn_ok & ((cand["year_y"] == 0) | (cand["year_y"] == cand["year_x"])).to_numpy()
    fit = cand[fits]
    best = fit.groupby("d")["rank"].transform("max")
    fit = fit[fit["rank"].to_numpy() == best.to_numpy()].sort_values(["d", "instrument"], kind="stable")
    pair_d = fit["d"].to_numpy(dtype=np.int64)
    pair_i = fit["instrument"].to_numpy(dtype=np.int64)
    # expand per distinct key to lines: each line takes its key's run of pairs
    per_d = np.bincount(pair_d, minlength=len(distinct))
    first = np.cumsum(per_d) - per_d
    count = np.where(own, 0, per_d[codes]) if n else np.zeros(0, dtype=np.int64)
    line_pos = np.repeat(np.arange(n), count)
    offset = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    instrument = pair_i[np.repeat(first[codes], count) + offset]
    pairs = pd.DataFrame({"line": lines.index.to_numpy()[line_pos], "instrument": instrument})
    own_hit = own & (per_d[codes] > 0) if n else np.zeros(0, dtype=bool)
    warnings: list[Message] = []
    if own_hit.any():
        rows = lines["row"].to_numpy()[own_hit] if "row" in lines else np.flatnonzero(own_hit) + 1
        warnings.append(Message("W_CP_LINE_OWN_PRICE", n=int(own_hit.sum()), rows=_shown(rows)))
    used = np.bincount(instrument, minlength=k) > 0
    matched = np.zeros(k, dtype=bool)
    matched[np.unique(pair_i)] = True  # applies to some line, but each of them keeps its own
    narrower = np.zeros(k, dtype=bool)  # fits some line's key, but a narrower row wins there
    narrower[np.unique(cand["instrument"].to_numpy(dtype=np.int64)[fits])] = True
    unused = _unused(instruments, used, (matched, narrower))
    if len(unused):
        warnings.append(Message("W_CP_ROWS_UNUSED", n=len(unused), rows=_shown(unused["row"].to_numpy())))
    return InstrumentLines(pairs, own_hit, unused, warnings)


def _shown(rows: np.ndarray, limit: int = 10) -> list:
    rows = [int(r) for r in rows]
    return rows[:limit] + (["..."] if len(rows) > limit else [])


def _unused(instruments: pd.DataFrame, used: np.ndarray, why) -> pd.DataFrame:
    """The instrument rows no line takes, with the reason: no line of the installation (with
    that CN code and year), narrower rows win for every such line, or every such line gives its
    own carbon price."""
    idle = np.flatnonzero(~used) if len(used) else np.arange(len(instruments))
    if not len(idle):
        return pd.DataFrame(columns=REJECTED_COLUMNS)
    matched, fits = why if why is not None else (np.zeros(len(instruments), bool),) * 2
    reasons = np.array(
        [
            Message("R_CP_LINES_OWN_PRICE")
            if matched[i]
            else Message("R_CP_NARROWER_WINS")
            if fits[i]
            else Message("R_CP_NO_LINE")
            for i in idle
        ],
        dtype=object,
    )
    texts, codes, params = message_columns(reasons)
    sub = instruments.iloc[idle]
    return pd.DataFrame(
        {
            "file": sub["file"].to_numpy(dtype=object),
            "sheet": sub["sheet"].to_numpy(dtype=object),
            "row": sub["row"].to_numpy(dtype=np.int64),
            "column": "installation",
            "value": sub["installation"].to_numpy(dtype=object),
            "reason": texts,
            "code": codes,
            "params": params,
        },
        columns=REJECTED_COLUMNS,
    )


# ---------------------------------------------------------------------------- templates
def template_instruments(templates, proven: set[str] | None = None) -> pd.DataFrame:
    """One instrument row per product of the communication templates that gives a carbon price
    due (Summary_Products AL type of instrument, AM share covered, AP currency, AR price due per
    produced tonne, AU rebate share, AX rebate amount): the same frame as a carbon-prices table
    (:data:`INSTRUMENT_COLUMNS`), keyed by the template's installation and the product's CN code.
    The price is due per tonne of good (``per_tco2e`` False); where the template gives a rebate
    share (AU) without its amount, the share is the free-allocation term, as the template join
    maps it. ``proven``: the template files whose price due counts as evidenced (:func:`cbam_calc.
    inputs.template_match.evidenced_files`); the others are not evidenced (a price due is no price
    evidenced as paid). A type of instrument this reader does not know is kept as '' (the template
    is the Commission's form; its drop-down list is :data:`KINDS`)."""
    from cbam_calc.inputs.comm_template import PRODUCTS

    proven = proven or set()
    rows = []
    for t in templates:
        for p in t.products:
            if p.cp_due is None or not p.cp_due > 0:
                continue
            kind, _ = kind_of(p.cp_instrument) if p.cp_instrument else ("", "")
            currency, _ = parse.currency(p.cp_currency) if p.cp_currency else ("", "")
            share = p.rebate_share if p.rebate_amount is None and p.rebate_share is not None else np.nan
            cn = parse.cn_digits(p.cn_code)[:8]
            rows.append(
                {
                    "source": SOURCE_TEMPLATE,
                    "file": t.file,
                    "sheet": PRODUCTS,
                    "row": int(p.row),
                    "installation": t.installation.name,
                    "installation_key": normalised_name(t.installation.name),
                    "cn_code": cn,
                    "year": 0,
                    "kind": kind,
                    "mechanism": "",
                    "unit": "",
                    "use": "",
                    "covered_share": np.nan if p.cp_share_covered is None else float(p.cp_share_covered),
                    "price": float(p.cp_due),
                    "per_tco2e": False,
                    "currency": currency,
                    "free_share": share,
                    "rebate": np.nan if p.rebate_amount is None else float(p.rebate_amount),
                    "evidenced": t.file in proven,
                }
            )
    if not rows:
        return empty_instruments()
    frame = pd.DataFrame(rows)
    frame["rank"] = rank_of(frame["cn_code"].to_numpy(dtype=object), frame["year"].to_numpy())
    return frame[list(INSTRUMENT_COLUMNS)].astype({c: t for c, t in _DTYPES.items()})


# ---------------------------------------------------------------------------- after validation
def apply_carbon_prices(
    validated,
    tables: Sequence[CarbonPrices],
    templates=None,
    proven: set[str] | None = None,
):
    """The validated lines with the instrument rows that apply to each (``validated.carbon_prices``,
    an :class:`InstrumentLines` with ``instruments``), after the template join and before the
    engine. Precedence, per line: its own carbon price columns; else the carbon-prices tables'
    rows (narrowest key first, :func:`match_instruments`); else, for a line whose installation's
    communication template gives a carbon price due, the template's row
    (:func:`template_instruments`, keyed by the template's installation and CN code). A line that
    took a template's price due and has table rows is marked ``replaces_template``: the table's
    instruments replace the template's price, never add to it.

    ``tables``: the run's carbon-prices tables (a workbook's sheet, ``--carbon-prices``), each
    refused unless clean (:meth:`CarbonPrices.require_clean`: InputFileError naming the first bad
    row). The rows of the tables that apply to no line are in ``unused`` with their reason, and
    said by a warning; the template's own rows are not (the template join says which templates
    cover no line).
    """
    from dataclasses import replace

    from cbam_calc.inputs.template_match import FROM_TEMPLATE

    tables = [t.require_clean() for t in tables]
    lines = validated.lines
    warnings = [w for t in tables for w in t.warnings]
    given = [t.instruments for t in tables if len(t.instruments)]
    table_rows = pd.concat(given, ignore_index=True) if given else empty_instruments()
    join = match_instruments(table_rows, lines)
    k = len(table_rows)
    pairs, instruments = join.pairs, table_rows
    from_template = (
        lines[FROM_TEMPLATE].to_numpy(dtype=bool) if FROM_TEMPLATE in lines else np.zeros(len(lines), bool)
    )
    with_table = (
        np.isin(lines.index.to_numpy(), pairs["line"].to_numpy())
        if len(pairs)
        else np.zeros(len(lines), bool)
    )
    if templates is not None:
        tpl = template_instruments(templates, proven)
        if len(tpl):
            tjoin = match_instruments(tpl, lines)
            take = ~np.isin(
                tjoin.pairs["line"].to_numpy(), lines.index.to_numpy()[with_table | join.own_price]
            )
            tp = tjoin.pairs[take]
            tp = tp.assign(instrument=tp["instrument"].to_numpy() + k)
            instruments = pd.concat([table_rows, tpl], ignore_index=True)
            pairs = pd.concat([pairs, tp], ignore_index=True)
            order = np.argsort(lines.index.get_indexer(pairs["line"]), kind="stable")
            pairs = pairs.iloc[order].reset_index(drop=True)
    replaces = from_template & with_table
    result = replace(
        join,
        pairs=pairs,
        warnings=[*warnings, *join.warnings],
        instruments=instruments,
        tables=list(tables),
        replaces_template=replaces,
    )
    lines = _without_template_price(lines, replaces, with_table, tables)
    return replace(
        validated, lines=lines, warnings=[*validated.warnings, *result.warnings], carbon_prices=result
    )


# how the carbon-prices table is named as a line's carbon_price_source
SOURCE_CODES = {SOURCE_SHEET: "M_CP_SOURCE_SHEET", SOURCE_FILE: "M_CP_SOURCE_FILE"}


def _price_due_replaced(use):
    """A line's template_use (template_match.TEMPLATE_USE) with its carbon price due said replaced
    by the carbon-prices table."""
    from cbam_calc.inputs.template_match import TEMPLATE_USE, USE_PRICE_DUE

    if not isinstance(use, Message) or use.code != TEMPLATE_USE:
        return use
    parts = [
        Message("M_USE_PRICE_REPLACED") if getattr(p, "code", "") == USE_PRICE_DUE else p
        for p in use.params["parts"]
    ]
    return Message(TEMPLATE_USE, parts=parts)


def _without_template_price(
    lines: pd.DataFrame, replaces: np.ndarray, with_table: np.ndarray, tables: Sequence[CarbonPrices]
) -> pd.DataFrame:
    """``lines`` where the table's rows replace a template's carbon price due (``replaces``): the
    template's per-line price cleared (the engine takes the line's price from its instrument rows
    alone, never the template's added to them), the line no longer marked as priced by a template
    (nothing is pending its evidence) and evidenced as far as the line goes (its rows say). Where
    the template join wrote ``carbon_price_source``, the lines with table rows name the table, and
    ``template_use`` says the price due was replaced."""
    from cbam_calc.inputs.template_match import FROM_TEMPLATE

    if not replaces.any() and not (with_table.any() and "carbon_price_source" in lines):
        return lines
    lines = lines.copy()
    if replaces.any():
        lines["carbon_price_paid"] = np.where(
            replaces, np.nan, lines["carbon_price_paid"].to_numpy(dtype=float)
        )
        lines[FROM_TEMPLATE] = lines[FROM_TEMPLATE].to_numpy(dtype=bool) & ~replaces
        lines["carbon_price_evidenced"] = lines["carbon_price_evidenced"].to_numpy(dtype=bool) | replaces
        if "template_use" in lines:  # what the line took from its template: not its price due
            use = pd.Categorical(lines["template_use"])
            said = [_price_due_replaced(c) for c in use.categories]
            cats = list(dict.fromkeys([*use.categories, *said]))  # Messages kept (their codes)
            codes = np.asarray(use.codes, dtype=np.int64)
            new_codes = np.array([cats.index(c) for c in said] + [-1], dtype=np.int64)[codes]
            old_codes = np.array([cats.index(c) for c in use.categories] + [-1], dtype=np.int64)[codes]
            lines["template_use"] = pd.Categorical.from_codes(
                np.where(replaces, new_codes, old_codes),
                dtype=pd.CategoricalDtype(pd.Index(cats, dtype=object)),
            )
    if with_table.any() and "carbon_price_source" in lines and tables:
        t = tables[0]
        named = Message(SOURCE_CODES[t.source], file=t.file) if t.source in SOURCE_CODES else t.source
        source = pd.Categorical(lines["carbon_price_source"])
        cats = list(source.categories)
        if named not in cats:
            cats.append(named)
        codes = np.where(with_table, cats.index(named), np.asarray(source.codes, dtype=np.int64))
        lines["carbon_price_source"] = pd.Categorical.from_codes(
            codes, dtype=pd.CategoricalDtype(pd.Index(cats, dtype=object))
        )
    return lines


def carbon_price_tables(
    shipments: str | Path | None,
    carbon_prices: str | Path | CarbonPrices | None,
    read: ReadOptions | None = None,
) -> list[CarbonPrices]:
    """The carbon-prices tables of a run: the shipments workbook's sheet named like the table
    (:func:`read_workbook_sheet`) and the file ``carbon_prices`` (``--carbon-prices``; a table
    already read is taken as it is). Both at once is an InputFileError: which one holds the
    installation's instruments is for the user to say (a row in each for one installation would
    apply both)."""
    sheet = read_workbook_sheet(shipments, read) if shipments is not None else None
    given = carbon_prices
    if given is not None and not isinstance(given, CarbonPrices):
        given = read_carbon_prices(given, read=read)
    if sheet is not None and given is not None:
        raise InputFileError(
            Message("E_CP_SHEET_AND_FILE", sheet=sheet.sheet, given=given.file),
            file=sheet.file,
            sheet=sheet.sheet,
        )
    return [t for t in (sheet, given) if t is not None]


# ---------------------------------------------------------------------------- the engine's rows
@dataclass
class TreatRows:
    """The instrument rows of a run in the order and form of
    :func:`cbam_calc.law.instruments.treat`: one row per (line, instrument) pair, ``line`` the
    position of the line in the lines frame given. What the engine adds per row from its line:
    ``origin_iso2 = country[line]``, ``see_tco2e_per_t = see[line]`` and ``units_per_eur`` (the
    yearly rate of ``currency`` in ``year[line]``). ``evidenced`` per row: the engine's per-line
    evidence is every row of the line evidenced (an entitlement that cannot be evidenced removes
    the whole deduction, RULES.md Art 9)."""

    line: np.ndarray
    unit: np.ndarray
    mechanism: np.ndarray
    voluntary: np.ndarray
    share_covered: np.ndarray
    price: np.ndarray
    per_tco2e: np.ndarray
    free_allocation_share: np.ndarray
    rebate: np.ndarray
    currency: np.ndarray
    evidenced: np.ndarray
    instrument: np.ndarray  # the row of ``InstrumentLines.instruments`` (its source, file and row)


def treat_rows(join: InstrumentLines, lines: pd.DataFrame) -> TreatRows:
    """:class:`TreatRows` of ``join`` (:func:`apply_carbon_prices`) over ``lines`` (the validated
    lines, or the part of them the engine computes: pairs of lines not in ``lines`` are left
    out). Vectorised: codes once per instrument row, then taken per pair."""
    from cbam_calc.law import instruments as ref_instruments

    inst = join.instruments if join.instruments is not None else empty_instruments()
    pos = lines.index.get_indexer(join.pairs["line"]) if len(join.pairs) else np.zeros(0, np.int64)
    keep = pos >= 0
    which = join.pairs["instrument"].to_numpy(dtype=np.int64)[keep]
    unit = ref_instruments.unit_codes(inst["unit"]) if len(inst) else np.zeros(0, np.int64)  # '': -1
    mech = ref_instruments.mechanism_codes(inst["mechanism"]) if len(inst) else unit

    def take(name: str, dtype=None) -> np.ndarray:
        return inst[name].to_numpy(dtype=dtype)[which]

    return TreatRows(
        line=pos[keep].astype(np.int64),
        unit=np.asarray(unit, dtype=np.int64)[which],
        mechanism=np.asarray(mech, dtype=np.int64)[which],
        voluntary=take("use", object) == ref_instruments.VOLUNTARY,
        share_covered=take("covered_share", float),
        price=take("price", float),
        per_tco2e=take("per_tco2e", bool),
        free_allocation_share=take("free_share", float),
        rebate=take("rebate", float),
        currency=take("currency", object),
        evidenced=take("evidenced", bool),
        instrument=which,
    )
