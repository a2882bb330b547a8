"""By period and actual against default (issue 14) in every output of cbam calc: the text summary,
JSON, the workbook's two sheets and the HTML report's two sections, in English and Chinese; each
table's total reconciles with the run (periods: the cost; savings: the Lines column summed)."""

from __future__ import annotations

import json

import openpyxl
import pytest
from conftest import SAMPLES, steel

from cbam_calc.cli import main
from cbam_calc.compute.calculate import calculate
from cbam_calc.core.labels import label
from cbam_calc.outputs.html import calc_html
from cbam_calc.outputs.text import summary_json, summary_text

MIXED = SAMPLES / "shipments_mixed_actual_default.xlsx"


@pytest.fixture(scope="module")
def mixed():
    return calculate(MIXED)


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    out = tmp_path_factory.mktemp("ps") / "report.xlsx"
    assert main(["calc", str(MIXED), "-o", str(out)]) == 0
    return openpyxl.load_workbook(out)


def test_workbook_by_period_sheet_total_is_the_cost(workbook, mixed):
    values = list(workbook["By period"].values)
    head = list(values[0])
    total = next(r for r in values if r[0] == "Total")
    assert total[head.index("Cost, EUR")] == pytest.approx(mixed.summary.cost_eur, abs=0.01)
    quarters = [r[0] for r in values[1:] if r[0] and r[0].startswith("2026 Q")]
    assert quarters == ["2026 Q1", "2026 Q2", "2026 Q3", "2026 Q4"]


def test_workbook_actual_vs_default_total_is_the_lines_saving_summed(workbook):
    values = list(workbook["Actual vs default"].values)
    head = list(values[0])
    total = next(r for r in values if r[0] == "Total")
    lines = list(workbook["Lines"].values)
    saving = [r[lines[0].index("actual_saving_eur")] for r in lines[1:]]
    summed = sum(s for s in saving if s is not None)
    assert summed == pytest.approx(total[head.index("Saving, EUR")], abs=0.01)
    assert sum(s is None for s in saving) == 7  # the default twins: blank, not 0


def test_json_has_both_tables(mixed):
    data = json.loads(summary_json(mixed))
    assert [p["period"] for p in data["by_period"]] == ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]
    assert data["by_period"][-1]["projection"] is True  # Q4 2026: not yet published
    assert data["actual_vs_default"]["lines"] == 7


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_text_and_html_show_both_tables(mixed, lang):
    text = summary_text(mixed, lang)
    page = calc_html(mixed, lang)
    for key in ("ps_by_period", "ps_actual_vs_default"):
        assert label(key, lang) in text
        assert label(key, lang) in page


def test_default_values_only_show_periods_and_no_saving_table(run):
    r = run([steel()])
    assert r.summary.actual_vs_default is None
    assert label("ps_actual_vs_default") not in summary_text(r)
    assert label("ps_by_period") in summary_text(r)
