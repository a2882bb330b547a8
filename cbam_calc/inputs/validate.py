"""Turn a raw table into typed lines, and every row that cannot be computed into a Rejected row.
Long because: one pass over every column of a shipments table, in the order the Rejected list
reports them; each column's rule is a few lines, and they share the per-distinct parsing.

Nothing is lost: each row read ends up in ``lines`` or in ``rejected`` (with the column, the
value as written, the reason in English, and the reason's message code and parameters, to show it
in another language). Work is done per column, vectorised; messages are only built for the rows
that fail.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cbam_calc.core.errors import InputFileError
from cbam_calc.core.messages import Message, message_columns
from cbam_calc.core.model import ReadOptions
from cbam_calc.inputs import parse
from cbam_calc.inputs.columns import BY_NAME, COLUMNS, check_fields, header_fields, header_named
from cbam_calc.inputs.readers import RawTable
from cbam_calc.law import defaults, instruments
from cbam_calc.law.defaults import UNKNOWN_ORIGIN
from cbam_calc.law.destination import customs_territory, destination_aliases, in_customs_territory
from cbam_calc.law.importers import with_eori
from cbam_calc.law.parameters import definitive_period
from cbam_calc.law.prices import regime
from cbam_calc.law.reference import ReferenceData
from cbam_calc.law.scope import unknown_code_reason

UNKNOWN_ORIGIN_WORDS = {"unknown", "unknown origin", "not known", "未知", "不详", "xx"}

# code, params: the reason's message code ('' where it has none yet) and parameters (JSON)
REJECTED_COLUMNS = ["file", "sheet", "row", "column", "value", "reason", "code", "params"]


class Issues:
    """Per-row problems; the first one per row wins (columns are checked in a fixed order).

    Only the rows that fail carry anything: a boolean mask for all rows, and for the failing
    rows their column and reason. A reason is a string, an array aligned with the rows, or a
    function of the failing positions that builds their messages (so a message is only ever
    made for a row that needs one)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.bad = np.zeros(n, dtype=bool)
        self._chunks: list[tuple[np.ndarray, str, object]] = []

    def add(self, mask: np.ndarray, column: str, reason) -> None:
        """Record ``reason`` where ``mask`` holds and the row has no issue yet."""
        new = np.asarray(mask, dtype=bool) & ~self.bad
        if not new.any():
            return
        self.bad |= new
        pos = np.flatnonzero(new)
        if callable(reason):
            why = np.asarray(reason(pos), dtype=object)
        elif isinstance(reason, np.ndarray):
            why = reason[pos]
        else:
            why = np.empty(len(pos), dtype=object)
            why.fill(reason)  # np.full would turn a Message into a plain str
        self._chunks.append((pos, column, why))

    def records(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(positions, columns, reasons) of the failing rows, in row order."""
        if not self._chunks:
            empty = np.array([], dtype=object)
            return np.array([], dtype=np.int64), empty, empty
        pos = np.concatenate([p for p, _, _ in self._chunks])
        col = np.concatenate([np.full(len(p), c, dtype=object) for p, c, _ in self._chunks])
        why = np.concatenate([w for _, _, w in self._chunks])
        order = np.argsort(pos, kind="stable")
        return pos[order], col[order], why[order]


@dataclass
class Validated:
    raw: RawTable
    lines: pd.DataFrame  # typed canonical columns + 'row'; index = position in raw.frame
    rejected: pd.DataFrame  # REJECTED_COLUMNS
    column_map: dict[str, str]  # canonical name -> header in the file
    warnings: list[Message] = field(default_factory=list)
    # the carbon-prices instruments and the lines each applies to: an InstrumentLines of
    # inputs.carbon_prices (which imports this module, so not named here), or None
    carbon_prices: object | None = None


def rejected_frame(
    raw: RawTable, positions: np.ndarray, columns: np.ndarray, reasons: np.ndarray
) -> pd.DataFrame:
    """Rejected rows with the value as written in the file, and each reason's code and params."""
    values = []
    for pos, col in zip(positions, columns):
        if col in raw.frame.columns:
            v = raw.frame[col].iat[pos]
            values.append("" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v))
        else:
            values.append("")
    texts, codes, params = message_columns(reasons)
    return pd.DataFrame(
        {
            "file": raw.file,
            "sheet": raw.sheet or "",
            "row": raw.rows[positions].astype(np.int64),
            "column": columns.astype(str),
            "value": values,
            "reason": texts,
            "code": codes,
            "params": params,
        },
        columns=REJECTED_COLUMNS,
    )


def hidden_row_issues(raw: RawTable, read, issues: Issues, warnings: list[Message]) -> None:
    """Rows hidden or filtered out in a workbook, for every table read from one (shipments,
    carbon prices): counted with a warning, or left out with ``read.skip_hidden``."""
    if raw.hidden is not None and raw.hidden.any():
        hidden_rows = raw.rows[raw.hidden]
        shown = [int(r) for r in hidden_rows[:ROWS_SHOWN]] + (
            ["..."] if len(hidden_rows) > ROWS_SHOWN else []
        )
        if read is not None and read.skip_hidden:
            issues.add(raw.hidden, "", HIDDEN_REASON)
            warnings.append(Message("W_HIDDEN_ROWS_SKIPPED", n=len(hidden_rows), rows=shown))
        else:
            warnings.append(Message("W_HIDDEN_ROWS", n=len(hidden_rows), rows=shown))


