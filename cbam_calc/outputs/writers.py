"""Writing outputs safely: atomically, never over an input, never a formula a reader did not write.

- Every output is written to a temporary file in the target folder and renamed into place, so an
  interrupted run (Ctrl-C or SIGTERM) leaves no half-written file, and an existing output is
  replaced only with ``force``. :func:`check_output` is the one gate every output passes: no
  output may be an input, hold one (a folder around it) or lie inside an input folder, whatever
  ``force`` says. A write that fails (read-only folder, full disk) is one OutputError naming the
  file.
- Text that a spreadsheet would evaluate (starting with = + - @ tab or carriage return, and not a
  plain number such as ``-12.5``) is decided by :func:`neutral_text`, the one test every writer
  uses: xlsx cells keep the text as it is and store it as text with the quote-prefix style
  (:func:`xlsx_text`, and :func:`xlsx_texts` for a whole Arrow column of the fast path of
  cbam_calc.outputs.xlsx_book), CSV fields get a leading apostrophe (OWASP, CSV injection).
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from cbam_calc.core.errors import OutputError
from cbam_calc.core.messages import Message
from cbam_calc.core.paths import refuse_inputs  # the gate; the Dask engine uses it too

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# text Excel or LibreOffice would read as a number, never as a formula: left as it is
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# text openpyxl would store as an error value instead of text
ERROR_TEXTS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})


# control characters XML 1.0 forbids (a cell holding one makes an xlsx unreadable)
ILLEGAL_XML_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would evaluate ``text`` typed into a cell: it starts with = + - @ tab
    or CR and is not a plain number (``-12.5`` and ``+3`` are numbers, ``-2+3`` a formula)."""
    return text.startswith(FORMULA_START) and PLAIN_NUMBER.fullmatch(text) is None


def neutral_text(value: object) -> tuple[object, bool]:
    """The one neutralising test of every writer: ``value`` without the control characters no
    spreadsheet can hold, and whether it is text a spreadsheet would evaluate. Non-text values are
    returned as they are (False)."""
    if not isinstance(value, str):
        return value, False
    if ILLEGAL_XML_CHARS.search(value):
        value = ILLEGAL_XML_CHARS.sub("", value)
    return value, formula_like(value)


def neutralise(value: object) -> object:
    """A value safe to put in a CSV field (no styles there): formula-like text gets a leading
    apostrophe, so a spreadsheet opening the file shows it as text."""
    value, risky = neutral_text(value)
    return "'" + value if risky else value


# ---------------------------------------------------------------------------- xlsx cells
XLSX_MAX_TEXT = 32_767  # characters an Excel cell holds (both xlsx writers refuse or cut more)
# FORMULA_START and ILLEGAL_XML_CHARS for pyarrow.compute (RE2), the vectorised pre-filter of
# xlsx_texts: a text none of these match is written as it is
_FORMULA_START_RE2 = "^[" + "".join(f"\\x{ord(c):02x}" for c in FORMULA_START) + "]"
_ILLEGAL_RE2 = ILLEGAL_XML_CHARS.pattern


def xlsx_text(value: str) -> tuple[str, bool]:
    """A text as an xlsx cell holds it safely, and whether it is stored as a text cell with the
    quote-prefix style: formula-like text (:func:`neutral_text`) and text such as ``#N/A`` that a
    reader would take for an error value (Excel shows the text, with no apostrophe, and never
    evaluates it). Control characters XML forbids are dropped; past Excel's 32,767 characters
    the text is cut (as Excel itself would)."""
    text, risky = neutral_text(value)
    return text[:XLSX_MAX_TEXT], risky or text in ERROR_TEXTS


def xlsx_texts(array) -> tuple[object, np.ndarray]:
    """:func:`xlsx_text` over an Arrow string array, vectorised: the array without the control
    characters XML forbids, and a mask of the cells that must be written one by one through
    :func:`xlsx_text` (quote-prefixed, or too long). Only the few texts the pre-filter keeps
    (starting with = + - @ tab or CR, an error text, or too long) go through Python."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(array) and pc.any(pc.match_substring_regex(array, _ILLEGAL_RE2)).as_py():
        array = pc.replace_substring_regex(array, _ILLEGAL_RE2, "")
    maybe = pc.or_(
        pc.match_substring_regex(array, _FORMULA_START_RE2),
        pc.is_in(array, value_set=pa.array(sorted(ERROR_TEXTS), array.type)),
    )
    maybe = pc.or_(maybe, pc.greater(pc.utf8_length(array), XLSX_MAX_TEXT))
    mask = np.zeros(len(array), dtype=bool)
    for i in np.flatnonzero(maybe.fill_null(False).to_numpy(zero_copy_only=False)):
        text = array[int(i)].as_py()
        mask[i] = xlsx_text(text) != (text, False)
    return array, mask


def protect_cells(wb) -> None:
    """For a workbook built in memory (not write-only): every text cell through
    :func:`neutral_text`, formula-like text kept as text with the quote-prefix style."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if not isinstance(v, str):
                    continue
                text, risky = neutral_text(v)
                if text != v:
                    cell.value = text
                if risky or text in ERROR_TEXTS:
                    cell.value = text
                    cell.data_type = "s"
                    cell.quotePrefix = True


