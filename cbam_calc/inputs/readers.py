"""Read a shipments file (csv, xlsx, xlsm, xls) into a table of raw values with row numbers.
Long because: every format's reader (spreadsheets with their merged cells and hidden rows, CSV,
parquet) ends in the same RawTable, and the rules they share live beside them.

Each row keeps the number the user sees in the file (the spreadsheet row, or the CSV line where
the record starts, CR, LF or CRLF ending a line), so every message can point at it. xlsx is read with
python-calamine (fast, reads the cached values of formulas); the header row is found by looking
for known column names in the first rows, so a title or a blank line above the header is fine.

What calamine does not give is read from the guard's one pass over the sheet XML: rows hidden or
filtered out (marked on the table, for validate to warn or leave out) and merged cells. A cell
merged down over several body rows shows its value on every row, so a text value (importer,
installation, date) is filled down with a warning; a number merged down (a mass) cannot be split,
so its rows are marked for rejection.
"""

from __future__ import annotations

import contextlib
import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cbam_calc.core.errors import InputFileError
from cbam_calc.core.messages import Message
from cbam_calc.core.model import ReadOptions
from cbam_calc.inputs import csv_arrow, sniff, xlsx_guard
from cbam_calc.inputs.columns import BY_NAME, COLUMNS, canonical_name, check_fields, normalise_header
from cbam_calc.inputs.csv_arrow import (  # header rules shared with spreadsheets
    CFB_MAGIC,
    HEADER_SCAN_ROWS,
    ZIP_MAGIC,
    _score,
    _unique_headers,
    check_headers,
    find_header,
)

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
NUMBER_KINDS = {"mass_t", "mass_kg", "see", "number", "share"}  # column kinds read as numbers
MASS_KINDS = {"mass_t", "mass_kg"}
RANGES_SHOWN = 10  # merged ranges a warning names before "..."

# Sheets of a shipments workbook that hold its carbon-prices table (inputs/carbon_prices.py), one row
# per carbon pricing instrument of an installation: never read as shipments (matched as headers are)
PRICE_SHEET_NAMES = (
    "carbon prices",
    "carbon price",
    "carbon prices paid",
    "carbon price paid",
    "carbon pricing",
    "carbon pricing instruments",
    "碳价",
    "碳价格",
    "已付碳价",
    "碳定价",
    "碳定价工具",
)


def is_price_sheet(name: object) -> bool:
    """A sheet named like the carbon-prices table (``Carbon prices``, ``碳价``: :data:`PRICE_SHEET_NAMES`)."""
    return normalise_header(name) in {normalise_header(s) for s in PRICE_SHEET_NAMES}


@dataclass
class RawTable:
    """Values as read, with the original headers, and where each row came from."""

    frame: pd.DataFrame
    rows: np.ndarray  # source row number of each frame row (1-based, as the user sees it)
    file: str  # the path as the user gave it
    sheet: str | None
    header_row: int
    blank_rows: int = 0
    warnings: list[Message] = field(default_factory=list)
    # header -> positions (in frame) of formula cells saved without a value
    uncached: dict[str, np.ndarray] = field(default_factory=dict)
    # lines that could not be split into the header's columns: (row, text, reason)
    bad_rows: list[tuple[int, str, Message]] = field(default_factory=list)
    sep: str | None = None  # a CSV's delimiter: evidence for the decimal mark (parse.convention)
    hidden: np.ndarray | None = None  # rows hidden or filtered out in the workbook (bool per row)
    # header -> (positions in frame, reason of each) of rows under a number merged over them
    merged_numbers: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    encoding: str | None = None  # a CSV's text encoding as read (a Python codec name)
    price_sheet: bool = False  # the workbook has a carbon-prices sheet (inputs/carbon_prices.py)

    @property
    def rows_read(self) -> int:
        return len(self.frame) + len(self.bad_rows)


def empty_cells(s: pd.Series) -> np.ndarray:
    """Cells that are empty or only white space (a categorical is tested once per category)."""
    if pd.api.types.is_numeric_dtype(s.dtype):
        return s.isna().to_numpy()
    if isinstance(s.dtype, pd.CategoricalDtype):
        blank = empty_cells(pd.Series(s.cat.categories, dtype=object))
        return np.append(blank, True)[s.cat.codes.to_numpy()]  # code -1 (missing) takes the last slot
    return (s.isna() | s.astype("string").str.strip().eq("")).fillna(True).to_numpy(bool)