def cell_issues(raw: RawTable, column_map: dict[str, str], issues: Issues) -> None:
    """Cells of a workbook that cannot be read as written, for every table read from one: a
    number merged over several rows (it cannot be split between them), a formula saved without
    its value (read as empty: said instead)."""
    n = len(raw.frame)
    for h, (positions, reasons) in raw.merged_numbers.items():
        mask = np.zeros(n, dtype=bool)
        mask[positions] = True
        by_row = np.empty(n, dtype=object)
        by_row[positions] = reasons
        issues.add(mask, h, by_row)
    for h in column_map.values():
        positions = raw.uncached.get(h)
        if positions is not None and len(positions):
            mask = np.zeros(n, dtype=bool)
            mask[positions] = True
            issues.add(mask, h, Message("R_FORMULA_NO_VALUE"))


def rejected_with_unreadable(
    raw: RawTable, positions: np.ndarray, columns: np.ndarray, reasons: np.ndarray
) -> pd.DataFrame:
    """:func:`rejected_frame` and the lines the reader could not split into columns
    (``raw.bad_rows``), in the order of the rows."""
    rejected = rejected_frame(raw, positions, columns, reasons)
    if not raw.bad_rows:
        return rejected
    texts, codes, params = message_columns([why for _, _, why in raw.bad_rows])
    unreadable = pd.DataFrame(
        {
            "file": raw.file,
            "sheet": raw.sheet or "",
            "row": [r for r, _, _ in raw.bad_rows],
            "column": "",
            "value": [t[:200] for _, t, _ in raw.bad_rows],
            "reason": texts,
            "code": codes,
            "params": params,
        },
        columns=REJECTED_COLUMNS,
    )
    rejected = pd.concat([rejected, unreadable], ignore_index=True).sort_values("row", kind="stable")
    return rejected.reset_index(drop=True)


def _missing(reason_array: np.ndarray, present: np.ndarray, what: str) -> np.ndarray:
    return np.where(present, reason_array, f"missing {what}")


TOTAL_WORDS = (
    "total",
    "totals",
    "grand total",
    "subtotal",
    "sum",
    "合计",
    "总计",
    "小计",
    "總計",
    "合計",
    "共计",
    "汇总",
)


TOTALS_REASON = Message("R_TOTALS_ROW")
TOTALS_CODE = TOTALS_REASON.code
HIDDEN_REASON = Message("R_HIDDEN_ROW")
# rejected rows that are no shipments, left out on purpose: they do not fail --strict and are not
# what "rejected rows are not counted towards de minimis" warns about
NOT_SHIPMENT_CODES = (TOTALS_CODE, HIDDEN_REASON.code)
ROWS_SHOWN = 10  # rows a warning names before "..."


def totals_rows(raw: RawTable, column_map: dict[str, str], look: int = 5) -> np.ndarray:
    """The rows at the bottom of the table that are totals, not shipments: a cell says Total /
    合计 and the CN code cell holds no code. Only the last ``look`` rows are considered."""
    n = len(raw.frame)
    found = np.zeros(n, dtype=bool)
    cn_header = column_map.get("cn_code")
    for i in range(n - 1, max(n - 1 - look, -1), -1):
        row = raw.frame.iloc[i]
        words = [parse.text(v).casefold().rstrip(":：").replace(" ", "") for v in row if isinstance(v, str)]
        says_total = any(w in TOTAL_WORDS or w.startswith(("total", "合计", "总计")) for w in words)
        code_ok = cn_header is not None and parse.cn_code(row[cn_header])[1] == ""
        if not says_total or code_ok:
            break
        found[i] = True
    return found


def _suggest_cn(p: parse.Parsed, known: pd.Index) -> np.ndarray:
    """Reasons per distinct CN cell, where a 4- or 6-digit heading lists the CBAM codes under it
    (the user meant one of them) and a 7-digit code is told it did not lose a leading zero."""
    reasons = p.reasons.copy()
    codes = known.to_numpy(dtype=str)
    for i, why in enumerate(reasons):
        if getattr(why, "code", "") != "R_CN_DIGITS":
            continue
        digits = "".join(ch for ch in parse.text(p.raw[i]) if ch.isdigit())
        if len(digits) in (4, 6):
            under = [c for c in codes if c.startswith(digits)]
            if under:
                shown = [f"{c[:4]} {c[4:6]} {c[6:]}" for c in under[:6]]
                reasons[i] = (
                    Message("R_CN_HEADING_MORE", heading=digits, codes=shown, more=len(under) - 6)
                    if len(under) > 6
                    else Message("R_CN_HEADING", heading=digits, codes=shown)
                )
        elif len(digits) == 7:
            reasons[i] = Message("R_CN_NO_LOST_ZERO", digits=7)
    return reasons


