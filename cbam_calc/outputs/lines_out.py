"""``--lines-out``: the per-line table written by pyarrow, a million lines as CSV or parquet in
about the time pyarrow alone takes (issue 13: pandas' ``to_csv`` formatted every float in Python
and took 13x the calculation).

Each column becomes one Arrow array, by its dtype, with no per-row Python on the common path:

- text (categories, strings, mixed objects): ``str()`` of each value, missing values blank, and
  every cell that :func:`~cbam_calc.outputs.writers.neutral_text` would change or flag (found with
  one regex over the column, built from the same constants) replaced by
  :func:`~cbam_calc.outputs.writers.neutralise` of that cell: the one rule, applied only where it
  can apply. Categories are neutralised once each.
- floats: the shortest decimal that reads back as exactly the same number, never in scientific
  notation (Arrow's text for the few below 1e-6 or from 1e10 on is rewritten positionally);
  NaN blank. The pandas writer wrote ``%.10g``, which lost digits (the cents of 1,234,567,890.12)
  and wrote 0.00001 as ``1e-05``.
- booleans ``True``/``False`` and dates ``2026-02-10`` as pandas wrote them; integers as they are.

pyarrow's CSV writer quotes every text field (pandas quoted only where needed): a reader gets the
same fields, and a carriage return inside a text no longer ends the row.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from cbam_calc.outputs.writers import FORMULA_START, ILLEGAL_XML_CHARS, atomic_write, neutralise

# the cells neutral_text may change or flag: a formula start, or a character no sheet holds (RE2)
SUSPECT = "^[" + "".join(f"\\x{ord(c):02x}" for c in FORMULA_START) + "]|" + ILLEGAL_XML_CHARS.pattern
CSV_BATCH_ROWS = 16_384  # rows pyarrow formats per batch (its default 1,024 costs more calls)
CSV_SLICE_ROWS = 131_072  # rows whose floats are turned into text at a time (bounds the memory)
# magnitudes whose shortest text Arrow may write with an exponent (it does below 1e-6 and from 1e10
# on, double-conversion's ToShortest as Arrow sets it): a decade of margin on each side
SCI_BELOW, SCI_FROM = 1e-5, 1e9


def _neutralised(arr, original: pd.Series):
    """``arr`` (text of ``original``'s cells) with every suspect cell through neutralise."""
    import pyarrow as pa
    import pyarrow.compute as pc

    suspect = pc.fill_null(pc.match_substring_regex(arr, SUSPECT), False)
    if not pc.any(suspect).as_py():
        return arr
    where = np.flatnonzero(suspect.to_numpy(zero_copy_only=False))
    fixed = [str(neutralise(v)) for v in original.iloc[where]]
    return pc.replace_with_mask(arr, suspect, pa.array(fixed, pa.string()))


def _text(s: pd.Series):
    """A text column: categories once each, other values by ``str()``, missing values null."""
    import pyarrow as pa

    if isinstance(s.dtype, pd.CategoricalDtype):
        codes = s.cat.codes.to_numpy()
        texts = pa.array([str(neutralise(v)) for v in s.cat.categories], pa.string())
        return pa.DictionaryArray.from_arrays(pa.array(codes, mask=codes < 0), texts)
    missing = s.isna().to_numpy()
    values = s if isinstance(s.dtype, pd.StringDtype) else s.astype(str)
    arr = pa.array(values.to_numpy(dtype=object, na_value=None), pa.string(), mask=missing)
    return _neutralised(arr, s)


def float_text(values):
    """Shortest round-trip text of each float of an Arrow array, positional; null stays null."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pc.cast(values, pa.string())
    # only the cells outside [SCI_BELOW, SCI_FROM) can have an exponent: a search for "e" in every
    # text took 0.2 s CPU for the 23 float columns of a million lines, this test 0.03 s
    magnitude = pc.abs(values)
    outside = pc.or_(pc.less(magnitude, SCI_BELOW), pc.greater_equal(magnitude, SCI_FROM))
    where = np.flatnonzero(pc.fill_null(outside, False).to_numpy(zero_copy_only=False))
    if not len(where):
        return text
    sci = pc.fill_null(pc.match_substring(text.take(where), "e"), False)
    where = where[sci.to_numpy(zero_copy_only=False)]
    if not len(where):  # 0, -0 and inf
        return text
    rare = values.take(where).to_numpy(zero_copy_only=False)
    fixed = [np.format_float_positional(v, unique=True, trim="-") for v in rare]
    mask = np.zeros(len(values), dtype=bool)
    mask[where] = True
    return pc.replace_with_mask(text, pa.array(mask), pa.array(fixed, pa.string()))


def _bool(s: pd.Series):
    import pyarrow as pa

    codes = s.to_numpy(dtype=np.int8, na_value=-1)
    return pa.DictionaryArray.from_arrays(pa.array(codes, mask=codes < 0), pa.array(["False", "True"]))


def _datetime(s: pd.Series):
    """Dates as ``2026-02-10`` when every value is a midnight (as pandas wrote them), else the
    text pandas gives each value."""
    import pyarrow as pa

    if s.dt.tz is None:
        values = s.to_numpy()
        days = values.astype("datetime64[D]")
        if bool((days == values)[~np.isnat(values)].all()):
            return pa.array(days, pa.date32(), from_pandas=True)
    return _text(s.astype(str).where(s.notna(), None))


def csv_column(s: pd.Series):
    """One column of the lines table as the Arrow array the CSV is written from; floats stay
    numbers here (:func:`float_text` writes them a slice at a time)."""
    import pyarrow as pa

    dtype = s.dtype
    if isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(dtype):  # object too
        return _text(s)
    if pd.api.types.is_bool_dtype(dtype):
        return _bool(s)
    if pd.api.types.is_float_dtype(dtype):
        return pa.array(s.to_numpy(dtype=np.float64, na_value=np.nan), from_pandas=True)
    if pd.api.types.is_integer_dtype(dtype):
        return pa.array(s, from_pandas=True)
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return _datetime(s)
    return _text(s.astype(str).where(s.notna(), None))  # any other kind: its text


def csv_table(df: pd.DataFrame):
    """The lines as an Arrow table of CSV-ready columns (floats still numbers), headers
    neutralised."""
    import pyarrow as pa

    arrays = [csv_column(df.iloc[:, j]) for j in range(df.shape[1])]
    names = [str(neutralise(str(c))) for c in df.columns]
    return pa.Table.from_arrays(arrays, names=names)


def with_float_text(table):
    """``table`` with every float column as its text (:func:`float_text`)."""
    import pyarrow as pa

    columns = [
        pa.chunked_array([float_text(part) for part in c.chunks], pa.string())
        if pa.types.is_floating(c.type)
        else c
        for c in table.columns
    ]
    return pa.Table.from_arrays(columns, names=table.column_names)


def csv_writer(df: pd.DataFrame) -> Callable[[Path], None]:
    """A ``write(tmp)`` for :func:`~cbam_calc.outputs.writers.atomic_write`: the table is built
    first (an error there leaves no file), then written a slice of rows at a time (the text of
    a million lines is never all in memory) through a Python file, so a failed write is the
    OSError of that file and SIGTERM stops it between two batches. The floats of the next slice
    are turned into text in a second thread while this one is written (pyarrow lets go of the
    GIL in both): on two cores the formatting costs no time of its own."""
    import pyarrow.csv as pacsv

    table = csv_table(df)

    def text_of(start: int):
        return with_float_text(table.slice(start, CSV_SLICE_ROWS))

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            fh.write(codecs.BOM_UTF8)
            if not table.num_columns:
                fh.write(os.linesep.encode())
                return
            starts = range(0, max(table.num_rows, 1), CSV_SLICE_ROWS)
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="cbam-lines-out") as pool:
                ahead = pool.submit(text_of, starts[0])
                for i, start in enumerate(starts):
                    part = ahead.result()
                    if i + 1 < len(starts):  # made while this part is written
                        ahead = pool.submit(text_of, starts[i + 1])
                    options = pacsv.WriteOptions(
                        include_header=start == 0, batch_size=CSV_BATCH_ROWS, eol=os.linesep
                    )
                    pacsv.write_csv(part, fh, options)

    return write


def parquet_writer(df: pd.DataFrame) -> Callable[[Path], None]:
    """As :func:`csv_writer`, for parquet: the frame as it is (pandas metadata kept), except that
    an input column mixing types becomes text (parquet needs one type per column), blank and
    missing cells null."""
    frame = df.copy(deep=False)
    for j in range(frame.shape[1]):
        s = frame.iloc[:, j]
        if s.dtype == object:
            blank = s.isna() | s.eq("")
            if blank.all():  # an empty input column: no type at all, as pandas gave it
                frame.isetitem(j, pd.Series([None] * len(s), index=s.index, dtype=object))
            else:
                frame.isetitem(j, s.astype(str).where(~blank, None))

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            frame.to_parquet(fh, index=False)

    return write


def write_lines(
    df: pd.DataFrame, path: str | Path, *, inputs: Iterable[str | Path] = (), force: bool = False
) -> Path:
    """The per-line table as CSV (UTF-8 with BOM, so Excel shows Chinese text right; formula-like
    text neutralised), or as parquet when the name ends in .parquet; atomically, never over an
    input."""
    write = parquet_writer(df) if Path(path).suffix.lower() == ".parquet" else csv_writer(df)
    return atomic_write(path, write, inputs=inputs, force=force)
