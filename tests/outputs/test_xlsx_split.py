"""Issue 13: a table longer than an Excel sheet (1,048,576 rows, header included) continues on
"Lines (2)", "Lines (3)"... with the header repeated; the Summary says so, and ``cbam calc
--check`` reads the continued sheets back. The per-sheet limit is xlsx.SHEET_MAX_ROWS, made small
here so that no test needs a million lines."""

from __future__ import annotations

import re

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import steel, write_csv

from cbam_calc.cli import main
from cbam_calc.compute.calculate import calculate
from cbam_calc.core.messages import Message
from cbam_calc.outputs import xlsx
from cbam_calc.outputs.check import report_line_figures
from cbam_calc.outputs.xlsx_book import Book

LINES = 11


@pytest.fixture
def shipments(tmp_path):
    rows = [steel(net_mass_t=str(10 + i), importer=f"=Imp{i % 3}") for i in range(LINES)]
    rows.append(steel(net_mass_t="abc"))  # one rejected row
    return write_csv(tmp_path / "shipments.csv", rows)


def sheet_rows(wb, name) -> list[tuple]:
    return list(wb[name].iter_rows(values_only=True))


def test_lines_over_the_sheet_limit_continue_on_more_sheets(shipments, tmp_path, monkeypatch, capsys):
    whole = tmp_path / "whole.xlsx"
    assert main(["calc", str(shipments), "-o", str(whole)]) == 0
    monkeypatch.setattr(xlsx, "SHEET_MAX_ROWS", 5)  # a header and 4 lines per sheet
    out = tmp_path / "split.xlsx"
    assert main(["calc", str(shipments), "-o", str(out)]) == 0
    wb, ref = openpyxl.load_workbook(out), openpyxl.load_workbook(whole)
    names = wb.sheetnames
    assert names[1:4] == ["Lines", "Lines (2)", "Lines (3)"] and "Lines (4)" not in names
    assert [n for n in names if not re.fullmatch(r".+ \(\d+\)", n)] == ref.sheetnames  # Parameters too
    head, *body = sheet_rows(ref, "Lines")
    got = []
    for name in ("Lines", "Lines (2)", "Lines (3)"):
        rows = sheet_rows(wb, name)
        assert rows[0] == head and len(rows) <= 5 and wb[name].freeze_panes == "A2"
        got += rows[1:]
    assert got == body
    assert any(c.quotePrefix for row in wb["Lines (3)"].iter_rows(min_row=2) for c in row)
    summary = [r[0] for r in sheet_rows(wb, "Summary") if r and isinstance(r[0], str)]
    said = [t for t in summary if t.startswith("Lines: 11 rows are more than one Excel sheet holds")]
    assert said and "Lines (2), Lines (3)" in said[0], summary
    assert len(report_line_figures(out)) == LINES  # what --check reads of the lines: every sheet
    capsys.readouterr()
    assert main(["calc", "--check", str(out)]) == 0, capsys.readouterr().out
    ws = wb["Lines (3)"]
    head = [c.value for c in ws[1]]
    ws.cell(row=2, column=head.index("cost_eur") + 1).value = 1e9
    wb.save(out)
    assert main(["calc", "--check", str(out)]) == 1
    assert "'Lines (3)'!" in capsys.readouterr().out


def test_the_warning_is_in_chinese_too():
    msg = Message("W_SHEET_CONTINUED", sheet="Lines", rows="2,000,000", limit="1,048,575", sheets="Lines (2)")
    zh = msg.text("zh")
    assert zh != str(msg) and "Lines (2)" in zh and "2,000,000" in zh


def test_rejected_and_parameters_continue_too(shipments, monkeypatch, tmp_path):
    result = calculate(str(shipments))
    monkeypatch.setattr(xlsx, "SHEET_MAX_ROWS", 3)
    out = tmp_path / "r.xlsx"
    xlsx.write_report(result, out)
    wb = openpyxl.load_workbook(out)
    params = [n for n in wb.sheetnames if n == "Parameters" or n.startswith("Parameters (")]
    assert len(params) == -(-len(result.parameters) // 2)
    assert sum(len(sheet_rows(wb, n)) - 1 for n in params) == len(result.parameters)
    assert "Rejected" in wb.sheetnames and "Rejected (2)" not in wb.sheetnames  # one row: one sheet


@pytest.mark.slow
def test_a_table_one_row_over_excels_limit_at_the_real_limit(tmp_path):
    """The real limit, on a two-column table (cheap to write): 1,048,575 rows and a header fill
    the first sheet, the rest goes on the second."""
    from python_calamine import CalamineWorkbook

    n = xlsx.EXCEL_MAX_ROWS + 3
    df = pd.DataFrame({"a": np.arange(n, dtype="int64"), "b": np.where(np.arange(n) % 7 == 0, "=x", "t")})
    book = Book(tmp_path / "big.xlsx")
    xlsx.write_long_table(book, "lines", df)
    book.close()
    wb = CalamineWorkbook.from_path(str(tmp_path / "big.xlsx"))
    assert wb.sheet_names == ["Lines", "Lines (2)"]
    first = wb.get_sheet_by_name("Lines").to_python()
    second = wb.get_sheet_by_name("Lines (2)").to_python()
    assert len(first) == xlsx.EXCEL_MAX_ROWS and first[0] == ["a", "b"] and second[0] == ["a", "b"]
    assert [r[0] for r in second[1:]] == [float(x) for x in range(xlsx.EXCEL_MAX_ROWS - 1, n)]
