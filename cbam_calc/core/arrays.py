"""Array kernels every layer may use: integer codes for the distinct rows of a table, and
per-line text from per-key values, with no Python object per line."""

from __future__ import annotations

import numpy as np
import pandas as pd


def _column_codes(s: pd.Series) -> tuple[np.ndarray, int]:
    """Integer codes 0..k-1 of one column and k, without hashing where the dtype allows it:
    a categorical's own codes, a boolean as 0/1, a narrow range of integers or days as offsets.
    Anything else is factorised. Equal values get equal codes; missing values get one code."""
    dtype = s.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy().astype(np.int64) + 1, len(dtype.categories) + 1
    if pd.api.types.is_bool_dtype(dtype) and not s.hasnans:
        return s.to_numpy().astype(np.int64), 2
    if dtype.kind in "iuM":
        v = s.to_numpy()
        if dtype.kind == "M":
            nat = np.isnat(v)
            v = v.astype("datetime64[D]").view(np.int64)
            if nat.any():
                v = np.where(nat, np.int64(0), v)
                lo = int(v[~nat].min()) if (~nat).any() else 0
                v = np.where(nat, lo - 1, v)
        v = v.astype(np.int64, copy=False)
        if len(v):
            lo, hi = int(v.min()), int(v.max())
            if hi - lo < max(4 * len(v), 1 << 16):
                return v - lo, hi - lo + 1
    codes, uniques = pd.factorize(s, use_na_sentinel=False)
    return codes.astype(np.int64, copy=False), len(uniques) + 1


def factorize_frame(frame: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Integer code per row for the distinct rows of ``frame``, and those distinct rows (in order
    of first appearance). Each column becomes codes (:func:`_column_codes`: no hashing for
    categoricals, booleans, narrow integers and dates), the codes are combined in one mixed-radix
    int64, and that is made dense by a direct table where it is small, else by one factorize."""
    n = len(frame)
    combined = np.zeros(n, dtype=np.int64)
    radix = 1
    for c in frame.columns:
        codes, k = _column_codes(frame[c])
        if radix * k >= 2**62:  # keep the mixed-radix number inside int64
            combined = pd.factorize(combined)[0].astype(np.int64)
            radix = int(combined.max()) + 1 if n else 1
        combined = combined * k + codes
        radix *= k
    if n == 0:
        return np.zeros(0, dtype=np.int64), frame.iloc[:0].reset_index(drop=True)
    if radix <= 4 * n + (1 << 16):
        first_of = np.full(radix, n, dtype=np.int64)
        first_of[combined[::-1]] = np.arange(n - 1, -1, -1)  # the last write is the first row
        present = np.flatnonzero(first_of < n)
        first = np.sort(first_of[present])  # groups in order of first appearance
        remap = np.empty(radix, dtype=np.int64)
        remap[combined[first]] = np.arange(len(first))
        return remap[combined], frame.iloc[first].reset_index(drop=True)
    codes, _ = pd.factorize(combined)
    codes = codes.astype(np.int64)
    k = int(codes.max()) + 1
    first = np.empty(k, dtype=np.int64)
    first[codes[::-1]] = np.arange(n - 1, -1, -1)  # the last write of each code is its first row
    return codes, frame.iloc[first].reset_index(drop=True)


def small_codes(codes: np.ndarray, k: int) -> np.ndarray:
    """Category codes in the narrowest integer type that holds k categories (and -1)."""
    for t in (np.int8, np.int16, np.int32):
        if k < np.iinfo(t).max:
            return codes.astype(t, copy=False)
    return codes.astype(np.int64, copy=False)


def categorical(codes: np.ndarray, values) -> pd.Categorical:
    """Per-line text from per-key values: codes index ``values`` (-1: none, shown as '')."""
    # str kept as it is: a Message (a str with its code) stays one, so a report can show it in
    # another language
    listed = [v if isinstance(v, str) else "" if pd.isna(v) else str(v) for v in values]
    vals = pd.Series(listed, dtype=object)
    vcodes, cats = pd.factorize(pd.concat([vals, pd.Series([""], dtype=object)], ignore_index=True))
    table = small_codes(vcodes, len(cats))  # the last entry is '' : code -1 takes it
    return pd.Categorical.from_codes(
        table[codes], dtype=pd.CategoricalDtype(pd.Index(cats, dtype=object)), validate=False
    )
