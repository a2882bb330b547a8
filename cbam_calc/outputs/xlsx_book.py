"""The one xlsx writer of the workbooks cbam-calc streams out: the calc report (outputs/xlsx.py),
the consolidated batch workbook (outputs/batch_report.py) and their Run sheet (run_record).

Chosen by measurement (bench/bench_report.py, bench/README.md "xlsx report (issue 13)"): the
100,000-line Lines sheet took 140 s with openpyxl write-only, 61 s with XlsxWriter cell by cell
and 8.3 s with rvgsrust-xlsxwriter's Arrow path. So a workbook is written with
**rvgsrust-xlsxwriter** (Rust, pinned in pyproject where its wheel exists: Linux x86_64) and
with **XlsxWriter** (pure Python, always installed) where that wheel is missing, or when
``CBAM_XLSX_WRITER=xlsxwriter`` asks for it (the tests run the reports on both). One writer per
workbook: :class:`Book` and :class:`Sheet` are all the report modules see.

- Text goes through cbam_calc.outputs.writers (``xlsx_text``; ``xlsx_texts`` vectorised over a
  column): formula-like or error-looking text is a quote-prefixed text cell, never a formula.
- A frame (:meth:`Sheet.write_frame`) is written in slices of :data:`FRAME_SLICE` rows through
  Arrow on the Rust writer (the risky rows, which the vectorised test finds, cell by cell between
  two slices: a constant-memory sheet takes rows in order only), row by row on XlsxWriter.
- Big sheets (``big=True``: Lines, Rejected, Parameters) are constant-memory: rows go to a
  temporary file as they are written. A sheet with a chart is kept in memory (it is small).

- Every sheet is set up for print when the book is closed (:meth:`Sheet.print_setup`, the rules
  in cbam_calc.outputs.print_layout, which sets up the openpyxl workbooks too): A4, landscape
  where wide, fitted to as few pages across and down as keep the scale at 70 % or more, the
  header row repeated, the print area the cells written (and the charts).
- The Arrow columns of a frame: cbam_calc.outputs.arrow_columns.

openpyxl stays for reading (inputs/, report_check) and for the small workbooks built in memory
(the scenario workbook, the input template), which are not written here.
"""

from __future__ import annotations

import contextlib
import errno
import math
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from cbam_calc.inputs.xlsx_guard import column_name
from cbam_calc.outputs.arrow_columns import arrow_columns
from cbam_calc.outputs.print_layout import CM_PX, DEFAULT_WIDTH, ROW_PT, setup_sheet
from cbam_calc.outputs.writers import xlsx_text

BACKEND_ENV = "CBAM_XLSX_WRITER"  # "xlsxwriter" forces the fallback; "rvgs" the Rust writer
FRAME_SLICE = 65_536  # rows per Arrow slice: bounded memory, few calls
DATETIME_FORMAT = "yyyy-mm-dd h:mm:ss"  # what openpyxl gave a datetime: readers see the same
DATE_FORMAT = "yyyy-mm-dd"
# bytes of sheet XML a cell of a big sheet takes at most in the temporary files, about: the free
# space of the temporary folder is checked before a frame is written (the Rust writer panics on
# a full disk instead of raising)
TEMP_BYTES_PER_CELL = 48
_OS_CODE = re.compile(r"(?:os error |Os \{ code: )(\d+)")


def backend() -> str:
    """'rvgs' where rvgsrust-xlsxwriter imports and CBAM_XLSX_WRITER does not say otherwise,
    else 'xlsxwriter'."""
    asked = os.environ.get(BACKEND_ENV, "").strip().lower()
    if asked == "xlsxwriter":
        return "xlsxwriter"
    try:
        import rvgsrust_xlsxwriter  # noqa: F401
    except ImportError:
        return "xlsxwriter"
    return "rvgs"