# ---------------------------------------------------------------------------- the gate
def check_output(
    path: str | Path, inputs: Iterable[str | Path | None] = (), force: bool = False, *, folder: bool = False
) -> Path:
    """Refuse an output that :func:`refuse_inputs` refuses, an existing one without ``force``, a
    folder (unless ``folder``: a Dask dataset is one, which ``force`` replaces), or one whose
    folder does not exist."""
    target = Path(path)
    refuse_inputs(target, inputs)
    if target.exists() and not force:
        raise OutputError(Message("E_OUTPUT_EXISTS", target=str(target)))
    if target.is_dir() and not folder:
        raise OutputError(Message("E_OUTPUT_IS_FOLDER", target=str(target)))
    if not target.resolve().parent.exists():
        raise OutputError(
            Message("E_OUTPUT_NO_FOLDER", target=str(target), folder=str(target.resolve().parent))
        )
    check_writable(target.resolve().parent, target)
    return target


def check_writable(folder: Path, target: str | Path) -> None:
    """Refuse ``target`` when no file can be created in ``folder`` (read-only, no permission): found
    before anything is computed or written, so a run with several outputs does not write the
    first and then fail on the second. One small file is created and removed (the permission
    bits do not tell: root ignores them, a read-only mount does not change them)."""
    try:
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".cbam-probe-")
    except OSError as e:
        raise write_failed(target, e) from None
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(probe)


def require_suffix(
    path: str | Path | None, suffixes: tuple[str, ...], what: str | Message, option: str = "-o"
) -> None:
    """Refuse an output name whose ending does not say what is written (an .html or .csv name
    holding a workbook cannot be opened, nor checked later)."""
    if path is not None and Path(path).suffix.lower() not in suffixes:
        raise OutputError(
            Message("E_OUTPUT_SUFFIX", path=str(path), option=option, what=what, suffixes=list(suffixes))
        )


# an OSError raised by a Rust extension (the xlsx writer) carries its code in its text only
_RUST_OS_ERROR = re.compile(r"\(os error (\d+)\)")


def write_failed(target: str | Path, e: OSError) -> OutputError:
    """A failed write (read-only folder, full disk, no permission) as one line naming the file and
    what to do."""
    if e.errno is None and (m := _RUST_OS_ERROR.search(str(e))):
        e = OSError(int(m.group(1)), os.strerror(int(m.group(1))))
    what = {
        errno.ENOSPC: "M_WRITE_DISK_FULL",
        errno.EDQUOT: "M_WRITE_QUOTA",
        errno.EROFS: "M_WRITE_READ_ONLY",
        errno.EACCES: "M_WRITE_NO_PERMISSION",
        errno.EPERM: "M_WRITE_NO_PERMISSION",
    }.get(e.errno, "M_WRITE_ELSEWHERE")
    reason: str | Message = e.strerror or type(e).__name__
    where = Path(e.filename).parent if isinstance(e.filename, str) else None
    if where is not None and where.resolve() != Path(target).resolve().parent:  # TMPDIR is full
        reason = Message("M_REASON_IN", reason=reason, folder=str(where))
    return OutputError(Message("E_CANNOT_WRITE", target=str(target), reason=reason, what=Message(what)))


def _ignore_unraisable(_unraisable) -> None:
    pass


def _remove(tmp: Path | None) -> None:
    if tmp is not None:
        with contextlib.suppress(OSError):  # a read-only folder: nothing was left in it
            tmp.unlink(missing_ok=True)


def atomic_write(
    path: str | Path,
    write: Callable[[Path], None],
    *,
    inputs: Iterable[str | Path] = (),
    force: bool = False,
) -> Path:
    """Call ``write(tmp)`` then rename ``tmp`` over ``path``; nothing is left behind on failure
    (an exception, Ctrl-C, or SIGTERM, which the command turns into an exception). An OSError
    of the write is one OutputError naming ``path``."""
    target = check_output(path, inputs, force)
    tmp_path: Path | None = None
    failure: BaseException | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.resolve().parent)
        tmp_path = Path(tmp)
        os.close(fd)
        write(tmp_path)
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
    except OSError as e:
        failure = write_failed(target, e)
        # the failed writer's objects (openpyxl's zip file and write-only sheets) are finalised as
        # this block ends, and would print 'Exception ignored' tracebacks of the same error
        hook, sys.unraisablehook = sys.unraisablehook, _ignore_unraisable
    except KeyboardInterrupt as e:  # Ctrl-C or SIGTERM (cli.Terminated): no traceback is shown
        failure = e.with_traceback(None)  # so the interrupted writer's frames go with this block
        hook, sys.unraisablehook = sys.unraisablehook, _ignore_unraisable
    except BaseException:
        _remove(tmp_path)
        raise
    if failure is not None:
        try:
            _remove(tmp_path)
            gc.collect()  # what a reference cycle still holds
        finally:
            sys.unraisablehook = hook
        raise failure
    return target


def write_text(
    text: str, path: str | Path, *, inputs: Iterable[str | Path] = (), force: bool = False
) -> Path:
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), inputs=inputs, force=force)


def json_ready(df: pd.DataFrame) -> list[dict]:
    """Records with plain JSON values (NaN -> null, numpy scalars -> Python)."""
    out = df.replace({np.nan: None})
    return out.to_dict("records")
