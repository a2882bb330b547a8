"""Writing outputs safely: atomically, never over an input, never a formula a reader did not write.

- Every output is written to a temporary file in the target folder and renamed into place, so an
  interrupted run leaves no half-written file, and an existing output is replaced only with
  ``force``. An input file is never a valid output.
- Text cells that a spreadsheet would run as a formula (starting with = + - @ tab or carriage
  return) are neutralised with a leading apostrophe (OWASP, CSV injection).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from cbam_calc.core.errors import OutputError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# control characters XML 1.0 forbids (a cell holding one makes an xlsx unreadable)
ILLEGAL_XML_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(value: object) -> object:
    """A text value safe to put in a cell: formula-like text gets a leading apostrophe, and
    control characters no spreadsheet can hold are dropped."""
    if isinstance(value, str):
        if ILLEGAL_XML_CHARS.search(value):
            value = ILLEGAL_XML_CHARS.sub("", value)
        if value.startswith(FORMULA_START):
            return "'" + value
    return value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Neutralise every text column (numbers are never touched)."""
    out = df.copy()
    for c in out.columns:
        s = out[c]
        if isinstance(s.dtype, pd.CategoricalDtype):  # once per category, not per row
            cats = pd.Index([neutralise(v) for v in s.cat.categories], dtype=object)
            if cats.is_unique:
                out[c] = pd.Categorical.from_codes(s.cat.codes.to_numpy(), categories=cats)
            else:  # neutralising made two categories equal: per row it is
                out[c] = s.astype(object).map(neutralise)
        elif s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            as_str = s.where(s.map(lambda v: isinstance(v, str)), None)
            risky = as_str.str.startswith(FORMULA_START) | as_str.str.contains(ILLEGAL_XML_CHARS)
            risky = risky.fillna(False).astype(bool)
            if risky.any():
                out[c] = s.where(~risky, s.map(neutralise))
    return out


def check_output(path: str | Path, inputs: Iterable[str | Path] = (), force: bool = False) -> Path:
    """Refuse to write over an input, or over an existing file without ``force``."""
    target = Path(path)
    resolved = target.resolve()
    for p in inputs:
        if Path(p).resolve() == resolved:
            raise OutputError(
                f"{target}: this is an input file; cbam-calc never writes over its "
                "inputs, choose another output name"
            )
    if target.exists() and not force:
        raise OutputError(f"{target} already exists: use --force to replace it")
    if target.exists() and target.is_dir():
        raise OutputError(f"{target} is a folder")
    if not resolved.parent.exists():
        raise OutputError(f"{target}: the folder {resolved.parent} does not exist")
    return target


def require_suffix(path: str | Path | None, suffixes: tuple[str, ...], what: str, option: str = "-o") -> None:
    """Refuse an output name whose ending does not say what is written (an .html or .csv name
    holding a workbook cannot be opened, nor checked later)."""
    if path is not None and Path(path).suffix.lower() not in suffixes:
        raise OutputError(f"{path}: {option} writes {what}: name it {' or '.join(suffixes)}")


def atomic_write(
    path: str | Path,
    write: Callable[[Path], None],
    *,
    inputs: Iterable[str | Path] = (),
    force: bool = False,
) -> Path:
    """Call ``write(tmp)`` then rename ``tmp`` over ``path``; nothing is left behind on failure."""
    target = check_output(path, inputs, force)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.resolve().parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    return target


def write_csv(
    df: pd.DataFrame, path: str | Path, *, inputs: Iterable[str | Path] = (), force: bool = False
) -> Path:
    """A CSV (UTF-8 with BOM, so Excel shows Chinese text right), formula-safe, atomically."""
    safe = neutralise_frame(df)

    def write(tmp: Path) -> None:
        safe.to_csv(tmp, index=False, encoding="utf-8-sig", float_format="%.10g")

    return atomic_write(path, write, inputs=inputs, force=force)


def write_lines(
    df: pd.DataFrame, path: str | Path, *, inputs: Iterable[str | Path] = (), force: bool = False
) -> Path:
    """The per-line table as CSV, or as parquet when the name ends in .parquet."""
    if Path(path).suffix.lower() != ".parquet":
        return write_csv(df, path, inputs=inputs, force=force)
    frame = df.copy()
    for c in frame.columns:  # parquet needs one type per column: input columns may mix them
        if frame[c].dtype == object:
            frame[c] = frame[c].map(lambda v: None if v is None or v == "" else str(v))
    return atomic_write(path, lambda tmp: frame.to_parquet(tmp, index=False), inputs=inputs, force=force)


def write_text(
    text: str, path: str | Path, *, inputs: Iterable[str | Path] = (), force: bool = False
) -> Path:
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), inputs=inputs, force=force)


def json_ready(df: pd.DataFrame) -> list[dict]:
    """Records with plain JSON values (NaN -> null, numpy scalars -> Python)."""
    out = df.replace({np.nan: None})
    return out.to_dict("records")
