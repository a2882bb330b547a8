"""Parsers for the values of one input column, vectorised.

Text-like columns are parsed once per DISTINCT value (``pd.factorize``) and mapped back, so a
million lines with a few hundred CN codes cost a few hundred parses. Numbers (thousands
separators, decimal commas settled per column, full-width digits, units after the number) are
read by :mod:`cbam_calc.inputs.numbers_parse`, re-exported here.

Every parser returns ``(values, reasons)``: ``reasons`` holds '' for a good cell and a short
explanation otherwise (a :class:`~cbam_calc.core.messages.Message`: a code, its parameters, and
its English text).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from cbam_calc.core.messages import Message
from cbam_calc.inputs.numbers_parse import LARGEST_NUMBER as LARGEST_NUMBER  # re-exported: parse.*
from cbam_calc.inputs.numbers_parse import NOT_A_NUMBER as NOT_A_NUMBER
from cbam_calc.inputs.numbers_parse import Problems as Problems
from cbam_calc.inputs.numbers_parse import convention as convention
from cbam_calc.inputs.numbers_parse import number as number
from cbam_calc.inputs.numbers_parse import share as share
from cbam_calc.inputs.numbers_parse import text as text

EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's 1900 date system, with its 1900-02-29
EXCEL_SERIAL_RANGE = (
    20000,
    80000,
)  # 1954 to 2119: a number in a date column outside this is not a date

CURRENCY_ALIASES = {
    "rmb": "CNY",
    "cny": "CNY",
    "cnh": "CNY",
    "元": "CNY",
    "人民币": "CNY",
    "人民币元": "CNY",
    "eur": "EUR",
    "€": "EUR",
    "euro": "EUR",
    "欧元": "EUR",
    "usd": "USD",
    "us$": "USD",
    "美元": "USD",
    "gbp": "GBP",
    "£": "GBP",
    "英镑": "GBP",
    "jpy": "JPY",
    "日元": "JPY",
    "krw": "KRW",
    "₩": "KRW",
    "韩元": "KRW",
    "inr": "INR",
    "₹": "INR",
    "卢比": "INR",
    "印度卢比": "INR",
    "try": "TRY",
    "₺": "TRY",
    "土耳其里拉": "TRY",
}
AMBIGUOUS_CURRENCY = {"¥": "CNY or JPY", "$": "USD, HKD, SGD ...", "￥": "CNY or JPY"}

BASIS_ALIASES = {
    "pertgood": "per_t_good",
    "pertonneofgood": "per_t_good",
    "pertonofgood": "per_t_good",
    "pert": "per_t_good",
    "pertonne": "per_t_good",
    "tgood": "per_t_good",
    "good": "per_t_good",
    "pertproduct": "per_t_good",
    "每吨产品": "per_t_good",
    "吨产品": "per_t_good",
    "每吨": "per_t_good",
    "pertco2e": "per_tco2e",
    "tco2e": "per_tco2e",
    "pertco2": "per_tco2e",
    "tco2": "per_tco2e",
    "pertonneco2e": "per_tco2e",
    "pertonneofco2e": "per_tco2e",
    "每吨二氧化碳": "per_tco2e",
    "每吨二氧化碳当量": "per_tco2e",
    "每吨co2e": "per_tco2e",
    "每吨co2": "per_tco2e",
}

TRUE_WORDS = {"yes", "y", "true", "t", "1", "是", "有", "对", "x", "✓"}
FALSE_WORDS = {"no", "n", "false", "f", "0", "否", "无", "没有"}

ROUTE_LETTERS = set("ABCDEFGHJKL")


class Parsed:
    """A column parsed once per distinct value: per-row codes into the distinct values, and each
    distinct value's parsed form and reason ('' when good). Nothing is made per row until asked
    for, and then as arrays (``categorical``, ``take``), never as Python objects per row."""

    def __init__(self, codes: np.ndarray, values: list, reasons: list[str], raw: list) -> None:
        self.codes = codes  # index into values/reasons; the last slot is the empty cell
        self.values = values
        self.raw = raw  # the distinct cells as read (None for the empty cell)
        self.reasons = np.asarray(reasons, dtype=object)
        self._bad_u = self.reasons != ""

    @property
    def bad(self) -> np.ndarray:
        return self._bad_u[self.codes]

    def why(self, positions: np.ndarray) -> np.ndarray:
        """Reasons of the given rows (for Issues.add)."""
        return self.reasons[self.codes[positions]]

    def present(self) -> np.ndarray:
        """Rows whose cell is not empty (whatever its parse)."""
        return self.codes != len(self.values) - 1

    def categorical(self) -> pd.Categorical:
        """Parsed text values as a Categorical (built from codes: no string per row)."""
        vcodes, cats = pd.factorize(pd.Series(self.values, dtype=object).fillna(""), use_na_sentinel=False)
        narrow = np.int8 if len(cats) < 127 else np.int16 if len(cats) < 32767 else np.int32
        return pd.Categorical.from_codes(
            vcodes.astype(narrow)[self.codes],
            dtype=pd.CategoricalDtype(pd.Index(cats, dtype=object)),
            validate=False,
        )

    def take(self, dtype=float, fill=np.nan) -> np.ndarray:
        """Parsed values as a typed array (numbers, booleans, dates)."""
        arr = np.array([fill if v is None else v for v in self.values], dtype=dtype)
        return arr[self.codes]

    def where(self, predicate) -> np.ndarray:
        """Rows whose parsed value satisfies ``predicate`` (evaluated once per distinct value)."""
        hits = np.array([bool(predicate(v)) for v in self.values], dtype=bool)
        return hits[self.codes]


def per_distinct(
    series: pd.Series, fn: Callable[[Any], tuple[Any, str]], empty: Any, empty_reason: str = ""
) -> Parsed:
    """Apply ``fn`` (value -> (parsed, reason)) once per distinct value of a column."""
    if isinstance(series.dtype, pd.CategoricalDtype):  # already coded (CSV text columns)
        codes, uniques = series.cat.codes.to_numpy(), series.cat.categories
    else:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
    uniques = list(uniques.tolist()) if isinstance(uniques, pd.Index) else list(uniques)
    parsed, reasons = [], []
    for u in uniques:  # an Index's tolist: the scalars its iteration gives, without a call per value
        if isinstance(u, str) and not u.strip():
            parsed.append(empty)
            reasons.append(empty_reason)
        else:
            v, r = fn(u)
            parsed.append(v)
            reasons.append(r)
    parsed.append(empty)  # the empty cell (code -1) takes the last slot
    reasons.append(empty_reason)
    idx = np.where(codes < 0, len(parsed) - 1, codes).astype(np.int64)
    return Parsed(idx, parsed, reasons, [*uniques, None])


# ------------------------------------------------------------------------------ codes and words
_CN_SEPARATORS = re.compile(r"[\s.\-]")  # 2523 10 00, 2523.10.00, 2523-10-00


def cn_digits(value: Any) -> str:
    """A CN code's text without the spaces, points and hyphens people write in it."""
    return _CN_SEPARATORS.sub("", text(value))


