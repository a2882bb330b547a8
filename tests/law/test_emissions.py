"""Embedded emissions and the whole chain for one line, worked by hand from the acts' formulas.

Figures come from the tables of the acts (IR 2025/2621 Annex I for China, IR 2025/2620 Annex),
the CBAM factor of Directive 2003/87/EC Art 10a(1a) and the published Q1 2026 price.
"""

from __future__ import annotations

import shutil

import pytest
from conftest import line, steel

from cbam_calc.compute.calculate import calculate
from cbam_calc.law import defaults
from cbam_calc.law.reference import DATA_DIR, ReferenceData, prices_dir


def test_art7_annex_ii_steel_default_value_whole_chain(run):
    # IR 2621 Annex I, China, heading 7208: direct 3.187, published incl. 10 % mark-up 3.506
    # IR 2620 Column B, 7208 51 20, route C (the route of the default value): 1.370
    r = run([steel()])
    x = line(r, 2)
    assert x["see_tco2e_per_t"] == pytest.approx(3.506)
    assert x["embedded_tco2e"] == pytest.approx(100 * 3.506)  # 350.6
    assert x["benchmark_tco2e_per_t"] == pytest.approx(1.370)
    assert x["sefa_tco2e_per_t"] == pytest.approx(0.975 * 1.0 * 1.370)  # 1.33575
    assert x["free_allocation_tco2e"] == pytest.approx(133.575)
    assert x["certificates"] == pytest.approx(350.6 - 133.575)  # 217.025
    assert x["price_eur_per_tco2e"] == 75.36  # 2026 Q1, published 7 April 2026
    assert x["cost_eur"] == pytest.approx(217.025 * 75.36)  # 16,355.0040
    assert r.summary.cost_eur == pytest.approx(16355.00, abs=0.005)
    assert x["cost_eur_per_t"] == pytest.approx(163.55004)


def test_art7_1_annex_ii_actual_indirect_given_is_not_counted(run):
    # Annex II good: SEE = direct only, even when indirect is given.
    # IR 2620 Column A for 7208 51 20 (single value): 0.044
    r = run([steel(see_direct="2.10", see_indirect="0.40", route="C", import_date="2026-05-10")])
    x = line(r, 2)
    assert x["see_tco2e_per_t"] == pytest.approx(2.10)
    assert x["embedded_tco2e"] == pytest.approx(210.0)
    assert x["benchmark_column"] == "A"
    assert x["free_allocation_tco2e"] == pytest.approx(100 * 0.975 * 0.044)  # 4.29
    assert x["certificates"] == pytest.approx(210.0 - 4.29)
    assert x["price_eur_per_tco2e"] == 75.28  # 2026 Q2, published 6 July 2026
    assert x["price_status"] == "published"
    assert "not counted" in x["notes"]


def test_art7_cement_actual_counts_direct_plus_indirect(run):
    # Cement is not in Annex II: SEE = 0.80 + 0.05; IR 2620 Column A for 2523 29 00 is 0.000
    r = run(
        [
            {
                "cn_code": "2523 29 00",
                "country": "EG",
                "net_mass_t": "1000",
                "import_date": "2026-08-01",
                "see_direct": "0.80",
                "see_indirect": "0.05",
            }
        ]
    )
    x = line(r, 2)
    assert not x["direct_only"]
    assert x["see_tco2e_per_t"] == pytest.approx(0.85)
    assert x["embedded_tco2e"] == pytest.approx(850.0)
    assert x["free_allocation_tco2e"] == pytest.approx(0.0)
    assert x["cost_eur"] == pytest.approx(850.0 * 82.32)  # Q3 2026, published 5 October 2026
    assert "precursor" in x["notes"]  # Column A covers the grinding only: precursors missing


def test_art7_cement_default_total_includes_indirect(run):
    # IR 2621 Annex I, Egypt, grey Portland cement: total 1.29 (incl. indirect), x 1.10 = 1.419
    r = run(
        [{"cn_code": "2523 29 00", "country": "Egypt", "net_mass_t": "1000", "import_date": "2026-02-01"}]
    )
    x = line(r, 2)
    assert x["see_tco2e_per_t"] == pytest.approx(1.419)
    assert x["free_allocation_tco2e"] == pytest.approx(1000 * 0.975 * 0.666)  # 649.35
    assert x["certificates"] == pytest.approx(1419 - 649.35)
    assert x["cost_eur"] == pytest.approx((1419 - 649.35) * 75.36)


