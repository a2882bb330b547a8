"""Checks on a workbook before any reader runs: bounded size, no zip bomb, a cell extent that
fits in memory, and formulas without a trustworthy cached value.

Long because: the archive checks, the streamed xlsx sheet scan (bounds and formulas in one pass,
with an exact slow path for cells without a reference) and the streamed ods scan live together,
so that :func:`guard_workbook` is the one call every opener makes.

- The archive is inspected without decompressing it: a workbook that would expand beyond
  ``MAX_UNCOMPRESSED_BYTES``, or a part compressed more than ``MAX_RATIO`` times (the mark of a zip
  bomb), is refused with a clear message.
- Every sheet is streamed once (never a DOM: a million-row sheet is 300 MB of XML). The fast
  readers allocate the whole rectangle from A1 to the farthest cell, so that rectangle is what is
  bounded, from the cell references actually present; ``<dimension>`` is not trusted. A rectangle
  above ``MAX_CELLS``, or one far larger than the cells written (``SPARSE_RATIO``, beyond
  ``SPARSE_FLOOR`` cells: one cell at XFD1048576 in a 2 KB file) is refused, naming the sheet.
- An .ods is bounded the same way from ``content.xml``, expanding its repeat counts; the trailing
  empty repeated rows and columns LibreOffice writes carry no content and cost nothing.
- The small XML parts (workbook, relationships) are parsed with defusedxml: no entity expansion, no
  external entities.
- A formula cell saved without its value (files written by scripts, never recalculated) reads as
  empty in every fast reader; under ``fullCalcOnLoad`` (XlsxWriter and others write a placeholder
  ``<v>0</v>`` and ask Excel to recalculate) no cached value can be trusted. Such cells are listed
  so that the line is rejected as what it is, never computed on blank or zero. An empty string
  cached by Excel (``t="str"`` with ``<v/>``) is a value.
- Row visibility and merged cells are read in the same pass, never in a second parse: rows
  ``hidden="1"`` (hidden by hand, by an AutoFilter or a collapsed outline; Excel, LibreOffice and
  WPS write the same attribute) and ``<mergeCell ref>`` (after the cells); in an .ods rows with
  ``table:visibility="collapse"`` or ``"filter"`` and cells with ``number-rows-spanned``. The
  common sheet, with neither, pays one substring test per 4 MB piece.
- An .xls (BIFF) is not scanned: its format caps a sheet at 65,536 x 256 cells, and the file is
  bounded by ``MAX_XLS_BYTES``.
"""

from __future__ import annotations

import functools
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from cbam_calc.core.errors import InputFileError
from cbam_calc.core.messages import Message

MAX_UNCOMPRESSED_BYTES = 2 * 1024**3  # a 1,000,000-line sheet is about 300 MB of XML
MAX_RATIO = 200  # ordinary sheet XML compresses 5-20 times; zip bombs a thousand times and more
RATIO_FLOOR_BYTES = 16 * 1024**2  # small parts may compress well: only judge parts above this
MAX_CELLS = 60_000_000  # 1,048,576 rows x 57 columns
# The readers hold about 40 bytes per cell of the rectangle from A1 to the farthest cell, written
# or not: a rectangle up to SPARSE_FLOOR cells (~160 MB) is always read; above it the sheet must
# write at least one cell in SPARSE_RATIO (sheets with optional columns left empty are sparse too).
SPARSE_FLOOR = 4_000_000
SPARSE_RATIO = 20
MAX_CELL_BYTES = 8 * 1024**2  # Excel caps a cell at 32,767 characters: a bigger one is hostile
MAX_XLS_BYTES = 256 * 1024**2
CHUNK = 4 * 1024**2
MAX_COLUMNS = 16_384  # XFD
# hidden rows and merged ranges a sheet may mark: a file marking more than Excel has rows
# is hostile (a few bytes of XML each, they would otherwise cost ~100 bytes of memory each)
MAX_MARKS = 1_048_576  # as many as Excel has rows

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# --- xlsx sheet XML, any namespace prefix (the Open XML SDK writes <x:c>), attributes in any order
# and over several lines
_PREFIX = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s>]")
# literal-led (fast); a reference written otherwise (r = 'A1') makes the counts differ from the
# cell tags, and the exact path reads it
_REF_COLUMN = re.compile(rb'r="([A-Z]+)\d')
_REF_ROW = re.compile(rb'r="[A-Z]+(\d+)"')
_ATTR_R = re.compile(rb'\sr\s*=\s*["\']([A-Z]+)(\d+)["\']')
_ATTR_T = re.compile(rb'\st\s*=\s*["\'](\w+)["\']')
_ROW_HIDDEN = re.compile(rb'\bhidden\s*=\s*["\'](?:1|true)["\']')
_FULL_CALC = re.compile(rb'<(?:[\w.-]+:)?calcPr\b[^>]*\sfullCalcOnLoad\s*=\s*["\'](?:1|true)["\']')