def cn_code(value: Any) -> tuple[str, str]:
    """An 8-digit CN code or a 10-digit TARIC code (2523 10 00 90), as its digits."""
    digits = cn_digits(value)
    if not digits.isdigit():
        return "", Message("R_NOT_CN_CODE")
    if len(digits) not in (8, 10):
        return "", Message("R_CN_DIGITS", digits=len(digits))
    return digits, ""


def currency(value: Any) -> tuple[str, str]:
    s = text(value)
    key = s.casefold().replace(" ", "")
    if key in CURRENCY_ALIASES:
        return CURRENCY_ALIASES[key], ""
    if s in AMBIGUOUS_CURRENCY:
        return "", Message("R_AMBIGUOUS_CURRENCY", symbol=s, currencies=AMBIGUOUS_CURRENCY[s])
    if re.fullmatch(r"[A-Za-z]{3}", s):
        return s.upper(), ""
    return "", Message("R_NOT_CURRENCY")


def basis(value: Any) -> tuple[str, str]:
    key = re.sub(r"[\s_\-/.]", "", text(value).casefold())
    if key in BASIS_ALIASES:
        return BASIS_ALIASES[key], ""
    return "", Message("R_NOT_BASIS")


def route(value: Any) -> tuple[str, str]:
    s = text(value).upper()
    if len(s) == 1 and s in ROUTE_LETTERS:
        return s, ""
    return "", Message("R_NOT_ROUTE")


def boolean(value: Any) -> tuple[bool, str]:
    s = text(value).casefold()
    if s in TRUE_WORDS:
        return True, ""
    if s in FALSE_WORDS:
        return False, ""
    return True, Message("R_NOT_YES_NO")


# ------------------------------------------------------------------------------ dates
_ISO = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DMY_DOTS = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\s.*)?")


def _ymd(y: int, m: int, d: int) -> tuple[dt.date | None, str]:
    try:
        return dt.date(y, m, d), ""
    except ValueError:
        return None, Message("R_INVALID_DATE")


