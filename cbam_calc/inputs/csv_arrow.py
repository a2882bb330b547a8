"""CSV to an Arrow table, without pandas: the header found, the dialect and encoding sniffed, the
body read by pyarrow's multi-threaded reader. Also the header rules shared with spreadsheets.
Long because: the fast reader, the exact reader that checks it and the prefetch share one plan of
the file, and the row accounting holds only if they live together.

A row is a physical record after the header: CR, LF or CRLF end a line (nothing else does), and a
quoted value spans lines only when its quote closes. pyarrow is the fast path, checked by a count
of the lines on the bytes; when they differ (or the file is UTF-16) Python's csv module splits the
records exactly and pyarrow types them.

Nothing here imports pandas or numpy, so the command line can start reading a big CSV in a
background thread (:func:`prefetch`) while the interpreter is still importing pandas and the
engine: pyarrow parses with the GIL released, so the two overlap on a machine with two cores.
:func:`read` then takes the prefetched table, or reads the file itself; either way the outcome,
errors included, is the same.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import os
import re
import stat
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from cbam_calc.core.errors import InputFileError
from cbam_calc.core.messages import Message
from cbam_calc.inputs import encodings
from cbam_calc.inputs.columns import (
    COLUMNS,
    canonical_name,
    header_fields,
    header_named,
    is_unitless_quantity,
)

if TYPE_CHECKING:  # imported where used: the command line imports this module before the others
    from cbam_calc.core.messages import Message

HEADER_SCAN_ROWS = 30
CSV_SAMPLE_BYTES = 256 * 1024
ZIP_MAGIC = b"PK\x03\x04"
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: .xls, or an encrypted .xlsx
PREFETCH_MAX_BYTES = 4 << 30  # past this a read takes long enough that overlapping imports is moot
BLOCK_SIZE = 8 << 20  # pyarrow's block: no record may be longer
MAX_CELL_CHARS = BLOCK_SIZE  # the csv module's limit, raised from 128 KiB to what pyarrow reads
MAX_RECORD_LINES = 256  # a quoted value over more lines counts as a quote never closed
COUNT_CHUNK = 8 << 20
TRANSCODE_MAX_BYTES = 1 << 30  # a GB18030 file up to this is decoded once, into memory, as UTF-8
TRAILING_SHARE = 0.9  # of the sampled body lines ending with a delimiter the header lacks
_BREAK_B = re.compile(rb"\r\n|\r|\n")
_SEP_LINE = re.compile(r'\s*"?sep=(.)"?(?:\1)*', re.IGNORECASE)  # Excel's first line naming the delimiter
NOT_REGULAR = Message("E_NOT_REGULAR")

# Process-wide, and only ever raised: a value of 200 KiB is read as pyarrow reads it, not an error.
csv.field_size_limit(max(csv.field_size_limit(), MAX_CELL_CHARS))


# ---------------------------------------------------------------------------- headers
def _score(row: list, canonical=None) -> int:
    known = canonical or canonical_name
    return sum(1 for v in row if isinstance(v, str) and v.strip() and known(v) is not None)


def find_header(rows: list[list], file: str, sheet: str | None, canonical=None) -> int:
    """Index of the header row: the first of the scanned rows naming the most known columns.
    ``canonical``: header -> field or None, for a table of other columns than the shipments'
    (the carbon-prices table, :mod:`cbam_calc.inputs.carbon_prices`)."""
    best, best_score = -1, 0
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        s = _score(row, canonical)
        if s > best_score:
            best, best_score = i, s
    if best_score == 0:
        expected = ", ".join(c.name for c in COLUMNS if c.required)
        raise InputFileError(
            Message("E_NO_HEADER_ROW", rows=HEADER_SCAN_ROWS, expected=expected),
            file=file,
            sheet=sheet,
        )
    return best


def _unique_headers(headers: list, file: str, sheet: str | None) -> list[str]:
    """Header names, empty ones named after their column letter. Two columns with one known
    name are refused (which would be used?); other repeated names are numbered."""
    from cbam_calc.inputs.xlsx_guard import column_name  # where used, as Message above

    out: list[str] = []
    seen: dict[str, int] = {}
    where: dict[str, int] = {}
    for i, h in enumerate(headers):
        name = str(h).strip() if h is not None and str(h).strip() else f"column {column_name(i)}"
        if name in seen:
            if canonical_name(name) is not None:
                raise InputFileError(
                    Message(
                        "E_TWO_COLUMNS_NAMED",
                        name=name,
                        first=column_name(where[name]),
                        second=column_name(i),
                    ),
                    file=file,
                    sheet=sheet,
                    column=name,
                )
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
            where[name] = i
        out.append(name)
    return out


def check_headers(
    headers: list[str], file: str, sheet: str | None, mapping: dict[str, str] | None = None
) -> None:
    """Refuse what cannot be read without guessing: unit-less quantities, one column twice.
    ``mapping`` (--column FIELD=HEADER) says what the user named: a mapped header is read as its
    field (``Weight`` as net_mass_t is no unit-less guess), and a header whose field is mapped
    elsewhere is not read."""
    seen: dict[str, str] = {}
    fields = header_fields(headers, mapping)
    named = {header_named(headers, m) for m in (mapping or {}).values()}  # the headers mapped
    for h in headers:
        if is_unitless_quantity(h) and h not in named:
            raise InputFileError(
                Message("E_MASS_NO_UNIT", header=h),
                file=file,
                sheet=sheet,
                column=h,
            )
        c = fields.get(h)
        if c is None:
            continue
        if c in seen and c != "export_date":  # export dates: only read when asked (validate)
            raise InputFileError(
                Message("E_CP_TWO_COLUMNS", first=seen[c], second=h, field=c),
                file=file,
                sheet=sheet,
                column=h,
            )
        seen[c] = h
    if "net_mass_t" in seen and "net_mass_kg" in seen:
        raise InputFileError(
            Message("E_TWO_MASS_COLUMNS", tonnes=seen["net_mass_t"], kilograms=seen["net_mass_kg"]),
            file=file,
            sheet=sheet,
            column=seen["net_mass_kg"],
        )


# ---------------------------------------------------------------------------- csv
def _csv_encoding(sample: bytes, path: Path, file: str, given: str | None) -> tuple[str, bool]:
    """The encoding to read with, and whether it is UTF-8 guessed from the sample alone (the
    rest of the file is then checked as it is read: UTF-8 files pay nothing more). Given: that
    one (a UTF-8 BOM still read as a BOM). Else UTF-8 (BOM or not), UTF-16 with a BOM, then
    GB18030 where the whole file reads as Chinese (:mod:`encodings`), else a one-line error."""
    if given is not None:
        name = encodings.codec_name(given) or given
        if encodings.is_utf8(name):
            return ("utf-8-sig" if sample.startswith(b"\xef\xbb\xbf") else "utf-8"), False
        return name, False
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", False
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", False
    try:
        sample.decode("utf-8")
        return "utf-8", True
    except UnicodeDecodeError as e:
        if e.start > len(sample) - 4:  # a character cut at the end of the sample
            return "utf-8", True
    return "gb18030", False  # or the error: decided on the whole file by _plan


def _gb18030_or_refuse(path: Path, file: str) -> tuple[str, bytearray | None]:
    """GB18030 (Excel's CSV export on Chinese Windows; a superset of GBK and GB2312) when the
    whole file reads as plausible Chinese in it; else the one-line error suggesting --encoding.
    With the file as UTF-8, decoded by the verdict (below TRANSCODE_MAX_BYTES): pyarrow would
    decode it a second time, through the same Python codec, holding the GIL."""
    keep = bytearray() if os.stat(path).st_size <= TRANSCODE_MAX_BYTES else None
    verdict = encodings.gb18030_verdict(path, keep)
    if not verdict.plausible:
        raise InputFileError(encodings.not_chinese(verdict), file=file)
    return "gb18030", keep


class _NotDecoded(Exception):
    """The bytes do not decode in the plan's encoding (raised by the readers, judged by
    :func:`read_now`: another guess, or the line and offset where they failed)."""


def _undecodable(path: Path, file: str, encoding: str) -> InputFileError:
    """The one-line error for bytes that do not decode in a chosen encoding: where they are."""
    where = encodings.first_undecodable(path, encoding)
    if where is None:  # cannot happen for a file that failed to decode; said plainly if it does
        return InputFileError(Message("E_NOT_DECODED", encoding=encoding), file=file)
    offset, line, bad = where
    shown = " ".join(f"0x{b:02X}" for b in bad[:4]) or Message("M_END_OF_FILE")
    return InputFileError(
        Message(
            "E_BYTES_NOT_ENCODING",
            shown=shown,
            offset=f"{offset:,}",
            encoding=encoding,
            likely=encodings.LIKELY,
        ),
        file=file,
        row=line,
    )


@dataclass
class CsvTable:
    """A CSV body as read: the Arrow table, the header's line ``h`` (0-based), the headers, the
    delimiter, and the records pyarrow could not split into the header's columns.

    Row numbers are the file's physical lines (1-based, CR, LF or CRLF ending one): ``first`` is
    the line of the first body record; ``lines``, when a quoted value spans lines or a line was
    left out, holds the first line of each record the table or ``invalid`` refers to (pyarrow's
    record number n is ``lines[n - 1]``). ``unread`` holds lines left out with their reason (a
    quote never closed). ``phantom``: the last header is a column made up for the delimiter that
    ends every body line; it must stay empty."""

    table: object  # pyarrow.Table
    h: int
    headers: list[str]
    sep: str
    invalid: list[tuple[int | None, str]] = field(default_factory=list)
    first: int = 0
    lines: list[int] | None = None
    unread: list[tuple[int, str, Message]] = field(default_factory=list)
    phantom: bool = False
    encoding: str = "utf-8"  # the encoding the file was read in (a Python codec name)

    def line_of(self, number: int) -> int:
        """The file line of pyarrow's record ``number`` (1-based)."""
        return self.lines[number - 1] if self.lines is not None else self.first + number - 1


