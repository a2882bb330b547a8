"""``cbam calc --check`` of a scenario workbook written in an older layout (issue 14): the first
layout (sheets Scenarios, Levy by year, Cost split, Break-even, Actual vs default, Assumptions,
the tables under their keys) is checked by the tables it holds at full precision, and the check
says so; it never lists the new layout's cells as differences. The first-layout workbook is built
here as that writer wrote it (openpyxl, each table under its keys, the Run sheet of its record);
a workbook written by the old code itself checked the same way (the report of this change)."""

from __future__ import annotations

import json

import numpy as np
import openpyxl
import pytest
from conftest import REPO

from cbam_calc.cli import main
from cbam_calc.compute.scenarios import default_scenarios, run_scenarios
from cbam_calc.core.model import CalcOptions
from cbam_calc.inputs.readers import read_table
from cbam_calc.inputs.validate import validate
from cbam_calc.law.reference import reference_data
from cbam_calc.outputs.check import check_report
from cbam_calc.outputs.run_record import make_scenario_record, read_record
from cbam_calc.outputs.run_sheet import write_run_sheet
from cbam_calc.outputs.scenario_check import LAYOUT, LAYOUT_KEY, workbook_layout
from cbam_calc.outputs.scenario_report import levy_by_year, scenario_summary

SAMPLE = REPO / "samples" / "shipments_cn_steel.xlsx"


def _frame_sheet(ws, df) -> None:
    """A table under its keys, as the first layout's writer wrote it (NaN as an empty cell)."""
    ws.append([str(c) for c in df.columns])
    for row in df.itertuples(index=False, name=None):
        ws.append(
            [
                None
                if isinstance(v, float) and np.isnan(v)
                else (v.item() if isinstance(v, np.generic) else v)
                for v in row
            ]
        )


@pytest.fixture(scope="module")
def first_layout(tmp_path_factory):
    """A scenario workbook of layout 1 and the result it was written from."""
    ref = reference_data()
    options = CalcOptions()
    sset = default_scenarios().model_copy(update={"years": [2026, 2027]})
    result = run_scenarios(validate(read_table(SAMPLE), ref), sset, options, ref)
    record = make_scenario_record(result, SAMPLE, None, options, sset)
    del record[LAYOUT_KEY]  # the first layout's records had no layout
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Scenarios"
    _frame_sheet(ws, result.table)
    _frame_sheet(wb.create_sheet("Levy by year"), levy_by_year(result).reset_index())
    _frame_sheet(wb.create_sheet("Cost split"), scenario_summary(result))
    _frame_sheet(wb.create_sheet("Break-even"), result.break_even)
    _frame_sheet(wb.create_sheet("Actual vs default"), result.default_vs_actual)
    ws = wb.create_sheet("Assumptions")
    ws["A1"] = result.rule_status
    write_run_sheet(wb, record)
    path = tmp_path_factory.mktemp("first_layout") / "scenario_layout1.xlsx"
    wb.save(path)
    return path, result


def test_a_first_layout_workbook_is_checked_by_the_tables_it_holds(first_layout):
    path, result = first_layout
    out = check_report(path)
    assert out.matches, out.text()
    assert out.differences == []
    (note,) = [n for n in out.notes if "layout 1" in n]
    assert (
        f"written by cbam-calc {read_record(path)['cbam_calc_version']} (this version writes layout {LAYOUT})"
        in note
    )
    assert f"Scenarios ({len(result.table):,} rows)" in note
    assert f"Break-even ({len(result.break_even):,} rows)" in note
    assert f"Actual vs default ({len(result.default_vs_actual):,} rows)" in note
    assert (
        "not compared: Levy by year (the scenario table's figures again), Cost split (the scenario "
        "table's figures again), Assumptions; write it again with cbam scenario -o" in note
    )


def test_a_moved_figure_of_a_first_layout_workbook_is_named_alone(first_layout, tmp_path):
    path, result = first_layout
    wb = openpyxl.load_workbook(path)
    ws = wb["Scenarios"]
    col = [c.value for c in ws[1]].index("eu_levy_eur") + 1
    levy = ws.cell(row=3, column=col).value
    ws.cell(row=3, column=col).value = levy + 0.01
    notes = wb["Break-even"]
    note_col = [c.value for c in notes[1]].index("note") + 1
    first_note = next(r for r in range(2, notes.max_row + 1) if notes.cell(row=r, column=note_col).value)
    notes.cell(row=first_note, column=note_col).value = "another note"
    moved = tmp_path / "moved.xlsx"
    wb.save(moved)
    out = check_report(moved)
    assert not out.matches
    letter = openpyxl.utils.get_column_letter(col)
    nl = openpyxl.utils.get_column_letter(note_col)
    was = str(result.break_even["note"].iloc[first_note - 2])
    assert out.differences == [
        f"Scenarios!{letter}3 (eu_levy_eur): report {_shown(levy + 0.01)}, inputs give {_shown(levy)}",
        f"'Break-even'!{nl}{first_note} (note): report 'another note', inputs give {was!r}",
    ]


def _shown(v: float) -> str:
    return f"{v:,.6f}".rstrip("0").rstrip(".")


def test_a_workbook_of_this_layout_without_the_layout_key_is_written_again_and_compared(tmp_path, capsys):
    """Written by the version before the layout was recorded (the same layout): rendered again."""
    path = tmp_path / "scenario.xlsx"
    assert main(["scenario", str(SAMPLE), "--years", "2026", "-o", str(path)]) == 0
    assert read_record(path)[LAYOUT_KEY] == LAYOUT
    wb = openpyxl.load_workbook(path)
    run = wb["Run"]
    for row in run.iter_rows():
        if row[0].value == "record_json":
            record = json.loads("".join(c.value for c in row[1:] if c.value))
            del record[LAYOUT_KEY]
            text = json.dumps(record, ensure_ascii=False)
            row[1].value = text
            for c in row[2:]:
                c.value = None
    wb["Overview"]["B3"] = "a changed as-of date"  # metadata: not a figure
    wb[wb.sheetnames[2]].cell(row=2, column=15).value = 1.0  # a figure of Scenarios by year
    path2 = tmp_path / "unmarked.xlsx"
    wb.save(path2)
    assert workbook_layout(read_record(path2), wb.sheetnames) == LAYOUT
    out = check_report(path2)
    assert not out.matches and not [n for n in out.notes if "layout" in n]
    assert out.differences[0].startswith("'Scenarios by year'!O2"), out.differences


def test_a_layout_newer_than_this_version_is_said_so():
    assert workbook_layout({LAYOUT_KEY: LAYOUT + 1}, ["Overview"]) == LAYOUT + 1
    assert workbook_layout({}, ["Scenarios", "Levy by year", "Run"]) == 1
    assert workbook_layout({}, ["Overview", "Run"]) == LAYOUT
    assert workbook_layout({}, ["概览", "Run"]) == LAYOUT


def test_a_column_the_first_layout_did_not_hold_is_a_note_not_a_difference(first_layout, tmp_path):
    """The scenario table gained cbam_factor after record format 1 (run_record's digest leaves it
    out): a first-layout sheet without it still checks, and the note names the column."""
    path, _ = first_layout
    wb = openpyxl.load_workbook(path)
    ws = wb["Scenarios"]
    ws.delete_cols([c.value for c in ws[1]].index("cbam_factor") + 1)
    older = tmp_path / "older.xlsx"
    wb.save(older)
    out = check_report(older)
    assert out.matches, out.text()
    assert (
        "Scenarios: columns this version computes and the report does not hold: cbam_factor (not compared)"
        in out.notes
    )
