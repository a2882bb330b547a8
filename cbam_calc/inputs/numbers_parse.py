"""Numbers read from cells written by people, vectorised; and a cell as clean text.

Real numbers (spreadsheet cells, CSV columns Arrow read as numbers) are taken as they are. Texts
are read once per distinct value, with Arrow's regular expressions and cast, and the decimal mark
is a decision for the whole column (:func:`convention`): ``24,350`` is 24.35 t in a ``;`` file and
24,350 t in a ``,`` file, and is rejected as ambiguous, never guessed, where nothing tells.
Re-exported by :mod:`cbam_calc.inputs.parse` (``parse.number``, ``parse.share``, ``parse.text``).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd

from cbam_calc.core.messages import Message

NOT_A_NUMBER = Message("R_NOT_A_NUMBER")


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
    values, reasons, _conv = _texts_and_convention(strings, unit_words, sep)
    return values, reasons


def _texts_and_convention(
    strings: list[str], unit_words: tuple[str, ...], sep: str | None, point_evidence: bool = False
) -> tuple[np.ndarray, np.ndarray, str | None]:
    """:func:`_texts_to_numbers`, and the column's convention; ``point_evidence``: other texts of
    the same column (not in ``strings``) only a decimal point reads."""
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
    conv = convention(point_evidence or bool(point_only.any()), bool(comma_only.any()), sep)

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
    return values, reasons, conv


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
    if kind == "string" and not isinstance(series.dtype, pd.CategoricalDtype):
        fast = _mostly_decimals(series, unit_words, sep)
        if fast is not None:
            return _finite(*fast)
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


# A text every convention reads as a decimal point would: digits, at most one point, no comma. In
# a column whose texts settle on the decimal point, these are read by one Arrow cast (the cast
# the rule applies to them too); the few others (4,058.470, 5 t) go through the rule.
_DECIMAL = r"^[-+]?(?:[0-9]+|[0-9]*\.[0-9]+)$"
_ONE_GROUP = r"^[-+]?[1-9][0-9]{0,2}\.[0-9]{3}$"  # 24.350: a decimal comma would read it too
_FAST_MIN_SHARE = 0.5  # below this share of plain decimals, the distinct-text path is cheaper

# _DECIMAL by the bytes of each text: 1 for a byte that is no digit, point or sign, 1 << 8 for a
# point, 1 << 16 for a sign, summed over each text (no text of 256 bytes or more comes here)
_BYTE_CLASS = np.ones(256, dtype=np.uint32)
_BYTE_CLASS[ord("0") : ord("9") + 1] = 0
_BYTE_CLASS[ord(".")] = 1 << 8
_BYTE_CLASS[[ord("+"), ord("-")]] = 1 << 16


def _plain_decimals(arr, valid: np.ndarray) -> np.ndarray:
    """Which texts of a large_string array match :data:`_DECIMAL` (an optional first sign, digits,
    at most one point, a digit last), from the array's bytes: one cumulative sum of the bytes'
    classes instead of a regular expression per text (half its time on a million masses)."""
    import pyarrow.compute as pc

    if hasattr(arr, "combine_chunks"):  # a ChunkedArray (a pandas column of several chunks)
        arr = arr.combine_chunks()
    n = len(arr)
    buffers = arr.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int64, count=n + 1, offset=arr.offset * 8)
    start, end = offsets[:-1] - offsets[0], offsets[1:] - offsets[0]
    lengths = end - start
    if n == 0 or buffers[2] is None or int(lengths.max()) > 255:  # counts kept under 256
        return pc.fill_null(pc.match_substring_regex(arr, _DECIMAL), False).to_numpy(zero_copy_only=False)
    data = np.frombuffer(buffers[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    sums = np.zeros(len(data) + 1, dtype=np.uint32)
    np.cumsum(_BYTE_CLASS[data], out=sums[1:])
    counts = sums[end] - sums[start]
    filled = lengths > 0
    first = np.zeros(n, dtype=np.uint8)
    last = np.zeros(n, dtype=np.uint8)
    first[filled] = data[start[filled]]
    last[filled] = data[end[filled] - 1]
    signs = counts >> 16
    return (
        valid
        & ((counts & 0xFF) == 0)
        & (((counts >> 8) & 0xFF) <= 1)
        & ((signs == 0) | ((signs == 1) & (_BYTE_CLASS[first] == 1 << 16)))
        & ((last >= ord("0")) & (last <= ord("9")))
    )


def _mostly_decimals(
    series: pd.Series, unit_words: tuple[str, ...], sep: str | None
) -> tuple[np.ndarray, Problems] | None:
    """A text column Arrow could not read as numbers because a few cells hold thousands
    separators or units (``4,058.470`` among a million ``406.47``): the plain decimals are cast
    natively, only the other texts are read per distinct value by :func:`_texts_and_convention`,
    with the plain decimals' evidence for the convention. The same numbers and reasons as the
    distinct-text path, cell for cell; None (use that path) unless the column settles on the
    decimal point or when plain decimals are not most of it."""
    if _SEP_EVIDENCE.get(sep or "") == "comma":  # a ;-file never settles on the decimal point
        return None
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(series, type=pa.large_string(), from_pandas=True)
    valid = arr.is_valid().to_numpy(zero_copy_only=False)
    plain = _plain_decimals(arr, valid)
    n_plain = int(plain.sum())
    if n_plain == 0 or n_plain < _FAST_MIN_SHARE * int(valid.sum()):
        return None
    # a ,-separated file is evidence for the decimal point already: no need to look for more
    point_evidence = _SEP_EVIDENCE.get(sep or "") == "point"
    if not point_evidence:
        one_group = pc.match_substring_regex(arr, _ONE_GROUP)
        point_only = pc.and_(pc.match_substring(arr, "."), pc.invert(one_group))
        point_evidence = bool(pc.any(pc.and_(pa.array(plain), pc.fill_null(point_only, False))).as_py())
    others = np.flatnonzero(valid & ~plain)
    codes, uniques = pd.factorize(series.iloc[others], use_na_sentinel=True)
    strings = [str(u) for u in uniques]
    if strings:
        uvalues, ureasons, conv = _texts_and_convention(strings, unit_words, sep, point_evidence)
    else:
        uvalues, ureasons = np.zeros(0), np.zeros(0, dtype=object)
        conv = convention(point_evidence, False, sep)
    if conv != "point":
        return None
    values = pc.cast(pc.if_else(pa.array(plain), arr, pa.nulls(len(arr), pa.large_string())), pa.float64())
    values = values.to_numpy(zero_copy_only=False).astype(float, copy=True)
    bad = np.zeros(len(values), dtype=bool)
    reasons: dict[int, str] = {}
    if len(others):
        values[others] = uvalues[codes]
        wrong = ureasons[codes] != ""
        bad[others[wrong]] = True
        reasons = dict(zip(others[wrong].tolist(), ureasons[codes][wrong].tolist()))
    return values, Problems(bad, reasons)


def _percent_cells(series: pd.Series) -> np.ndarray:
    """Cells written with a trailing ``%`` (95%): tested once per distinct value of a coded
    column, never at all in a column of real numbers."""
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        return np.zeros(len(series), dtype=bool)
    if isinstance(series.dtype, pd.CategoricalDtype):
        cats = pd.Series(series.cat.categories)
        hit = cats.astype("string").str.strip().str.endswith("%").fillna(False).to_numpy(dtype=bool)
        codes = series.cat.codes.to_numpy()
        return np.append(hit, False)[np.where(codes < 0, len(hit), codes)]
    return series.astype("string").str.strip().str.endswith("%").fillna(False).to_numpy()


# Larger than any real quantity of this tool (world steel output is ~2e9 t a year), and small
# enough that a product of two such values (mass x emissions x price) stays finite in float64.
LARGEST_NUMBER = 1e15


def _finite(values: np.ndarray, problems: Problems) -> tuple[np.ndarray, Problems]:
    """``inf``, ``Infinity``, ``1e309`` (and values so large that the figures computed from them
    would overflow) are no numbers a line can be computed with: rejected, never passed on."""
    with np.errstate(invalid="ignore"):
        over = np.abs(values) > LARGEST_NUMBER  # inf too; NaN compares False
    if not over.any():  # the common case: one pass over the column
        return values, problems
    infinite = np.isinf(values)
    huge = over & ~infinite
    problems = problems.also(infinite, Message("R_NOT_FINITE"))
    problems = problems.also(huge, Message("R_TOO_LARGE", largest=f"{LARGEST_NUMBER:g}"))
    return np.where(infinite | huge, np.nan, values), problems


def share(series: pd.Series, sep: str | None = None) -> tuple[np.ndarray, Problems]:
    """A share between 0 and 1, written as 0.95 or 95%."""
    pct = _percent_cells(series)
    values, problems = number(series, unit_words=("%",), sep=sep)
    values = np.where(pct, values / 100.0, values)
    return values, problems.also((values < 0) | (values > 1), Message("R_SHARE_RANGE"))