def _cell_patterns(p: bytes) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """For sheet XML whose elements carry prefix ``p`` (b"" or b"x:"): every formula, the formulas
    followed by no or an empty value before their cell closes, and the element tokens of the
    exact slow path. The formula patterns start with the literal ``<f`` so that the regex engine
    skips to them: the cell's attributes are looked up only for a match."""
    p = re.escape(p)
    formula = rb"<" + p + rb"f(?:\s[^>]*?)?(?:/>|>[^<]*</" + p + rb"f\s*>)\s*"
    empty_value = rb"(?P<v><" + p + rb"v\b[^>]*/>|<" + p + rb"v\b[^>]*>\s*</" + p + rb"v\s*>)?\s*"
    any_formula = re.compile(rb"<" + p + rb"f[\s>/]")
    uncached = re.compile(formula + empty_value + rb"</" + p + rb"c\s*>")
    tokens = re.compile(rb"<" + p + rb"(row|c)(\s[^>]*?)?(/?)>|</" + p + rb"row\s*>")
    return any_formula, uncached, tokens


@functools.cache
def _empty_value_patterns(p: bytes) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """Three searches led by a literal, so that the regex engine skips to the few places they can
    start (never through a formula's text): the ends of text formulas followed by no or an empty
    value and the cell's end; the same after a formula without text (``<f t="shared" si="2"/>``);
    and the cells typed ``t="str"`` whose formula Excel cached as an empty string."""
    p = re.escape(p)
    empty_value = rb"(?:<" + p + rb"v\b[^>]*/>|<" + p + rb"v\b[^>]*>\s*</" + p + rb"v\s*>)"
    cell_end = rb"\s*</" + p + rb"c\s*>"
    text_end = re.compile(rb"</" + p + rb"f\s*>\s*" + empty_value + rb"?" + cell_end)
    bare = re.compile(rb"<" + p + rb"f\b[^>]*/>\s*" + empty_value + rb"?" + cell_end)
    formula = rb"<" + p + rb"f(?:\s[^>]*?)?(?:/>|>[^<]*</" + p + rb"f\s*>)\s*"
    as_str = re.compile(rb't="str"[^>]*>\s*' + formula + empty_value + cell_end)
    return text_end, bare, as_str


def _only_cached_empty_strings(buf: bytes, prefix: bytes) -> bool:
    """True when every formula of ``buf`` followed by no or an empty value is a cell typed
    ``t="str"`` with an empty value: Excel's cached empty string (``=IF(D10="","",...)``, thousands
    per sheet of a template), a value. Each such cell holds one of those formulas, so equal counts
    mean there is no other; any other case (a formula without its value, ``t='str'`` quoted
    otherwise) counts differently and takes the exact per-formula check. Three C-speed searches
    instead of a Python step per formula."""
    text_end, bare, as_str = _empty_value_patterns(prefix)
    found = len(text_end.findall(buf)) + len(bare.findall(buf))
    return found == 0 or found == len(as_str.findall(buf))


def column_index(letters: bytes | str) -> int:
    """0-based index of an Excel column name: A -> 0, Z -> 25, AA -> 26."""
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def column_name(index: int) -> str:
    """Excel column name of a 0-based index: 0 -> A, 26 -> AA."""
    out = ""
    index += 1
    while index:
        index, r = divmod(index - 1, 26)
        out = chr(65 + r) + out
    return out