@dataclass
class _Plan:
    """What the first 256 KiB settle: header line, headers, delimiter, encoding, and where the
    body starts (byte offset for 8-bit encodings, physical line index for all)."""

    h: int
    headers: list[str]
    sep: str
    encoding: str
    body_line: int  # 0-based index of the body's first physical line
    body_offset: int | None  # its byte offset (None for UTF-16 and others read as text)
    phantom: bool
    guessed: bool = False  # UTF-8 from the sample alone: another guess if the rest is not
    utf8: bytearray | None = field(default=None, repr=False)  # GB18030: the file as UTF-8
    utf8_offset: int | None = None  # the body's offset in it


def _split_bytes(data: bytes) -> tuple[list[bytes], list[int]]:
    """Physical lines (CR, LF or CRLF end one, nothing else does: not VT, FF, NEL or U+2028 as
    str.splitlines() would) and the byte offset of each, plus the offset after the last."""
    lines, starts, pos = [], [], 0
    for m in _BREAK_B.finditer(data):
        lines.append(data[pos : m.start()])
        starts.append(pos)
        pos = m.end()
    if pos < len(data):
        lines.append(data[pos:])
        starts.append(pos)
        pos = len(data)
    starts.append(pos)
    return lines, starts


def split_lines(text: str) -> list[str]:
    """Physical lines of a text, as :func:`_split_bytes` (no empty line after the last break)."""
    if "\r" in text:  # str.split is C speed; a regex split of 100 MB takes seconds
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


