"""What a file really is, from its first bytes, before it is read as the table its name promises.

A PDF, a picture, a zip, a web page or a script saved (or renamed) ``shipments.csv`` used to be
read as CSV and reported as "no header row" or "missing columns", which sends the user looking for
a column that was never the problem; a workbook saved with a .csv name, or CSV text with an .xlsx
name, is one rename away from working. :func:`check_kind` looks at the first
:data:`SNIFF_BYTES` only (magic numbers and the first line of text), so the common path, a real CSV
or workbook, costs one small read. Decoding a CSV is not done here (``csv_arrow`` does it).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from cbam_calc.core.errors import InputFileError
from cbam_calc.core.messages import Message
from cbam_calc.inputs.xlsx_guard import DAMAGED, read_head

SNIFF_BYTES = 4096  # enough for every signature and a first line; never the whole file

# signature -> what the file is (a few bytes at offset 0)
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image (a scan?)"),
    (b"MM\x00*", "a TIFF image (a scan?)"),
    (b"BM", None),  # a bitmap only with its header size check below; "BM" may start a word
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"{\\rtf", "a Rich Text (RTF) document"),
    (b"PAR1", "a parquet file"),
)
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP = b"PK\x05\x06"
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2: .xls, .doc, or a password-protected .xlsx
BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")

# the first line of text of things that are not tables
HTML = re.compile(r"\s*(<!doctype\s+html|<html|<head|<body|<table|<meta\s)", re.I)
EXCEL_XML = re.compile(r"\s*<\?xml[^>]*>\s*<\?mso-application\s+progid=\"excel\.sheet\"", re.I)
XML = re.compile(r"\s*<\?xml\s", re.I)
PROGRAM = re.compile(
    r"((?:import|from)\s+[\w.]+(?:\s+import\s+[\w.*]+)?\s*$|def\s+\w+\s*\(|class\s+\w+\s*[(:])"
)
DELIMITER = re.compile(r"[,;\t|，；]")


def _head(z: zipfile.ZipFile, name: str) -> bytes:
    with z.open(name) as fh:  # never the whole part: it may be a bomb
        return fh.read(100)


def _zip_kind(path: Path) -> tuple[str, str]:
    """(kind, detail) of a zip: 'xlsx' (or xlsm), 'ods', another Office file, or an archive."""
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            mimetype = _head(z, "mimetype") if "mimetype" in names else b""
    except DAMAGED:  # the workbook reader's guard says what is wrong with it
        return "damaged", "a damaged zip file (a workbook cut short?)"
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        if "xl/vbaProject.bin" in names:
            return "xlsm", ""
        return ("xlsb" if "xl/workbook.bin" in names else "xlsx"), ""
    if mimetype:
        if b"spreadsheet" in mimetype:
            return "ods", ""
        return "document", "an OpenDocument file that is not a spreadsheet"
    if any(n.startswith("word/") for n in names):
        return "document", "a Word document (docx)"
    if any(n.startswith("ppt/") for n in names):
        return "document", "a PowerPoint presentation (pptx)"
    shown = ", ".join(names[:3]) + (" ..." if len(names) > 3 else "")
    return "zip", Message("M_KIND_ZIP_HOLDING", names=shown) if names else "an empty zip archive"


def _first_line(head: bytes) -> str:
    for bom in BOMS[:1]:
        head = head.removeprefix(bom)
    text = head.decode("utf-8", errors="replace")
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def _program(head: bytes) -> bool:
    """A script: a python shebang, or two of its first lines are imports, defs or classes (one
    such line could be a title row: "from Hebei")."""
    lines = [ln.strip() for ln in head.decode("utf-8", errors="replace").splitlines() if ln.strip()][:20]
    if lines and re.match(r"#!.*\bpython", lines[0]):
        return True
    return sum(1 for ln in lines if PROGRAM.match(ln)) >= 2


def _textual(head: bytes) -> bool:
    """No NUL byte (UTF-16 text has them, but starts with its BOM)."""
    return b"\x00" not in head or head.startswith(BOMS[1:])


def what_it_is(path: Path, head: bytes) -> tuple[str, str]:
    """(kind, description) of a file from its first bytes: kind is 'empty', 'text', 'csv' (text
    whose first line has a delimiter), 'xlsx', 'xlsm', 'xlsb', 'ods', 'xls' (OLE2), 'html',
    'excel-xml', 'damaged' (a zip that cannot be opened), 'binary' (no signature known here), or
    'other' (a PDF, picture, archive, program ...), with what to call it."""
    if not head.strip(b" \t\r\n" + BOMS[0]):
        return "empty", "0 bytes" if not head else "only blank lines"
    if head.startswith(ZIP_MAGIC) or head.startswith(EMPTY_ZIP):
        kind, detail = _zip_kind(path)
        if kind == "damaged":
            return kind, detail
        if kind in ("zip", "document"):
            return "other", detail or "a zip archive"
        return kind, f"an Excel workbook ({kind})" if kind != "ods" else "an OpenDocument spreadsheet (ods)"
    if head.startswith(CFB_MAGIC):
        return "xls", "an Excel 97-2003 workbook (xls), or a password-protected workbook"
    for magic, what in MAGIC:
        if head.startswith(magic):
            if what is None:  # a BMP header: "BM", the file size, two reserved zero words
                if len(head) >= 10 and head[6:10] == b"\x00\x00\x00\x00":
                    return "other", "a bitmap image (BMP)"
                break
            return "other", what
    if not _textual(head):
        return "binary", "a binary file"
    line = _first_line(head)
    if EXCEL_XML.match(line) or (XML.match(line) and b"urn:schemas-microsoft-com:office:spreadsheet" in head):
        return "excel-xml", "an Excel 2003 XML spreadsheet"
    if HTML.match(line):
        return "html", "a web page (HTML)"
    if XML.match(line):
        return "other", "an XML document"
    if _program(head):
        return "other", "program source code (Python)"
    if DELIMITER.search(line):
        return "csv", "CSV text"
    return "text", "plain text"


SPREADSHEET_KINDS = {"xlsx": ".xlsx", "xlsm": ".xlsm", "xlsb": ".xlsb", "ods": ".ods", "xls": ".xls"}
# the names under which the workbook reader reads each kind (an OLE2 file under an .xlsx name is
# left to it: a password-protected xlsx is one, and it says so)
READ_AS = {
    "xlsx": {".xlsx", ".xlsm"},
    "xlsm": {".xlsx", ".xlsm"},
    "xlsb": {".xlsb"},
    "ods": {".ods"},
    "xls": {".xls", ".xlsx", ".xlsm"},
}


def _ole_kind(path: Path) -> str:
    """An OLE2 file: a password-protected workbook (its streams named in UTF-16) or an xls. Read
    whole only on this rare path (an OLE2 file with a .csv name)."""
    try:
        data = path.read_bytes()
    except OSError:
        data = b""
    if any(name.encode("utf-16-le") in data for name in ("EncryptionInfo", "EncryptedPackage")):
        return "a password-protected Excel workbook"
    return "an Excel 97-2003 workbook (xls)"


def check_kind(path: Path, file: str) -> None:
    """Raise InputFileError, naming the file and saying what it looks like, when a file named as a
    CSV or a workbook is something else; return quietly when it is what its name says (or when
    only its reader can tell, e.g. text that may be a one-column CSV)."""
    suffix = path.suffix.lower()
    head = read_head(path, file, SNIFF_BYTES)
    kind, what = what_it_is(path, head)
    if kind in ("binary", "text"):  # no known signature: the CSV or workbook reader says what it sees
        return
    if kind == "empty":
        raise InputFileError(Message("E_FILE_EMPTY", what=what), file=file)
    spreadsheet = suffix in SPREADSHEET_KINDS.values()
    if kind == "damaged":
        if spreadsheet:
            return  # the workbook reader says what is wrong with it
        raise InputFileError(Message("E_LOOKS_LIKE", what=what, expected=Message("M_A_CSV_TABLE")), file=file)
    if kind == "other":
        expected = Message("M_AN_EXCEL_WORKBOOK") if spreadsheet else Message("M_A_CSV_TABLE")
        if what.startswith("a parquet"):
            raise InputFileError(Message("E_PARQUET_NAMED", suffix=suffix), file=file)
        if what.startswith("a zip archive") or what.endswith("archive"):
            raise InputFileError(
                Message("E_LOOKS_LIKE_ARCHIVE", what=what, expected=expected),
                file=file,
            )
        raise InputFileError(Message("E_LOOKS_LIKE", what=what, expected=expected), file=file)
    if kind in ("html", "excel-xml"):
        raise InputFileError(Message("E_SAVED_NOT_WORKBOOK", what=what, suffix=suffix), file=file)
    if spreadsheet:
        if kind == "csv":
            raise InputFileError(Message("E_CSV_NAMED", suffix=suffix), file=file)
        if kind in SPREADSHEET_KINDS and suffix not in READ_AS[kind]:
            raise InputFileError(
                Message("E_RENAME_IT", what=what, suffix=suffix, right=SPREADSHEET_KINDS[kind]), file=file
            )
        return
    if kind == "xls":
        what = _ole_kind(path)
    if kind in SPREADSHEET_KINDS:
        right = SPREADSHEET_KINDS[kind]
        shown = suffix or Message("M_NO_SUFFIX")
        if what.startswith("a password"):
            raise InputFileError(Message("E_PROTECTED_NAMED", what=what, suffix=shown), file=file)
        raise InputFileError(Message("E_RENAME_IT", what=what, suffix=shown, right=right), file=file)
