"""``cbam calc --check`` of a scenario workbook written in an older layout of it.

A scenario workbook is checked by writing it again from the recomputation and comparing every
cell (outputs/report_check.py). That works for the layout this cbam-calc writes: a workbook of the
first layout (before issue 14 made it a deliverable: sheets Scenarios, Levy by year, Cost split,
Break-even, Actual vs default, Assumptions, all under the tables' keys) would show every cell of
the new layout as a difference, none of them a figure that moved.

So the check compares what an older workbook holds, by key: the sheets where it keeps the tables
at full precision under their column keys (the scenario table, the break-even and the
actual-versus-default tables) against the recomputed tables, cell by cell; with the Run record's
figures and the scenario table's digest, which check.py compares for every layout. The note says
which layout it was written in and what was compared, and which sheets were not (they show the
same figures again, arranged as that layout had them).

The layout is recorded in the run record (``scenario_layout``, from layout 2 on); a record without
it is of a workbook written before the key existed: layout 1 where the workbook has the first
layout's Scenarios sheet and no Overview, else layout 2 (written before the key was recorded).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd

from cbam_calc.core.messages import Message
from cbam_calc.outputs.run_record import SCENARIO_LAYOUT as LAYOUT  # the layout written now
from cbam_calc.outputs.run_record import SCENARIO_LAYOUT_KEY as LAYOUT_KEY

# the first layout's sheets that hold a table under its keys, at full precision: which table
FIRST_LAYOUT_TABLES = {
    "Scenarios": "table",
    "Break-even": "break_even",
    "Actual vs default": "default_vs_actual",
}
# the first layout's sheets that show the scenario table's figures again (pivoted, summed)
FIRST_LAYOUT_REPEATS = ("Levy by year", "Cost split")


def workbook_layout(record: dict, sheetnames: list[str]) -> int:
    """The layout a scenario workbook was written in (see the module docstring)."""
    from cbam_calc.outputs.scenario_report import sheet_name

    recorded = record.get(LAYOUT_KEY)
    if isinstance(recorded, int) and not isinstance(recorded, bool):
        return recorded
    overview = {sheet_name("overview", lang) for lang in ("en", "zh")}
    return 1 if "Scenarios" in sheetnames and not overview & set(sheetnames) else LAYOUT


def older_layout_check(record: dict, report, result) -> Callable | None:
    """For check.py: None where the workbook has the layout this cbam-calc writes (it is rendered
    again and compared cell by cell), else the function that compares what the workbook holds:
    ``(report, record, now, aliases, notes) -> differences``."""
    from cbam_calc.outputs.report_check import ReportCells

    cells = ReportCells(report)
    layout = workbook_layout(record, cells.sheetnames)
    if layout == LAYOUT:
        return None

    def compare(_report, _record, _now, aliases: dict, notes: list):
        return compare_older_layout(cells, layout, record, result, aliases, notes)

    return compare


def compare_older_layout(cells, layout: int, record: dict, result, aliases: dict, notes: list):
    """The tables an older workbook holds under their keys against the recomputed ones: the
    differences (a report_check.SheetComparison); the note of what was compared goes into
    ``notes``."""
    from cbam_calc.outputs.report_check import SheetComparison

    version = record.get("cbam_calc_version", Message("M_CHECK_UNKNOWN_VERSION"))
    head = Message("M_CHECK_LAYOUT", layout=layout, version=version, current=LAYOUT)
    out = SheetComparison()
    if layout > LAYOUT:
        notes.append(Message("M_CHECK_LAYOUT_NEWER", head=head))
        return out
    compared = []
    for sheet, attr in FIRST_LAYOUT_TABLES.items():
        if sheet not in cells.sheetnames:
            out.add(sheet, Message("M_CHECK_LAYOUT_SHEET_MISSING", sheet=sheet, layout=layout))
            continue
        rows = compare_keyed_sheet(sheet, cells.rows(sheet), getattr(result, attr), aliases, out, notes)
        compared.append(Message("M_CHECK_SHEET_ROWS", sheet=sheet, rows=f"{rows:,}"))
    others = [
        Message("M_CHECK_SHEET_REPEATS", sheet=n) if n in FIRST_LAYOUT_REPEATS else n
        for n in cells.sheetnames
        if n not in FIRST_LAYOUT_TABLES and n != "Run"
    ]
    compared = compared or [Message("M_CHECK_NONE")]
    if others:
        notes.append(Message("M_CHECK_LAYOUT_COMPARED_NOT_ALL", head=head, compared=compared, others=others))
    else:
        notes.append(Message("M_CHECK_LAYOUT_COMPARED", head=head, compared=compared))
    return out


def _cell(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, str):
        return str(v)  # a message (the break-even note) as the English text the sheet holds
    return v


def compare_keyed_sheet(
    sheet: str, rows: list[list], frame: pd.DataFrame, aliases: dict, out, notes: list
) -> int:
    """A sheet whose first row holds a table's column keys, against ``frame`` (the table
    recomputed): each column of both, row by row (numbers at full precision, texts exactly);
    a column one side has and the other not is a note. Returns the rows compared."""
    from cbam_calc.outputs.report_check import (
        _cell_difference,
        _cell_name,
        _sheet_ref,
        is_text_difference,
    )

    head = [str(h) if h is not None else "" for h in (rows[0] if rows else [])]
    body = rows[1:]
    while body and not any(v is not None for v in body[-1]):  # the sheet's empty end
        body = body[:-1]
    shared = [c for c in frame.columns if c in head]
    missing = [str(c) for c in frame.columns if c not in head]
    extra = [h for h in head if h and h not in frame.columns]
    parts = []
    if missing:
        parts.append(Message("M_CHECK_COLUMNS_NOT_HELD", columns=missing))
    if extra:
        parts.append(Message("M_CHECK_COLUMNS_GONE", columns=extra))
    if parts:
        notes.append(Message("M_CHECK_COLUMNS_NOTE", sheet=sheet, parts=parts))
    if len(body) != len(frame):
        out.shape.append(Message("M_CHECK_ROWS", sheet=sheet, got=f"{len(body):,}", want=f"{len(frame):,}"))
    ref = _sheet_ref(sheet)
    for c in shared:
        j = head.index(c)
        want_values = frame[c].tolist()
        for i, (got_row, want) in enumerate(zip(body, want_values), start=2):
            got, want = (got_row[j] if j < len(got_row) else None), _cell(want)
            why = _cell_difference(got, want, None, aliases)
            if why:
                at = Message("M_CHECK_AT_NAMED", cell=f"{ref}!{_cell_name(j + 1, i)}", name=c, why=why)
                out.add(sheet, at, text=is_text_difference(got, want))
    return min(len(body), len(frame))