def _blank_mask(frame: pd.DataFrame) -> np.ndarray:
    """Rows where every cell is empty; stops at the first column that rules them all out."""
    mask = np.ones(len(frame), dtype=bool)
    for col in frame.columns:
        mask &= empty_cells(frame[col])
        if not mask.any():
            break
    return mask


def _drop_blank(frame: pd.DataFrame, rows: np.ndarray) -> tuple[pd.DataFrame, np.ndarray, int]:
    if frame.empty:
        return frame, rows, 0
    blank = _blank_mask(frame)
    if not blank.any():
        return frame, rows, 0
    keep = ~blank
    return frame.loc[keep].reset_index(drop=True), rows[keep], int(blank.sum())


def _drop_empty_columns(frame: pd.DataFrame) -> pd.DataFrame:
    generated = [c for c in frame.columns if c.startswith("column ")]
    if not generated:
        return frame
    empty = [c for c in generated if empty_cells(frame[c]).all()]
    return frame.drop(columns=empty)


# ---------------------------------------------------------------------------- spreadsheets
def _open_workbook(path: Path, file: str):
    """The workbook opened by calamine, and what the guard found in it. The guard runs first,
    on every sheet: calamine allocates a sheet's whole extent (an .ods or .xls all sheets at
    once, when it opens the file), so nothing reaches it unbounded."""
    from python_calamine import CalamineWorkbook

    head = xlsx_guard.read_head(path, file, 8)
    if head.startswith(CFB_MAGIC):
        data = path.read_bytes()
        # an encrypted xlsx is an OLE file with these streams (names stored in UTF-16)
        if any(name.encode("utf-16-le") in data for name in ("EncryptionInfo", "EncryptedPackage")):
            raise InputFileError(
                Message("E_PASSWORD_PROTECTED"),
                file=file,
            )
    elif not head.startswith(ZIP_MAGIC):
        with path.open("rb") as fh:
            sample = fh.read(4096)
        textual = b"\x00" not in sample and sample.strip() != b""
        kind = Message("M_CONTENT_TEXT") if textual else Message("M_CONTENT_NOT_WORKBOOK")
        raise InputFileError(Message("E_NOT_A_WORKBOOK", suffix=path.suffix, kind=kind), file=file)
    guard = xlsx_guard.guard_workbook(path, file)
    try:
        return CalamineWorkbook.from_path(str(path)), guard
    except Exception as e:  # calamine raises several error types for broken files
        raise InputFileError(
            Message("E_WORKBOOK_UNREADABLE", error=f"{type(e).__name__}: {e}"),
            file=file,
        ) from None


def _hidden_sheets(wb, guard: xlsx_guard.WorkbookInfo) -> set[str]:
    """Sheets the user does not see in Excel or LibreOffice (hidden or very hidden)."""
    hidden = set(guard.hidden)
    with contextlib.suppress(Exception):  # older calamine, or a format without the information
        hidden |= {m.name for m in wb.sheets_metadata if str(m.visible).split(".")[-1] != "Visible"}
    return hidden


