"""Issue 13: the workbooks are written by one writer behind cbam_calc.outputs.xlsx_book, the
Rust-backed rvgsrust-xlsxwriter (Arrow fast path) or XlsxWriter where its wheel is missing
(CBAM_XLSX_WRITER=xlsxwriter). Both must give a reader the same workbook: the same cells, types,
number formats, quote-prefixed texts, frozen headers and charts."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import REPO

from cbam_calc.compute.calculate import calculate
from cbam_calc.outputs import xlsx_book
from cbam_calc.outputs.report_check import ReportCells
from cbam_calc.outputs.run_record import make_record, read_record
from cbam_calc.outputs.writers import ERROR_TEXTS, XLSX_MAX_TEXT, formula_like, xlsx_text, xlsx_texts
from cbam_calc.outputs.xlsx import write_report

HOSTILE = REPO / "tests" / "data" / "hostile" / "outputs" / "shipments.csv"
WRITERS = ["xlsxwriter"] + (["rvgs"] if xlsx_book.backend() == "rvgs" else [])
TEXTS = ["plain", "=1+2", "-5", "-2+3", "+3", "@SUM(1)", "\tTab", "\rCR", "#N/A", "#DIV/0!", "a\x01b", "中文"]


def seen(path) -> dict:
    """What a reader sees of a workbook: per sheet the frozen pane, the number of charts and
    every cell (value to 12 significant digits, type, number format of numbers, quote prefix,
    bold)."""
    wb = openpyxl.load_workbook(path)
    out = {"sheets": wb.sheetnames, "creator": wb.properties.creator}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                if v is None:
                    continue
                if isinstance(v, float):
                    v = float(f"{v:.12g}")
                fmt = c.number_format if isinstance(c.value, (int, float, dt.datetime)) else None
                cells[c.coordinate] = (v, c.data_type, fmt, bool(c.quotePrefix), bool(c.font.b))
        out[ws.title] = (ws.freeze_panes, len(ws._charts), cells)
    return out


@pytest.fixture(scope="module")
def hostile_result():
    return calculate(str(HOSTILE))


@pytest.mark.parametrize("writer", WRITERS)
def test_the_calc_report_reads_the_same_on_each_writer(hostile_result, tmp_path, monkeypatch, writer):
    monkeypatch.setenv(xlsx_book.BACKEND_ENV, writer)
    out = tmp_path / f"{writer}.xlsx"
    write_report(hostile_result, out, record=make_record(hostile_result))
    view = seen(out)
    assert view["sheets"][:2] == ["Summary", "Lines"] and view["sheets"][-1] == "Run"
    assert view["creator"].startswith("cbam-calc ")
    for name in ("Summary", "By sector", "By CN code"):
        assert view[name][1] == 1, name
    assert view["Lines"][0] == "A2" and view["Lines"][1] == 0
    quoted = [k for k, c in view["Lines"][2].items() if c[3]]
    assert quoted and all(formula_like(view["Lines"][2][k][0]) for k in quoted)
    assert read_record(out)["figures"]["lines"] == len(hostile_result.lines)
    fmts = ReportCells(out, formats=True).formats("Lines")  # report_check's regex on this XML
    assert "#,##0.00" in fmts.values() and "#,##0.000" in fmts.values()
    if writer != "xlsxwriter":
        monkeypatch.setenv(xlsx_book.BACKEND_ENV, "xlsxwriter")
        write_report(hostile_result, tmp_path / "fallback.xlsx", record=make_record(hostile_result))
        other = seen(tmp_path / "fallback.xlsx")
        for name in view["sheets"]:
            if name != "Run":  # the record names the file it was written to
                assert view[name] == other[name], name


def _frame(n: int) -> pd.DataFrame:
    texts = [TEXTS[i % len(TEXTS)] for i in range(n)]
    return pd.DataFrame(
        {
            "cat": pd.Categorical(texts),
            "text": pd.Series([None if i % 5 == 0 else t for i, t in enumerate(texts[::-1])], dtype=object),
            "x": [math.nan if i % 4 == 0 else i + 0.125 for i in range(n)],
            "n": np.arange(n, dtype="int64"),
            "flag": [i % 2 == 0 for i in range(n)],
            "when": pd.to_datetime(["2026-01-03"] * n),
        }
    )


@pytest.mark.parametrize("writer", WRITERS)
def test_a_frame_in_slices_keeps_every_cell_and_quotes_what_must_be(tmp_path, monkeypatch, writer):
    """Slices of 3 rows, risky texts everywhere: rows between risky ones go through Arrow, the
    risky ones cell by cell, in order (a constant-memory sheet takes rows in order only)."""
    monkeypatch.setattr(xlsx_book, "FRAME_SLICE", 3)
    df = _frame(40)
    book = xlsx_book.Book(tmp_path / "f.xlsx", writer)
    sheet = book.add_sheet("T", big=True)
    sheet.write_row(list(df.columns), bold=True)
    sheet.write_frame(df, [None, None, "#,##0.000", "#,##0", None, None])
    book.close()
    ws = openpyxl.load_workbook(tmp_path / "f.xlsx")["T"]
    got = list(ws.iter_rows(min_row=2, values_only=False))
    assert len(got) == len(df)
    for (_, want), cells in zip(df.iterrows(), got):
        for col, cell in zip(df.columns, cells):
            w = want[col]
            if col in ("cat", "text"):
                if w is None:
                    assert cell.value is None
                    continue
                text, quote = xlsx_text(w)
                value = cell.value.replace("_x000D_", "\r")  # OOXML's escape of a CR (XlsxWriter)
                assert (value, cell.data_type, bool(cell.quotePrefix)) == (text, "s", quote), w
            elif col == "x" and math.isnan(w):
                assert cell.value is None
            elif col == "x":
                assert cell.value == w and cell.number_format == "#,##0.000"
            elif col == "n":
                assert cell.value == w and cell.number_format == "#,##0"
            elif col == "flag":
                assert cell.value is bool(w) and cell.data_type == "b"
            else:
                assert cell.value == dt.datetime(2026, 1, 3) and cell.number_format == "yyyy-mm-dd h:mm:ss"


def test_the_vectorised_test_is_the_cell_test():
    import pyarrow as pa

    values = [*TEXTS, *ERROR_TEXTS, "x" * 40_000, None, "=" + "y" * 40_000]
    cleaned, mask = xlsx_texts(pa.array(values, pa.string()))
    for v, c, m in zip(values, cleaned.to_pylist(), mask):
        if v is None:
            assert c is None and not m
            continue
        text, quote = xlsx_text(v)
        assert m == (quote or len(text) == XLSX_MAX_TEXT), v  # the cells written one by one
        if not m:
            assert c == text  # control characters dropped in the column


def test_a_run_record_longer_than_a_cell_is_read_back_whole(hostile_result, tmp_path):
    record = make_record(hostile_result)
    record["inputs"] = record["inputs"] * 200  # a batch of many files: far over 32,767 characters
    record["command"] = "batch"
    for f in record["inputs"]:
        f["member"] = "m"
    out = tmp_path / "r.xlsx"
    write_report(hostile_result, out, record=record)
    assert read_record(out)["inputs"] == record["inputs"]
