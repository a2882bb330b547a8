"""Parsers for the values of one input column, vectorised.

Text-like columns are parsed once per DISTINCT value (``pd.factorize``) and mapped back, so a
million lines with a few hundred CN codes cost a few hundred parses. Numbers go through
``pd.to_numeric`` and only the cells it cannot read take the slower path (thousands separators,
decimal commas, full-width digits, units written after the number).

Every parser returns ``(values, reasons)``: ``reasons`` holds '' for a good cell and a short
explanation otherwise (a :class:`~cbam_calc.core.messages.Message`: a code, its parameters, and
its English text).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from cbam_calc.core.messages import Message

NOT_A_NUMBER = Message("R_NOT_A_NUMBER")

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


def text(value: Any) -> str:
    """A cell as clean text: NFKC (full-width to ASCII), trimmed; '' for empty cells."""
    if value is None:
        return ""
    if isinstance(value, float):
        if np.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    return unicodedata.normalize("NFKC", str(value)).strip()


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
    parsed, reasons = [], []
    for u in uniques:
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


# ------------------------------------------------------------------------------ numbers
# Characters people put between digit groups (spaces of every width, apostrophes): dropped. The
# pattern is written with literal characters so that Python's re and Arrow's RE2 read it alike.
_SPACES = "[\\s\u00a0\u2009\u202f\u3000'\u2019]"
_NUM_CLEAN = re.compile(_SPACES)
_UNIT_SUFFIX = re.compile(r"(?i)\s*(t|tonnes?|tons?|吨|公吨|kg|千克|公斤|mwh|%)$")
_PLAIN = r"^[-+]?[0-9.,]*[0-9][0-9.,]*$"  # digits, points and commas only: the fast path
_INTEGER = r"^[-+]?[0-9]+$"
# What each convention can read (thousands groups of 3 digits after a first group of 1-3 not
# starting with 0). A text both read, differently, is ambiguous: 24,350 / 24.350 / 1.234.
_POINT_READS = r"^[-+]?(?:[0-9]+|[0-9]*\.[0-9]+|[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?)$"
_COMMA_READS = r"^[-+]?(?:[0-9]+|[0-9]*,[0-9]+|[1-9][0-9]{0,2}(?:\.[0-9]{3})+(?:,[0-9]+)?)$"
_SEP_EVIDENCE = {";": "comma", ",": "point"}  # an unquoted decimal comma would split a ,-line
_REAL_NUMBERS = {"floating", "integer", "mixed-integer-float", "decimal", "empty"}


def _figure(x: float) -> str:
    return f"{x:.15g}"


def convention(point_only: bool, comma_only: bool, sep: str | None) -> str | None:
    """The column's decimal mark, "point" or "comma", from its evidence; None when it has none or
    both. Evidence for a decimal comma: a ``;``-separated file (European Excel), or a value only a
    decimal comma reads (``1.234,5``, ``0,5``, ``1,25``, ``1.234.567``). For a decimal point: a
    ``,``-separated file, or a value only a decimal point reads (``1,234.5``, ``0.5``,
    ``1,234,567``). Conflicting evidence settles nothing: never a majority vote."""
    by_file = _SEP_EVIDENCE.get(sep or "")
    comma = comma_only or by_file == "comma"
    point = point_only or by_file == "point"
    if comma != point:
        return "comma" if comma else "point"
    return None


def _clean_one(raw: Any, unit_words: tuple[str, ...]) -> tuple[str, str]:
    """The slow path of one distinct text (full-width digits, a unit after the number): its
    number text with group spaces removed, or a reason."""
    s = text(raw)
    m = _UNIT_SUFFIX.search(s)
    if m:
        unit = m.group(1).lower()
        if unit_words and unit not in unit_words:
            return "", Message("R_WRONG_UNIT", unit=unit, expected=unit_words[0])
        s = s[: m.start()]
    return _NUM_CLEAN.sub("", s), ""


def _other_number(s: str) -> tuple[float, str]:
    """A text neither convention reads as a plain decimal (1.5e2, inf): Python's float, or not
    a number. ``nan`` is no figure."""
    try:
        v = float(s)
    except ValueError:
        return np.nan, NOT_A_NUMBER
    return (np.nan, NOT_A_NUMBER) if np.isnan(v) else (v, "")


def _texts_to_numbers(
    strings: list[str], unit_words: tuple[str, ...], sep: str | None
) -> tuple[np.ndarray, np.ndarray]:
    """Numbers and reasons of distinct texts of one column, the convention settled from them all.

    Vectorised with Arrow (RE2 regular expressions, a correctly rounded cast): only texts that are
    not plain digits, points and commas (a unit, full-width digits, 1e5) take a Python path."""
    import pyarrow as pa
    import pyarrow.compute as pc

    k = len(strings)
    reasons = np.full(k, "", dtype=object)
    arr = pc.replace_substring_regex(pa.array(strings, type=pa.string()), _SPACES, "")
    plain = pc.match_substring_regex(arr, _PLAIN).to_numpy(zero_copy_only=False)
    if not plain.all():
        cleaned = arr.to_pylist()
        for i in np.flatnonzero(~plain):
            cleaned[i], reasons[i] = _clean_one(strings[i], unit_words)
        arr = pa.array(cleaned, type=pa.string())
    point = pc.match_substring_regex(arr, _POINT_READS).to_numpy(zero_copy_only=False)
    comma = pc.match_substring_regex(arr, _COMMA_READS).to_numpy(zero_copy_only=False)
    integer = pc.match_substring_regex(arr, _INTEGER).to_numpy(zero_copy_only=False)
    point_only, comma_only, both = point & ~comma, comma & ~point, point & comma & ~integer
    conv = convention(bool(point_only.any()), bool(comma_only.any()), sep)

    def read(mask: np.ndarray, as_point: bool) -> np.ndarray:
        if as_point:
            txt = pc.replace_substring(arr, ",", "")
        else:
            txt = pc.replace_substring(pc.replace_substring(arr, ".", ""), ",", ".")
        txt = pc.if_else(pa.array(mask), txt, pa.nulls(k, pa.string()))
        return pc.cast(txt, pa.float64()).to_numpy(zero_copy_only=False)

    values = np.full(k, np.nan)
    as_point = point & ~(both & (conv != "point"))
    as_comma = comma & ~point | (both & (conv == "comma"))
    if as_point.any():
        values[as_point] = read(as_point, True)[as_point]
    if as_comma.any():
        values[as_comma] = read(as_comma, False)[as_comma]
    if conv is None and both.any():
        pt, cm = read(both, True), read(both, False)
        for i in np.flatnonzero(both):
            a, b = _figure(pt[i]), _figure(cm[i])
            reasons[i] = Message("R_AMBIGUOUS_NUMBER", value=strings[i].strip(), a=a, b=b)
    rest = np.flatnonzero(~(point | comma) & (reasons == ""))
    for i, t in zip(rest, arr.take(pa.array(rest, type=pa.int64())).to_pylist()):
        values[i], reasons[i] = _other_number(t) if t else (np.nan, "")
    return values, reasons


def _distinct_numbers(
    uniques: np.ndarray, unit_words: tuple[str, ...], sep: str | None
) -> tuple[np.ndarray, np.ndarray]:
    """Numbers and reasons of a column's distinct cells: real numbers (spreadsheet cells) as they
    are, texts through :func:`_texts_to_numbers`, anything else not a number."""
    if pd.api.types.infer_dtype(uniques, skipna=True) == "string":
        return _texts_to_numbers(list(uniques), unit_words, sep)
    values = np.full(len(uniques), np.nan)
    reasons = np.full(len(uniques), "", dtype=object)
    texts: list[int] = []
    for i, u in enumerate(uniques):
        if isinstance(u, (bool, np.bool_)):
            reasons[i] = NOT_A_NUMBER
        elif isinstance(u, (int, float, np.integer, np.floating)):
            values[i] = float(u)
        else:
            texts.append(i)
    if texts:
        v, r = _texts_to_numbers([text(uniques[i]) for i in texts], unit_words, sep)
        values[texts], reasons[texts] = v, r
    return values, reasons


class Problems:
    """Which cells of a column failed, and why; messages exist only for the failing cells."""

    def __init__(self, bad: np.ndarray, reasons: dict[int, str] | None = None) -> None:
        self.bad = bad
        self._reasons = reasons or {}

    def why(self, positions: np.ndarray) -> np.ndarray:
        return np.array([self._reasons.get(int(p), "") for p in positions], dtype=object)

    def also(self, mask: np.ndarray, reason: str) -> Problems:
        """These problems and, where ``mask`` (and no problem yet), ``reason``."""
        new = mask & ~self.bad
        reasons = dict(self._reasons)
        reasons.update(dict.fromkeys(np.flatnonzero(new).tolist(), reason))
        return Problems(self.bad | new, reasons)


def number(
    series: pd.Series, unit_words: tuple[str, ...] = (), sep: str | None = None
) -> tuple[np.ndarray, Problems]:
    """Numbers from a column that may hold floats, ints, or text written by people.

    Real numbers (spreadsheet cells, a CSV column Arrow read as numbers) are taken as they are.
    Texts are read once per distinct value, and the decimal mark is a decision for the whole
    column (:func:`convention`, ``sep`` being the CSV's delimiter): in a column that settles it,
    ``24,350`` and ``24.350`` are read its way; where nothing settles it (or the evidence
    conflicts), a text the two conventions read differently is rejected as ambiguous, never
    guessed, while a text with one reading (``1.234,5``, ``2.5``, ``100``) is read."""
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        values = series.to_numpy(dtype=float, na_value=np.nan, copy=True)
        return _finite(values, Problems(np.zeros(len(values), dtype=bool)))
    kind = pd.api.types.infer_dtype(series, skipna=True)
    if kind in _REAL_NUMBERS:  # spreadsheet number cells
        values = series.to_numpy(dtype=float, na_value=np.nan)
        return _finite(values, Problems(np.zeros(len(values), dtype=bool)))
    booleans = np.zeros(len(series), dtype=bool)
    if kind not in ("string", "categorical"):  # cells of several types: TRUE would hash as 1.0
        cells = series.to_numpy(dtype=object)
        booleans = np.fromiter((isinstance(v, (bool, np.bool_)) for v in cells), bool, len(cells))
        if booleans.any():
            series = series.where(~booleans, None)
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes, uniques = series.cat.codes.to_numpy(), series.cat.categories
    else:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
    uvalues, ureasons = _distinct_numbers(np.asarray(uniques, dtype=object), unit_words, sep)
    missing = codes < 0
    safe = np.where(missing, 0, codes)
    if len(uniques):
        values = np.where(missing, np.nan, uvalues[safe])
        bad = (ureasons != "")[safe] & ~missing
    else:
        values, bad = np.full(len(codes), np.nan), np.zeros(len(codes), dtype=bool)
    if booleans.any():
        ureasons = np.append(ureasons, NOT_A_NUMBER)  # the booleans take this last slot
        safe = np.where(booleans, len(ureasons) - 1, safe)
        bad |= booleans
    positions = np.flatnonzero(bad)
    reasons = dict(zip(positions.tolist(), ureasons[safe[positions]].tolist()))
    return _finite(values, Problems(bad, reasons))


# Larger than any real quantity of this tool (world steel output is ~2e9 t a year), and small
# enough that a product of two such values (mass x emissions x price) stays finite in float64.
LARGEST_NUMBER = 1e15


def _finite(values: np.ndarray, problems: Problems) -> tuple[np.ndarray, Problems]:
    """``inf``, ``Infinity``, ``1e309`` (and values so large that the figures computed from them
    would overflow) are no numbers a line can be computed with: rejected, never passed on."""
    infinite = np.isinf(values)
    with np.errstate(invalid="ignore"):
        huge = ~infinite & (np.abs(values) > LARGEST_NUMBER)
    if not (infinite.any() or huge.any()):
        return values, problems
    problems = problems.also(infinite, Message("R_NOT_FINITE"))
    problems = problems.also(huge, Message("R_TOO_LARGE", largest=f"{LARGEST_NUMBER:g}"))
    return np.where(infinite | huge, np.nan, values), problems


def share(series: pd.Series, sep: str | None = None) -> tuple[np.ndarray, Problems]:
    """A share between 0 and 1, written as 0.95 or 95%."""
    pct = series.astype("string").str.strip().str.endswith("%").fillna(False).to_numpy()
    values, problems = number(series, unit_words=("%",), sep=sep)
    values = np.where(pct, values / 100.0, values)
    return values, problems.also((values < 0) | (values > 1), Message("R_SHARE_RANGE"))


# ------------------------------------------------------------------------------ codes and words
def cn_code(value: Any) -> tuple[str, str]:
    """An 8-digit CN code or a 10-digit TARIC code (2523 10 00 90), as its digits."""
    s = text(value)
    digits = re.sub(r"[\s.\-]", "", s)
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