def _goods_named(
    ref: ReferenceData,
    code_given: list,
    code_of_row: np.ndarray,
    route: pd.Categorical,
    issues: Issues,
    header,
    warnings: list[Message],
) -> pd.Categorical:
    """The good each (code, route) names (IR 2026/1740 keys clinker, hydraulic cements and calcined
    clay on 10-digit TARIC codes; law.defaults.good_code), once per distinct pair. Returns the
    route, with the clinker grade a TARIC code names where none is given; rejects a code that needs
    a grade and lacks it, and a grade that contradicts the TARIC code; notes once per code a
    10-digit code computed on its first 8 digits (an M_TEN_DIGIT_CODE with its line count: the
    run gathers them into one W_TEN_DIGIT_CODES, see compute.pipeline.ten_digit_codes)."""
    categories = [str(c) for c in route.categories]
    k = len(categories) + 1
    pair = code_of_row.astype(np.int64) * k + (np.asarray(route.codes, dtype=np.int64) + 1)
    present = np.zeros(len(code_given) * k, dtype=bool)  # a direct table: no sort of every row
    present[pair] = True
    uniq = np.flatnonzero(present)
    dense = np.empty(len(present), dtype=np.int64)
    dense[uniq] = np.arange(len(uniq))
    inv = dense[pair]
    routes = list(categories)
    new_code = np.empty(len(uniq), dtype=np.int64)
    column = np.full(len(uniq), "", dtype=object)
    reason = np.full(len(uniq), "", dtype=object)
    notes: dict[str, str] = {}
    for i, u in enumerate(uniq):
        c, r = divmod(int(u), k)
        given = categories[r - 1] if r else ""
        code = code_given[c] or ""
        g = defaults.good_code(ref, code, given) if code[:8] in ref.goods.index else None
        if g is not None and g.note:  # a 10-digit code computed on its first 8 digits
            notes[code] = g.cn_code
        used = g.route if g is not None and not g.reason else given
        if used not in routes:
            routes.append(used)
        new_code[i] = routes.index(used)
        if g is not None and g.reason:
            column[i], reason[i] = g.reject_column, g.reason
    for c in np.unique(column[column != ""]):
        hit = (column == c)[inv]
        issues.add(hit, header(c), lambda pos: reason[inv[pos]])
    for code, cn8 in notes.items():  # one note per code, however it was written
        same = np.flatnonzero(np.asarray(code_given, dtype=object) == code)
        n = int(np.isin(code_of_row, same).sum())
        warnings.append(Message("M_TEN_DIGIT_CODE", code=code, cn=defaults.fmt_code(cn8), n=n))
    return pd.Categorical.from_codes(new_code[inv], categories=pd.Index(routes, dtype=object))


def destination_check(series: pd.Series, ref: ReferenceData) -> parse.Parsed:
    """Each row's destination: inside the EU customs territory (no reason), outside it
    (R_NOT_EU_DESTINATION) or not recognised (R_UNKNOWN_DESTINATION). A blank cell is no reason:
    the column is optional per row, and an unknown destination is computed like a file without
    the column. Names are read as the country of origin is (德国, Germany, DE, deu) plus EU/欧盟."""
    territory = customs_territory(ref.data_dir)
    aliases = destination_aliases(ref.country_aliases, territory)
    names = ref.countries["name"].to_dict()

    def one(value) -> tuple[str, str]:
        iso = aliases.get(parse.text(value).casefold())
        if iso is None:
            return "", Message("R_UNKNOWN_DESTINATION")
        if in_customs_territory(iso, territory):
            return iso, ""
        return iso, Message("R_NOT_EU_DESTINATION", destination=names.get(iso, iso))

    return parse.per_distinct(series, one, "", "")


# the per-line instrument columns (law.instruments); absent, a price is the binding mechanism's
INSTRUMENT_COLUMNS = (
    "carbon_price_instrument",
    "carbon_price_use",
    "carbon_price_mechanism",
    "carbon_price_share_covered",
)


def _instrument_unit(value) -> tuple[str, str]:
    """A carbon_price_instrument cell as a unit code: the unit it names, else the unit of the
    kind of the mechanism it names (``EU ETS``, ``CEA``: an allowance)."""
    unit = instruments.resolve_unit(value)
    if unit is None:
        mech = instruments.resolve_mechanism(value)
        if mech is None:
            return "", Message("R_UNKNOWN_INSTRUMENT", known=instruments.known_units())
        unit = instruments.kind_unit(instruments.mechanisms()[mech].kind)
    return unit, ""


def _instrument_mechanism(value) -> tuple[str, str]:
    """The mechanism a carbon_price_instrument cell names too (CEA: cnets), '' for none."""
    return instruments.resolve_mechanism(value) or "", ""


def _mechanism(value) -> tuple[str, str]:
    mech = instruments.resolve_mechanism(value)
    if mech is None:
        return "", Message("R_UNKNOWN_MECHANISM", known=instruments.known_mechanisms())
    return mech, ""


def _use(value) -> tuple[str, str]:
    use = instruments.resolve_use(value)
    if use is None:
        return "", Message("R_UNKNOWN_USE", known=instruments.known_uses())
    return use, ""


