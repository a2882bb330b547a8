"""``cbam batch --currency CNY`` (issue 14, "In CNY"): the members' and the batch's cost in CNY,
each line's EUR cost times the ECB display rate of its price period, summed, with de minimis as
the batch decides it (Art 2a: the importer's total over every member's file), as ``cbam calc``.

Worked by hand. Every line is the same China hot-rolled coil (7208 51 20, default values), which
owes 2.17025 certificates per tonne (1.000 t x its default SEE, less free allocation: what one
100 t line gives, 217.025). Certificate prices (reference_prices/cbam_certificate_price.csv):
2026Q1 75.36, 2026Q3 and 2026Q4 82.32 EUR; display rates (fx_eur_display_periods.csv): 2026Q1
8.1032, 2026Q3 7.7557 CNY per EUR, and 2026Q4, after the ECB data (30 Oct 2026), 2026Q3's 7.7557
carried forward as a projection. So a tonne costs

    Q1: 2.17025 x 75.36 = 163.550040 EUR = 163.550040 x 8.1032 = 1,325.278684 CNY
    Q3: 2.17025 x 82.32 = 178.654980 EUR = 178.654980 x 7.7557 = 1,385.594428 CNY

The members: alpha sells Acme 30 t (Q1), Beta Handel 20 t (Q1) and Gamma 60 t (Q3); beta sells
Acme 25 t (Q3, matched by EORI) and Beta Handel 20 t (Q4). Acme 55 t and Gamma 60 t are over
50 t; Beta Handel's 40 t is exempt. Over the batch:

    alpha: 30 x 1,325.278684 + 60 x 1,385.594428 = 39,758.36 + 83,135.67 = 122,894.03 CNY
    beta:  25 x 1,385.594428                                             =  34,639.86 CNY
    batch: 157,533.89 CNY; by period Q1 39,758.36 (2 lines), Q3 117,775.53 (2 lines), Q4 0
"""

from __future__ import annotations

import pytest
from conftest import steel, write_csv

from cbam_calc.compute.batch import run_batch
from cbam_calc.compute.calculate import calculate
from cbam_calc.core.model import CalcOptions

ACME = "Acme GmbH (DE123456789012345)"
CERTS_PER_T = 2.17025
Q1_EUR, Q3_EUR = CERTS_PER_T * 75.36, CERTS_PER_T * 82.32  # EUR per tonne
Q1_CNY, Q3_CNY = Q1_EUR * 8.1032, Q3_EUR * 7.7557  # CNY per tonne at the display rates


@pytest.fixture
def association(tmp_path):
    folder = tmp_path / "members"
    folder.mkdir()
    write_csv(
        folder / "alpha.csv",
        [
            steel(net_mass_t="30", importer=ACME, import_date="2026-02-10"),
            steel(net_mass_t="20", importer="Beta Handel GmbH", import_date="2026-02-10"),
            steel(net_mass_t="60", importer="Gamma SpA", import_date="2026-08-10"),
        ],
    )
    write_csv(
        folder / "beta.csv",
        [
            steel(
                net_mass_t="25", importer="ACME GMBH", EORI="DE 1234 5678 9012 345", import_date="2026-08-10"
            ),
            steel(net_mass_t="20", importer="Beta Handel GmbH", EORI="", import_date="2026-11-10"),
        ],
    )
    return folder


def test_the_hand_worked_figures():
    assert round(Q1_EUR, 6) == 163.55004 and round(Q3_EUR, 6) == 178.65498
    assert round(Q1_CNY, 6) == 1325.278684 and round(Q3_CNY, 6) == 1385.594428


def test_art2a_cny_of_each_member_and_the_batch_at_each_periods_display_rate(association):
    b = run_batch([association], CalcOptions(currency="CNY"))
    members = b.members().set_index("member")
    assert members.loc["alpha", "cost_cny"] == pytest.approx(30 * Q1_CNY + 60 * Q3_CNY, abs=0.01)
    assert members.loc["alpha", "cost_cny"] == pytest.approx(122_894.03, abs=0.01)
    assert members.loc["beta", "cost_cny"] == pytest.approx(25 * Q3_CNY, abs=0.01)  # 34,639.86
    dc = b.display_currency
    assert dc.currency == "CNY" and dc.cost == pytest.approx(157_533.89, abs=0.01)
    assert dc.by_sector == {"iron_steel": dc.cost}
    assert b.groupings["sector"].set_index("sector").loc["iron_steel", "cost_cny"] == dc.cost
    rates = {r.period: r for r in dc.rates}
    q1, q3, q4 = rates["2026Q1"], rates["2026Q3"], rates["2026Q4"]
    assert (q1.units_per_eur, q1.status, q1.lines) == (8.1032, "actual", 2)
    assert q1.cost_eur == pytest.approx(30 * Q1_EUR, abs=0.01)  # Beta Handel's 20 t exempt
    assert q1.cost == pytest.approx(30 * Q1_CNY, abs=0.01)
    assert (q3.units_per_eur, q3.status, q3.lines) == (7.7557, "actual", 2)
    assert q3.cost == pytest.approx(85 * Q3_CNY, abs=0.01)  # Gamma 60 t + Acme 25 t
    assert (q4.units_per_eur, q4.status, q4.rate_period, q4.cost) == (7.7557, "projection", "2026Q3", 0.0)
    assert dc.projection is True
    # the EUR figures are untouched by the option
    eur = run_batch([association])
    assert b.totals == eur.totals
    assert "cost_cny" not in eur.members().columns and eur.display_currency is None


def test_art2a_per_file_de_minimis_gives_each_files_own_exemptions_in_cny(association):
    """--de-minimis per-file: alpha's Acme 30 t and Beta 20 t are each under 50 t in the file,
    exempt there; beta's Acme 25 t and Beta 20 t too. Only Gamma's 60 t is priced."""
    b = run_batch([association], CalcOptions(currency="CNY", de_minimis="per-file"))
    members = b.members().set_index("member")
    assert members.loc["alpha", "cost_cny"] == pytest.approx(60 * Q3_CNY, abs=0.01)
    assert members.loc["beta", "cost_cny"] == 0.0
    assert b.display_currency.cost == pytest.approx(60 * Q3_CNY, abs=0.01)


def test_a_batch_of_one_file_gives_calc_s_cny_figures(association):
    """The same semantics as cbam calc --currency CNY: one member's batch, its calc."""
    path = association / "alpha.csv"
    calc = calculate(path, CalcOptions(currency="CNY")).summary.display_currency
    b = run_batch([path], CalcOptions(currency="CNY")).display_currency
    assert b == calc
