"""Issue 14, "In CNY": ``--currency CNY`` adds each line's cost in CNY at the ECB reference rate of
its price period (the quarter's mean in 2026, the month of the application week's Tuesday from
2027; reference_prices/fx_eur_display_periods.csv), the rate beside it labelled a DISPLAY rate,
and the total, each sector's and each period's cost in CNY as sums of the lines' in every
output; periods after the ECB data (30 Oct 2026) are projections; Art 9 keeps its yearly rate.

The rates are read off fx_eur_display_periods.csv (tests/law/test_reference_prices.py works
October 2026 from its 22 daily rates): 2026Q1 8.1032 (63 days), 2026Q3 7.7557 (66 days), October
2026 7.4883 (22 days, the last complete month); 2026Q4 is partial (October only).
"""

from __future__ import annotations

import datetime as dt
import html
import json

import openpyxl
import pytest
from conftest import SAMPLES, steel

from cbam_calc.cli import main
from cbam_calc.compute.calculate import calculate
from cbam_calc.core.labels import label
from cbam_calc.core.model import CalcOptions
from cbam_calc.core.sheets import sheet_name
from cbam_calc.law import display_fx, prices
from cbam_calc.law.reference import reference_data
from cbam_calc.outputs.html import calc_html
from cbam_calc.outputs.run_record import read_record
from cbam_calc.outputs.text import summary_json, summary_text

STEEL = SAMPLES / "shipments_cn_steel.xlsx"
Q1_2026, Q3_2026, OCT_2026 = 8.1032, 7.7557, 7.4883
ROWS = [  # (import date, price period, display rate, status, the period whose mean it is)
    ("2026-02-10", "2026Q1", Q1_2026, "actual", "2026Q1"),
    ("2026-08-10", "2026Q3", Q3_2026, "actual", "2026Q3"),
    ("2026-11-10", "2026Q4", Q3_2026, "projection", "2026Q3"),  # Q4: October only in the data
    ("2027-02-10", "2027-W06", OCT_2026, "projection", "2026-10"),  # Wed: week from Tue 9 Feb
    ("2027-06-01", "2027-W22", OCT_2026, "projection", "2026-10"),  # Tue 1 Jun: a week's 1st day
]


@pytest.fixture
def cny(run):
    return run([steel(import_date=d) for d, *_ in ROWS], currency="CNY")


def test_art21_cny_per_line_is_cost_eur_times_the_ecb_mean_of_its_price_period(cny):
    lines = cny.lines.sort_values("row")
    assert list(lines["price_period"].astype(str)) == [r[1] for r in ROWS]
    for (_, _, rate, status, _), (_, x) in zip(ROWS, lines.iterrows()):
        assert x["display_rate_cny_per_eur"] == rate
        assert x["display_rate_status"] == status
        assert x["cost_cny"] == pytest.approx(x["cost_eur"] * rate, rel=1e-12)
    # e.g. the first line: its EUR cost x 8.1032 CNY per EUR
    first = lines.iloc[0]
    assert first["cost_eur"] > 0
    assert round(first["cost_cny"], 2) == round(first["cost_eur"] * 8.1032, 2)


def test_periods_after_30_oct_2026_are_projections_of_the_last_complete_period(cny):
    rates = {r.period: r for r in cny.summary.display_currency.rates}
    assert rates["2026Q1"].status == "actual" and rates["2026Q1"].rate_period == "2026Q1"
    q4 = rates["2026Q4"]
    assert (q4.status, q4.rate_period, q4.units_per_eur) == ("projection", "2026Q3", Q3_2026)
    assert q4.source.startswith("projection, not a real rate") and "2026-10-30" in q4.source
    week = rates["2027-W06"]
    assert (week.status, week.rate_period, week.units_per_eur) == ("projection", "2026-10", OCT_2026)
    assert cny.summary.display_currency.projection is True
    assert cny.summary.display_currency.data_to == "2026-10-30"


def test_art21_weekly_price_a_week_takes_the_month_of_its_tuesday():
    """RULES.md: the weekly price applies Tuesday to the next Monday included, and an import on a
    Monday takes the week before. Tuesday 1 June 2027 starts 2027-W22, whose publication Monday
    (31 May) is in May: the week's imports are all in June, so its month is June."""
    assert display_fx.rate_period_of("2027-W22") == ("2027-06", "month")
    monday_after = prices.period_key(2027, 2, dt.date(2027, 6, 7))  # closes the week of 1 June
    assert monday_after == "2027-W22"
    monday_before = prices.period_key(2027, 2, dt.date(2027, 5, 31))  # closes the week of 25 May
    assert display_fx.rate_period_of(monday_before) == ("2027-05", "month")
    assert display_fx.rate_period_of("2026Q2") == ("2026Q2", "quarter")
    assert display_fx.rate_period_of("2027") is None


def test_cny_totals_are_the_sum_of_the_lines(cny):
    dc = cny.summary.display_currency
    lines_cny = float(cny.lines["cost_cny"].sum())
    assert dc.cost == round(lines_cny, 2)
    assert dc.cost != round(cny.summary.cost_eur * Q1_2026, 2)  # not the total x one rate
    assert sum(dc.by_sector.values()) == pytest.approx(dc.cost, abs=0.01)
    assert sum(r.cost for r in dc.rates) == pytest.approx(dc.cost, abs=0.02)
    assert sum(r.lines for r in dc.rates) == len(ROWS)
    periods = cny.summary.by_period
    assert sum(p.cost_cny for p in periods) == pytest.approx(dc.cost, abs=0.05)
    q1 = next(p for p in periods if p.period == "2026Q1")
    assert (q1.display_rate_cny_per_eur, q1.display_rate_status) == (Q1_2026, "actual")
    q1_lines = cny.lines[cny.lines["price_period"] == "2026Q1"]
    assert q1.cost_cny == round(float((q1_lines["cost_eur"] * Q1_2026).sum()), 2)
    june = next(p for p in periods if p.period == "2027-06")
    assert june.display_rate_status == "projection"


