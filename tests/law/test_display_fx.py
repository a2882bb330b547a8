"""law.display_fx on a table of its own: the lookups of the indexed table (issue 14, "In CNY").

The table: January 2027 7.9000 and February 2027 8.0000 complete, March 2027 partial (the data
ends inside it); 2026Q4 complete at 7.5000, 2027Q1 partial.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cbam_calc.law import display_fx
from cbam_calc.law.reference import ReferenceData

ROWS = [  # period, frequency, units per EUR, status
    ("2027-01", "month", 7.9, "computed"),
    ("2027-02", "month", 8.0, "computed"),
    ("2027-03", "month", 8.3, "partial"),
    ("2026Q4", "quarter", 7.5, "computed"),
    ("2027Q1", "quarter", 8.1, "partial"),
]


@pytest.fixture
def ref() -> ReferenceData:
    out = ReferenceData(Path("/nonexistent"), Path("/nonexistent"))
    out.__dict__["fx_display"] = pd.DataFrame(
        {
            "period": [r[0] for r in ROWS],
            "frequency": [r[1] for r in ROWS],
            "currency": "CNY",
            "units_per_eur": [r[2] for r in ROWS],
            "status": [r[3] for r in ROWS],
            "last_date": "2027-03-12",
            "source": [f"mean of {r[0]}" for r in ROWS],
        }
    )
    return out


def test_art21_a_week_takes_its_month_and_a_later_month_the_last_complete_one(ref):
    # 2027-W06 starts Tuesday 9 Feb 2027: February's mean
    feb = display_fx.display_rate(ref, "2027-W06", "CNY")
    assert (feb.rate_period, feb.units_per_eur, feb.status) == ("2027-02", 8.0, "actual")
    # 2027-W11 starts Tuesday 16 March: March is partial, February's mean carried forward
    march = display_fx.display_rate(ref, "2027-W11", "CNY")
    assert (march.rate_period, march.units_per_eur, march.status) == ("2027-02", 8.0, "projection")
    assert "2027-03 after the ECB data end (2027-03-12)" in march.source
    q1 = display_fx.display_rate(ref, "2027Q1", "CNY")
    assert (q1.rate_period, q1.units_per_eur, q1.status) == ("2026Q4", 7.5, "projection")


def test_no_rate_before_the_table_for_a_year_or_another_currency(ref):
    assert display_fx.display_rate(ref, "2026Q3", "CNY") is None  # before the first quarter
    assert display_fx.display_rate(ref, "2026-W50", "CNY") is None  # December 2026: no month row
    assert display_fx.display_rate(ref, "2027", "CNY") is None
    assert display_fx.display_rate(ref, "2027-W06", "USD") is None


def test_the_table_is_indexed_once_per_currency(ref):
    index = display_fx.rate_index(ref, "CNY")
    assert display_fx.rate_index(ref, "CNY") is index
    assert index.means[("month", "2027-01")] == (7.9, "mean of 2027-01")
    assert index.last == {
        "month": ("2027-02", 8.0, "mean of 2027-02"),
        "quarter": ("2026Q4", 7.5, "mean of 2026Q4"),
    }
    # the lookups read the index, not the table: a table replaced afterwards is not refiltered
    ref.__dict__["fx_display"] = ref.fx_display.iloc[:0]
    assert display_fx.display_rate(ref, "2027-W03", "CNY").units_per_eur == 7.9


def test_display_rates_look_up_each_distinct_period_once(ref, monkeypatch):
    seen = []
    real = display_fx.display_rate
    monkeypatch.setattr(display_fx, "display_rate", lambda r, k, c: seen.append(k) or real(r, k, c))
    rate, status, used = display_fx.display_rates(ref, ["2027-W06", "2027Q1", "2027-W06", None], "CNY")
    assert sorted(seen) == ["2027-W06", "2027Q1"]
    assert list(rate[:3]) == [8.0, 7.5, 8.0] and pd.isna(rate[3])
    assert list(status) == ["actual", "projection", "actual", ""]
    assert set(used) == {"2027-W06", "2027Q1"}
