"""Checks on an xlsx before and beside the fast reader: bounded size, no zip bomb, and formulas
without a cached value.

- The archive is inspected without decompressing it: a workbook that would expand beyond
  ``MAX_UNCOMPRESSED_BYTES``, or a part compressed more than ``MAX_RATIO`` times (the mark of a zip
  bomb), is refused with a clear message.
- The sheet's ``<dimension>`` gives its size; more than ``MAX_CELLS`` cells is refused.
- The small XML parts (workbook, relationships) are parsed with defusedxml: no entity expansion, no
  external entities.
- A formula cell saved without its value (files written by scripts, never recalculated) reads as
  empty in every fast reader. The sheet XML is streamed once to find them, so that such a cell is
  rejected as what it is, never silently read as blank or zero.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from cbam_calc.core.errors import InputFileError

MAX_UNCOMPRESSED_BYTES = 2 * 1024**3  # a 1,000,000-line sheet is about 300 MB of XML
MAX_RATIO = 200  # ordinary sheet XML compresses 5-20 times; zip bombs a thousand times and more
RATIO_FLOOR_BYTES = 16 * 1024**2  # small parts may compress well: only judge parts above this
MAX_CELLS = 60_000_000  # 1,048,576 rows x 57 columns
CHUNK = 4 * 1024**2

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DIMENSION = re.compile(rb'<dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
# a cell whose formula is followed by no value, or an empty one, before the cell closes
_UNCACHED = re.compile(
    rb'<c r="([A-Z]{1,3})(\d+)"[^>]*>(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)(?:<v\s*/>|<v>\s*</v>)?</c>'
)


def column_index(letters: bytes | str) -> int:
    """0-based index of an Excel column name: A -> 0, Z -> 25, AA -> 26."""
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


@dataclass
class XlsxInfo:
    sheet_part: str | None = None
    cells: int = 0
    uncached_formulas: set[tuple[int, int]] = field(default_factory=set)  # (row 1-based, col 0-based)


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> zip member of its XML, from workbook.xml and its relationships."""
    from defusedxml.ElementTree import fromstring

    try:
        wb = fromstring(z.read("xl/workbook.xml"))
        rels = fromstring(z.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG}Relationship")}
    out = {}
    for s in wb.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(s.get(f"{_NS_REL}id"), "")
        if not target:
            continue
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        out[s.get("name")] = part
    return out


DAMAGED = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    ValueError,
    OSError,
    NotImplementedError,
    RuntimeError,
)


def _damaged(file: str, e: Exception) -> InputFileError:
    return InputFileError(
        f"the workbook is damaged ({type(e).__name__}: {e}); open it in Excel and save it again", file=file
    )


def check_archive(path: str, file: str) -> None:
    """Before anything is decompressed: refuse oversized or bomb-like archives and workbook XML with
    entities or a DTD (defusedxml). Not a zip (an .xls): nothing to check here."""
    try:
        z = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        return  # not a zip: the reader says what it is
    except DAMAGED as e:
        raise _damaged(file, e) from None
    with z:
        infos = z.infolist()
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise InputFileError(
                f"the workbook expands to {total / 1024**3:.1f} GB, above the limit of "
                f"{MAX_UNCOMPRESSED_BYTES / 1024**3:.0f} GB: split it or save it as CSV",
                file=file,
            )
        for i in infos:
            if i.file_size > RATIO_FLOOR_BYTES and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                raise InputFileError(
                    f"part {i.filename} expands {i.file_size // max(i.compress_size, 1)} "
                    "times: this looks like a zip bomb, refused",
                    file=file,
                )
        try:
            _sheet_parts(z)
        except Exception as e:  # defusedxml refuses entities and DTDs: report, do not read
            raise InputFileError(
                f"the workbook structure cannot be read safely ({type(e).__name__}: {e})", file=file
            ) from None


def scan_sheet(path: str, file: str, sheet: str) -> XlsxInfo:
    """Size of ``sheet`` (refused above MAX_CELLS) and its formula cells saved without a value."""
    try:
        return _scan_sheet(path, file, sheet)
    except InputFileError:
        raise
    except DAMAGED as e:
        raise _damaged(file, e) from None


def _scan_sheet(path: str, file: str, sheet: str) -> XlsxInfo:
    try:
        z = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        return XlsxInfo()
    with z:
        part = _sheet_parts(z).get(sheet)
        if part is None or part not in z.namelist():
            return XlsxInfo()
        info = XlsxInfo(sheet_part=part)
        with z.open(part) as fh:
            head = fh.read(8192)
            m = _DIMENSION.search(head)
            if m and m.group(3):
                rows = int(m.group(4)) - int(m.group(2)) + 1
                cols = column_index(m.group(3)) - column_index(m.group(1)) + 1
                info.cells = rows * cols
                if info.cells > MAX_CELLS:
                    raise InputFileError(
                        f"the sheet spans {rows:,} rows x {cols:,} columns, above the "
                        f"limit of {MAX_CELLS:,} cells",
                        file=file,
                        sheet=sheet,
                    )
            info.uncached_formulas = _uncached_formulas(head, fh)
        return info


def _uncached_formulas(head: bytes, fh) -> set[tuple[int, int]]:
    found: set[tuple[int, int]] = set()
    buf = head
    while True:
        end = buf.rfind(b"</c>")
        if b"<f" in buf and end >= 0:
            cut = end + 4
            for m in _UNCACHED.finditer(buf, 0, cut):
                found.add((int(m.group(2)), column_index(m.group(1))))
            buf = buf[cut:]
        elif b"<f" not in buf:
            buf = buf[-256:]  # keep a tail: a cell may straddle two chunks
        chunk = fh.read(CHUNK)
        if not chunk:
            break
        buf += chunk
    return found
