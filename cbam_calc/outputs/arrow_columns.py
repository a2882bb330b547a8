"""The columns of a frame as the Rust xlsx writer's Arrow path takes them (xlsx_book.Sheet.write_frame):
categoricals decoded, text neutralised through cbam_calc.outputs.writers, and which rows of a
slice need a cell of their own (a text to quote-prefix)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cbam_calc.outputs.writers import xlsx_texts

EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # day 0 of Excel's serial dates (1900 date system)


class Column:
    """One column of a frame for the Arrow path: its slices as Arrow arrays the writer takes
    (categoricals decoded, text neutralised), and which rows of a slice need a cell of their own."""

    def __init__(self, series: pd.Series):
        import pyarrow as pa

        self.series = series
        dtype = series.dtype
        self.dictionary = None
        if isinstance(dtype, pd.CategoricalDtype) and not is_text(dtype.categories):
            series = series.astype(dtype.categories.dtype)  # numbers as categories: numbers
            self.series, dtype = series, series.dtype
        if isinstance(dtype, pd.CategoricalDtype):
            cats = pa.array(dtype.categories.to_numpy(dtype=object), pa.string())
            self.dictionary, risky = xlsx_texts(cats)
            self.dict_risky = np.append(risky, False)  # code -1 (missing) takes the False after
            self.codes = series.cat.codes.to_numpy()
            self.kind = "text"
        elif pd.api.types.is_bool_dtype(dtype):
            self.kind = "bool"
        elif pd.api.types.is_numeric_dtype(dtype):
            self.kind = "number"
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            self.kind = "datetime"
        else:
            self.kind = "text"

    def slice(self, start: int, stop: int):
        import pyarrow as pa
        import pyarrow.compute as pc

        if self.dictionary is not None:
            codes = self.codes[start:stop]
            missing = codes < 0
            idx = pa.array(codes, mask=missing) if missing.any() else pa.array(codes)
            return pc.take(self.dictionary, idx), self.dict_risky[codes]
        part = self.series.iloc[start:stop]
        if self.kind == "text":
            array = pa.array(part.to_numpy(dtype=object), pa.string(), from_pandas=True)
            return xlsx_texts(array)
        if self.kind == "datetime":  # as Excel serial days, formatted as openpyxl formatted them
            if getattr(part.dtype, "tz", None) is not None:
                part = part.dt.tz_localize(None)
            part = (part - EXCEL_EPOCH) / pd.Timedelta(days=1)
        return pa.array(part, from_pandas=True), None


def arrow_columns(df: pd.DataFrame) -> list[Column] | None:
    """The frame's columns for the Arrow path, or None where one cannot go (a column mixing
    numbers and text, or holding other objects: such frames are small, written row by row)."""
    out = []
    for i in range(df.shape[1]):
        s = df.iloc[:, i]
        if s.dtype == object and not is_text(s):
            return None
        categorical = isinstance(s.dtype, pd.CategoricalDtype)
        if categorical and s.dtype.categories.dtype == object and not is_text(s.dtype.categories):
            return None
        out.append(Column(s))
    return out


def is_text(values) -> bool:
    """Whether every value is text or missing (pandas' own inference, not a Python loop)."""
    return pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")