def date(value: Any) -> tuple[dt.date | None, str]:
    if isinstance(value, dt.datetime):
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    if isinstance(value, pd.Timestamp):
        return value.date(), ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if EXCEL_SERIAL_RANGE[0] <= value <= EXCEL_SERIAL_RANGE[1]:
            return EXCEL_EPOCH + dt.timedelta(days=int(value)), ""
        return None, Message("R_NUMBER_NOT_DATE")
    s = text(value)
    if re.fullmatch(r"\d{5}(\.0+)?", s):
        return date(float(s))
    for pattern, order in ((_ISO, "ymd"), (_COMPACT, "ymd"), (_DMY_DOTS, "dmy")):
        m = pattern.fullmatch(s)
        if m:
            a, b, c = (int(x) for x in m.groups())
            return _ymd(a, b, c) if order == "ymd" else _ymd(c, b, a)
    m = _SLASHED.fullmatch(s)
    if m:
        a, b, y = (int(x) for x in m.groups())
        if a > 12 >= b:
            return _ymd(y, b, a)
        if b > 12 >= a:
            return _ymd(y, a, b)
        if a == b:
            return _ymd(y, a, b)
        return None, Message("R_AMBIGUOUS_DATE", first=f"{y}-{b:02d}-{a:02d}", second=f"{y}-{a:02d}-{b:02d}")
    return None, Message("R_NOT_A_DATE")


_MONTH_NAMES = {
    m.casefold(): i
    for i, names in enumerate(
        (
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sep", "Sept"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ),
        start=1,
    )
    for m in names
}
_YEAR_MONTH = re.compile(r"(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?(?:份)?")  # 2026-05, 2026年5月
_MONTH_YEAR = re.compile(r"(\d{1,2})\s*[-/.]\s*(\d{4})")  # 05/2026
_NAMED_MONTH = re.compile(r"([A-Za-z]+)\.?[\s,\-/]*(\d{4})|(\d{4})[\s,\-/]*([A-Za-z]+)\.?")  # May 2026


class Month(tuple):
    """A month without its day, (year, month): what a sheet holding ``2026年5月`` gives."""

    __slots__ = ()

    def __new__(cls, year: int, month: int) -> Month:
        return super().__new__(cls, (year, month))

    @property
    def year(self) -> int:
        return self[0]

    @property
    def month(self) -> int:
        return self[1]


def month(value: Any) -> Month | None:
    """The month a cell names without a day (``2026年5月``, ``2026-05``, ``2026/5``, ``05/2026``,
    ``May 2026``), or None. An Excel date cell formatted to show the month only is a full date
    (read by :func:`date`), not this."""
    if not isinstance(value, str):
        return None
    s = text(value)
    m = _YEAR_MONTH.fullmatch(s)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
    elif (m := _MONTH_YEAR.fullmatch(s)) is not None:
        mo, y = int(m.group(1)), int(m.group(2))
    elif (m := _NAMED_MONTH.fullmatch(s)) is not None:
        name, y = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        mo = _MONTH_NAMES.get(name.casefold(), 0)
        y = int(y)
    else:
        return None
    return Month(y, mo) if 1 <= mo <= 12 else None


def date_or_month(value: Any) -> tuple[dt.date | Month | None, str]:
    """An import date, or a month alone (:class:`Month`; whether it can be priced depends on the
    year: the caller decides, with the price regime)."""
    got, why = date(value)
    if got is None and why and getattr(why, "code", "") in ("R_NOT_A_DATE", "R_INVALID_DATE"):
        m = month(value)
        if m is not None:
            return m, ""
    return got, why


_QUARTER_PATTERNS = (
    (re.compile(r"(?i)(\d{4})\s*[-/ ]?\s*q([1-4])"), "yq"),
    (re.compile(r"(?i)q([1-4])\s*[-/ ]?\s*(\d{4})"), "qy"),
    (re.compile(r"(\d{4})\s*年?\s*第?\s*([1-4一二三四])\s*季度?"), "yq"),
)
_ZH_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


def quarter(value: Any) -> tuple[tuple[int, int] | None, str]:
    s = text(value)
    for pattern, order in _QUARTER_PATTERNS:
        m = pattern.fullmatch(s)
        if m:
            a, b = m.groups()
            y, q = (a, b) if order == "yq" else (b, a)
            return (int(y), int(_ZH_DIGITS.get(q, q))), ""
    return None, Message("R_NOT_QUARTER")
