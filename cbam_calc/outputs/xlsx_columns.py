"""The columns of the xlsx tables: the number format of a computed column (from the unit in its
name) and a column's width (its widest value in a sample of rows, or what its header needs
wrapped; CJK counted double). Used by outputs.xlsx (which re-exports them), the batch workbook
and the HTML report's number formats."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from cbam_calc.outputs.display_currency import FMT_RATE
from cbam_calc.outputs.xlsx_book import DATE_FORMAT, Sheet

FMT_T = "#,##0.000"
FMT_EUR = "#,##0.00"
FMT_RATIO = "0.000"
FMT_INT = "#,##0"
FMT_YEAR = "0"  # a year or a quarter: a plain integer, never 2,026
DATE_COLUMNS = ("import_date_used",)  # a day, no time
YEAR_COLUMNS = ("year", "quarter", "period", "from_year", "to_year")
INTEGER_COLUMNS = (
    "row",
    "lines",
    "rows_read",
    "rank_cost",
    "rank_eur_per_t",
    "files",
    "rejected",
)


def number_format(column: str) -> str | None:
    """Number format of a computed column, from the unit in its name."""
    c = column.lower()
    if c in YEAR_COLUMNS:
        return FMT_YEAR
    if c in DATE_COLUMNS:
        return DATE_FORMAT
    if c in INTEGER_COLUMNS:
        return FMT_INT  # before the units: rank_eur_per_t is a rank, not EUR
    if c.endswith(("_eur", "eur_per_t", "eur_per_tco2e")) or c.startswith("eur_per_t"):
        return FMT_EUR
    if c.endswith("_cny"):  # --currency CNY: cost_cny
        return FMT_EUR
    if c.startswith("display_rate_") and c.endswith("_per_eur"):
        return FMT_RATE
    if c.endswith(("_tco2e", "_per_t", "net_mass_t", "_mwh")) or c == "certificates":
        return FMT_T
    if c in ("cbam_factor", "cscf", "default_markup_rate"):
        return FMT_RATIO
    return None


WIDTH_SAMPLE = 200  # rows a column's width is judged from: the first, and as many spread over the rest
MAX_WIDTH = 45  # characters: a longer text is cut at the column on screen (whole in the cell)
MIN_WIDTH = 8
# the Lines sheet's 50-odd columns: its long texts (installation, description, notes) are cut
# on screen at this width (whole in the cell), and its headers wrap (header_line=0), so that
# it prints on few pages across
LINES_MAX_WIDTH = 20
# the report tables (By sector..., By period, Actual vs default): a description cut on screen at
# this width (whole in the cell); headers over 12 columns wrapped where the table would not print
# on one landscape page with its headers over 20 (By CN code, Actual vs default: 12 columns)
TABLE_MAX_WIDTH, TABLE_HEADER_LINE = 30, 12
HEADER_LINES = 3  # a header wraps on up to this many lines rather than widen its column
HEADER_ONE_LINE = 20  # columns a header may take on one line (the Lines sheet's: 0, it wraps)
_WIDE_CHARS = r"[\u2e80-\U0010ffff]"  # CJK and wider: two columns each (as outputs.text._width)
_BREAKS = re.compile(r"[\u2e80-\U0010ffff]|[^\s\u2e80-\U0010ffff]+")  # the words of a header


def fits_one_page(widths: dict[int, int], minimum: int = MIN_WIDTH) -> bool:
    """Whether columns of these widths (as :func:`widths_for` gives them) print on one page across
    at the 70 % floor (cbam_calc.outputs.print_layout.page_layout)."""
    from cbam_calc.outputs.print_layout import page_layout, width_px

    return page_layout([width_px(max(minimum, w + 2)) for w in widths.values()], 0)[1] == 1


def set_widths(ws: Sheet, widths: dict[int, int], minimum: int = MIN_WIDTH) -> None:
    for i, w in widths.items():
        ws.set_width(i, max(minimum, w + 2))


def header_width(header: str, one_line: int = HEADER_ONE_LINE) -> int:
    """Columns a header needs: the whole header up to ``one_line`` columns, else wrapped on up to
    HEADER_LINES lines at least ``one_line`` wide, and its longest word at least (a snake_case
    key breaks at its underscores, Chinese between any two characters)."""
    from cbam_calc.outputs.text import _width

    full = _width(header)
    if full <= one_line:
        return full
    words = _BREAKS.findall(header.replace("_", "_ ")) or [""]
    return max(max(_width(w) for w in words), math.ceil(full / HEADER_LINES), one_line)


def _sample(df: pd.DataFrame, sample: int) -> pd.DataFrame:
    """The first ``sample // 2`` rows and ``sample // 2`` spread evenly over the rest: a column
    whose long values come late (a second file, another sector) is judged on them too."""
    if len(df) <= sample:
        return df
    half = sample // 2
    rest = np.linspace(half, len(df) - 1, sample - half).astype(np.int64)
    return df.iloc[np.concatenate([np.arange(half), rest])]


def column_width(values: pd.Series, num_format: str | None = None) -> int:
    """Characters the widest of ``values`` takes shown: a number as its format shows it
    (thousands separators and decimals), a date as yyyy-mm-dd, text with CJK counted double."""
    v = values.dropna()
    if not len(v):
        return 0
    if pd.api.types.is_bool_dtype(v.dtype):
        return 5
    if pd.api.types.is_numeric_dtype(v.dtype):
        decimals = num_format.split(".")[1].count("0") if num_format and "." in num_format else 3
        if num_format == FMT_YEAR:
            decimals = 0
        return max(len(f"{x:,.{decimals}f}") for x in (v.max(), v.min()))
    if pd.api.types.is_datetime64_any_dtype(v.dtype):
        return 19 if (v.dt.normalize() != v).any() else 10
    text = v.astype(str)
    return int((text.str.len() + text.str.count(_WIDE_CHARS)).max())


def widths_for(
    df: pd.DataFrame,
    sample: int = WIDTH_SAMPLE,
    headers: list[str] | None = None,
    formats: list[str | None] | None = None,
    max_width: int = MAX_WIDTH,
    header_line: int = HEADER_ONE_LINE,
) -> dict[int, int]:
    """Column widths (characters) of a table: its widest value in a sample of rows, or what its
    header needs wrapped (:func:`header_width`), at most MAX_WIDTH. Vectorised over the sample: a
    million-line table costs what 200 lines do."""
    part = _sample(df, sample)
    out = {}
    for i, c in enumerate(headers or df.columns):
        fmt = formats[i] if formats and i < len(formats) else None
        content = column_width(part.iloc[:, i], fmt)
        out[i] = min(max(header_width(str(c), header_line), content), max_width)
    return out