@dataclass
class SheetInfo:
    """What the scan found in one sheet: its extent from A1 (rows x columns the readers allocate),
    the cells written, and its formula cells without a trustworthy value."""

    name: str
    part: str | None = None
    hidden: bool = False
    rows: int = 0
    cols: int = 0
    written: int = 0
    formula_rows: list[int] = field(default_factory=list)  # 1-based row of each such cell
    formula_cols: list[int] = field(default_factory=list)  # 0-based column of each such cell
    # rows hidden or filtered out: (first, last) 1-based ranges, inclusive (an .ods repeats rows)
    hidden_rows: list[tuple[int, int]] = field(default_factory=list)
    # merged cells: (first row, first column, last row, last column); rows 1-based, columns 0-based
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)

    @property
    def cells(self) -> int:
        return self.rows * self.cols

    @property
    def uncached_formulas(self) -> set[tuple[int, int]]:
        return set(zip(self.formula_rows, self.formula_cols, strict=True))


@dataclass
class WorkbookInfo:
    kind: str  # "xlsx" (and xlsm), "ods", "xls" or "" (not a workbook the guard knows)
    sheets: dict[str, SheetInfo] = field(default_factory=dict)
    full_calc_on_load: bool = False
    names: list[str] = field(default_factory=list)  # every sheet, scanned or not (guard_sheets)

    @property
    def hidden(self) -> list[str]:
        return [n for n, s in self.sheets.items() if s.hidden]


# kept for the benchmark and older callers: the scan of one sheet
XlsxInfo = SheetInfo


