"""CSV to an Arrow table, without pandas: the header found, the dialect and encoding sniffed, the
body read by pyarrow's multi-threaded reader. Also the header rules shared with spreadsheets.

Nothing here imports pandas or numpy, so the command line can start reading a big CSV in a
background thread (:func:`prefetch`) while the interpreter is still importing pandas and the
engine: pyarrow parses with the GIL released, so the two overlap on a machine with two cores.
:func:`read` then takes the prefetched table, or reads the file itself; either way the outcome,
errors included, is the same.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from cbam_calc.core.errors import InputFileError
from cbam_calc.inputs.columns import COLUMNS, canonical_name, is_unitless_quantity

HEADER_SCAN_ROWS = 30
CSV_SAMPLE_BYTES = 256 * 1024
ZIP_MAGIC = b"PK\x03\x04"
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: .xls, or an encrypted .xlsx
PREFETCH_MAX_BYTES = 4 << 30  # past this a read takes long enough that overlapping imports is moot


# ---------------------------------------------------------------------------- headers
def _excel_column(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def _score(row: list) -> int:
    return sum(1 for v in row if isinstance(v, str) and v.strip() and canonical_name(v) is not None)


def find_header(rows: list[list], file: str, sheet: str | None) -> int:
    """Index of the header row: the first of the scanned rows naming the most known columns."""
    best, best_score = -1, 0
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        s = _score(row)
        if s > best_score:
            best, best_score = i, s
    if best_score == 0:
        expected = ", ".join(c.name for c in COLUMNS if c.required)
        raise InputFileError(
            f"no header row found in the first {HEADER_SCAN_ROWS} rows: expected column names "
            f"such as {expected} (or 商品编码, 原产国, 净重(吨), 进口日期); "
            "run `cbam template` for a ready input file",
            file=file,
            sheet=sheet,
        )
    return best


def _unique_headers(headers: list, file: str, sheet: str | None) -> list[str]:
    out: list[str] = []
    seen: dict[str, int] = {}
    for i, h in enumerate(headers):
        name = str(h).strip() if h is not None and str(h).strip() else f"column {_excel_column(i)}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        out.append(name)
    return out


def check_headers(headers: list[str], file: str, sheet: str | None) -> None:
    """Refuse what cannot be read without guessing: unit-less quantities, one column twice."""
    seen: dict[str, str] = {}
    for h in headers:
        if is_unitless_quantity(h):
            raise InputFileError(
                f"'{h}' gives no unit: rename it net_mass_t / 净重(吨) for tonnes or "
                "net_mass_kg / 净重(千克) for kilograms",
                file=file,
                sheet=sheet,
                column=h,
            )
        c = canonical_name(h)
        if c is None:
            continue
        if c in seen:
            raise InputFileError(
                f"columns '{seen[c]}' and '{h}' both mean {c}: keep one",
                file=file,
                sheet=sheet,
                column=h,
            )
        seen[c] = h
    if "net_mass_t" in seen and "net_mass_kg" in seen:
        raise InputFileError(
            f"both '{seen['net_mass_t']}' (tonnes) and '{seen['net_mass_kg']}' (kilograms) are "
            "given: keep one mass column",
            file=file,
            sheet=sheet,
            column=seen["net_mass_kg"],
        )


# ---------------------------------------------------------------------------- csv
def _csv_encoding(sample: bytes) -> str:
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as e:
        if e.start > len(sample) - 4:  # a character cut at the end of the sample
            return "utf-8"
        return "gb18030"  # Excel's CSV export on Chinese Windows; a superset of GBK and GB2312


@dataclass
class CsvTable:
    """A CSV body as read: the Arrow table, the header row index ``h`` (0-based), the headers,
    the delimiter, and the lines pyarrow could not split into the header's columns."""

    table: object  # pyarrow.Table
    h: int
    headers: list[str]
    sep: str
    invalid: list[tuple[int | None, str]] = field(default_factory=list)


def _plan(path: Path, file: str) -> tuple[int, list[str], str, str]:
    """Header row, headers, delimiter and encoding, from the first 256 KiB."""
    try:
        with path.open("rb") as fh:
            sample = fh.read(CSV_SAMPLE_BYTES)
    except OSError as e:
        raise InputFileError(f"cannot open the file: {e.strerror}", file=file) from None
    if sample.startswith(ZIP_MAGIC) or sample.startswith(CFB_MAGIC):
        raise InputFileError(
            "this is a spreadsheet, not a CSV: give it an .xlsx (or .xls) extension", file=file
        )
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputFileError("not a text file (binary content): expected a CSV", file=file)
    encoding = _csv_encoding(sample)
    text = sample.decode(encoding, errors="replace")
    lines = text.splitlines()[:HEADER_SCAN_ROWS]
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines[:10]), delimiters=",;\t|")
        sep = dialect.delimiter
    except csv.Error:
        sep = ","
    head_rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=sep))
    h = find_header(head_rows, file, None)
    headers = _unique_headers(head_rows[h], file, None)
    check_headers(headers, file, None)
    return h, headers, sep, encoding