def plain(v: object) -> object:
    """A value a cell holds: NaN/NA/NaT to nothing, numpy scalars to Python, a Timestamp to a
    datetime."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if isinstance(v, np.datetime64):
        return None if np.isnat(v) else pd.Timestamp(v).to_pydatetime()
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


class Book:
    """A workbook being written to ``path``; sheets in the order they are added."""

    def __init__(self, path: str | Path, writer: str | None = None):
        self.writer = writer or backend()
        self.path = str(path)
        self._formats: dict[tuple, object] = {}
        if self.writer == "rvgs":
            import rvgsrust_xlsxwriter as rx

            self._rx = rx
            self._wb = rx.Workbook(self.path)
            self.tempdir = tempfile.gettempdir()
            self._wb.set_tempdir(self.tempdir)
        else:
            import xlsxwriter

            self._wb = xlsxwriter.Workbook(
                self.path,
                {
                    "constant_memory": True,  # the whole workbook (XlsxWriter has no per-sheet choice)
                    "strings_to_formulas": False,
                    "strings_to_urls": False,
                    "strings_to_numbers": False,
                    "nan_inf_to_errors": True,
                },
            )
        self.sheets: list[Sheet] = []

    def add_sheet(self, name: str, big: bool = False) -> Sheet:
        """A new sheet; ``big``: constant memory (no chart may go on it with the Rust writer)."""
        if self.writer == "rvgs":
            ws = self._wb.add_worksheet(name, constant_memory=big)
        else:
            ws = self._wb.add_worksheet(name)
        sheet = Sheet(self, ws, name)
        self.sheets.append(sheet)
        return sheet

    def format(
        self, num_format: str | None = None, bold: bool = False, quote: bool = False, wrap: bool = False
    ):
        """The cell format of a number format, bold, quote prefix and text wrap (None: the
        default)."""
        if not (num_format or bold or quote or wrap):
            return None
        key = (num_format, bold, quote, wrap)
        if key not in self._formats:
            if self.writer == "rvgs":
                f = self._wb.add_format()
                if num_format:
                    f.set_num_format(num_format)
                if bold:
                    f.set_bold()
                if quote:
                    f.set_quote_prefix()
                if wrap:
                    f.set_text_wrap()
                    f.set_vertical_align("top")
            else:
                spec: dict = {}
                if num_format:
                    spec["num_format"] = num_format
                if bold:
                    spec["bold"] = True
                if quote:
                    spec["quote_prefix"] = True
                if wrap:
                    spec["text_wrap"] = True
                    spec["valign"] = "top"
                f = self._wb.add_format(spec)
            self._formats[key] = f
        return self._formats[key]

    def check_tempdir(self, cells: int) -> None:
        """Refuse (OSError ENOSPC, naming the folder) a frame of ``cells`` cells whose sheet XML
        cannot fit in the free space of the temporary folder."""
        free = shutil.disk_usage(self.tempdir).free
        if free < cells * TEMP_BYTES_PER_CELL:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.path.join(self.tempdir, "x"))

    def set_creator(self, text: str) -> None:
        if self.writer == "rvgs":
            self._wb.set_properties(author=text)
        else:
            self._wb.set_properties({"author": text})

    def close(self) -> None:
        """Write the workbook to its path. The Rust writer writes the file itself (not through a
        buffer: a million-line workbook is some 300 MB, twice over in memory as bytes); its
        OSError names the code in its text only, which writers.write_failed reads. Every sheet
        gets its print set-up first (:meth:`Sheet.print_setup`)."""
        for sheet in self.sheets:
            sheet.print_setup()
        if self.writer == "rvgs":
            with rust_errors():
                self._wb.close()
            return
        from xlsxwriter.exceptions import FileCreateError

        try:
            self._wb.close()
        except FileCreateError as e:  # XlsxWriter's wrapper of the OSError of a failed write
            cause = e.args[0] if e.args and isinstance(e.args[0], OSError) else e.__context__
            raise cause if isinstance(cause, OSError) else OSError(errno.EIO, str(e)) from None


class Sheet:
    """Rows appended in order (``row``: rows written so far), column widths, a frozen header and
    bar charts."""

    def __init__(self, book: Book, ws, name: str):
        self.book, self.ws, self.name = book, ws, name
        self.row = 0
        self.formats: list[str | None] = []
        self.widths: dict[int, float] = {}  # column -> characters, as set
        self.columns = 0  # columns written so far (the widest row)
        self.header_rows = 0  # rows repeated on every printed page
        self.charts: list[tuple[int, int, int, int]] = []  # (row, column, height, width px)
        self.heights: dict[int, float] = {}  # row -> points, where not ROW_PT
        self.print_charts = True  # False: the print area stops at the tables (the Summary's)

    # ------------------------------------------------------------------ layout
    def set_width(self, col: int, width: float) -> None:
        """Width of column ``col`` (0-based), in characters."""
        self.widths[col] = width
        if self.book.writer == "rvgs":
            self.ws.set_column_width(col, width)
        else:
            self.ws.set_column(col, col, width)

    def set_height(self, row: int, points: float) -> None:
        """Height of row ``row`` (0-based), in points."""
        self.heights[row] = points
        if self.book.writer == "rvgs":
            self.ws.set_row_height(row, points)
        else:
            self.ws.set_row(row, points)

    def freeze_header(self) -> None:
        """Row 1 stays in view, and is printed on every page."""
        self.ws.freeze_panes(1, 0)
        self.header_rows = 1

    def print_setup(self) -> None:
        """A4, margins, print area, header rows repeated, orientation and pages across
        (print_layout.setup_sheet)."""
        setup_sheet(self)

    # ------------------------------------------------------------------ cells
    def write_row(
        self,
        values: Iterable[object],
        formats: Sequence[str | None] | None = None,
        bold: bool = False,
        wrap: bool = False,
        span: int | None = None,
    ) -> int:
        """One row after the last: text through writers.xlsx_text, a number with its column's
        format (``formats``, else the sheet's), everything bold with ``bold``; text wrapped in
        its column with ``wrap`` (a table's header row: the row is made as high as its longest
        header needs). ``span``: the last value, a long text, is wrapped over the columns from
        its own to column ``span`` (merged), so it prints whole. Returns the row's number
        (1-based)."""
        fmts = formats if formats is not None else self.formats
        values = list(values)
        last = len(values) - 1
        spanned = span is not None and last >= 0 and isinstance(values[last], str) and span > last
        with rust_errors():
            for c, v in enumerate(values):
                if spanned and c == last:
                    self._merged(self.row, c, span, v, bold)
                else:  # a spanned row's cells top-aligned (what wrap does) beside its text
                    self._cell(self.row, c, v, fmts[c] if c < len(fmts) else None, bold, wrap or spanned)
        widths = [self.widths.get(c, DEFAULT_WIDTH) for c in range(len(values))]
        if spanned:
            widths[last] = sum(self.widths.get(c, DEFAULT_WIDTH) for c in range(last, span + 1))
        if wrap or spanned:
            lines = max(
                (wrapped_lines(v, w) for v, w in zip(values, widths) if wrap or v is values[last]), default=1
            )
            if lines > 1:
                self.set_height(self.row, ROW_PT * lines)
        self.columns = max(self.columns, len(values))
        self.row += 1
        return self.row

    def _cell(
        self, r: int, c: int, v: object, num_format: str | None, bold: bool, wrap: bool = False
    ) -> None:
        v = plain(v)
        if v is None or v == "":  # no cell: what a reader of the openpyxl workbooks saw too
            return
        book, ws, rvgs = self.book, self.ws, self.book.writer == "rvgs"
        if isinstance(v, str):
            text, quote = xlsx_text(v)
            f = book.format(None, bold, quote, wrap)
            ws.write(r, c, text, f) if rvgs else ws.write_string(r, c, text, f)
        elif isinstance(v, bool):
            f = book.format(None, bold, False, wrap)
            ws.write(r, c, v, f) if rvgs else ws.write_boolean(r, c, v, f)
        elif isinstance(v, (int, float)):
            f = book.format(num_format, bold, False, wrap)
            ws.write(r, c, float(v), f) if rvgs else ws.write_number(r, c, v, f)
        elif isinstance(v, (datetime, date)):
            fmt = DATETIME_FORMAT if isinstance(v, datetime) else DATE_FORMAT
            f = book.format(num_format or fmt, bold, False, wrap)
            if rvgs and isinstance(v, datetime):
                ws.write_datetime_py(r, c, v, f)
            elif rvgs:
                ws.write_date_py(r, c, v, f)
            else:
                ws.write_datetime(r, c, v, f)
        else:
            self._cell(r, c, str(v), None, bold, wrap)

    def _merged(self, r: int, c1: int, c2: int, v: str, bold: bool) -> None:
        """Text over the merged cells c1..c2 of row ``r``, wrapped."""
        text, quote = xlsx_text(v)
        self.ws.merge_range(r, c1, r, c2, text, self.book.format(None, bold, quote, True))

    def write_frame(self, df: pd.DataFrame, formats: Sequence[str | None]) -> None:
        """The rows of ``df`` after the last row (no header), a number format per column."""
        self.columns = max(self.columns, df.shape[1])
        if self.book.writer == "rvgs" and len(df):
            self.book.check_tempdir(df.size)
            columns = arrow_columns(df)
            if columns is not None:
                with rust_errors():
                    self._frame_arrow(df, columns, formats)
                return
        for values in df.itertuples(index=False, name=None):
            self.write_row(values, formats)

    def _frame_arrow(self, df: pd.DataFrame, columns: list, formats: Sequence[str | None]) -> None:
        """The Rust writer's Arrow path, slice by slice; a row holding a text to quote-prefix (or
        too long) is written cell by cell, in its place."""
        import pyarrow as pa

        names = [f"c{i}" for i in range(len(columns))]
        col_formats = {}
        for i, (col, fmt) in enumerate(zip(columns, formats)):
            if col.kind == "datetime":
                fmt = fmt or DATETIME_FORMAT
            elif col.kind != "number":
                fmt = None
            if fmt:
                col_formats[names[i]] = self.book.format(fmt)
        for start in range(0, len(df), FRAME_SLICE):
            stop = min(start + FRAME_SLICE, len(df))
            arrays, risky = [], np.zeros(stop - start, dtype=bool)
            for col in columns:
                array, mask = col.slice(start, stop)
                arrays.append(array)
                if mask is not None:
                    risky |= mask
            table = pa.Table.from_arrays(arrays, names=names)
            at = 0
            for i in [*np.flatnonzero(risky).tolist(), stop - start]:
                if i > at:
                    self.ws.write_dataframe(
                        self.row, 0, table.slice(at, i - at), write_header=False, column_formats=col_formats
                    )
                    self.row += i - at
                if i < stop - start:
                    self.write_row(df.iloc[start + i].tolist(), formats)
                at = i + 1

    # ------------------------------------------------------------------ charts
    def bar_chart(
        self,
        *,
        title: str,
        values: tuple[int, int, int],
        categories: tuple[int, int, int],
        name: tuple[int, int],
        anchor: tuple[int, int],
        axis_title: str,
        horizontal: bool,
        size_cm: tuple[float, float],
    ) -> None:
        """A native bar chart of this sheet's cells: ``values`` and ``categories`` as (column,
        first row, last row), ``name`` the (row, column) of the series title, all 0-based; a
        horizontal chart lists its categories from the top (as the ranked table does). No
        legend. ``size_cm``: (height, width)."""
        vals = _range(self.name, values[1], values[0], values[2], values[0])
        cats = _range(self.name, categories[1], categories[0], categories[2], categories[0])
        title_cell = _range(self.name, name[0], name[1], name[0], name[1])
        height, width = (round(x * CM_PX) for x in size_cm)
        self.charts.append((anchor[0], anchor[1], height, width))
        kind = "bar" if horizontal else "column"
        if self.book.writer == "rvgs":
            rx = self.book._rx
            series = rx.ChartSeries()
            series.set_values(vals)
            series.set_categories(cats)
            series.set_name(title_cell)
            chart = rx.Chart(kind)
            chart.push_series(series)
            chart.set_title_name(title)
            chart.set_legend_hidden()
            if horizontal:  # a bar chart's x axis is its value axis
                chart.set_x_axis_name(axis_title)
                chart.set_y_axis_reverse()
            else:
                chart.set_y_axis_name(axis_title)
            chart.set_width(width)
            chart.set_height(height)
            self.ws.insert_chart(anchor[0], anchor[1], chart)
        else:
            chart = self.book._wb.add_chart({"type": kind})
            chart.add_series({"values": "=" + vals, "categories": "=" + cats, "name": "=" + title_cell})
            chart.set_title({"name": title})
            chart.set_legend({"none": True})
            if horizontal:
                chart.set_x_axis({"name": axis_title})
                chart.set_y_axis({"reverse": True})
            else:
                chart.set_y_axis({"name": axis_title})
            chart.set_size({"width": width, "height": height})
            self.ws.insert_chart(anchor[0], anchor[1], chart)


def wrapped_lines(value: object, width: float) -> int:
    """Lines a text takes wrapped at word boundaries in a column ``width`` characters wide
    (CJK characters count two)."""
    if not isinstance(value, str) or not value:
        return 1
    from cbam_calc.outputs.text import _width

    room = max(int(width) - 1, 1)
    lines, used = 1, 0
    for word in value.split():
        w = _width(word)
        if used and used + 1 + w > room:
            lines, used = lines + 1, 0
        used = w if not used else used + 1 + w
        lines += (used - 1) // room
        used = (used - 1) % room + 1
    return lines


@contextlib.contextmanager
def rust_errors():
    """A panic of the Rust writer (what it does when a temporary file cannot be written) as the
    OSError it stands for, so the write fails with one line as every other output does."""
    try:
        yield
    except BaseException as e:
        if type(e).__name__ != "PanicException":
            raise
        m = _OS_CODE.search(str(e))
        code = int(m.group(1)) if m else errno.EIO
        raise OSError(code, os.strerror(code)) from None


def _range(sheet: str, r1: int, c1: int, r2: int, c2: int) -> str:
    """An absolute A1 reference on ``sheet`` (0-based rows and columns)."""
    quoted = "'" + sheet.replace("'", "''") + "'"
    a = f"${column_name(c1)}${r1 + 1}"
    b = f"${column_name(c2)}${r2 + 1}"
    return f"{quoted}!{a}" if (r1, c1) == (r2, c2) else f"{quoted}!{a}:{b}"