class _Unclosed(Exception):
    """A quoted value that does not close within MAX_RECORD_LINES lines, or by the end."""


class _Feed:
    """The lines a csv.reader asks for, one at a time: the outer loop marks where each record
    starts, so a reader asking for a line past the end, or for too many, is a quote not closed."""

    def __init__(self, lines: list[str], i: int) -> None:
        self.lines, self.i, self.start = lines, i, i

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        if self.i > self.start and (self.i >= len(self.lines) or self.i - self.start >= MAX_RECORD_LINES):
            raise _Unclosed
        if self.i >= len(self.lines):
            raise StopIteration
        self.i += 1
        return self.lines[self.i - 1] + "\n"


def records(lines: list[str], sep: str, start: int = 0, file: str = "", first_line: int = 1):
    """(first line index, index after the record, fields) of each record of ``lines``: a quoted
    value spans lines only when its quote closes (within MAX_RECORD_LINES lines); a line whose
    quote does not close is one record with fields None, and the next record starts on the next
    line. ``first_line`` is the file line of ``lines[0]``, for messages."""
    i = start
    while i < len(lines):
        feed = _Feed(lines, i)
        reader = csv.reader(feed, delimiter=sep, quotechar='"', doublequote=True, strict=False)
        try:
            while True:
                feed.start = feed.i
                fields = next(reader)
                yield feed.start, feed.i, fields
        except StopIteration:
            return
        except _Unclosed:
            pass
        except csv.Error:
            if feed.i - feed.start <= 1:  # one physical line longer than any reader holds
                raise InputFileError(
                    Message("E_VALUE_TOO_LONG", mib=MAX_CELL_CHARS >> 20, chars=f"{MAX_CELL_CHARS:,}"),
                    file=file,
                    row=first_line + feed.start,
                ) from None
        yield feed.start, feed.start + 1, None
        i = feed.start + 1


