"""Read a shipments file (csv, xlsx, xlsm, xls) into a table of raw values with row numbers.

Each row keeps the number the user sees in the file (the spreadsheet row, or the CSV record
number with the header as row 1), so every message can point at it. xlsx is read with
python-calamine (fast, reads the cached values of formulas); the header row is found by looking
for known column names in the first rows, so a title or a blank line above the header is fine.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cbam_calc.errors import InputFileError
from cbam_calc.io.columns import COLUMNS, canonical_name, is_unitless_quantity

HEADER_SCAN_ROWS = 30
CSV_SAMPLE_BYTES = 256 * 1024
ZIP_MAGIC = b"PK\x03\x04"
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: .xls, or an encrypted .xlsx
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


@dataclass
class RawTable:
    """Values as read, with the original headers, and where each row came from."""

    frame: pd.DataFrame
    rows: np.ndarray  # source row number of each frame row (1-based, as the user sees it)
    file: str  # the path as the user gave it
    sheet: str | None
    header_row: int
    blank_rows: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return len(self.frame)


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


def _blank_mask(frame: pd.DataFrame) -> np.ndarray:
    """Rows where every cell is empty; stops at the first column that rules them all out."""
    mask = np.ones(len(frame), dtype=bool)
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_numeric_dtype(s.dtype):
            empty = s.isna().to_numpy()
        else:
            empty = (s.isna() | s.astype("string").str.strip().eq("")).fillna(True).to_numpy(bool)
        mask &= empty
        if not mask.any():
            break
    return mask


def _drop_blank(frame: pd.DataFrame, rows: np.ndarray) -> tuple[pd.DataFrame, np.ndarray, int]:
    if frame.empty:
        return frame, rows, 0
    blank = _blank_mask(frame)
    if not blank.any():
        return frame, rows, 0
    keep = ~blank
    return frame.loc[keep].reset_index(drop=True), rows[keep], int(blank.sum())


def _drop_empty_columns(frame: pd.DataFrame) -> pd.DataFrame:
    generated = [c for c in frame.columns if c.startswith("column ")]
    if not generated:
        return frame
    empty = [c for c in generated if frame[c].astype("string").fillna("").str.strip().eq("").all()]
    return frame.drop(columns=empty)


# ---------------------------------------------------------------------------- spreadsheets
def _open_workbook(path: Path, file: str):
    from python_calamine import CalamineWorkbook

    try:
        head = path.open("rb").read(8)
    except OSError as e:
        raise InputFileError(f"cannot open the file: {e.strerror}", file=file) from None
    if head.startswith(CFB_MAGIC):
        data = path.read_bytes()
        if "EncryptionInfo".encode("utf-16-le") in data[:65536] or b"EncryptedPackage" in data:
            raise InputFileError(
                "the workbook is password-protected: save an unprotected copy "
                "(File > Info > Protect Workbook > remove the password)",
                file=file,
            )
    elif not head.startswith(ZIP_MAGIC) and path.suffix.lower() != ".ods":
        raise InputFileError(
            "not a spreadsheet cbam-calc can read (expected .xlsx, .xlsm, .xls or .csv)", file=file
        )
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as e:  # calamine raises several error types for broken files
        raise InputFileError(
            f"cannot read the workbook ({type(e).__name__}: {e}); is it a complete, unencrypted Excel file?",
            file=file,
        ) from None


def read_spreadsheet(path: Path, file: str, sheet: str | None = None) -> RawTable:
    wb = _open_workbook(path, file)
    names = list(wb.sheet_names)
    if not names:
        raise InputFileError("the workbook has no sheets", file=file)
    if sheet is None:
        sheet_name = names[0]
    elif sheet in names:
        sheet_name = sheet
    elif sheet.isdigit() and 1 <= int(sheet) <= len(names):
        sheet_name = names[int(sheet) - 1]
    else:
        raise InputFileError(
            f"no sheet '{sheet}': the workbook has {', '.join(names)}", file=file, sheet=sheet
        )
    try:
        values = wb.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
    except Exception as e:
        raise InputFileError(
            f"cannot read the sheet ({type(e).__name__}: {e})", file=file, sheet=sheet_name
        ) from None
    if not values:
        raise InputFileError("the sheet is empty", file=file, sheet=sheet_name)
    try:
        h = find_header(values, file, sheet_name)
    except InputFileError:
        if sheet is None and len(names) > 1:
            others = [n for n in names[1:] if _sheet_has_header(wb, n)]
            if others:
                raise InputFileError(
                    f"the first sheet has no shipments table; choose one with --sheet: {', '.join(others)}",
                    file=file,
                    sheet=sheet_name,
                ) from None
        raise
    headers = _unique_headers(values[h], file, sheet_name)
    check_headers(headers, file, sheet_name)
    body = values[h + 1 :]
    width = len(headers)
    frame = pd.DataFrame([r[:width] + [""] * (width - len(r)) for r in body], columns=headers, dtype=object)
    rows = np.arange(h + 2, h + 2 + len(body), dtype=np.int64)
    frame, rows, blank = _drop_blank(frame, rows)
    frame = _drop_empty_columns(frame)
    return RawTable(frame, rows, file, sheet_name, h + 1, blank)


def _sheet_has_header(wb, name: str) -> bool:
    try:
        values = wb.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=HEADER_SCAN_ROWS)
    except Exception:
        return False
    return any(_score(r) > 0 for r in values)


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


def read_csv(path: Path, file: str) -> RawTable:
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
    text_columns = {c.name for c in COLUMNS if c.kind not in ("mass_t", "mass_kg", "see", "number")}
    dtype = {name: str for name in headers if canonical_name(name) in text_columns}
    for name in headers:
        if canonical_name(name) is None:
            dtype[name] = str  # columns we do not use are kept exactly as written
    try:
        frame = pd.read_csv(
            path,
            sep=sep,
            skiprows=h + 1,
            header=None,
            names=headers,
            dtype=dtype,
            encoding=encoding,
            skip_blank_lines=False,
            keep_default_na=False,
            na_values=[""],
            on_bad_lines="error",
            engine="c",
            index_col=False,
        )
    except UnicodeDecodeError:
        raise InputFileError(
            "the file is not UTF-8 or GB18030 text: save it as CSV UTF-8", file=file
        ) from None
    except pd.errors.ParserError as e:
        raise InputFileError(f"malformed CSV: {str(e).strip()}", file=file) from None
    except ValueError as e:
        raise InputFileError(f"malformed CSV: {e}", file=file) from None
    rows = np.arange(h + 2, h + 2 + len(frame), dtype=np.int64)
    frame, rows, blank = _drop_blank(frame, rows)
    frame = _drop_empty_columns(frame)
    return RawTable(frame, rows, file, None, h + 1, blank)


def read_table(path: str | Path, sheet: str | None = None) -> RawTable:
    """Read a csv or spreadsheet of shipments. Raises InputFileError for an unusable file."""
    file = str(path)
    p = Path(path)
    if not p.exists():
        raise InputFileError("no such file", file=file)
    if p.is_dir():
        raise InputFileError("this is a folder, not a file", file=file)
    suffix = p.suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        return read_spreadsheet(p, file, sheet)
    if sheet is not None:
        raise InputFileError("--sheet only applies to spreadsheets", file=file, sheet=sheet)
    return read_csv(p, file)