def instrument_inputs(col, column_map: dict[str, str], sep, n: int, issues: Issues, header) -> dict:
    """The typed instrument columns of a line (law.instruments), each parsed once per distinct
    cell: ``carbon_price_unit``, ``carbon_price_mechanism`` (given, else the one the instrument
    names), ``carbon_price_use`` (categoricals of codes, '' where blank) and
    ``carbon_price_share_covered`` (NaN where blank). An unknown unit, mechanism or use rejects
    the row, naming its column and the known ones."""

    def coded(name: str, fn) -> parse.Parsed | None:
        if name not in column_map:
            return None
        p = parse.per_distinct(col(name), fn, "")
        issues.add(p.bad, header(name), p.why)
        return p

    blank = pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=pd.Index([""]))
    unit = coded("carbon_price_instrument", _instrument_unit)
    mech = coded("carbon_price_mechanism", _mechanism)
    use = coded("carbon_price_use", _use)
    mechanism = mech.categorical() if mech is not None else blank
    if unit is not None:  # a mechanism named by the instrument (CEA, EUA) where none is given
        implied = parse.per_distinct(col("carbon_price_instrument"), _instrument_mechanism, "").categorical()
        given = np.asarray(mechanism != "", dtype=bool)
        if not given.all():  # by codes over the union of both columns' values: no string per line
            cats = pd.Index(list(dict.fromkeys([*mechanism.categories, *implied.categories])), dtype=object)
            codes = np.where(given, mechanism.set_categories(cats).codes, implied.set_categories(cats).codes)
            mechanism = pd.Categorical.from_codes(codes, categories=cats)
    if "carbon_price_share_covered" in column_map:
        share, problems = parse.share(col("carbon_price_share_covered"), sep=sep)
        issues.add(problems.bad, header("carbon_price_share_covered"), problems.why)
    else:
        share = np.full(n, np.nan)
    return {
        "carbon_price_unit": unit.categorical() if unit is not None else blank,
        "carbon_price_mechanism": mechanism,
        "carbon_price_use": use.categorical() if use is not None else blank,
        "carbon_price_share_covered": share,
    }


def columns_of(raw: RawTable, read: ReadOptions) -> dict[str, str]:
    """Field -> header: the --column mapping (read.columns), then the headers cbam-calc
    recognises (:func:`~cbam_calc.inputs.columns.header_fields`). A mapped header missing from the
    file stops the run, naming the file and the headers found."""
    headers = list(raw.frame.columns)
    check_fields(read.columns)
    for f, h in read.columns.items():
        if header_named(headers, h) is None:
            raise InputFileError(
                Message("E_COLUMN_OPTION_NOT_FOUND", field=f, header=h, found=[str(x) for x in headers]),
                file=raw.file,
                sheet=raw.sheet,
                column=h,
            )
    column_map: dict[str, str] = {}
    exports: list[str] = []  # a sheet may keep several (报关日期 and 装船日期): harmless unless used
    for h, c in header_fields(headers, read.columns).items():
        if c is not None:
            column_map.setdefault(c, next(x for x in headers if str(x) == h))
            exports += [h] if c == "export_date" else []
    if len(exports) > 1 and read.from_export_date_days is not None:
        raise InputFileError(
            Message("E_TWO_EXPORT_DATES", first=exports[0], second=exports[1]),
            file=raw.file,
            sheet=raw.sheet,
            column=exports[1],
        )
    return column_map


def export_only(raw: RawTable, column_map: dict[str, str], read: ReadOptions) -> None:
    """Stop a file whose only date is an export date, unless the user said how to read it: an
    export declaration is weeks before the EU release that fixes the CBAM price (Reg 956 Art 21;
    a December export is a January import). --from-export-date on a file with import dates and no
    export date has nothing to estimate: its dates are used (a batch may mix both kinds)."""
    if (
        "export_date" in column_map
        and read.from_export_date_days is None
        and not ({"import_date", "quarter"} & column_map.keys())
    ):
        h = column_map["export_date"]
        raise InputFileError(
            Message("E_EXPORT_NOT_IMPORT_DATE", column=h),
            file=raw.file,
            sheet=raw.sheet,
            column=str(h),
        )


