"""Actual against default (issue 14): what a line's actual data save against the default values it
would take, worked by hand from the act's formulas and the bundled tables, and the certificates and
cost by period (quarter in 2026, month from 2027) that reconcile with the run's totals."""

from __future__ import annotations

import math

import pytest
from conftest import SAMPLES, line, steel, write_csv

from cbam_calc.compute.calculate import calculate
from cbam_calc.core.model import CalcOptions
from cbam_calc.law import defaults
from cbam_calc.law.parameters import parameter
from cbam_calc.law.prices import PriceBook
from cbam_calc.law.reference import reference_data

REF = reference_data()


def price(period: str) -> float:
    return PriceBook.from_reference(REF).lookup(period).price_eur_per_tco2e


def default_row(country: str, prefix: str):
    dv = REF.default_values
    return dv[(dv["country_iso2"] == country) & (dv["cn_prefix"] == prefix)].iloc[0]


def benchmark(cn: str, column: str, route: str = "") -> float:
    b = REF.benchmarks
    hit = b[(b["cn_code"] == cn) & (b["column"] == column) & (b["route"].fillna("") == route)]
    return float(hit["benchmark_tco2e_per_t"].iloc[0])


def test_default_values_annex_markup_saving_of_actual_data(run):
    """IR 2025/2621 (as amended by IR 2026/1740) Annex I: China's 7208 direct value marked up
    +10 % for 2026 (Annex II good: only direct counts); IR 2025/2620 Eq 6 with Column B of the
    route printed with it (C); Eq 2 with Column A for the actual line; Reg 2023/956 Art 21 Q1
    price for both; N = max(0, M x SEE - M x SEFA), no Art 9 (no default carbon price bundled)."""
    m, see_actual = 100.0, 1.2
    r = run([steel(see_direct=str(see_actual))])
    row = default_row("CN", "7208")
    rate = float(parameter("default_markup").at(2026, "general"))
    see_def = math.floor(float(row["direct_tco2e_per_t"]) * (1 + rate) * 1000 + 0.5 + 1e-9) / 1000
    factor = float(parameter("cbam_factor").at(2026))
    cscf = float(parameter("cscf").at(2026))
    n_def = m * see_def - m * factor * cscf * benchmark("72085120", "B", row["route"])
    n_act = m * see_actual - m * factor * cscf * benchmark("72085120", "A")
    p = price("2026Q1")
    saving = (n_def - n_act) * p
    got = line(r, 2)
    assert got["default_see_tco2e_per_t"] == pytest.approx(see_def)
    assert got["actual_saving_eur"] == pytest.approx(saving)
    assert got["actual_saving_eur_per_t"] == pytest.approx(saving / m)
    product = r.summary.actual_vs_default.products[0]
    assert product.cn_code == "72085120"
    assert product.default_certificates == pytest.approx(n_def, abs=1e-6)
    assert product.saving_eur == pytest.approx(round(saving, 2))
    assert r.summary.actual_vs_default.negative == []


def test_default_values_other_countries_fallback_art9_default_track_saving(run):
    """A country whose table has no value for the good takes Other Countries and Territories
    (IR 2025/2621 Annex I introduction); with a default carbon price for the country the
    default-value line takes the Art 9 default track (draft): R = P_default x SEE_def / P_ref x M,
    and so does the actual line without a price paid (auto track), with its own SEE. Cost on
    default values less cost, at the same Q2 price."""
    m, see_actual, p_default = 500.0, 1.0, 10.0  # over the 50 t of Art 2a
    iso = "BD"  # Bangladesh's table lists no value for 7208 (checked): the Other table applies
    dv = REF.default_values
    assert not ((dv["country_iso2"] == iso) & dv["cn_prefix"].str.startswith("7208")).any()
    rows = [steel(country=iso, see_direct=str(see_actual), import_date="2026-05-04", net_mass_t=str(m))]
    r = run(rows, default_carbon_price={iso: p_default})
    got = line(r, 2)
    row = default_row(defaults.OTHER, "7208")
    rate = float(parameter("default_markup").at(2026, "general"))
    see_def = defaults.round3(float(row["direct_tco2e_per_t"]) * (1 + rate))
    factor = float(parameter("cbam_factor").at(2026)) * float(parameter("cscf").at(2026))
    p_ref = PriceBook.from_reference(REF).reference_price(2026).price_eur_per_tco2e

    def owed(see: float, bm: float) -> float:  # N = max(0, embedded - FAA - R), R on the default track
        embedded, faa = m * see, m * factor * bm
        return max(0.0, embedded - faa - min(p_default * see / p_ref * m, max(0.0, embedded - faa)))

    n_def = owed(see_def, benchmark("72085120", "B", row["route"]))
    n_act = owed(see_actual, benchmark("72085120", "A"))  # auto: no price paid, the default track too
    assert got["art9_track"] == "default"
    assert got["default_see_tco2e_per_t"] == pytest.approx(see_def)
    assert got["actual_saving_eur"] == pytest.approx((n_def - n_act) * price("2026Q2"))


