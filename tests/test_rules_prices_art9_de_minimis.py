"""Certificate price (Art 21, IR 2025/2548), Art 9 (DRAFT) and de minimis (Art 2a)."""

from __future__ import annotations

import pytest
from conftest import line, steel

CNY_2026 = 7.8757  # ECB reference rates, mean 2026-01-02..2026-10-30 (reference_prices/fx_eur_annual.csv)
# Yearly average of the 2026 quarterly prices: Q1-Q3 published, Q4 Q3's price carried forward
P_REF_2026 = round((75.36 + 75.28 + 82.32 + 82.32) / 4, 2)  # 78.82


# ------------------------------------------------------------------ Art 21 certificate price
@pytest.mark.parametrize(
    ("day", "period", "price", "status"),
    [
        ("2026-01-01", "2026Q1", 75.36, "published"),
        ("2026-06-30", "2026Q2", 75.28, "published"),
        ("2026-07-01", "2026Q3", 82.32, "published"),
        ("2026-12-31", "2026Q4", 82.32, "projection"),
    ],
)
def test_art21_1a_2026_price_is_the_quarter_of_import(run, day, period, price, status):
    x = line(run([steel(import_date=day)]), 2)
    assert (x["price_period"], x["price_eur_per_tco2e"], x["price_status"]) == (period, price, status)


def test_art21_1_weekly_price_from_2027_falls_back_to_labelled_projection(run):
    x = line(run([steel(import_date="2027-03-10")]), 2)
    assert x["price_period"] == "2027-W10"
    assert x["price_eur_per_tco2e"] == 78.82
    assert x["price_status"] == "projection"


def test_quarter_column_instead_of_date(run):
    r = run([{"cn_code": "7208 51 20", "country": "CN", "net_mass_t": "100", "quarter": "2026Q2"}])
    assert line(r, 2)["price_eur_per_tco2e"] == 75.28


def test_price_override_applies_to_every_line_and_is_labelled(run):
    r = run([steel(), steel(import_date="2026-11-01")], price_eur_per_tco2e=90.0)
    assert set(r.lines["price_eur_per_tco2e"]) == {90.0}
    assert set(r.lines["price_status"]) == {"user"}
    assert r.summary.assumptions.price_override_eur_per_tco2e == 90.0


def test_year_override_moves_every_line_into_that_year(run):
    r = run([steel(import_date="2026-02-10")], year=2030)
    x = line(r, 2)
    assert x["year"] == 2030
    assert str(x["import_date_used"])[:10] == "2030-02-10"
    assert any("--year" in w for w in r.summary.warnings)


# ------------------------------------------------------------------ Art 9 (DRAFT)
def art9_line(**kw):
    base = steel(
        see_direct="2.0",
        route="C",
        carbon_price_paid="70",
        carbon_price_currency="CNY",
        carbon_price_basis="per_tco2e",
        carbon_price_free_share="0.9",
    )
    base.update(kw)
    return base


def test_art9_draft_actual_track_net_of_free_allocation(run):
    # P_paid,eff = 70 CNY/tCO2e x 2.0 tCO2e/t x (1 - 0.9) / 7.8757 CNY per EUR  (EUR per t of good)
    # R = P_paid,eff / P_ref x M ; N = embedded - FAA - R
    eff = 70 * 2.0 * (1 - 0.9) / CNY_2026
    reduction = eff / P_REF_2026 * 100
    x = line(run([art9_line()]), 2)
    assert x["art9_track"] == "actual"
    assert x["carbon_price_paid_eur_per_t"] == pytest.approx(eff)
    assert x["reference_price_eur_per_tco2e"] == P_REF_2026
    assert x["art9_reduction_tco2e"] == pytest.approx(reduction)  # 2.2553 tCO2e
    assert x["certificates"] == pytest.approx(200 - 100 * 0.975 * 0.044 - reduction)


def test_art9_draft_rebate_is_deducted(run):
    # basis per tonne of good: 20 CNY/t paid, 5 CNY/t refunded -> 15 CNY/t effective
    x = line(
        run(
            [
                art9_line(
                    carbon_price_paid="20",
                    carbon_price_basis="per_t_good",
                    carbon_price_free_share="",
                    carbon_price_rebate="5",
                )
            ]
        ),
        2,
    )
    assert x["carbon_price_paid_eur_per_t"] == pytest.approx(15 / CNY_2026)
    assert x["art9_reduction_tco2e"] == pytest.approx(15 / CNY_2026 / P_REF_2026 * 100)


def test_art9_draft_reduction_never_makes_certificates_negative(run):
    x = line(run([art9_line(carbon_price_paid="1000000", carbon_price_free_share="0")]), 2)
    assert x["certificates"] == 0.0
    assert x["art9_reduction_tco2e"] == pytest.approx(200 - 4.29)


def test_art9_draft_unevidenced_entitlement_removes_the_deduction(run):
    x = line(run([art9_line(carbon_price_evidenced="no")]), 2)
    assert x["art9_reduction_tco2e"] == 0.0