def test_art9_display_rate_is_not_the_yearly_rate_and_art9_is_unchanged():
    annual = reference_data().fx_annual
    cny_2026 = annual[(annual["currency"] == "CNY") & (annual["year"] == 2026)]["units_per_eur"].iloc[0]
    assert cny_2026 != Q1_2026  # Art 9: the yearly average; a display rate: the quarter's
    sample = SAMPLES / "shipments_art9_cnets.xlsx"
    eur, cny = calculate(sample), calculate(sample, CalcOptions(currency="CNY"))
    assert cny.summary.art9_reduction_tco2e == eur.summary.art9_reduction_tco2e
    assert cny.summary.cost_eur == eur.summary.cost_eur
    assert cny.summary.assumptions.fx_used == eur.summary.assumptions.fx_used


def test_every_output_shows_cny_in_english_and_chinese(cny, tmp_path):
    data = json.loads(summary_json(cny))
    assert data["display_currency"]["currency"] == "CNY"
    assert "cost_cny" in data["by_period"][0]
    for lang in ("en", "zh"):
        heading = label("dc_heading", lang, currency="CNY")
        note = display_fx_note(lang)
        text, page = summary_text(cny, lang), calc_html(cny, lang)
        assert heading in text and heading in page
        assert note in text and html.escape(note) in page
        assert f"{cny.summary.display_currency.cost:,.2f}" in text
    assert "展示汇率" in display_fx_note("zh") and "第9条" in display_fx_note("zh")


def display_fx_note(lang: str) -> str:
    from cbam_calc.core.messages import Message

    return Message("M_DISPLAY_RATE_NOTE", currency="CNY", data_to="2026-10-30").text(lang)


def test_workbook_lines_and_summary_in_chinese(tmp_path):
    out = tmp_path / "zh.xlsx"
    assert main(["report", str(STEEL), "--currency", "CNY", "--lang", "zh", "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    lines = list(wb[sheet_name("lines", "zh")].values)
    head = list(lines[0])
    assert "CBAM 成本（人民币，展示汇率）" in head
    summary = [r for r in wb[wb.sheetnames[0]].values if r[0]]
    total = next(r for r in summary if r[0] == label("dc_total", "zh", currency="CNY"))
    cny_col = head.index("CBAM 成本（人民币，展示汇率）")
    assert total[1] == pytest.approx(sum(r[cny_col] or 0 for r in lines[1:]), abs=0.01)
    statuses = {r[head.index("展示汇率状态")] for r in lines[1:]}
    assert statuses == {"实际", "预测"}  # 2026 Q1-Q3 actual, Q4 a projection: in Chinese


def test_check_of_a_cny_report_reapplies_the_currency(tmp_path, capsys):
    report = tmp_path / "cny.xlsx"
    assert main(["report", str(STEEL), "--currency", "cny", "-o", str(report)]) == 0
    assert read_record(report)["options"]["currency"] == "CNY"
    capsys.readouterr()
    assert main(["calc", "--check", str(report)]) == 0, capsys.readouterr().out
    wb = openpyxl.load_workbook(report)
    ws = wb["Summary"]
    row = next(r for r in ws.iter_rows() if r[0].value == label("dc_total", "en", currency="CNY"))
    row[1].value = 1.0  # a CNY total edited by hand is found
    wb.save(report)
    assert main(["calc", "--check", str(report)]) == 1


def test_another_currency_is_refused_with_the_supported_ones(capsys):
    assert main(["calc", str(STEEL), "--currency", "USD"]) == 2
    err = capsys.readouterr().err
    assert "'USD' is not supported" in err and "EUR, CNY" in err
    with pytest.raises(ValueError, match="EUR, CNY"):
        CalcOptions(currency="USD")


def test_without_the_option_nothing_changes(run):
    eur = run([steel()])
    assert "cost_cny" not in eur.lines.columns
    assert "display_currency" not in json.loads(summary_json(eur))
    assert "currency" not in eur.options.model_dump(mode="json")
    assert "cost_cny" not in json.loads(summary_json(eur))["by_period"][0]


def test_the_summary_and_the_by_period_table_look_up_each_period_once(run, monkeypatch):
    """The display rate of each price period is looked up once for the run's CNY totals and its
    by-period table together (compute.display_currency.period_rates), not once for each."""
    seen = []
    real = display_fx.display_rate
    monkeypatch.setattr(display_fx, "display_rate", lambda ref, k, c: seen.append(k) or real(ref, k, c))
    result = run([steel(import_date=d) for d, *_ in ROWS], currency="CNY")
    assert sorted(seen) == sorted(r[1] for r in ROWS)  # five periods, each once
    dc = result.summary.display_currency
    assert [r.units_per_eur for r in dc.rates] == [r[2] for r in ROWS]
    assert [p.display_rate_status for p in result.summary.by_period] == [r[3] for r in ROWS]