def _parts(z: zipfile.ZipFile) -> tuple[list[tuple[str, str, bool]], bytes]:
    """(sheet name, zip member of its XML, hidden) in workbook order, and workbook.xml itself."""
    from defusedxml.ElementTree import fromstring

    try:
        raw = z.read("xl/workbook.xml")
        wb = fromstring(raw)
        rels = fromstring(z.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return [], b""
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG}Relationship")}
    out = []
    for s in wb.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(s.get(f"{_NS_REL}id"), "")
        if not target:
            continue
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        part = posixpath.normpath(part)  # "xl/../xl/worksheets/sheet1.xml" is that sheet
        out.append((s.get("name"), part, s.get("state", "visible") in ("hidden", "veryHidden")))
    return out, raw


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> zip member of its XML, from workbook.xml and its relationships."""
    return {name: part for name, part, _ in _parts(z)[0]}


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
    return InputFileError(Message("E_WORKBOOK_DAMAGED", error=f"{type(e).__name__}: {e}"), file=file)


def read_head(path: str | Path, file: str, size: int) -> bytes:
    """The first ``size`` bytes of the file at ``path`` (what it is, before any reader runs); a
    file that cannot be opened is one InputFileError naming ``file``."""
    try:
        with open(path, "rb") as fh:
            return fh.read(size)
    except OSError as e:
        raise InputFileError(Message("E_CANNOT_OPEN", reason=e.strerror), file=file) from None


# ---------------------------------------------------------------------------- the one entry point
def guard_workbook(path: str | Path, file: str) -> WorkbookInfo:
    """Bound everything any reader (calamine, openpyxl) would allocate for the workbook at
    ``path`` before it runs: the archive (size, zip bomb, XML entities) and every sheet's extent,
    from the cells actually present. Raises InputFileError (one line naming ``file``, and the
    sheet) for a workbook that must not be opened; returns what the scan found (sheets, hidden
    ones, formula cells without a trustworthy value)."""
    path = str(path)
    head = read_head(path, file, 8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # an Excel 97 (BIFF) file: bounded by its format
        size = Path(path).stat().st_size
        if size > MAX_XLS_BYTES:
            raise InputFileError(
                Message("E_XLS_TOO_LARGE", size=f"{size / 1024**2:.0f}", limit=MAX_XLS_BYTES // 1024**2),
                file=file,
            )
        return WorkbookInfo("xls")
    if not head.startswith(b"PK"):
        return WorkbookInfo("")
    try:
        return _guard_zip(path, file)
    except InputFileError:
        raise
    except DAMAGED as e:
        raise _damaged(file, e) from None


def guard_sheets(path: str | Path, file: str, wanted: tuple[str, ...]) -> WorkbookInfo:
    """The guard of an .xlsx read sheet by sheet: calamine opens an .xlsx's sheets one at a time,
    so the archive and the ``wanted`` sheets it has are what it can allocate (a communication
    template is 19 sheets and 11 MB of XML, of which a reader needs two). ``names`` lists every
    sheet; ``sheets`` holds the scans of the wanted ones. Not for .xls or .ods, which calamine
    reads whole: an .xlsx only, else InputFileError."""
    path = str(path)
    head = read_head(path, file, 4)
    if not head.startswith(b"PK"):
        raise InputFileError(Message("E_NOT_XLSX_ZIP"), file=file)
    try:
        check_archive(path, file)
        with zipfile.ZipFile(path) as z:
            parts, workbook_xml = _parts(z)
            info = WorkbookInfo("xlsx", full_calc_on_load=bool(_FULL_CALC.search(workbook_xml)))
            info.names = [name for name, _, _ in parts]
            present = set(z.namelist())
            for name, part, hidden in parts:
                if name in wanted and part in present:
                    sheet = SheetInfo(name, part, hidden)
                    with z.open(part) as fh:
                        _scan_xlsx_sheet(fh, file, sheet, info.full_calc_on_load)
                    info.sheets[name] = sheet
            return info
    except InputFileError:
        raise
    except DAMAGED as e:
        raise _damaged(file, e) from None


def _guard_zip(path: str, file: str) -> WorkbookInfo:
    check_archive(path, file)
    try:
        z = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        return WorkbookInfo("")  # not a zip after all: the reader says what it is
    with z:
        names = set(z.namelist())
        if "content.xml" in names and "xl/workbook.xml" not in names:
            info = WorkbookInfo("ods")
            with z.open("content.xml") as fh:
                for sheet in _scan_ods(fh, file):
                    info.sheets[sheet.name] = sheet
            return info
        sheets, workbook_xml = _parts(z)
        info = WorkbookInfo("xlsx", full_calc_on_load=bool(_FULL_CALC.search(workbook_xml)))
        for name, part, hidden in sheets:
            sheet = SheetInfo(name, part, hidden)
            if part in names:
                with z.open(part) as fh:
                    _scan_xlsx_sheet(fh, file, sheet, info.full_calc_on_load)
            info.sheets[name] = sheet
        # a part the relationships do not lead to (or lead to in a way read differently here)
        # may still be what a reader opens: every other part holding cells is bounded too
        scanned = {s.part for s in info.sheets.values()}
        for part in sorted(names - scanned):
            if part.lower().endswith(".xml") and _holds_cells(z, part):
                with z.open(part) as fh:
                    _scan_xlsx_sheet(fh, file, SheetInfo(part, part), info.full_calc_on_load)
        return info


def _holds_cells(z: zipfile.ZipFile, part: str) -> bool:
    with z.open(part) as fh:
        return re.search(rb"<([\w.-]+:)?sheetData[\s>/]", fh.read(65536)) is not None


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
                Message(
                    "E_WORKBOOK_TOO_LARGE",
                    size=f"{total / 1024**3:.1f}",
                    limit=f"{MAX_UNCOMPRESSED_BYTES / 1024**3:.0f}",
                ),
                file=file,
            )
        for i in infos:
            if i.file_size > RATIO_FLOOR_BYTES and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                raise InputFileError(
                    Message("E_ZIP_BOMB", part=i.filename, ratio=i.file_size // max(i.compress_size, 1)),
                    file=file,
                )
        try:
            _parts(z)
        except Exception as e:  # defusedxml refuses entities and DTDs: report, do not read
            raise InputFileError(
                Message("E_WORKBOOK_UNSAFE", error=f"{type(e).__name__}: {e}"), file=file
            ) from None


def _bound_marks(file: str, sheet: SheetInfo) -> None:
    """Refuse a sheet marking more hidden rows or merged ranges than a sheet has rows."""
    for what, marks in (("M_MARKS_HIDDEN_ROWS", sheet.hidden_rows), ("M_MARKS_MERGED_RANGES", sheet.merges)):
        if len(marks) > MAX_MARKS:
            raise InputFileError(
                Message("E_SHEET_TOO_MANY_MARKS", limit=f"{MAX_MARKS:,}", what=Message(what)),
                file=file,
                sheet=sheet.name,
            )


def _bound(file: str, sheet: SheetInfo, where: str = "") -> None:
    """Refuse a sheet whose extent from A1 would not fit in memory, or dwarfs what it writes."""
    cells = sheet.cells
    sparse = cells > SPARSE_FLOOR and cells > SPARSE_RATIO * max(sheet.written, 1)
    if cells <= MAX_CELLS and sheet.cols <= MAX_COLUMNS and not sparse:
        return
    extent = f"A1:{column_name(max(sheet.cols - 1, 0))}{sheet.rows}" if sheet.cols <= MAX_COLUMNS else ""
    span = Message(
        "M_SHEET_SPAN",
        extent=extent,
        rows=f"{sheet.rows:,}",
        cols=f"{sheet.cols:,}",
        where=Message("M_REPEATS_COUNTED") if where else "",
    )
    if sparse and cells <= MAX_CELLS:
        why = Message("E_SHEET_SPARSE", span=span, written=f"{sheet.written:,}")
    else:
        why = Message("E_SHEET_TOO_LARGE", span=span, limit=f"{MAX_CELLS:,}")
    raise InputFileError(why, file=file, sheet=sheet.name)


# ---------------------------------------------------------------------------- xlsx sheets
class _Implicit(Exception):
    """The sheet has cells (or rows) without a reference: positions must be counted."""


def _scan_xlsx_sheet(fh, file: str, sheet: SheetInfo, full_calc: bool) -> None:
    head = fh.read(CHUNK)
    m = _PREFIX.search(head[:65536])
    prefix = (m.group(1) or b"") if m else b""
    try:
        _scan_xlsx_fast(head, fh, file, sheet, full_calc, prefix)
    except _Implicit:
        fh.seek(0)
        sheet.rows = sheet.cols = sheet.written = 0
        sheet.formula_rows, sheet.formula_cols = [], []
        sheet.hidden_rows, sheet.merges = [], []
        _scan_xlsx_exact(fh, file, sheet, full_calc, prefix)
    _bound(file, sheet)


def _chunks(head: bytes, fh, prefix: bytes, file: str, sheet: str):
    """The sheet XML in pieces that each end after a complete cell (cells never straddle two)."""
    open_tag = b"<" + prefix + b"c"
    close_tag = b"</" + prefix + b"c>"
    buf = head
    while True:
        chunk = fh.read(CHUNK)
        if not chunk:
            yield buf
            return
        buf += chunk
        cut = _safe_cut(buf, open_tag, close_tag)
        if cut == 0 and len(buf) > MAX_CELL_BYTES:
            raise InputFileError(
                Message("E_CELL_TOO_LARGE", mb=MAX_CELL_BYTES // 1024**2),
                file=file,
                sheet=sheet,
            )
        yield buf[:cut]
        buf = buf[cut:]


def _safe_cut(buf: bytes, open_tag: bytes, close_tag: bytes) -> int:
    """An offset of ``buf`` before which every cell is complete and after which none starts."""
    i = len(buf)
    while True:
        i = buf.rfind(open_tag, 0, i)
        if i < 0:  # no cell here: end after the last complete tag (a <mergeCell> is never cut)
            gt = buf.rfind(b">")
            return gt + 1 if gt >= 0 else max(0, len(buf) - 64)
        nxt = buf[i + len(open_tag) : i + len(open_tag) + 1]
        if nxt in (b" ", b">", b"/", b"\n", b"\r", b"\t"):
            break
        if nxt == b"":
            return i
    gt = buf.find(b">", i)
    if gt < 0:
        return i
    if buf[gt - 1 : gt] == b"/":
        return gt + 1
    end = buf.find(close_tag, gt)
    return i if end < 0 else end + len(close_tag)


@functools.cache
def _cell_tag(prefix: bytes) -> re.Pattern:
    return re.compile(rb"<" + re.escape(prefix) + rb"c[ >/\n\r\t]")


def _cell_tags(buf: bytes, prefix: bytes) -> int:
    return len(_cell_tag(prefix).findall(buf))  # one pass, not one count per character after <c


def _greater(top: bytes, alphabet: bytes) -> bytes:
    """A regex (bytes) matching the strings of ``alphabet`` characters that sort after ``top``
    as numbers or column names do: longer ones, or as long and greater at the first difference."""
    first, last = alphabet[:1], alphabet[-1:]
    cls = b"[" + first + b"-" + last + b"]"
    alternatives = [cls + b"{%d,}" % (len(top) + 1)]
    for i, ch in enumerate(top):
        if bytes([ch]) != last:
            rest = len(top) - i - 1
            tail = cls + b"{%d}" % rest if rest else b""
            alternatives.append(re.escape(top[:i]) + b"[" + bytes([ch + 1]) + b"-" + last + b"]" + tail)
    return b"(?:" + b"|".join(alternatives) + b")"


_LAST_REF = re.compile(rb'r="([A-Z]+)(\d+)"')
_SPACES = (b" ", b"\n", b"\r", b"\t")


def _scan_xlsx_fast(head, fh, file, sheet: SheetInfo, full_calc: bool, prefix: bytes) -> None:
    """Every cell carries its reference (as Excel and every common writer do): the extent is the
    largest reference. Rows ascend in real files, so the last reference of each piece is taken as
    the farthest, and one C-speed search per piece looks for any row or column beyond it; only a
    piece where one is found is read reference by reference. No per-cell Python work."""
    any_formula, uncached, _ = _cell_patterns(prefix)
    formula_re = any_formula if full_calc else uncached
    formula_tag = b"<" + prefix + b"f"
    row_tag = b"<" + prefix + b"row"
    merge_tag = b"<" + prefix + b"mergeCell"
    cell_close = b"</" + prefix + b"c>"
    cell_tag, cell_ref = b"<" + prefix + b"c", b"<" + prefix + b'c r="'
    max_row, max_col = b"0", b""
    beyond = None
    for buf in _chunks(head, fh, prefix, file, sheet.name):
        # the common sheet hides no row and merges no cell: an "h" is rare in the cells Excel
        # writes, and a byte is found at memchr speed (a word takes 20 times as long); merges
        # come after the last cell, so only what follows it is searched
        if b"h" in buf and b"hidden" in buf:
            _hidden_rows(buf, prefix, sheet)
        last_cell = buf.rfind(cell_close)
        if merge_tag in (buf if last_cell < 0 else buf[last_cell:]):
            _merges(buf, prefix, sheet)
        if sheet.hidden_rows or sheet.merges:
            _bound_marks(file, sheet)
        tags = buf.count(cell_ref)  # <c r="...: every cell, as Excel writes them
        if buf.count(cell_tag) != tags:  # other tags starting <c, or cells written otherwise
            tags = _cell_tags(buf, prefix)
            # an r attribute (after white space: operator="equal", header="0.3" of an Excel
            # sheet's conditional formats and page margins end in r=" too and are no reference)
            refs = sum(buf.count(s + b'r="') for s in _SPACES) - buf.count(row_tag + b' r="')
            if refs != tags:
                raise _Implicit  # a cell without a reference, or one written unusually (r = 'A1')
        if not tags:
            continue
        sheet.written += tags
        last = _LAST_REF.search(buf, max(0, buf.rfind(cell_ref)))  # not header="0.3" of the margins
        if last:
            if re.fullmatch(_greater(max_row, b"09"), last.group(2)):
                max_row, beyond = last.group(2), None
            if re.fullmatch(_greater(max_col, b"AZ"), last.group(1)):
                max_col, beyond = last.group(1), None
        if beyond is None:
            beyond = re.compile(
                b'r="(?:[A-Z]+' + _greater(max_row, b"09") + b"|" + _greater(max_col, b"AZ") + b"\\d)"
            )
        if beyond.search(buf):  # out of order: read this piece's references one by one
            rows = _REF_ROW.findall(buf)
            top = max(map(int, set(rows)), default=0)
            if top > int(max_row):
                max_row = b"%d" % top
            cols = set(_REF_COLUMN.findall(buf))
            if cols:
                widest = max((len(c), c) for c in cols)[1]
                if (len(widest), widest) > (len(max_col), max_col):
                    max_col = widest
            beyond = None
        if formula_tag in buf and (full_calc or not _only_cached_empty_strings(buf, prefix)):
            _formulas(buf, formula_re.finditer(buf), prefix, full_calc, sheet, None)
    sheet.rows = int(max_row)
    sheet.cols = column_index(max_col) + 1 if max_col else 0


_HIDDEN_ATTR = re.compile(rb'hidden\s*=\s*["\'](?:1|true)["\']')  # literal-led: the engine skips to it
_ROW_NUMBER = re.compile(rb'\sr\s*=\s*["\'](\d+)["\']')


def _hidden_rows(buf: bytes, prefix: bytes, sheet: SheetInfo) -> None:
    """Record the rows of ``buf`` hidden or filtered out: each ``hidden="1"`` found (a search led
    by its literal) that sits in a row tag gives that row's number; a hidden row written without
    ``r`` (rare) takes the row of its first cell. Work per hidden row only."""
    row_open = b"<" + prefix + b"row"
    cell_ref = re.compile(rb"<" + re.escape(prefix) + rb'c\s[^>]*?\br\s*=\s*["\'][A-Z]+(\d+)')
    found = []
    for m in _HIDDEN_ATTR.finditer(buf):
        start = buf.rfind(row_open, 0, m.start())
        if start < 0 or buf[start + len(row_open) : start + len(row_open) + 1] not in b" \t\r\n":
            continue
        gt = buf.find(b">", start)
        if gt < m.end() - 1:
            continue  # not an attribute of that row tag (a cell's text, a later element)
        r = _ROW_NUMBER.search(buf, start, gt) or cell_ref.search(buf, gt + 1, gt + 4096)
        if r:
            found.append(int(r.group(1)))
    sheet.hidden_rows.extend((r, r) for r in sorted(found))


def _merges(buf: bytes, prefix: bytes, sheet: SheetInfo) -> None:
    """Record the merged ranges of ``buf`` (``<mergeCell ref="A3:A5"/>``, after the cells)."""
    pattern = re.compile(
        rb"<" + re.escape(prefix) + rb'mergeCell\s[^>]*?\bref\s*=\s*["\']\$?([A-Z]+)\$?(\d+)'
        rb'(?::\$?([A-Z]+)\$?(\d+))?["\']'
    )
    for c1, r1, c2, r2 in pattern.findall(buf):
        sheet.merges.append((int(r1), column_index(c1), int(r2 or r1), column_index(c2 or c1)))


def _formulas(buf: bytes, matches, prefix: bytes, full_calc: bool, sheet: SheetInfo, position) -> None:
    """Record the cells of ``matches`` (formulas) whose cached value cannot be used."""
    open_tag = b"<" + prefix + b"c"
    for m in matches:
        start = buf.rfind(open_tag, 0, m.start())
        gt = buf.find(b">", start)
        if start < 0 or gt < 0 or buf[gt + 1 : m.start()].strip():
            continue  # a formula outside a cell (data validation, conditional format)
        attrs = buf[start + len(open_tag) : gt]
        if not full_calc and m.group("v") is not None:
            t = _ATTR_T.search(attrs)
            if t and t.group(1) == b"str":
                continue  # Excel's cached empty string: a value
        r = _ATTR_R.search(attrs)
        if r:
            row, col = int(r.group(2)), column_index(r.group(1))
        elif position is not None and start in position:
            row, col = position[start]
        else:
            continue
        sheet.formula_rows.append(row)
        sheet.formula_cols.append(col)


def _scan_xlsx_exact(fh, file, sheet: SheetInfo, full_calc: bool, prefix: bytes) -> None:
    """Cells or rows without a reference take the next position, as the readers place them
    (row = previous + 1, column = previous in the row + 1): counted element by element. Only
    files written by unusual tools take this path."""
    any_formula, uncached, tokens = _cell_patterns(prefix)
    formula_re = any_formula if full_calc else uncached
    row, col, max_col = 0, -1, 0
    for buf in _chunks(b"", fh, prefix, file, sheet.name):
        position: dict[int, tuple[int, int]] = {}
        for m in tokens.finditer(buf):
            name = m.group(1)
            if name is None:  # </row>
                continue
            r = _ATTR_R.search(m.group(2) or b"") if name == b"c" else None
            if name == b"row":
                rr = re.search(rb'\sr\s*=\s*["\'](\d+)["\']', m.group(2) or b"")
                row = int(rr.group(1)) if rr else row + 1
                col = -1
                if _ROW_HIDDEN.search(m.group(2) or b""):
                    sheet.hidden_rows.append((row, row))
                continue
            if r:
                col = column_index(r.group(1))
                cell_row = int(r.group(2))
            else:
                col += 1
                cell_row = max(row, 1)
            position[m.start()] = (cell_row, col)
            sheet.written += 1
            sheet.rows = max(sheet.rows, cell_row)
            max_col = max(max_col, col + 1)
            if max_col > MAX_COLUMNS:
                break
        if b"<" + prefix + b"f" in buf:
            _formulas(buf, formula_re.finditer(buf), prefix, full_calc, sheet, position)
        if b"<" + prefix + b"mergeCell" in buf:
            _merges(buf, prefix, sheet)
        _bound_marks(file, sheet)
    sheet.cols = max_col


# ---------------------------------------------------------------------------- ods
_ODS_TOKEN = re.compile(
    rb"<(?:[\w.-]+:)?(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*?)(/?)>"
    rb"|</(?:[\w.-]+:)?(table-row|table)\s*>"
)
_ODS_ROWS = re.compile(rb'number-rows-repeated\s*=\s*["\'](\d+)["\']')
_ODS_COLS = re.compile(rb'number-columns-repeated\s*=\s*["\'](\d+)["\']')
_ODS_NAME = re.compile(rb'(?:[\w.-]+:)?name\s*=\s*["\']([^"\']*)["\']')
_ODS_VALUE = re.compile(rb"value-type\s*=|formula\s*=")
_ODS_HIDDEN = re.compile(rb'visibility\s*=\s*["\'](?:collapse|filter)["\']')
_ODS_SPAN_ROWS = re.compile(rb'number-rows-spanned\s*=\s*["\'](\d+)["\']')
_ODS_SPAN_COLS = re.compile(rb'number-columns-spanned\s*=\s*["\'](\d+)["\']')


def _scan_ods(fh, file: str) -> list[SheetInfo]:
    """Each table of content.xml with its extent after repeats: rows up to the last that holds a
    cell with content, columns up to the last such cell of any row. Empty repeated rows and cells
    at the end (LibreOffice writes a million of them) add nothing, as in the reader."""
    import html

    out: list[SheetInfo] = []
    sheet: SheetInfo | None = None
    row = 0  # rows of the table so far (repeats expanded)
    row_repeat, col, width, row_content = 1, 0, 0, False
    tail = b""
    while True:
        chunk = fh.read(CHUNK)
        buf = tail + chunk
        cut = buf.rfind(b">") + 1 if chunk else len(buf)
        if chunk and cut == 0 and len(buf) > MAX_CELL_BYTES:
            raise InputFileError(Message("E_ODS_ELEMENT_TOO_LARGE"), file=file)
        for m in _ODS_TOKEN.finditer(buf, 0, cut):
            name, attrs, closed, end = m.groups()
            if end == b"table" and sheet is not None:
                _bound(file, sheet, ", repeats counted")
                out.append(sheet)
                sheet = None
            elif end == b"table-row":
                if row_content and sheet is not None:
                    sheet.rows = row + row_repeat
                    sheet.cols = max(sheet.cols, width)
                    _bound(file, sheet, ", repeats counted")
                row += row_repeat
            elif name == b"table":
                n = _ODS_NAME.search(attrs)
                sheet = SheetInfo(html.unescape(n.group(1).decode("utf-8", "replace")) if n else "")
                row = 0
            elif name == b"table-row":
                r = _ODS_ROWS.search(attrs)
                row_repeat, col, width, row_content = (int(r.group(1)) if r else 1), 0, 0, False
                if sheet is not None and b"visibility" in attrs and _ODS_HIDDEN.search(attrs):
                    sheet.hidden_rows.append((row + 1, row + row_repeat))
                    _bound_marks(file, sheet)
                if closed:
                    row += row_repeat  # an empty row element
            elif sheet is not None:  # a cell
                c = _ODS_COLS.search(attrs)
                repeat = int(c.group(1)) if c else 1
                if b"spanned" in attrs:
                    _ods_merge(attrs, row + 1, col, sheet)
                    _bound_marks(file, sheet)
                sheet.written += 1
                col += repeat
                if not closed or _ODS_VALUE.search(attrs):
                    width, row_content = col, True
        if not chunk:
            break
        tail = buf[cut:]
    return out


def _ods_merge(attrs: bytes, row: int, col: int, sheet: SheetInfo) -> None:
    """A cell spanning rows or columns (LibreOffice's merge; the cells under it are covered)."""
    r = _ODS_SPAN_ROWS.search(attrs)
    c = _ODS_SPAN_COLS.search(attrs)
    rows, cols = (int(r.group(1)) if r else 1), (int(c.group(1)) if c else 1)
    if rows > 1 or cols > 1:
        sheet.merges.append((row, col, row + rows - 1, col + cols - 1))