def test_art7_agglomerated_iron_ore_is_not_annex_ii(run):
    # 2601 12 00 is iron and steel but outside Annex II: its default total (direct 0.200 +
    # indirect 0.060 = 0.260, x 1.10 = 0.286) counts in full.
    r = run([{"cn_code": "2601 12 00", "country": "CN", "net_mass_t": "100", "import_date": "2026-02-01"}])
    x = line(r, 2)
    assert not x["direct_only"]
    assert x["see_tco2e_per_t"] == pytest.approx(0.286)
    assert x["embedded_tco2e"] == pytest.approx(28.6)


def test_art7_annex_ii_marked_up_total_never_adds_indirect(tmp_path):
    # Guard: if a steel default row carried indirect emissions in its total, only the direct part,
    # marked up once, may count: 2.000 x 1.10 = 2.200, never the total marked up, 2.500 x 1.10 = 2.750.
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    table = data / "eu" / "default_values.csv"
    text = table.read_text(encoding="utf-8")
    text += "ZZ,Testland,7208,C,iron_steel,test row,2.000,false,0.500,2.500\n"
    table.write_text(text, encoding="utf-8")
    ref = ReferenceData(data_dir=data, prices_dir=prices_dir())
    out = defaults.resolve_one(ref, "72085120", "ZZ", "", 2026, "iron_steel", True)
    assert out["see_default_tco2e_per_t"] == pytest.approx(2.200)
    not_annex_ii = defaults.resolve_one(ref, "72085120", "ZZ", "", 2026, "iron_steel", False)
    assert not_annex_ii["see_default_tco2e_per_t"] == pytest.approx(2.750)


def test_art7_electricity_actual_factor_no_free_allocation(run):
    r = run(
        [
            {
                "cn_code": "2716 00 00",
                "country": "RS",
                "net_mass_t": "1000",
                "import_date": "2026-03-01",
                "see_direct": "0.6",
            }
        ]
    )
    x = line(r, 2)
    assert x["embedded_tco2e"] == pytest.approx(600.0)
    assert x["free_allocation_tco2e"] == 0.0
    assert x["certificates"] == pytest.approx(600.0)
    assert r.summary.electricity_mwh == pytest.approx(1000.0)
    assert r.summary.net_mass_t == 0.0


def test_electricity_without_actual_factor_is_rejected_with_reason(run):
    r = run([{"cn_code": "2716 00 00", "country": "RS", "net_mass_t": "1000", "import_date": "2026-03-01"}])
    assert r.summary.lines == 0
    assert "IEA" in r.rejected.iloc[0]["reason"]


def test_actual_cement_without_indirect_is_rejected(run):
    r = run(
        [
            {
                "cn_code": "2523 29 00",
                "country": "EG",
                "net_mass_t": "10",
                "import_date": "2026-03-01",
                "see_direct": "0.8",
            }
        ]
    )
    assert r.rejected.iloc[0]["column"] == "see_indirect"


def test_line_totals_equal_sum_of_lines(run):
    rows = [
        steel(),
        steel(net_mass_t="250", import_date="2026-07-01"),
        {"cn_code": "7601 10 10", "country": "CN", "net_mass_t": "40", "import_date": "2026-11-20"},
    ]
    r = run(rows)
    assert r.summary.certificates == pytest.approx(r.lines["certificates"].sum())
    assert r.summary.cost_eur == pytest.approx(r.lines["cost_eur"].sum(), abs=0.01)
    assert sum(s.cost_eur for s in r.summary.by_sector) == pytest.approx(r.summary.cost_eur, abs=0.02)


def test_calculate_reads_the_same_through_the_public_api(tmp_path):
    from conftest import write_csv

    path = write_csv(tmp_path / "a.csv", [steel()])
    assert calculate(path).summary.lines == 1