def _body_encoding(encoding: str) -> str:
    return "utf-8" if encoding == "utf-8-sig" else encoding  # the BOM is before the body


def _head_fields(line: str, sep: str) -> list[str]:
    return next(csv.reader([line], delimiter=sep, strict=False), [])


def _header_delimiter(lines: list[str]) -> str:
    """The delimiter that splits a line of the first rows into the most known column names:
    when the sniffer cannot tell (Excel's "Unicode text", tab-separated, whose values hold
    commas on some lines and not others), the header says it. Comma when none does."""
    best, best_score = ",", 0
    for sep in ",;\t|":
        score = max((_score(_head_fields(ln, sep)) for ln in lines[:HEADER_SCAN_ROWS]), default=0)
        if score > best_score:
            best, best_score = sep, score
    return best


def _sep_line(line: str) -> str | None:
    m = _SEP_LINE.fullmatch(line)
    return m.group(1) if m else None


def _plan(path: Path, file: str, given: str | None = None, not_utf8: bool = False, canonical=None) -> _Plan:
    """Header line, headers, delimiter, encoding and body start, from the first 256 KiB (the
    encoding, when not given and not UTF-8, from the whole file). ``not_utf8``: the file turned
    out not to be UTF-8 past the sample: GB18030 or the error. ``canonical``: see
    :func:`find_header`."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):  # a pipe or a device: read_table says so first
            raise InputFileError(NOT_REGULAR, file=file)
        with path.open("rb") as fh:
            sample = fh.read(CSV_SAMPLE_BYTES)
    except OSError as e:
        raise InputFileError(Message("E_CANNOT_OPEN", reason=e.strerror), file=file) from None
    if sample.startswith(ZIP_MAGIC) or sample.startswith(CFB_MAGIC):
        raise InputFileError(Message("E_SPREADSHEET_NOT_CSV"), file=file)
    wide = given is not None and not encodings.byte_safe(given)  # UTF-16 named by --encoding
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")) and not wide:
        raise InputFileError(Message("E_BINARY_NOT_CSV"), file=file)
    encoding, guessed = ("gb18030", False) if not_utf8 else _csv_encoding(sample, path, file, given)
    utf8 = None
    if encoding == "gb18030" and given is None:
        _, utf8 = _gb18030_or_refuse(path, file)
    cut = len(sample) < st.st_size  # the sample ends inside the file: drop its last, partial line
    if not encodings.byte_safe(encoding):
        text = sample.decode(encoding, errors="replace").removeprefix("\ufeff")
        lines = split_lines(text)
        if cut and lines:
            lines.pop()
        starts = None
    else:
        raw, starts = _split_bytes(sample)
        if cut and raw:
            raw.pop()
            starts.pop()
        lines = [ln.decode(_body_encoding(encoding), errors="replace") for ln in raw]
        if lines:
            lines[0] = lines[0].removeprefix("\ufeff")
    skip = 0
    sep = _sep_line(lines[0]) if lines else None
    if sep is not None:
        skip = 1  # Excel's "sep=;" line: the delimiter, neither title nor header
    else:
        try:
            sep = csv.Sniffer().sniff("\n".join(lines[:10]), delimiters=",;\t|").delimiter
        except csv.Error:
            sep = _header_delimiter(lines)
    head = []
    for first, end, fields in records(lines, sep, skip, file):
        head.append((first, end, fields if fields is not None else _head_fields(lines[first], sep)))
        if len(head) >= HEADER_SCAN_ROWS + 50:
            break
    k = find_header([f for _, _, f in head], file, None, canonical)
    first, end, fields = head[k]
    headers = _unique_headers(fields, file, None)  # check_headers: by the reader (--column known)
    phantom = _trailing_delimiter(fields, [f for _, _, f in head[k + 1 :]])
    if phantom:
        headers = _unique_headers([*headers, ""], file, None)
    offset = starts[end] if starts is not None else None
    plan = _Plan(first, headers, sep, encoding, end, offset, phantom, guessed)
    if utf8 is not None and offset is not None:
        plan.utf8, plan.utf8_offset = utf8, len(sample[:offset].decode("gb18030").encode("utf-8"))
    return plan


def _trailing_delimiter(header: list[str], body: list[list[str]]) -> bool:
    """Body lines of the sample end with one delimiter more than the header has columns, and
    that last value is empty: the delimiter ends the line, it starts no column. Nearly all must
    (TRAILING_SHARE): a line whose extra value is filled is then a line with too many values."""
    filled = [f for f in body if any(v.strip() for v in f)]
    n = len(header)
    trailing = sum(1 for f in filled if len(f) == n + 1 and not f[-1].strip())
    return bool(filled) and header[-1].strip() != "" and trailing >= TRAILING_SHARE * len(filled)


def _read_arrow(source, file: str, headers: list[str], sep: str, encoding: str, multiline: bool, accept=None):
    """pyarrow's reader on a stream positioned at the body: the table and the records it could not
    split into the header's columns, as (record number, text). Text columns arrive
    dictionary-encoded (pandas Categorical): a million rows with a few hundred distinct codes,
    countries or importers are parsed and stored once per distinct value. They are read as bytes
    and checked as UTF-8 once per distinct value (:func:`_text_of_bytes`), not once per cell."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    numeric = {"mass_t", "mass_kg", "see", "number"}
    text_columns = {c.name for c in COLUMNS if c.kind not in numeric}
    text = [n for n in headers if canonical_name(n) is None or canonical_name(n) in text_columns]
    types = dict.fromkeys(text, pa.binary())
    if sep != ",":  # 24.350 may be thousands: numbers are read from their text (parse.convention)
        types.update({n: pa.string() for n in headers if n not in types})
    invalid: list[tuple[int | None, str]] = []

    def handler(row) -> str:
        invalid.append((row.number, row.text))
        return "skip"

    def read(threads: bool):
        invalid.clear()
        if hasattr(source, "seek"):
            source.seek(start)
        return pcsv.read_csv(
            source,
            read_options=pcsv.ReadOptions(
                column_names=headers, encoding=encoding, use_threads=threads, block_size=BLOCK_SIZE
            ),
            parse_options=pcsv.ParseOptions(
                delimiter=sep,
                invalid_row_handler=handler,
                ignore_empty_lines=False,
                newlines_in_values=multiline,
            ),
            convert_options=pcsv.ConvertOptions(
                column_types=types,
                strings_can_be_null=True,
                null_values=[""],
                quoted_strings_can_be_null=True,
            ),
        )

    start = source.tell() if hasattr(source, "tell") else 0
    try:
        # Quoted values that may span lines: one thread. The chunker then finds block ends by
        # lexing every quote, serially, before the blocks are parsed again in parallel; on the
        # realistic 1M-line file one thread took 0.48 s of CPU (0.54 s wall) against 0.64 s
        # (0.62 s) for two, min of 8. Without quotes the blocks split at any line break and
        # the threads pay: 0.50 s wall against 0.77 s, for the same CPU. Measured again on
        # 2026-12-02 on another 2-core machine: two threads read that file alone in 1.0 s
        # against 1.7 s, but for 14 % more CPU, and `cbam calc` (the read beside the imports)
        # began validating no earlier (2.86 s against 2.81 s): one thread kept.
        threads = not multiline
        table = read(threads=threads)
        if accept is not None and not accept(table.num_rows + len(invalid)):
            return None, "records are not the lines"  # before a second, single-threaded read
        if invalid and threads:  # only a single-threaded read knows the record number of each bad line
            table = read(threads=False)
        table = _text_of_bytes(table)
    except UnicodeDecodeError:
        raise _NotDecoded from None
    except pa.ArrowInvalid as e:
        detail = str(e).splitlines()[0]
        if "utf" in detail.lower() or "decode" in detail.lower():
            raise _NotDecoded from None
        if detail.startswith("Empty CSV"):  # a header and no body
            return pa.table({h: pa.array([], pa.string()) for h in headers}), []
        return None, detail
    return table, list(invalid)


