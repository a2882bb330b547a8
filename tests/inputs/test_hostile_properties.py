"""Issue 11, "Done means": for random CSV and xlsx bodies, lines + rejected equals the rows the
body reader sees, and every number in every output is finite (hypothesis).

The rows are counted here by a reference splitter written from the rule, not from the reader: a
row is a physical record after the header, lines end at CR, LF or CRLF only, a quoted field spans
lines only when its quote closes (within csv_arrow.MAX_RECORD_LINES lines), a line whose quote
never closes is one rejected row and the next line starts a record; records of empty cells are
blank, not rows. test_fuzz_readers.py checks that random files never crash the readers; this
file checks that they count.
"""

from __future__ import annotations

import json
import math
import re
import tempfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbam_calc.compute.calculate import calculate
from cbam_calc.core.errors import InputFileError
from cbam_calc.inputs.csv_arrow import MAX_RECORD_LINES, TRAILING_SHARE
from cbam_calc.inputs.readers import empty_cells
from cbam_calc.outputs.text import summary_json
from cbam_calc.outputs.writers import ILLEGAL_XML_CHARS

pytestmark = pytest.mark.slow  # 40 generated files a property, about 10 s each

HEADER = ["cn_code", "country", "net_mass_t", "import_date", "note"]
SHIPMENT = ["7208 39 00", "CN", "100", "2026-02-10", "ok"]
PROPS = settings(
    max_examples=40,
    derandomize=True,  # the same files on every run: CI stays stable
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# no letters that could spell a column name, no ; | or tab (the sniffer then can only pick ",")
BREAKERS = ["\r", "\n", "\r\n", "\v", "\f", "\x1c", "\x85", "\u2028"]
PIECES = st.sampled_from(['"', '""', ",", *BREAKERS, " ", "x", "12,5", "7208 39 00", "CN"])
CELL = st.one_of(
    st.lists(PIECES, max_size=4).map("".join),
    st.sampled_from([*SHIPMENT, "", "1e309", "inf", "-1", "0", '"quoted, with comma"', '"two\nlines"']),
)
LINE = st.one_of(
    st.just(",".join(SHIPMENT)),
    st.just(",".join(SHIPMENT) + ","),  # a trailing delimiter
    st.just(""),  # an empty line
    st.lists(CELL, max_size=7).map(",".join),  # ragged: fewer or more values than the header
)
TITLE = st.lists(st.sampled_from(["Shipments", " 2026", "\v", "\f", "\x1c", "\x85", "\u2028"]), max_size=4)
BREAK = st.sampled_from(["\n", "\r\n", "\r"])


# ---------------------------------------------------------------------------- reference splitter
def physical_lines(text: str) -> list[str]:
    lines = re.split(r"\r\n|\r|\n", text)
    return lines[:-1] if lines and lines[-1] == "" else lines


def parse_record(lines: list[str], i: int, alone: bool = False) -> tuple[list[str], int] | None:
    """Fields of the record starting at line i and the index after it, or None when a quote
    opened in it does not close within MAX_RECORD_LINES lines or by the end. ``alone``: the
    line read by itself, a quote left open running to its end (as the header scan reads it)."""
    fields, cur, quoted, at_start, j = [], [], False, True, i
    text, k = lines[i], 0
    while True:
        if k == len(text):  # end of a physical line
            if not quoted or alone:
                fields.append("".join(cur))
                return fields, j + 1
            j += 1
            if j >= len(lines) or j - i >= MAX_RECORD_LINES:
                return None
            cur.append("\n")
            text, k = lines[j], 0
            continue
        ch = text[k]
        if quoted:
            if ch == '"' and k + 1 < len(text) and text[k + 1] == '"':
                cur.append('"')
                k += 2
                continue
            if ch == '"':
                quoted = False
            else:
                cur.append(ch)
        elif ch == '"' and at_start:
            quoted = True
        elif ch == ",":
            fields.append("".join(cur))
            cur, at_start = [], True
            k += 1
            continue
        else:
            cur.append(ch)
        at_start = False
        k += 1


def blank(fields: list[str]) -> bool:
    return bool(empty_cells(pd.Series(fields or [""], dtype=object)).all())


def expected_rows(body: list[str], n: int) -> int:
    """Rows the body reader must see: records that are not blank, lines whose quote never closes,
    records with too many values (with a trailing delimiter ending nearly every line, one more)."""
    recs: list[tuple[list[str], bool]] = []  # fields, quote closed
    i = 0
    while i < len(body):
        got = parse_record(body, i)
        if got is None:
            recs.append((parse_record(body, i, alone=True)[0], False))
            i += 1
        else:
            recs.append((got[0], True))
            i = got[1]
    filled = [f for f, _ in recs if any(v.strip() for v in f)]
    trailing = sum(1 for f in filled if len(f) == n + 1 and not f[-1].strip())
    width = n + 1 if filled and trailing >= TRAILING_SHARE * len(filled) else n
    rows = 0
    for fields, closed in recs:
        if not closed or len(fields) > width:
            rows += 1  # a rejected line (its quote, or too many values)
        elif not blank(fields):
            rows += 1
    return rows


# ---------------------------------------------------------------------------- the properties
def all_finite(result) -> None:
    def refuse(name):
        raise AssertionError(f"non-finite {name} in the JSON summary")

    json.loads(summary_json(result), parse_constant=refuse)
    lines = result.lines
    for c in lines.columns:
        if pd.api.types.is_numeric_dtype(lines[c].dtype) and not pd.api.types.is_bool_dtype(lines[c].dtype):
            values = lines[c].to_numpy(dtype=float, na_value=0.0)
            assert np.isfinite(values).all(), c
    for k, v in result.summary.model_dump().items():
        if isinstance(v, float):
            assert math.isfinite(v), k


def check(path: Path, expected: int) -> None:
    try:
        r = calculate(path, raise_if_empty=False)
    except InputFileError:  # nothing below the header could be read as a row: the file is refused
        assert expected == 0 or _all_bad(path)
        return
    s = r.summary
    assert s.lines + s.rejected == s.rows_read == expected, (s.lines, s.rejected, s.rows_read, expected)
    all_finite(r)


def _all_bad(path: Path) -> bool:
    """validate refuses a file whose every row is a rejected line, with that line's reason."""
    from cbam_calc.inputs.readers import read_table

    raw = read_table(path)
    return len(raw.frame) == 0 and len(raw.bad_rows) > 0


@PROPS
@given(
    st.lists(LINE, max_size=30),
    TITLE,
    BREAK,
    st.booleans(),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_csv_rows_read_are_the_records_after_the_header(body, title, brk, sep_line, encoding):
    head = (["sep=,"] if sep_line else []) + (["".join(title)] if title else []) + [",".join(HEADER)]
    text = brk.join(head + body) + (brk if body else "")
    after_header = physical_lines(text)[len(physical_lines(brk.join(head) + brk)) :]
    expected = expected_rows(after_header, len(HEADER))
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "random.csv"
        path.write_bytes(text.encode(encoding))
        check(path, expected)


XLSX_CELL = st.one_of(
    CELL.map(lambda s: ILLEGAL_XML_CHARS.sub("", s).lstrip("=")),  # "=..." would be a formula
    st.sampled_from([None, 100, 0, -1, 1e300, 2.5]),
)


@PROPS
@given(st.lists(st.one_of(st.just(SHIPMENT), st.lists(XLSX_CELL, max_size=7)), max_size=30))
def test_xlsx_rows_read_are_the_rows_after_the_header(rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    width = len(HEADER)  # cells right of the header are no values (as the reader cuts them)
    expected = sum(1 for r in rows if not blank(["" if v is None else str(v) for v in r[:width]]))
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "random.xlsx"
        wb.save(path)
        check(path, expected)