def read_spreadsheet(
    path: Path,
    file: str,
    sheet: str | None = None,
    read: ReadOptions | None = None,
    *,
    sheet_fallback: bool = False,
) -> RawTable:
    """The shipments table of a workbook: ``sheet`` (name or number), or the first visible sheet.
    ``sheet_fallback`` (cbam batch, whose --sheet names a sheet for every member): a ``sheet`` the
    workbook lacks is replaced by the one sheet holding a shipments table, if there is one
    (:func:`choose_sheet`)."""
    read = read or ReadOptions()
    wb, guard = _open_workbook(path, file)
    names = list(wb.sheet_names)
    if not names:
        raise InputFileError(Message("E_NO_SHEETS"), file=file)
    hidden = _hidden_sheets(wb, guard)
    visible = [n for n in names if n not in hidden]
    # a carbon-prices sheet (inputs/carbon_prices.py) is read by its own reader, never as shipments
    visible = [n for n in visible if not is_price_sheet(n)] or visible
    sheet_name, chosen = choose_sheet(wb, names, visible, sheet, file, sheet_fallback)
    sheet_obj, values = _sheet_values(wb, sheet_name, file)
    others = [n for n in visible if n != sheet_name]
    cover = None  # a cover first: the one other sheet with a table is read in this open workbook
    try:
        h = find_header(values, file, sheet_name)
    except InputFileError:
        table_sheet = sheet_with_table(wb, others, file, sheet_name) if sheet is None and others else None
        if table_sheet is None:
            raise
        cover = Message("W_SHEET_CHOSEN", first=sheet_name, sheet=table_sheet)
        sheet_name = table_sheet
        sheet_obj, values = _sheet_values(wb, sheet_name, file)
        h = find_header(values, file, sheet_name)
    scanned = guard.sheets.get(sheet_name)
    headers = _unique_headers(values[h], file, sheet_name)
    check_headers(headers, file, sheet_name, read.columns)
    frame = _body_frame(values[h + 1 :], headers)
    del values
    rows = np.arange(h + 2, h + 2 + len(frame), dtype=np.int64)
    frame, rows, blank = _drop_blank(frame, rows)
    frame = _drop_empty_columns(frame)
    table = RawTable(frame, rows, file, sheet_name, h + 1, blank)
    table.price_sheet = any(is_price_sheet(n) for n in names)
    if cover is not None:
        table.warnings.append(cover)
    if scanned is not None:
        table.uncached = _uncached_by_header(scanned.formula_rows, scanned.formula_cols, headers, rows)
        if scanned.merges:
            _apply_merges(table, headers, scanned.merges, read)
        if scanned.hidden_rows:
            table.hidden = hidden_mask(rows, scanned.hidden_rows)
    else:  # an .xls or .xlsb, which the guard does not scan: calamine gives its merges
        merges = _calamine_merges(sheet_obj)
        if merges:
            _apply_merges(table, headers, merges, read)
    if chosen is not None:
        table.warnings.append(chosen)
    if sheet is None and cover is None:  # the sheet the tool chose behind a cover says so itself
        skipped = [n for n in names if n in hidden and not is_price_sheet(n) and _sheet_has_header(wb, n)]
        if skipped:
            table.warnings.append(Message("W_HIDDEN_SHEETS", sheets=skipped, sheet=sheet_name))
        with_table = [n for n in others if _sheet_has_header(wb, n)]
        if with_table:
            table.warnings.append(Message("W_OTHER_SHEETS", sheets=with_table, sheet=sheet_name))
    return table


def _body_frame(body: list[list], headers: list[str]) -> pd.DataFrame:
    """The rows under the header as a frame of the header's width. Unnamed columns with nothing
    in them are left out first, in one vectorised test: a stray cell at XFD1 makes 16,000 of
    them, too many to test one by one."""
    width = len(headers)
    grid = np.empty((len(body), width), dtype=object)
    try:
        grid[:, :] = (
            body
            if all(len(r) == width for r in body)
            else [r[:width] + [""] * (width - len(r)) for r in body]
        )
    except ValueError:  # a ragged row the check above missed: fill row by row
        for i, r in enumerate(body):
            grid[i, : min(width, len(r))] = r[:width]
    unnamed = [i for i, name in enumerate(headers) if name.startswith("column ")]
    if unnamed and len(body):
        cells = grid[:, unnamed]
        used = ((cells != "") & (cells != None)).any(axis=0)  # noqa: E711 (elementwise)
        keep = sorted(set(range(width)) - {i for i, u in zip(unnamed, used, strict=True) if not u})
        if len(keep) < width:
            grid, headers = grid[:, keep], [headers[i] for i in keep]
    return pd.DataFrame(grid, columns=headers, dtype=object)


def hidden_mask(rows: np.ndarray, ranges: list[tuple[int, int]]) -> np.ndarray | None:
    """Which of ``rows`` (ascending) fall in the hidden ``ranges`` (first, last; inclusive), in
    one binary search per row; None when none does."""
    r = np.asarray(sorted(ranges), dtype=np.int64).reshape(-1, 2)
    last = np.maximum.accumulate(r[:, 1])  # overlapping ranges: the farthest end so far
    i = np.searchsorted(r[:, 0], rows, side="right") - 1
    mask = (i >= 0) & (rows <= last[np.maximum(i, 0)])
    return mask if mask.any() else None