def _text_of_bytes(table):
    """The binary columns of a table read by :func:`_read_arrow` as dictionary-encoded text: each
    chunk's distinct values found on the bytes, then those alone decoded as UTF-8 (pyarrow's
    check of every cell of a string column took 0.5 s of the 1.5 s read of the realistic
    million-line file; its dictionary conversion another 0.4 s, bench/README.md). Raises
    ArrowInvalid on bytes that are not UTF-8, as a string column's read does."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.dictionary(pa.int32(), pa.string())
    columns = []
    for column in table.columns:
        if not pa.types.is_binary(column.type):
            columns.append(column)
            continue
        chunks = []
        for chunk in column.chunks:
            coded = pc.dictionary_encode(chunk)
            chunks.append(pa.DictionaryArray.from_arrays(coded.indices, coded.dictionary.cast(pa.string())))
        columns.append(pa.chunked_array(chunks, type=text))
    return pa.table(columns, names=table.column_names)


def _physical_lines(mm, offset: int) -> int:
    """Physical lines from ``offset`` to the end of a memory-mapped file (CR, LF, CRLF), counted
    by NumPy over chunks: a third of the time of ``bytes.count`` on a 186 MB file, and without
    the GIL, which the main thread needs for its imports while this runs in the prefetch."""
    import numpy as np  # pyarrow, imported before, has imported it: no import of its own here

    body = np.frombuffer(mm, dtype=np.uint8)[offset:]
    any_cr = mm.find(b"\r", offset) != -1  # at memchr speed; most files have LF alone
    n, prev_cr = 0, False
    for pos in range(0, len(body), COUNT_CHUNK):
        chunk = body[pos : pos + COUNT_CHUNK]
        lf = chunk == 10
        n += int(np.count_nonzero(lf))
        if not any_cr:
            continue
        cr = chunk == 13
        crs = int(np.count_nonzero(cr))
        if crs:  # a CR alone ends a line too; a CRLF is one break
            n += crs - int(np.count_nonzero(cr[:-1] & lf[1:]))
        if prev_cr and chunk[0] == 10:
            n -= 1  # a CRLF cut by the chunk boundary, counted as CR and as LF
        prev_cr = bool(chunk[-1] == 13)
    if len(body) and body[-1] not in (10, 13):
        n += 1  # the last line has no line break
    return n


def _one_record_a_line(mm, plan: _Plan, records_read: int) -> bool:
    """pyarrow made one record of each physical line, the last included. A record can only join
    lines (a quote open at a line's end), never split one, so equal counts mean no line was
    joined; the last line is then checked alone, as pyarrow ends a record at the end of the file
    whether or not its quote closed."""
    if records_read != _physical_lines(mm, plan.body_offset):
        return False
    end = len(mm)
    end -= 2 if mm[end - 2 : end] == b"\r\n" else 1 if mm[end - 1 : end] in (b"\r", b"\n") else 0
    start = max(
        mm.rfind(b"\n", plan.body_offset, end), mm.rfind(b"\r", plan.body_offset, end), plan.body_offset - 1
    )
    last = mm[start + 1 : end].decode(_body_encoding(plan.encoding), errors="replace")
    return all(fields is not None for _, _, fields in records([last], plan.sep))


def _read_fast(path: Path, file: str, plan: _Plan, data: bytearray | None = None) -> CsvTable | None:
    """pyarrow on the file from the body's first byte, multi-threaded, one record a physical line.
    Checked, not trusted: with no quote character in the body every line is a record by
    construction; otherwise pyarrow reads quote-aware blocks and the records it made must be
    exactly the physical lines (counted on the bytes), the last one closing its quotes. None when
    they are not (a quoted value over lines, a quote never closed) or pyarrow gave up: the exact
    reader takes over. ``data``: the file's bytes already in memory (GB18030 transcoded to UTF-8)."""
    import mmap

    import pyarrow as pa

    encoding = "utf8" if plan.encoding.startswith("utf-8") else plan.encoding

    def run(mm, source):
        quoted = mm.find(b'"', plan.body_offset) != -1
        try:
            source.seek(plan.body_offset)
            check = (lambda n: _one_record_a_line(mm, plan, n)) if quoted else None
            # with quotes, pyarrow's blocks must end outside them: else a quote opened on a
            # block's last line would end with the block, unseen (newlines_in_values)
            return _read_arrow(source, file, plan.headers, plan.sep, encoding, quoted, check)
        finally:
            source.close()

    if data is not None:
        if len(data) <= plan.body_offset:
            return _read_exact(path, file, plan, data)
        table, invalid = run(data, pa.BufferReader(pa.py_buffer(data)))
    else:
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size <= plan.body_offset:  # a header and no body (mmap cannot map 0 bytes)
                return _read_exact(path, file, plan)
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
                table, invalid = run(mm, pa.memory_map(str(path)))
    if table is None:
        return None
    lines = plan.body_line + 1
    return CsvTable(
        table,
        plan.h,
        plan.headers,
        plan.sep,
        [(lines + n - 1, t) for n, t in invalid],
        lines,
        phantom=plan.phantom,
    )


def _read_exact(path: Path, file: str, plan: _Plan, data: bytearray | None = None) -> CsvTable:
    """The body record by record (Python's csv module over the physical lines): a quoted value
    spans lines only when its quote closes; a line whose quote does not close is left out with its
    reason and reading resumes on the next line. The records kept go to pyarrow again, one a line
    with their quoted line breaks, so the table has the same types as the fast path's."""
    import pyarrow as pa

    from cbam_calc.core.messages import Message

    try:
        data = path.read_bytes() if data is None else data
    except OSError as e:
        raise InputFileError(Message("E_CANNOT_OPEN", reason=e.strerror), file=file) from None
    try:
        if plan.body_offset is None:
            lines = split_lines(data.decode(plan.encoding))[plan.body_line :]
        else:
            lines = split_lines(data[plan.body_offset :].decode(_body_encoding(plan.encoding)))
    except UnicodeDecodeError:
        raise _NotDecoded from None
    del data
    first = plan.body_line + 1
    kept: list[str] = []
    starts: list[int] = []
    unread: list[tuple[int, str, Message]] = []
    reason = Message("R_QUOTE_NOT_CLOSED", lines=MAX_RECORD_LINES)
    for a, b, fields in records(lines, plan.sep, 0, file, first):
        if fields is None:
            unread.append((first + a, lines[a], reason))
        else:
            kept.append(lines[a] if b == a + 1 else "\n".join(lines[a:b]))
            starts.append(first + a)
    body = ("\n".join(kept) + "\n").encode("utf-8") if kept else b""
    table, invalid = _read_arrow(pa.BufferReader(body), file, plan.headers, plan.sep, "utf8", True)
    if table is None or table.num_rows + len(invalid) != len(starts):
        detail = str(invalid) if table is None else Message("M_RECORDS_MISMATCH")
        raise InputFileError(Message("E_MALFORMED_CSV", detail=detail), file=file)
    got = CsvTable(table, plan.h, plan.headers, plan.sep, [], first, starts, unread, plan.phantom)
    got.invalid = [(got.line_of(n), t) for n, t in invalid]
    return got


def _read_plan(path: Path, file: str, plan: _Plan) -> CsvTable:
    used, data = plan.encoding, None
    if plan.utf8 is not None:  # transcoded by the GB18030 verdict: pyarrow reads UTF-8, once
        data, plan = plan.utf8, replace(plan, encoding="utf-8", body_offset=plan.utf8_offset, utf8=None)
    got = _read_fast(path, file, plan, data) if plan.body_offset is not None else None
    got = got if got is not None else _read_exact(path, file, plan, data)
    got.encoding = used
    return got


def read_now(path: Path, file: str, encoding: str | None = None, canonical=None) -> CsvTable:
    """The CSV read in ``encoding`` (a Python codec name), or in the one found (see
    :func:`_csv_encoding`): a file whose sample is UTF-8 but whose rest is not is judged again,
    on the whole file. Bytes that do not decode: one error naming the line and byte offset.
    ``canonical``: the header rule of another table than the shipments' (:func:`find_header`)."""
    plan = _plan(path, file, encoding, canonical=canonical)
    try:
        return _read_plan(path, file, plan)
    except _NotDecoded:
        if not plan.guessed:
            raise _undecodable(path, file, plan.encoding) from None
    plan = _plan(path, file, not_utf8=True, canonical=canonical)  # GB18030 as Chinese, or the error
    try:
        return _read_plan(path, file, plan)
    except _NotDecoded:
        raise _undecodable(path, file, plan.encoding) from None


# ---------------------------------------------------------------------------- prefetch
def sha256_of_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class _Prefetch:
    """One file read in a background thread, then hashed in a second one while the main thread
    works on the table (hashlib releases the GIL on big buffers: on two cores the SHA-256 of the
    run record costs no wall time); its outcome, value or exception."""

    def __init__(self, path: Path, file: str, encoding: str | None) -> None:
        self.key = _key(path, file, encoding)
        self.path, self.file, self.encoding = path, file, encoding
        self.table: CsvTable | None = None
        self.sha256: str | None = None
        self.error: BaseException | None = None
        self.hasher = threading.Thread(target=self._hash, name="cbam-csv-sha256", daemon=True)
        self.thread = threading.Thread(target=self._run, name="cbam-csv-prefetch", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.table = read_now(self.path, self.file, self.encoding)
        except BaseException as e:  # handed to the reader, which raises it in the main thread
            self.error = e
        finally:
            # after the read, not beside it: while pyarrow parses, the other core imports pandas
            # and the engine; once the table is read, the main thread validates and computes on
            # one core, and the hash takes the other one
            self.hasher.start()

    def _hash(self) -> None:
        with contextlib.suppress(OSError):  # unreadable: sha256() hashes again, and says so
            self.sha256 = sha256_of_file(self.path)

    def digest(self) -> str | None:
        """The file's SHA-256, once its hash has finished (None: the file could not be read)."""
        self.thread.join()
        self.hasher.join()
        return self.sha256


_PREFETCHED: dict[tuple, _Prefetch] = {}
_HASHES: dict[tuple, _Prefetch] = {}  # prefetches whose hash the engine has not asked for yet
_LOCK = threading.Lock()


def _key(path: Path, file: str, encoding: str | None = None) -> tuple | None:
    """A prefetch is of one file (same size and time) read in one encoding (None: found)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (str(Path(path).resolve()), file, st.st_size, st.st_mtime_ns, encoding)


def prefetch(path: str | Path, encoding: str | None = None) -> None:
    """Start reading a CSV in the background (for the command line; a no-op for other files),
    in ``encoding`` (--encoding; None: found as :func:`read_now` finds it; an unknown name: no
    prefetch, the options report it). The file name in messages is ``str(path)``, as
    :func:`cbam_calc.inputs.readers.read_table` gives."""
    p = Path(path)
    if p.suffix.lower() != ".csv" or not p.is_file() or p.stat().st_size > PREFETCH_MAX_BYTES:
        return
    if encoding is not None and encodings.codec_name(encoding) is None:
        return
    key = _key(p, str(path), encoding)
    if key is None:
        return
    with _LOCK:
        if key not in _PREFETCHED:
            _PREFETCHED[key] = _Prefetch(p, str(path), encoding)


def in_flight(path: str | Path) -> bool:
    """A prefetch of this file is still reading it: the caller may do other work meanwhile."""
    key = _key(Path(path), str(path))
    with _LOCK:
        return key is not None and any(
            k[:-1] == key[:-1] and pf.thread.is_alive() for k, pf in _PREFETCHED.items()
        )


def settle() -> None:
    """Let every prefetch and hash still running finish, and forget them (the command line calls
    this before it returns, so no reader or hashing thread outlives the command)."""
    with _LOCK:
        pending = [*_PREFETCHED.values(), *_HASHES.values()]
        _PREFETCHED.clear()
        _HASHES.clear()
    for pf in pending:
        pf.digest()


def read(path: Path, file: str, encoding: str | None = None) -> CsvTable:
    """The CSV's table: prefetched if a prefetch of this very file (same size and time) in this
    encoding exists, else read now. A prefetch is used once."""
    key = _key(path, file, encoding)
    with _LOCK:
        pf = _PREFETCHED.pop(key, None) if key is not None else None
    if pf is None:
        return read_now(path, file, encoding)
    pf.thread.join()
    with _LOCK:
        _HASHES[key[:-1]] = pf  # its hash is being made: sha256() waits for it
    if pf.error is not None:
        raise pf.error
    assert pf.table is not None
    return pf.table


def sha256(path: str | Path) -> str:
    """SHA-256 of a file: the prefetch's if it hashed this very file, else computed now."""
    key = _key(Path(path), str(path))
    with _LOCK:
        pf = _HASHES.pop(key[:-1], None) if key is not None else None
    hit = pf.digest() if pf is not None else None
    return hit if hit is not None else sha256_of_file(path)
