"""Shared helpers: write a small shipments file and run the engine on it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cbam_calc.compute.calculate import CalcResult, calculate
from cbam_calc.core.model import CalcOptions

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
# the sheets of a calc report workbook (cbam calc -o, cbam report -o), in order
CALC_SHEETS = [
    "Summary",
    "Lines",
    "By sector",
    "By CN code",
    "By country",
    "By importer",
    "By installation",
    "By period",
    "Actual vs default",  # where lines have actual data
    "Rejected",
    "Parameters",
    "Run",
]


def write_csv(path: Path, rows: list[dict]) -> Path:
    """A CSV with the union of the rows' keys as header (in first-seen order)."""
    header: list[str] = []
    for r in rows:
        for k in r:
            if k not in header:
                header.append(k)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=header)
        w.writeheader()
        for r in rows:
            w.writerow(r)
    return path


@pytest.fixture
def run(tmp_path):
    """run(rows, **options) -> CalcResult; rows are dicts of column -> value."""

    counter = {"n": 0}

    def _run(rows: list[dict], raise_if_empty: bool = False, **options) -> CalcResult:
        counter["n"] += 1
        path = write_csv(tmp_path / f"shipments_{counter['n']}.csv", rows)
        return calculate(path, CalcOptions(**options), raise_if_empty=raise_if_empty)

    return _run


def line(result: CalcResult, row: int):
    """The computed line read from ``row`` of the input (the header is row 1)."""
    hit = result.lines[result.lines["row"] == row]
    assert len(hit) == 1, f"row {row} not computed; rejected: {result.rejected.to_dict('records')}"
    return hit.iloc[0]


def steel(**kw) -> dict:
    """A China hot-rolled coil line imported in Q1 2026 (defaults unless see_direct given)."""
    base = {"cn_code": "7208 51 20", "country": "CN", "net_mass_t": "100", "import_date": "2026-02-10"}
    base.update(kw)
    return base