def _calamine_merges(sheet) -> list[tuple[int, int, int, int]]:
    """The merged ranges calamine reads (.xls), as the guard gives them (rows from 1)."""
    try:
        ranges = sheet.merged_cell_ranges or []
    except Exception:  # a format calamine reads no merges from
        return []
    return [(r0 + 1, c0, r1 + 1, c1) for (r0, c0), (r1, c1) in ranges]


def _spans(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """The positions start[k] <= p < end[k] of every k, concatenated (vectorised)."""
    lengths = end - start
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.repeat(start, lengths) + offsets


def _field_kind(header: str, read: ReadOptions) -> str:
    mapped = {h: f for f, h in read.columns.items()}
    name = mapped.get(header) or canonical_name(header)
    return BY_NAME[name].kind if name in BY_NAME else ""


def _apply_merges(
    table: RawTable, headers: list[str], merges: list[tuple[int, int, int, int]], read: ReadOptions
) -> None:
    """Cells merged down over body rows, as the user sees them: a value shown on every row of the
    range. A text (or date, code) is filled down onto each row, with a warning naming the
    ranges; a number in a number column would be counted once per row, so those rows are marked
    for rejection (``merged_numbers``). Merges in the header region, across columns only, or
    with an empty first cell change nothing; a block merge is read in its first column, the one
    holding the value. Vectorised over the merges of each column."""
    frame, rows = table.frame, table.rows
    if not len(rows):
        return  # no body row: nothing to fill (validate says the table is empty)
    m = np.asarray(merges, dtype=np.int64).reshape(-1, 4)
    m = m[(m[:, 2] > m[:, 0]) & (m[:, 0] > table.header_row) & (m[:, 1] < len(headers))]
    for col in np.unique(m[:, 1]):
        name = headers[int(col)]
        if name not in frame.columns:
            continue
        mc = m[m[:, 1] == col]
        mc = mc[np.argsort(mc[:, 0], kind="stable")]
        start = np.searchsorted(rows, mc[:, 0])
        end = np.searchsorted(rows, mc[:, 2], side="right")
        values = frame[name].to_numpy(dtype=object, copy=True)
        top = np.minimum(start, len(rows) - 1)
        keep = (start < len(rows)) & (rows[top] == mc[:, 0]) & (end - start > 1)
        keep[keep] &= ~empty_cells(pd.Series(values[start[keep]], dtype=object))
        mc, start, end = mc[keep], start[keep], end[keep]
        if not len(mc):
            continue
        ranges = [f"{a}-{b}" for a, b in zip(mc[:, 0].tolist(), mc[:, 2].tolist(), strict=True)]
        kind = _field_kind(name, read)
        if kind in NUMBER_KINDS:
            code = "R_MERGED_MASS" if kind in MASS_KINDS else "R_MERGED_NUMBER"
            why = np.empty(len(mc), dtype=object)
            why[:] = [Message(code, column=name, rows=r) for r in ranges]
            table.merged_numbers[name] = (_spans(start, end), np.repeat(why, end - start))
            continue
        values[_spans(start + 1, end)] = np.repeat(values[start], end - start - 1)
        frame[name] = values
        shown = ranges[:RANGES_SHOWN] + (["..."] if len(ranges) > RANGES_SHOWN else [])
        table.warnings.append(Message("W_MERGED_FILLED", column=name, ranges=shown))


def _uncached_by_header(
    cell_rows: list[int], cell_cols: list[int], headers: list[str], rows: np.ndarray
) -> dict[str, np.ndarray]:
    """Formula cells without a trustworthy value, as positions in the frame per header
    (vectorised: under fullCalcOnLoad every formula cell of the sheet is one)."""
    if not len(cell_rows):
        return {}
    r = np.asarray(cell_rows, dtype=np.int64)
    c = np.asarray(cell_cols, dtype=np.int64)
    pos = np.searchsorted(rows, r)  # rows ascend: the frame position of each cell's row
    found = (pos < len(rows)) & (c < len(headers))
    found[found] &= rows[pos[found]] == r[found]
    out: dict[str, np.ndarray] = {}
    for col in np.unique(c[found]):
        out[headers[int(col)]] = np.unique(pos[found & (c == col)])
    return out


# ---------------------------------------------------------------------------- which sheet
def _sheet_values(wb, name: str, file: str) -> tuple:
    """A sheet of an open workbook and its values (one line naming file and sheet if unreadable
    or empty)."""
    try:
        sheet_obj = wb.get_sheet_by_name(name)
        values = sheet_obj.to_python(skip_empty_area=False)
    except Exception as e:
        raise InputFileError(
            Message("E_SHEET_UNREADABLE", error=f"{type(e).__name__}: {e}"), file=file, sheet=name
        ) from None
    if not values:
        raise InputFileError(Message("E_SHEET_EMPTY"), file=file, sheet=name)
    return sheet_obj, values


def choose_sheet(
    wb, names: list[str], visible: list[str], sheet: str | None, file: str, fallback: bool = False
) -> tuple[str, Message | None]:
    """The sheet to read, and the warning to give if it is not the one asked for.

    No ``sheet``: the first visible one (a cover there is handled once its rows are read, see
    :func:`sheet_with_table`). A name or a number (1 = the first sheet) is that sheet, hidden or
    not. A name the workbook lacks is an error listing its sheets; with ``fallback`` (a batch's
    --sheet, one name for many members' files) the one visible sheet holding a shipments table is
    read instead, with a warning; none or several: the error, naming those that hold one."""
    if sheet is None:
        if not visible:
            raise InputFileError(Message("E_ALL_SHEETS_HIDDEN", sheets=names), file=file)
        return visible[0], None
    if sheet in names:
        return sheet, None  # named on purpose: read even if hidden
    if sheet.isdigit() and 1 <= int(sheet) <= len(names):
        return names[int(sheet) - 1], None
    with_table = [n for n in visible if _sheet_has_header(wb, n)] if fallback else []
    if len(with_table) == 1:
        return with_table[0], Message("W_SHEET_MISSING_CHOSEN", asked=sheet, sheet=with_table[0])
    which = Message("M_SHEETS_WITH_TABLE", sheets=with_table) if len(with_table) > 1 else ""
    raise InputFileError(
        Message("E_NO_SHEET", sheet=sheet, sheets=names, which=which), file=file, sheet=sheet
    )


def sheet_with_table(wb, others: list[str], file: str, first: str) -> str | None:
    """The one sheet of ``others`` that holds a shipments header, when ``first`` holds none (None
    when no other sheet has one: the error is then the first sheet's own). Several: an error
    listing them, as which one is meant is for the user to say."""
    with_table = [n for n in others if _sheet_has_header(wb, n)]
    if len(with_table) > 1:
        raise InputFileError(
            Message("E_FIRST_SHEET_NO_TABLE", sheets=with_table),
            file=file,
            sheet=first,
        )
    return with_table[0] if with_table else None


def _sheet_has_header(wb, name: str) -> bool:
    try:
        values = wb.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=HEADER_SCAN_ROWS)
    except Exception:
        return False
    return any(_score(r) > 0 for r in values)


