"""Why a checked report's figures moved: the reference tables that changed since it (each named
with its act then and now) and the report's lines that moved (read from its Lines sheet), for
``cbam calc --check`` (outputs/check.py). Each is a message, shown in the run's language.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd

from cbam_calc.core.messages import Message
from cbam_calc.law.inventory import changed_files

MAX_ROWS_NAMED = 10
MAX_LINES_SHOWN = 3


def reference_changes(record: dict, ref, moved: list | None, other_causes: bool = False) -> list[Message]:
    """What changed in the reference data since a report, one line per table (``name (path): act
    then -> act now``), with the number of the report's lines that moved (``moved``: from
    :func:`moved_lines`; None where the report keeps no lines, as a batch or scenario workbook)."""
    lines = _moved_text(moved)
    if "reference_files" not in record:
        head = Message("M_CHECK_NO_TABLE_HASHES", version=record["cbam_calc_version"])
        return [Message("M_CHECK_JOINED", first=head, second=lines) if lines else head]
    changes = changed_files(record["reference_files"], ref)
    if not changes:
        return [Message("M_CHECK_ONLY_METADATA")]
    texts = [c.text() for c in changes]
    if lines and len(changes) == 1 and not other_causes:
        texts[0] = Message("M_CHECK_JOINED", first=texts[0], second=lines)
    elif lines:
        code = "M_CHECK_LINES_WITH_INPUT" if other_causes else "M_CHECK_LINES_TOGETHER"
        texts.append(Message(code, lines=lines))
    return texts + _moved_examples(moved)


def _moved_text(moved: list | None) -> Message | None:
    if moved is None:
        return None
    if not moved:
        return Message("M_CHECK_NO_LINE_MOVED")
    if len(moved) == 1:
        return Message("M_CHECK_ONE_LINE_MOVED", row=moved[0][0])
    rows = [r for r, _, _ in moved[:MAX_ROWS_NAMED]]
    if len(moved) > MAX_ROWS_NAMED:
        return Message("M_CHECK_LINES_MOVED_MORE", n=len(moved), rows=rows, more=len(moved) - MAX_ROWS_NAMED)
    return Message("M_CHECK_LINES_MOVED", n=len(moved), rows=rows)


def _moved_examples(moved: list | None) -> list[Message]:
    def fig(v) -> Message:
        if v is None:
            return Message("M_CHECK_NOT_COMPUTED")
        return Message("M_CHECK_LINE_FIGURES", certificates=f"{v[0]:.6f}", cost=f"{v[1]:,.2f}")

    return [
        Message("M_CHECK_MOVED_ROW", row=r, then=fig(then), now=fig(now))
        for r, then, now in (moved or [])[:MAX_LINES_SHOWN]
    ]


def report_line_figures(report: str | Path) -> dict[int, tuple[float, float]] | None:
    """Each line's certificates and cost as the report's Lines sheet shows them, by input row;
    None where the report has no Lines sheet with those columns."""
    from cbam_calc.core.labels import line_headers
    from cbam_calc.core.sheets import sheet_parts
    from cbam_calc.outputs.report_check import ReportCells

    cells = ReportCells(report)
    parts = sheet_parts(cells.sheetnames, "lines")  # Lines, Lines (2)... of a long report
    if not parts:
        return None
    rows = iter(cells.rows(parts[0]))
    head = [str(h) for h in next(rows, ())]
    rows = itertools.chain(rows, *(cells.rows(n)[1:] for n in parts[1:]))
    wanted = ["row", "certificates", "cost_eur"]
    for lang in ("en", "zh"):
        names = line_headers(wanted, lang)
        found = [max((i for i, h in enumerate(head) if h in (n, f"{n}（计算）")), default=-1) for n in names]
        if min(found) >= 0:  # the last of a name: computed columns follow the input's
            r, c, e = found
            return {
                int(v[r]): (round(float(v[c]), 6), round(float(v[e]), 2)) for v in rows if v[r] is not None
            }
    return None


def moved_lines(report: str | Path, lines: pd.DataFrame) -> list | None:
    """(row, (certificates, cost) then, now) for each line whose figures differ between the report's
    Lines sheet and ``lines`` (None on a side where the line is not computed), in row order."""
    then = report_line_figures(report)
    if then is None:
        return None
    now = {
        int(r): (round(float(c), 6), round(float(e), 2))
        for r, c, e in lines[["row", "certificates", "cost_eur"]].itertuples(index=False)
    }
    return [
        (r, then.get(r), now.get(r)) for r in sorted(then.keys() | now.keys()) if then.get(r) != now.get(r)
    ]