def _read_body(path: Path, file: str, h: int, headers: list[str], sep: str, encoding: str) -> CsvTable:
    """The body with pyarrow's CSV reader (multi-threaded; no row silently dropped). Text columns
    arrive dictionary-encoded (pandas Categorical): a million rows with a few hundred distinct
    codes, countries or importers are parsed and stored once per distinct value. Lines that do not
    split into the header's columns are kept in ``invalid`` with their line number."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    numeric = {"mass_t", "mass_kg", "see", "number"}
    text_columns = {c.name for c in COLUMNS if c.kind not in numeric}
    text = pa.dictionary(pa.int32(), pa.string())
    types = {n: text for n in headers if canonical_name(n) is None or canonical_name(n) in text_columns}
    if sep != ",":  # 24.350 may be thousands: numbers are read from their text (parse.convention)
        types.update({n: pa.string() for n in headers if n not in types})
    invalid: list[tuple[int | None, str]] = []

    def handler(row) -> str:
        invalid.append((row.number, row.text))
        return "skip"

    def read(threads: bool):
        invalid.clear()
        return pcsv.read_csv(
            path,
            read_options=pcsv.ReadOptions(
                skip_rows=h + 1,
                column_names=headers,
                encoding=encoding,
                use_threads=threads,
                block_size=8 << 20,
            ),
            parse_options=pcsv.ParseOptions(
                delimiter=sep, invalid_row_handler=handler, ignore_empty_lines=False, newlines_in_values=False
            ),
            convert_options=pcsv.ConvertOptions(
                column_types=types,
                strings_can_be_null=True,
                null_values=[""],
                quoted_strings_can_be_null=True,
            ),
        )

    try:
        table = read(threads=True)
        if invalid:  # only a single-threaded read knows the line number of each bad line
            table = read(threads=False)
    except (pa.ArrowInvalid, UnicodeDecodeError) as e:
        detail = str(e).splitlines()[0]
        if "utf" in detail.lower() or "decode" in detail.lower():
            raise InputFileError(
                "the file is not UTF-8 or GB18030 text: save it as CSV UTF-8", file=file
            ) from None
        raise InputFileError(f"malformed CSV: {detail}", file=file) from None
    return CsvTable(table, h, headers, sep, list(invalid))


def read_now(path: Path, file: str) -> CsvTable:
    return _read_body(path, file, *_plan(path, file))


# ---------------------------------------------------------------------------- prefetch
def sha256_of_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class _Prefetch:
    """One file read (and hashed) in a background thread; its outcome, value or exception."""

    def __init__(self, path: Path, file: str) -> None:
        self.key = _key(path, file)
        self.path, self.file = path, file
        self.table: CsvTable | None = None
        self.sha256: str | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="cbam-csv-prefetch", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.table = read_now(self.path, self.file)
            self.sha256 = sha256_of_file(self.path)  # hashlib releases the GIL on big buffers
        except BaseException as e:  # handed to the reader, which raises it in the main thread
            self.error = e


_PREFETCHED: dict[tuple, _Prefetch] = {}
_HASHES: dict[tuple, str] = {}  # hashes the prefetch made, until the engine asks for them
_LOCK = threading.Lock()


def _key(path: Path, file: str) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (str(Path(path).resolve()), file, st.st_size, st.st_mtime_ns)


def prefetch(path: str | Path) -> None:
    """Start reading a CSV in the background (for the command line; a no-op for other files).
    The file name in messages is ``str(path)``, as :func:`cbam_calc.inputs.readers.read_table` gives."""
    p = Path(path)
    if p.suffix.lower() != ".csv" or not p.is_file() or p.stat().st_size > PREFETCH_MAX_BYTES:
        return
    key = _key(p, str(path))
    if key is None:
        return
    with _LOCK:
        if key not in _PREFETCHED:
            _PREFETCHED[key] = _Prefetch(p, str(path))


def settle() -> None:
    """Let every prefetch still running finish, and forget those not taken (the command line
    calls this before it returns, so no reader thread outlives the command)."""
    with _LOCK:
        pending = list(_PREFETCHED.values())
        _PREFETCHED.clear()
        _HASHES.clear()
    for pf in pending:
        pf.thread.join()


def read(path: Path, file: str) -> CsvTable:
    """The CSV's table: prefetched if a prefetch of this very file (same size and time) exists,
    else read now. A prefetch is used once."""
    key = _key(path, file)
    with _LOCK:
        pf = _PREFETCHED.pop(key, None) if key is not None else None
    if pf is None:
        return read_now(path, file)
    pf.thread.join()
    if pf.sha256 is not None:
        _HASHES[key] = pf.sha256
    if pf.error is not None:
        raise pf.error
    assert pf.table is not None
    return pf.table


def sha256(path: str | Path) -> str:
    """SHA-256 of a file: the prefetch's if it hashed this very file, else computed now."""
    key = _key(Path(path), str(path))
    hit = _HASHES.pop(key, None) if key is not None else None
    return hit if hit is not None else sha256_of_file(path)