def test_art9_off_recognises_nothing(run):
    r = run([art9_line()], art9="off")
    assert line(r, 2)["art9_reduction_tco2e"] == 0.0
    assert "off" in r.summary.assumptions.draft_rules_in_force[0]


def test_art9_draft_default_track_uses_the_country_default_price(run):
    # R = P_default x SEE / P_ref x M = 10 x 3.506 / 78.82 x 100
    r = run([steel()], default_carbon_price={"CN": 10.0})
    x = line(r, 2)
    assert x["art9_track"] == "default"
    assert x["art9_reduction_tco2e"] == pytest.approx(10 * 3.506 / P_REF_2026 * 100)
    assert x["certificates"] == pytest.approx(350.6 - 133.575 - 10 * 3.506 / P_REF_2026 * 100)


def test_art9_draft_price_paid_on_default_values_needs_the_default_track(run):
    # The actual track needs actual emissions; with no default price published, nothing is deducted.
    x = line(
        run([steel(carbon_price_paid="70", carbon_price_currency="CNY", carbon_price_basis="per_tco2e")]), 2
    )
    assert x["art9_track"] == ""
    assert x["art9_reduction_tco2e"] == 0.0


def test_art9_status_is_printed_as_draft(run):
    a = run([art9_line()]).summary.assumptions
    assert a.art9_status.startswith("DRAFT")
    assert a.art9_reference_prices[0].price_eur_per_tco2e == P_REF_2026


def test_art9_price_without_currency_is_rejected(run):
    r = run([art9_line(carbon_price_currency="")])
    assert r.rejected.iloc[0]["column"] == "carbon_price_currency"


# ------------------------------------------------------------------ Art 2a de minimis
def test_art2a_de_minimis_importer_at_or_under_50_t(run):
    rows = [
        steel(importer="Small GmbH", net_mass_t="30"),
        {
            "cn_code": "2804 10 00",
            "country": "CN",
            "net_mass_t": "5",
            "import_date": "2026-03-01",
            "importer": "Small GmbH",
        },  # hydrogen: never exempt, not counted towards the 50 t
        steel(importer="Exact SA", net_mass_t="50"),
        steel(importer="Big BV", net_mass_t="30"),
        steel(importer="Big BV", net_mass_t="30.5"),
    ]
    r = run(rows)
    assert line(r, 2)["de_minimis_exempt"] and line(r, 2)["certificates"] == 0.0
    hydrogen = line(r, 3)
    assert not hydrogen["de_minimis_exempt"]
    # hydrogen default (China): 29.304 tCO2e/t incl. mark-up; BM 5.089
    assert hydrogen["certificates"] == pytest.approx(5 * 29.304 - 5 * 0.975 * 5.089)
    assert line(r, 4)["de_minimis_exempt"]  # exactly 50 t: "does not exceed"
    assert not line(r, 5)["de_minimis_exempt"] and not line(r, 6)["de_minimis_exempt"]
    outcome = {(d.importer, d.exempt) for d in r.summary.de_minimis}
    assert outcome == {("Small GmbH", True), ("Exact SA", True), ("Big BV", False)}
    small = next(d for d in r.summary.de_minimis if d.importer == "Small GmbH")
    assert small.annex_i_mass_t == 30.0


def test_art2a_de_minimis_can_be_switched_off(run):
    r = run([steel(importer="Small GmbH", net_mass_t="30")], de_minimis=False)
    assert line(r, 2)["certificates"] > 0


def test_user_price_path_replaces_reference_prices(run, tmp_path):
    from conftest import write_csv

    from cbam_calc.engine import calculate
    from cbam_calc.model import CalcOptions
    from cbam_calc.rules.prices import load_price_path

    path = tmp_path / "path.csv"
    path.write_text("period,price_eur_per_tco2e\n2027,90\n2026Q3,70.5\n", encoding="utf-8")
    rows = [steel(import_date="2027-03-10"), steel(import_date="2026-08-01")]
    assert run(rows).lines["price_eur_per_tco2e"].tolist() == [78.82, 82.32]
    src = write_csv(tmp_path / "s.csv", rows)
    r = calculate(src, CalcOptions(), price_path=load_price_path(path))
    assert r.lines["price_eur_per_tco2e"].tolist() == [90.0, 70.5]
    assert r.lines["price_status"].tolist() == ["projection", "projection"]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("period,price_eur_per_tco2e\n2027,-5\n", "row 2, column 'price_eur_per_tco2e'"),
        ("period,price_eur_per_tco2e\nnext year,80\n", "row 2, column 'period'"),
        ("period,price\n2027,80\n", "missing column price_eur_per_tco2e"),
        ("period,price_eur_per_tco2e\n2027,80\n2027,81\n", "given twice"),
    ],
)
def test_bad_price_path_names_file_row_and_column(tmp_path, text, needle):
    from cbam_calc.errors import OptionError
    from cbam_calc.rules.prices import load_price_path

    path = tmp_path / "path.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(OptionError, match=needle):
        load_price_path(path)