# ---------------------------------------------------------------------------- csv
def read_csv(path: Path, file: str, read: ReadOptions | None = None) -> RawTable:
    read = read or ReadOptions()
    got = csv_arrow.read(path, file, read.encoding)  # prefetched by the command line, or read now
    check_headers(got.headers, file, None, read.columns)  # here, where --column is known
    frame, rows, bad = _csv_frame(got, file)
    frame, rows, blank = _drop_blank(frame, rows)
    frame = _drop_empty_columns(frame)
    table = RawTable(frame, rows, file, None, got.h + 1, blank)
    table.bad_rows = bad
    table.sep = got.sep
    table.encoding = got.encoding
    return table


def _nan_as_text(table):
    """A float column in which pyarrow read a cell ``nan`` as NaN, as text: pandas would show that
    NaN as an empty cell ("missing net mass"), when the file gave a value that is no number. Other
    columns, and files without such a cell, are untouched (one vectorised test per float column)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for i, column in enumerate(table.schema):
        if pa.types.is_floating(column.type):
            col = table.column(i)
            if pc.any(pc.fill_null(pc.is_nan(col), False)).as_py():
                table = table.set_column(i, column.name, pc.cast(col, pa.string()))
    return table


def _csv_frame(
    got: csv_arrow.CsvTable, file: str
) -> tuple[pd.DataFrame, np.ndarray, list[tuple[int, str, str]]]:
    """The Arrow table as a DataFrame, with the file line of each row (see CsvTable).

    A line with more values than the header has columns cannot be read without guessing (an
    unquoted decimal comma shifts every value after it): it becomes a bad row with its reason. A
    line with fewer values is padded with empty cells, as a spreadsheet would show it. Lines the
    reader left out (a quote never closed) are bad rows too: every record is a row or a bad row."""
    headers, sep, invalid = got.headers, got.sep, got.invalid
    columns = len(headers) - got.phantom
    frame = _nan_as_text(got.table).to_pandas()
    n_total = len(frame) + len(invalid)
    bad: list[tuple[int, str, str]] = list(got.unread)
    if got.lines is not None:
        all_lines = np.asarray(got.lines, dtype=np.int64)
    else:
        all_lines = np.arange(got.first, got.first + n_total, dtype=np.int64)
    if not invalid:
        good_lines = all_lines
    else:
        padded: list[tuple[int, list[str]]] = []
        for number, text in invalid:
            fields = next(csv.reader([text], delimiter=sep), [])
            if len(fields) > len(headers):
                why = Message("R_LINE_TOO_MANY_VALUES", values=len(fields), columns=columns)
                bad.append((int(number), text, why))
            else:
                padded.append((int(number), fields + [""] * (len(headers) - len(fields))))
        invalid_lines = {int(n) for n, _ in invalid}
        good_lines = all_lines[~np.isin(all_lines, list(invalid_lines))]
        if padded:
            extra = pd.DataFrame([f for _, f in padded], columns=headers, dtype=object).replace("", None)
            frame = pd.concat([frame.astype(object), extra], ignore_index=True)
            lines = np.concatenate([good_lines, np.array([n for n, _ in padded], dtype=np.int64)])
            order = np.argsort(lines, kind="stable")
            frame = frame.iloc[order].reset_index(drop=True)
            good_lines = lines[order]
    if got.phantom:
        frame, good_lines, extra_bad = _drop_phantom(frame, good_lines, headers, sep)
        bad += extra_bad
    return frame, good_lines, sorted(bad, key=lambda b: b[0])


def _drop_phantom(
    frame: pd.DataFrame, lines: np.ndarray, headers: list[str], sep: str
) -> tuple[pd.DataFrame, np.ndarray, list[tuple[int, str, Message]]]:
    """Drop the column made up for a trailing delimiter; a line with a value in it has one value
    more than the header has columns, and is a bad row as any such line."""
    name = headers[-1]
    filled = ~empty_cells(frame[name])
    bad: list[tuple[int, str, Message]] = []
    if filled.any():
        why = Message("R_LINE_TOO_MANY_VALUES", values=len(headers), columns=len(headers) - 1)
        for i in np.flatnonzero(filled):
            text = sep.join("" if v is None or v != v else str(v) for v in frame.iloc[i].tolist())
            bad.append((int(lines[i]), text, why))
        frame, lines = frame.loc[~filled].reset_index(drop=True), lines[~filled]
    return frame.drop(columns=[name]), lines, bad


def _parquet_kind(t) -> Message | None:
    """What a parquet column holds when it is not one value per cell (or bytes); None if fine."""
    import pyarrow as pa

    if isinstance(t, pa.DictionaryType):
        return _parquet_kind(t.value_type)
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        return Message("M_PARQUET_LISTS")
    if hasattr(pa.types, "is_list_view") and (pa.types.is_list_view(t) or pa.types.is_large_list_view(t)):
        return Message("M_PARQUET_LISTS")
    if pa.types.is_map(t):
        return Message("M_PARQUET_MAPS")
    if pa.types.is_struct(t) or pa.types.is_union(t):
        return Message("M_PARQUET_RECORDS")
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t):
        return Message("M_PARQUET_BYTES")
    return None


def check_parquet_schema(schema, file: str) -> None:
    """Refuse, with one line naming the file and column, a parquet file this tool cannot read as
    a table of one value per cell: no columns, or a list, map, struct or binary column (the cells
    of such columns reached the parsers as arrays and ended in an internal error)."""
    if len(schema) == 0:
        raise InputFileError(Message("E_PARQUET_NO_COLUMNS"), file=file)
    for f in schema:
        kind = _parquet_kind(f.type)
        if kind is not None:
            raise InputFileError(
                Message("E_PARQUET_CELLS", kind=kind, type=str(f.type)),
                file=file,
                column=f.name,
            )


def parquet_table(
    frame: pd.DataFrame, file: str, first_record: int = 1, read: ReadOptions | None = None
) -> RawTable:
    """A RawTable from a parquet table (or a piece of one): rows are record numbers from 1, as
    a parquet file has no header row. ``read``: its --column mapping is checked with the headers."""
    headers = [str(c) for c in frame.columns]
    mapping = read.columns if read is not None else {}
    check_headers(headers, file, None, mapping)
    if not any(canonical_name(h) for h in headers) and not mapping:
        expected = ", ".join(c.name for c in COLUMNS if c.required)
        shown = ", ".join(repr(h) for h in headers[:8]) + (" ..." if len(headers) > 8 else "")
        raise InputFileError(
            Message("E_PARQUET_NO_KNOWN_COLUMN", shown=shown, expected=expected),
            file=file,
        )
    frame = frame.copy()
    frame.columns = headers
    rows = np.arange(first_record, first_record + len(frame), dtype=np.int64)
    frame, rows, blank = _drop_blank(frame.reset_index(drop=True), rows)
    return RawTable(frame, rows, file, None, 0, blank)


def read_parquet(path: Path, file: str, read: ReadOptions | None = None) -> RawTable:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as e:  # pyarrow raises several types for a damaged file
        raise InputFileError(
            Message("E_PARQUET_UNREADABLE", error=f"{type(e).__name__}: {e}"), file=file
        ) from None
    check_parquet_schema(table.schema, file)
    if table.num_rows == 0:
        raise InputFileError(Message("E_PARQUET_NO_ROWS"), file=file)
    try:
        frame = table.to_pandas()
    except Exception as e:  # pandas metadata that does not fit the columns
        raise InputFileError(
            Message("E_PARQUET_UNREADABLE", error=f"{type(e).__name__}: {e}"), file=file
        ) from None
    return parquet_table(frame, file, read=read)


def read_table(
    path: str | Path,
    sheet: str | None = None,
    read: ReadOptions | None = None,
    *,
    sheet_fallback: bool = False,
) -> RawTable:
    """Read a csv or spreadsheet of shipments. Raises InputFileError for an unusable file.
    ``read``: how to read it (encoding, hidden rows; CalcOptions.read). ``sheet_fallback``: see
    :func:`read_spreadsheet` (cbam batch's --sheet)."""
    file = str(path)
    p = Path(path)
    if read is not None:
        check_fields(read.columns)  # a --column FIELD that is no field: before any file is read
    if not p.exists():
        raise InputFileError(Message("E_NO_SUCH_FILE"), file=file)
    if p.is_dir():
        raise InputFileError(Message("E_FOLDER_NOT_FILE"), file=file)
    if not p.is_file():  # a pipe (/dev/stdin), a terminal, a device: nothing to hash or re-read
        raise InputFileError(csv_arrow.NOT_REGULAR, file=file)
    suffix = p.suffix.lower()
    if suffix != ".parquet":  # a PDF, a picture, a workbook under a .csv name ... said as such
        sniff.check_kind(p, file)
    if suffix in SPREADSHEET_SUFFIXES:
        return read_spreadsheet(p, file, sheet, read, sheet_fallback=sheet_fallback)
    if suffix == ".parquet":
        if sheet is not None:
            raise InputFileError(Message("E_SHEET_NOT_SPREADSHEET"), file=file, sheet=sheet)
        return read_parquet(p, file, read)
    if sheet is not None:
        raise InputFileError(Message("E_SHEET_NOT_SPREADSHEET"), file=file, sheet=sheet)
    return read_csv(p, file, read)
