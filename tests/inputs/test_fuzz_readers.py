"""Fuzzing the readers: generated malformed csv and xlsx files give a result or one of our own clear
errors, never a crash, and in bounded time."""

from __future__ import annotations

import io
import string
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbam_calc.compute.calculate import calculate
from cbam_calc.core.errors import CbamError
from cbam_calc.outputs.writers import ILLEGAL_XML_CHARS
from cbam_calc.outputs.xlsx import write_report

pytestmark = pytest.mark.slow  # hypothesis: $CBAM_FUZZ_EXAMPLES (30) generated files a test

HEADERS = [
    "cn_code",
    "商品编码",
    "country",
    "原产国",
    "net_mass_t",
    "净重(吨)",
    "net_mass_kg",
    "import_date",
    "进口日期",
    "quarter",
    "see_direct",
    "route",
    "carbon_price_paid",
    "carbon_price_currency",
    "carbon_price_basis",
    "carbon_price_free_share",
    "importer",
    "note",
    "",
    "净重",
]
CELLS = st.one_of(
    st.text(alphabet=string.printable + "中国钢铁合计，。（）¥€１２", max_size=12),
    st.sampled_from(
        [
            "7208 51 20",
            "72085120",
            "2523 10 00",
            "CN",
            "China",
            "中国",
            "2026-02-10",
            "2026Q2",
            "03/04/2026",
            "1,250",
            "12,5",
            "-1",
            "=1+1",
            "@SUM(A1)",
            "nan",
            "1e400",
            "",
            " ",
            "C",
            "per_tco2e",
            "CNY",
            "0.05",
            "95%",
            "合计",
        ]
    ),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
TABLE = st.tuples(
    st.lists(st.sampled_from(HEADERS), min_size=1, max_size=10),
    st.lists(st.lists(CELLS, max_size=12), max_size=15),
)
FUZZ = settings(
    max_examples=int(__import__("os").environ.get("CBAM_FUZZ_EXAMPLES", 30)),
    deadline=5000,
    suppress_health_check=[HealthCheck.too_slow],
)


def survives(path: Path) -> None:
    """The only acceptable outcomes: a result (which must also write as a workbook), or a
    CbamError with a one-line message."""
    try:
        r = calculate(path, raise_if_empty=False)
    except CbamError as e:
        assert str(e) and "\n" not in str(e) and "Traceback" not in str(e)
        return
    assert r.summary.lines + r.summary.rejected == r.summary.rows_read
    write_report(r, path.with_name("report.xlsx"))
    assert openpyxl.load_workbook(path.with_name("report.xlsx")).sheetnames[0] == "Summary"


@FUZZ
@given(TABLE, st.sampled_from([",", ";", "\t"]), st.sampled_from(["utf-8", "gb18030", "utf-8-sig"]))
def test_fuzz_csv(table, sep, encoding):
    header, rows = table
    text = "\n".join(sep.join(r) for r in [header, *rows])
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "f.csv"
        path.write_bytes(text.encode(encoding, errors="replace"))
        survives(path)


@FUZZ
@given(TABLE)
def test_fuzz_xlsx_cells(table):
    header, rows = table
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:  # a real workbook cannot hold XML control characters: Excel never writes them
        ws.append([ILLEGAL_XML_CHARS.sub("", c) for c in r])
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "f.xlsx"
        wb.save(path)
        survives(path)


def _valid_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["cn_code", "country", "net_mass_t", "import_date"])
    for i in range(20):
        ws.append(["7208 51 20", "CN", 10 + i, "2026-02-10"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


VALID = _valid_xlsx()


@FUZZ
@given(
    st.integers(0, len(VALID) - 1),
    st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)), max_size=20),
)
def test_fuzz_damaged_xlsx(cut, flips):
    data = bytearray(VALID)
    for pos, value in flips:
        data[pos] = value
    if cut % 3 == 0:
        data = data[:cut]
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "damaged.xlsx"
        path.write_bytes(bytes(data))
        survives(path)


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from([".csv", ".xlsx", ".xls", ".txt"]))
def test_fuzz_random_bytes(data, suffix):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"random{suffix}"
        path.write_bytes(data)
        survives(path)