def test_negative_saving_is_shown_negative_with_the_codes(run):
    """Actual data above the default value cost more: the saving is negative, not 0, and the
    product is named in ``negative``."""
    r = run([steel(see_direct="9.0")])
    got = line(r, 2)
    assert got["actual_saving_eur"] < 0
    a = r.summary.actual_vs_default
    assert a.saving_eur == pytest.approx(round(got["actual_saving_eur"], 2))
    assert a.negative == ["72085120"]


def test_default_value_lines_have_no_saving_and_no_table_without_actual_data(run):
    r = run([steel(), steel(see_direct="1.0")])
    assert math.isnan(line(r, 2)["actual_saving_eur"])
    assert not math.isnan(line(r, 3)["actual_saving_eur"])
    only_default = run([steel()])
    assert only_default.summary.actual_vs_default is None
    assert "actual_saving_eur" not in only_default.lines.columns


def test_art2a_exempt_line_saves_nothing(run):
    """De minimis (Art 2a): an exempt importer owes nothing on either data, so saves 0."""
    r = run([steel(see_direct="1.0", net_mass_t="10")], de_minimis="on")
    got = line(r, 2)
    assert got["de_minimis_exempt"]
    assert got["actual_saving_eur"] == 0.0
    assert r.summary.actual_vs_default.saving_eur == 0.0


def test_art21_quarterly_2026_cost_by_quarter(run):
    """Reg 2023/956 Art 21 (Omnibus), IR 2025/2548: in 2026 a quarter's lines cost their
    certificates at that quarter's price; the quarters sum to the total."""
    r = run(
        [steel(import_date="2026-02-10"), steel(import_date="2026-03-30"), steel(import_date="2026-08-01")]
    )
    by = {p.period: p for p in r.summary.by_period}
    assert list(by) == ["2026Q1", "2026Q3"]  # sorted by period, no empty quarter
    certs = r.lines.groupby("price_period", observed=True)["certificates"].sum()
    assert by["2026Q1"].cost_eur == pytest.approx(round(certs["2026Q1"] * price("2026Q1"), 2))
    assert by["2026Q3"].cost_eur == pytest.approx(round(certs["2026Q3"] * price("2026Q3"), 2))
    assert by["2026Q1"].lines == 2 and by["2026Q1"].kind == "quarter"
    assert sum(p.cost_eur for p in r.summary.by_period) == pytest.approx(r.summary.cost_eur, abs=0.01)


def test_art21_weekly_2027_prices_summed_by_month(run, tmp_path):
    """From 2027 (Art 21(1a)) each line takes its application week's price (Tuesday to Monday,
    published the Monday before); a month's cost is its lines' certificates at their weekly prices,
    summed. Monday 1 Feb 2027 is in the week from Tue 26 Jan (2027-W04), which straddles two
    months: the line counts in February, by its date, at W04's price; 3 Feb is in W05."""
    path = tmp_path / "prices.csv"
    path.write_text("period,price_eur_per_tco2e\n2027-W04,80\n2027-W05,90\n2027-W09,100\n", encoding="utf-8")
    rows = [
        steel(import_date="2027-02-01"),  # Monday: the week published the Monday before, W04
        steel(import_date="2027-02-03"),  # W05
        steel(import_date="2027-03-03"),  # W09
    ]
    src = write_csv(tmp_path / "s.csv", rows)
    r = calculate(src, CalcOptions(), price_path=path, raise_if_empty=False)
    lines = r.lines
    assert list(lines["price_period"].astype(str)) == ["2027-W04", "2027-W05", "2027-W09"]
    assert list(lines["price_eur_per_tco2e"]) == [80.0, 90.0, 100.0]
    by = {p.period: p for p in r.summary.by_period}
    feb = lines[lines["import_date_used"].astype(str).str.startswith("2027-02")]
    assert by["2027-02"].kind == "month"
    assert by["2027-02"].cost_eur == pytest.approx(
        round(float((feb["certificates"] * feb["price_eur_per_tco2e"]).sum()), 2)
    )
    assert by["2027-02"].lines == 2
    assert sum(p.cost_eur for p in r.summary.by_period) == pytest.approx(r.summary.cost_eur, abs=0.01)
    assert all(p.projection for p in r.summary.by_period)  # a user price path is a projection


def test_sample_mixed_actual_default_reconciles():
    """samples/shipments_mixed_actual_default.xlsx: each pair declares the same goods with actual
    data and on default values; the saving of each actual line is the default twin's cost less its
    own, the lines sum to the product table, and the periods to the total."""
    r = calculate(SAMPLES / "shipments_mixed_actual_default.xlsx")
    lines = r.lines
    actual = lines[lines["emissions_data"] == "actual"]
    a = r.summary.actual_vs_default
    assert a.lines == len(actual)
    assert a.saving_eur == pytest.approx(round(float(actual["actual_saving_eur"].sum()), 2), abs=0.01)
    for p in a.products:
        mine = actual[actual["cn_code"] == p.cn_code]
        assert p.saving_eur == pytest.approx(float(mine["actual_saving_eur"].sum()), abs=0.01)
    assert sum(p.cost_eur for p in r.summary.by_period) == pytest.approx(r.summary.cost_eur, abs=0.01)


def test_negative_saving_line_says_so_in_its_note(run):
    r = run([steel(see_direct="9.0"), steel(see_direct="1.0")])
    assert "negative saving" in line(r, 2)["notes"]
    assert "negative saving" not in line(r, 3)["notes"]