def _dates(p: parse.Parsed, shift_days: int = 0):
    """Per row: the day (NaT for a month alone), year, quarter and whether only the month is known,
    from a column parsed once per distinct value (``shift_days`` added to each day)."""
    values = p.values
    days_u = np.array(
        [
            np.datetime64(v, "D") + np.timedelta64(shift_days, "D")
            if v is not None and not isinstance(v, parse.Month)
            else np.datetime64("NaT", "D")
            for v in values
        ],
        dtype="datetime64[D]",
    )
    dated = ~np.isnat(days_u)
    years_u = np.array([v.year if isinstance(v, parse.Month) else 0 for v in values], dtype=np.int64)
    months_u = np.array([v.month if isinstance(v, parse.Month) else 0 for v in values], dtype=np.int64)
    years_u[dated] = days_u[dated].astype("datetime64[Y]").astype(np.int64) + 1970
    months_u[dated] = days_u[dated].astype("datetime64[M]").astype(np.int64) % 12 + 1
    qtrs_u = np.where(months_u > 0, (months_u - 1) // 3 + 1, 0)
    month_u = np.array([isinstance(v, parse.Month) for v in values], dtype=bool)
    return days_u[p.codes], years_u[p.codes], qtrs_u[p.codes], month_u[p.codes]


def _weekly_years(years: np.ndarray) -> list[int]:
    """The years among ``years`` whose certificate price is weekly (from 2027, Reg 956 Art 21(1a)):
    a month alone cannot say the week of import there."""
    first = definitive_period()[0].year  # before it: rejected as before the period, below
    return [int(y) for y in np.unique(years) if y >= first and regime(int(y)) == "weekly"]


def _weekly_reasons(code: str, years: np.ndarray) -> np.ndarray:
    """One reason per row (a month or a quarter alone in a weekly-price year), built once per
    distinct year."""
    distinct, rows = np.unique(years, return_inverse=True)
    reasons = np.empty(len(distinct), dtype=object)
    reasons[:] = [Message(code, year=int(y)) for y in distinct]
    return reasons[rows]


def date_warnings(
    raw: RawTable,
    column_map: dict[str, str],
    read: ReadOptions,
    month_only: np.ndarray,
    estimated: np.ndarray,
) -> list[Message]:
    """What the run says about how it knew the dates: months alone (the quarter's price), import
    dates estimated from export dates, an export date column it did not use."""
    out: list[Message] = []
    if month_only.any():
        out.append(Message("W_MONTH_ONLY", n=int(month_only.sum()), column=str(column_map["import_date"])))
    if estimated.any():
        out.append(
            Message(
                "W_IMPORT_DATE_ESTIMATED",
                n=int(estimated.sum()),
                column=str(column_map["export_date"]),
                days=read.from_export_date_days,
            )
        )
    if "export_date" in column_map and "import_date" in column_map and read.from_export_date_days is None:
        out.append(
            Message(
                "W_EXPORT_DATE_UNUSED",
                column=str(column_map["export_date"]),
                import_column=str(column_map["import_date"]),
            )
        )
    return out


def move_to_year(import_date: pd.Series, year: np.ndarray, target: int) -> tuple[pd.Series, np.ndarray]:
    """Dates moved to the same day of ``target`` (29 February becomes the 28th); lines known by
    their quarter only keep NaT and take the year. Vectorised: used by --year and scenarios."""
    dated = import_date.notna()
    month = import_date.dt.month.where(dated, 1).astype(int)
    dom = import_date.dt.day.where(dated, 1).astype(int)
    dom = dom.where(~((month == 2) & (dom == 29)), 28)
    parts = pd.DataFrame({"year": target, "month": month, "day": dom})
    moved = pd.to_datetime(parts).where(dated)
    new_year = np.where(np.asarray(year) > 0, target, np.asarray(year))
    return moved, new_year.astype(np.int64)


def validate(
    raw: RawTable,
    ref: ReferenceData,
    year_override: int | None = None,
    ignore_destination: bool = False,
    read: ReadOptions | None = None,
) -> Validated:
    """Parse and check every column; see the module docstring. ``ignore_destination`` computes
    the lines shipped outside the EU customs territory (--ignore-destination) with a warning."""
    file, sheet = raw.file, raw.sheet
    read = read or ReadOptions()
    column_map = columns_of(raw, read)
    export_only(raw, column_map, read)
    missing = [c.name for c in COLUMNS if c.required and c.name not in column_map]
    if "net_mass_t" not in column_map and "net_mass_kg" not in column_map:
        missing.append("net_mass_t")
    estimate = read.from_export_date_days is not None and "export_date" in column_map
    if "import_date" not in column_map and "quarter" not in column_map and not estimate:
        missing.append("import_date")
    if missing:
        first = BY_NAME[missing[0]]
        zh = next((a for a in first.aliases if not a.isascii()), "")
        raise InputFileError(
            Message(
                "E_MISSING_COLUMN",
                column=missing[0],
                help=first.help_en,
                help_zh=first.help_zh,
                zh=zh,
                found=", ".join(map(str, raw.frame.columns)),
            ),
            file=file,
            sheet=sheet,
            column=missing[0],
        )

    n = len(raw.frame)
    if n == 0:
        if raw.bad_rows:
            row, _, why = raw.bad_rows[0]
            raise InputFileError(why, file=file, sheet=sheet, row=row)
        raise InputFileError(Message("E_NO_DATA_ROWS", row=raw.header_row), file=file, sheet=sheet)
    issues = Issues(n)
    out = pd.DataFrame(index=raw.frame.index)
    out["row"] = raw.rows
    warnings: list[Message] = []

    def col(name: str) -> pd.Series | None:
        return raw.frame[column_map[name]] if name in column_map else None

    def header(name: str) -> str:
        return column_map.get(name, name)

    # --- rows hidden or filtered out in the workbook: counted with a warning, or left out
    hidden_row_issues(raw, read, issues, warnings)

    # --- rows that are not shipments: a totals row at the bottom of the table (its reason comes
    # before that of its formula cells saved without their value)
    totals = totals_rows(raw, column_map)
    if totals.any():
        issues.add(totals, header("cn_code"), TOTALS_REASON)
        warnings.append(Message("W_TOTALS_ROWS", n=int(totals.sum()), rows=raw.rows[totals].tolist()))

    # --- numbers merged over several rows, formula cells saved without their value
    cell_issues(raw, column_map, issues)

    # --- cn_code: format, then scope (Annex I), then CN 2026 changes. A 10-digit TARIC code is
    # read as its 8-digit CN code here; the good it names is settled with the route, below.
    goods = ref.goods
    p = parse.per_distinct(col("cn_code"), parse.cn_code, "", Message("R_MISSING_CN_CODE"))
    p.reasons = _suggest_cn(p, goods.index)
    issues.add(p.bad, header("cn_code"), p.why)
    code_given, code_of_row = list(p.values), p.codes
    p.values = [v[:8] for v in code_given]
    cn = p.categorical()
    codes = np.asarray(cn.codes)
    categories = np.asarray(cn.categories, dtype=object)
    gi = goods.index.get_indexer(categories)
    known = goods.index.to_numpy(dtype=str)[goods["status"].to_numpy() == "in_force"]  # no split code
    out_of_scope = np.array(  # once per distinct code: no CBAM good, or no CN 2026 code at all
        [
            unknown_code_reason(c, known, ref.annex_i_scope) if c and i < 0 else ""
            for c, i in zip(categories, gi)
        ],
        dtype=object,
    )
    issues.add(out_of_scope[codes] != "", header("cn_code"), lambda pos: out_of_scope[codes[pos]])
    status = goods["status"].to_numpy()
    successors = goods["superseded_by"].to_numpy()
    split = np.array(
        [
            Message(
                "R_CN_SPLIT",
                cn=f"{c[:4]} {c[4:6]} {c[6:]}",
                codes=[f"{x[:4]} {x[4:6]} {x[6:]}" for x in successors[i].split("|")],
            )
            if i >= 0 and status[i] == "superseded"
            else ""
            for c, i in zip(categories, gi)
        ],
        dtype=object,
    )
    issues.add(split[codes] != "", header("cn_code"), lambda pos: split[codes[pos]])
    out["cn_code"] = cn

    # --- country
    aliases = ref.country_aliases
    cbam_status = ref.countries["cbam_status"].to_dict()
    names = ref.countries["name"].to_dict()

    def country(value) -> tuple[str, str]:
        s = parse.text(value)
        key = s.casefold()
        if key in UNKNOWN_ORIGIN_WORDS:
            return UNKNOWN_ORIGIN, ""
        iso = aliases.get(key)
        if iso is None:
            return "", Message("R_UNKNOWN_COUNTRY")
        st = cbam_status.get(iso, "third_country")
        if st == "eu_member":
            return iso, Message("R_EU_MEMBER", country=names[iso])
        if st == "annex_iii":
            return iso, Message("R_ANNEX_III", country=names[iso])
        return iso, ""

    p = parse.per_distinct(col("country"), country, "", Message("R_MISSING_COUNTRY"))
    issues.add(p.bad, header("country"), p.why)
    out["country_iso2"] = p.categorical()

    # --- destination (optional column): CBAM covers imports into the EU customs territory only
    if "destination" in column_map:
        p = destination_check(col("destination"), ref)
        if not ignore_destination:
            issues.add(p.bad, header("destination"), p.why)
        elif p.bad.any():
            warnings.append(Message("W_DESTINATION_IGNORED", n=int(p.bad.sum())))

    # --- mass (tonnes; kilograms converted)
    if "net_mass_t" in column_map:
        mass, problems = parse.number(
            col("net_mass_t"),
            unit_words=("t", "tonne", "tonnes", "ton", "tons", "吨", "公吨", "mwh"),
            sep=raw.sep,
        )
        mass_col = header("net_mass_t")
    else:
        mass, problems = parse.number(col("net_mass_kg"), unit_words=("kg", "千克", "公斤"), sep=raw.sep)
        mass = mass / 1000.0
        mass_col = header("net_mass_kg")
        warnings.append(Message("W_MASS_IN_KG", column=str(mass_col)))
    issues.add(np.isnan(mass) & ~problems.bad, mass_col, Message("R_MISSING_NET_MASS"))
    issues.add(problems.bad, mass_col, problems.why)
    issues.add(~np.isnan(mass) & (mass <= 0), mass_col, Message("R_MASS_NOT_POSITIVE"))
    out["net_mass_t"] = mass

    # --- date of import or quarter
    first_day, last_day = definitive_period()
    year = np.zeros(n, dtype=np.int64)
    qtr = np.zeros(n, dtype=np.int64)
    date_ok = np.zeros(n, dtype=bool)
    day64 = np.full(n, np.datetime64("NaT", "D"))
    month_only = np.zeros(n, dtype=bool)
    estimated = np.zeros(n, dtype=bool)
    if "import_date" in column_map:
        p = parse.per_distinct(col("import_date"), parse.date_or_month, None)
        day64, year, qtr, month_only = _dates(p)
        date_ok = year > 0
        if read.from_export_date_days is not None and "export_date" in column_map:
            # where the import date is blank, the export date plus the transit days stands for it
            e = parse.per_distinct(col("export_date"), parse.date, None)
            e_day, e_year, e_qtr, _ = _dates(e, shift_days=read.from_export_date_days)
            estimated = ~p.present() & (e_year > 0)
            day64 = np.where(estimated, e_day, day64)
            year, qtr = np.where(estimated, e_year, year), np.where(estimated, e_qtr, qtr)
            date_ok = year > 0
            issues.add(~p.present() & e.bad, header("export_date"), e.why)
        if "quarter" not in column_map:
            issues.add(~date_ok & ~p.bad, header("import_date"), Message("R_MISSING_IMPORT_DATE"))
        issues.add(p.bad, header("import_date"), p.why)
        weekly = month_only & np.isin(year, _weekly_years(year[month_only]))
        issues.add(
            weekly, header("import_date"), lambda pos: _weekly_reasons("R_MONTH_ONLY_WEEKLY", year[pos])
        )
    elif estimate:  # export date only: every import date estimated
        e = parse.per_distinct(col("export_date"), parse.date, None)
        day64, year, qtr, _ = _dates(e, shift_days=read.from_export_date_days)
        date_ok = estimated = year > 0
        if "quarter" not in column_map:
            issues.add(~date_ok & ~e.bad, header("export_date"), Message("R_MISSING_EXPORT_DATE"))
        issues.add(e.bad, header("export_date"), e.why)
    if "quarter" in column_map:
        q = parse.per_distinct(col("quarter"), parse.quarter, None)
        qy = np.array([v[0] if v else 0 for v in q.values], dtype=np.int64)[q.codes]
        qq = np.array([v[1] if v else 0 for v in q.values], dtype=np.int64)[q.codes]
        has_q = qy > 0
        # a quarter that contradicts the date is an error; where there is no date the quarter counts
        clash = date_ok & has_q & ((qy != year) | (qq != qtr))

        def clash_reasons(pos: np.ndarray) -> np.ndarray:  # one message per distinct pair of quarters
            key = (year[pos] * 10 + qtr[pos]) * 100_000 + qy[pos] * 10 + qq[pos]
            distinct, first, rows = np.unique(key, return_index=True, return_inverse=True)
            reasons = np.empty(len(distinct), dtype=object)
            reasons[:] = [
                Message("R_QUARTER_CLASH", date_quarter=f"{year[i]}Q{qtr[i]}", quarter=f"{qy[i]}Q{qq[i]}")
                for i in pos[first]
            ]
            return reasons[rows]

        issues.add(clash, header("quarter"), clash_reasons)
        use_q = ~date_ok & has_q
        year[use_q], qtr[use_q] = qy[use_q], qq[use_q]
        # a quarter fixes the 2026 price (its quarterly average), not a weekly one (from 2027)
        weekly_q = use_q & np.isin(year, _weekly_years(year[use_q]))
        issues.add(
            weekly_q, header("quarter"), lambda pos: _weekly_reasons("R_QUARTER_ONLY_WEEKLY", year[pos])
        )
        issues.add(~date_ok & q.bad, header("quarter"), q.why)
        issues.add(
            ~date_ok & ~has_q & ~q.bad,
            header("import_date" if "import_date" in column_map else "quarter"),
            Message("R_MISSING_DATE_OR_QUARTER"),
        )
    when_col = header(
        "import_date" if "import_date" in column_map else "export_date" if estimate else "quarter"
    )
    dated = year > 0
    import_date = pd.Series(day64.astype("datetime64[ns]"), index=raw.frame.index)
    if year_override is not None:
        moved = dated & (year != year_override)
        if moved.any():
            warnings.append(Message("W_YEAR_MOVED", n=int(moved.sum()), year=year_override))
        import_date, year = move_to_year(import_date, year, year_override)
    issues.add(
        dated & (year < first_day.year),
        when_col,
        Message("R_BEFORE_PERIOD", first_day=first_day.isoformat()),
    )
    issues.add(
        dated & (year > last_day.year), when_col, Message("R_AFTER_LAST_YEAR", last_year=last_day.year)
    )
    out["import_date"] = import_date
    out["year"] = year
    out["quarter"] = qtr
    # how the date was known, for each line's note: a month alone, or an estimate from the export
    out["month_only"] = month_only
    out["import_date_estimated_days"] = np.where(estimated, read.from_export_date_days or 0, -1)
    warnings.extend(date_warnings(raw, column_map, read, month_only & ~issues.bad, estimated & ~issues.bad))

    # --- actual emissions
    def optional_number(name: str, negative: Message) -> np.ndarray:
        """An optional number column: NaN where not given, rejected where not a number or < 0."""
        if name not in column_map:
            return np.full(n, np.nan)
        v, problems = parse.number(col(name), sep=raw.sep)
        issues.add(problems.bad, header(name), problems.why)
        issues.add(~np.isnan(v) & (v < 0), header(name), negative)
        return v

    for name in ("see_direct", "see_indirect"):
        out[name] = optional_number(name, Message("R_NEGATIVE_EMISSIONS"))
    only_indirect = np.isnan(out["see_direct"].to_numpy()) & ~np.isnan(out["see_indirect"].to_numpy())
    issues.add(
        only_indirect,
        header("see_direct"),
        Message("R_INDIRECT_WITHOUT_DIRECT"),
    )

    # --- text columns: one parse per distinct value, kept as categoricals
    def text_column(name: str, fn=None) -> pd.Categorical:
        if name not in column_map:
            return pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=pd.Index([""]))
        p = parse.per_distinct(col(name), fn or (lambda v: (parse.text(v), "")), "")
        issues.add(p.bad, header(name), p.why)
        return p.categorical()

    out["route"] = _goods_named(
        ref, code_given, code_of_row, text_column("route", parse.route), issues, header, warnings
    )
    out["installation"] = text_column("installation")
    out["importer"] = text_column("importer")
    if "importer_eori" in column_map:  # "Name (EORI)": the EORI identifies it across files
        out["importer"] = with_eori(out["importer"], text_column("importer_eori"))

    # --- Article 9 inputs
    paid = optional_number("carbon_price_paid", Message("R_NEGATIVE_PRICE_PAID"))
    has_paid = ~np.isnan(paid) & (paid > 0)
    cur = None
    if "carbon_price_currency" in column_map:
        cur = parse.per_distinct(col("carbon_price_currency"), parse.currency, "")
        issues.add(has_paid & cur.bad, header("carbon_price_currency"), cur.why)
        no_currency = cur.where(lambda v: v == "")
    else:
        no_currency = np.ones(n, dtype=bool)
    issues.add(
        has_paid & no_currency,
        header("carbon_price_currency"),
        Message("R_PRICE_NEEDS_CURRENCY"),
    )
    if "carbon_price_basis" in column_map:
        bas = parse.per_distinct(col("carbon_price_basis"), parse.basis, "")
        issues.add(has_paid & bas.bad, header("carbon_price_basis"), bas.why)
        no_basis = bas.where(lambda v: v == "")
        per_tco2e = bas.where(lambda v: v == "per_tco2e")
    else:
        no_basis = np.ones(n, dtype=bool)
        per_tco2e = np.zeros(n, dtype=bool)
    issues.add(
        has_paid & no_basis,
        header("carbon_price_basis"),
        Message("R_PRICE_NEEDS_BASIS"),
    )
    rebate = optional_number("carbon_price_rebate", Message("R_NEGATIVE_REBATE"))
    if "carbon_price_free_share" in column_map:
        free, problems = parse.share(col("carbon_price_free_share"), sep=raw.sep)
        issues.add(problems.bad, header("carbon_price_free_share"), problems.why)
    else:
        free = np.full(n, np.nan)
    if "carbon_price_evidenced" in column_map:
        ev = parse.per_distinct(col("carbon_price_evidenced"), parse.boolean, True)
        issues.add(ev.bad, header("carbon_price_evidenced"), ev.why)
        evidenced = ev.take(bool, True)
    else:
        evidenced = np.ones(n, dtype=bool)
    out["carbon_price_paid"] = paid
    out["carbon_price_currency"] = (
        cur.categorical()
        if cur is not None
        else pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=[""])
    )
    out["carbon_price_per_tco2e"] = per_tco2e
    out["carbon_price_rebate"] = rebate
    out["carbon_price_free_share"] = free
    out["carbon_price_evidenced"] = evidenced
    if any(c in column_map for c in INSTRUMENT_COLUMNS):  # else: today's single binding price
        for name, values in instrument_inputs(col, column_map, raw.sep, n, issues, header).items():
            out[name] = values

    # --- precursors of complex goods (actual data, IR 2025/2620 Eq 4)
    precursor_columns = (
        "precursor_mass_t_per_t",
        "precursor_sefa_tco2e_per_t",
        "precursor_benchmark_tco2e_per_t",
    )
    for name in precursor_columns:
        out[name] = optional_number(name, Message("R_NEGATIVE"))
    given = {name: ~np.isnan(out[name].to_numpy()) for name in precursor_columns}
    per_t = given["precursor_sefa_tco2e_per_t"] | given["precursor_benchmark_tco2e_per_t"]
    issues.add(
        (given["precursor_mass_t_per_t"] | per_t) & np.isnan(out["see_direct"].to_numpy()),
        header("precursor_mass_t_per_t"),
        Message("R_PRECURSOR_ACTUAL_ONLY"),
    )
    issues.add(
        given["precursor_sefa_tco2e_per_t"] & given["precursor_benchmark_tco2e_per_t"],
        header("precursor_benchmark_tco2e_per_t"),
        Message("R_PRECURSOR_BOTH"),
    )
    issues.add(
        given["precursor_mass_t_per_t"] & ~per_t,
        header("precursor_mass_t_per_t"),
        Message("R_PRECURSOR_NEEDS_BENCHMARK"),
    )
    issues.add(
        per_t & ~given["precursor_mass_t_per_t"],
        header("precursor_mass_t_per_t"),
        Message("R_MISSING_PRECURSOR_MASS"),
    )

    bad = issues.bad
    positions, columns, reasons = issues.records()
    rejected = rejected_with_unreadable(raw, positions, columns, reasons)
    lines = out.loc[~bad] if bad.any() else out  # the common case: no copy of every column
    if "carbon_price_paid" not in column_map and any(
        c in column_map for c in ("carbon_price_currency", "carbon_price_basis")
    ):
        warnings.append(Message("W_PRICE_TERMS_WITHOUT_PRICE"))
    return Validated(raw, lines, rejected, column_map, warnings)
