"""Default values: IR 2025/2621 Annexes I and IV as amended by IR 2026/1740 (longest prefix, TARIC
keys, country fallback, mark-up on the published base value) and Annex IV.

Figures are worked by hand from ../shared/data/eu/ir_2026_1740/all_countries_2026_1740.csv (base
values) and the IR 2025/2620 benchmarks; the certificate price of Q1 2026 is the published 75.36."""

from __future__ import annotations

import pytest
from conftest import line, steel


def test_ir2621_annex_i_longest_prefix_match(run):
    # China lists 7219 11 00 at 8 digits and 7219 12 at 6 digits (both 5.580, marked 6.138)
    r = run([steel(cn_code="7219 11 00"), steel(cn_code="7219 12 10")])
    assert line(r, 2)["default_cn_prefix"] == "72191100"
    assert line(r, 3)["default_cn_prefix"] == "721912"
    assert line(r, 3)["see_tco2e_per_t"] == pytest.approx(6.138)
    # and a 4-digit heading where nothing longer is listed
    r = run([steel()])
    assert line(r, 2)["default_cn_prefix"] == "7208"


def test_ir2621_annex_i_dash_falls_back_to_other_countries(run):
    # Jordan is listed but shows a dash for grey Portland cement: the 'Other Countries and
    # Territories' value applies (total 1.44 x 1.10 = 1.584).
    r = run([{"cn_code": "2523 29 00", "country": "JO", "net_mass_t": "10", "import_date": "2026-03-01"}])
    x = line(r, 2)
    assert x["default_table"] == "other"
    assert x["see_tco2e_per_t"] == pytest.approx(1.584)


def test_ir2621_annex_i_country_without_table_uses_other_countries(run):
    # Afghanistan has no table of its own: Other Countries, heading 7208: 4.049 x 1.10 = 4.454
    r = run([steel(country="Afghanistan")])
    x = line(r, 2)
    assert x["default_table"] == "other"
    assert x["see_tco2e_per_t"] == pytest.approx(4.454)


def test_ir2621_art1_5_annex_iv_for_unknown_origin(run):
    # Annex IV highest value for 7208: 8.230, marked up for 2026: 9.053
    r = run([steel(country="unknown")])
    x = line(r, 2)
    assert x["default_table"] == "annex_iv"
    assert x["see_tco2e_per_t"] == pytest.approx(9.053)


def cement(cn_code: str, country: str = "CN", **kw) -> dict:
    row = {"cn_code": cn_code, "country": country, "net_mass_t": "1000", "import_date": "2026-03-10"}
    row.update(kw)
    return row


def test_ir2026_1740_clinker_8_digit_code_without_grade_is_rejected_with_the_two_taric_codes(run):
    r = run([cement("2523 10 00")])
    assert r.summary.lines == 0
    rej = r.rejected.iloc[0]
    assert (rej["row"], rej["column"], rej["value"]) == (2, "cn_code", "2523 10 00")
    assert rej["file"].endswith(".csv")
    assert "2523 10 00 10 (White clinker)" in rej["reason"]
    assert "2523 10 00 90 (Other clinker including grey clinker)" in rej["reason"]
    assert "route B (white clinker) or A (grey clinker)" in rej["reason"]
    r = run([cement("2523 90 00", route="C")])  # not a clinker grade
    assert "2523 90 00 10" in r.rejected.iloc[0]["reason"] and "2523 90 00 90" in r.rejected.iloc[0]["reason"]


def test_ir2026_1740_taric_code_that_contradicts_the_route_given_is_rejected(run):
    r = run([cement("2523 10 00 10", route="A")])  # white clinker declared with the grey grade
    assert r.summary.lines == 0
    rej = r.rejected.iloc[0]
    assert (rej["row"], rej["column"], rej["value"]) == (2, "route", "A")
    assert "TARIC 2523 10 00 10 is White clinker, route B" in rej["reason"]
    assert "2523 10 00 90" in rej["reason"]  # the code that route A names


# One case per good that IR 2026/1740 keys on a TARIC code (China's table, 2026: +10 %):
# code, base total, SEE = total x 1.10 rounded half up, route printed, Column B benchmark
TARIC_GOODS = [
    ("2523 10 00 10", 1.300, 1.430, "B", 0.859),  # white clinker; Column B (B) 0.859
    ("2523 10 00 90", 1.390, 1.529, "A", 0.666),  # other clinker incl. grey; Column B (A) 0.666
    ("2523 90 00 10", 1.460, 1.606, "B", 0.847),  # white hydraulic cement; Column B (B) 0.847
    ("2523 90 00 90", 1.360, 1.496, "A", 0.666),  # other hydraulic cements; Column B (A) 0.666
    ("2507 00 80 80", 0.320, 0.352, "", 0.666),  # calcined clay: no indicator, one Column B value
]


@pytest.mark.parametrize(("code", "total", "see", "route", "benchmark"), TARIC_GOODS)
def test_ir2026_1740_cement_goods_keyed_on_taric(run, code, total, see, route, benchmark):
    written = [code, code.replace(" ", "")]  # with or without spaces
    if code.startswith(("2523 10", "2523 90")):
        written.append(code[:10])  # the 8-digit code with the grade as route names the same good
    rows = [cement(c, route="" if len(c.replace(" ", "")) == 10 else route) for c in written]
    r = run(rows)
    assert r.summary.rejected == 0, r.rejected.to_dict("records")
    for i in range(len(rows)):
        x = line(r, i + 2)
        assert x["cn_code"] == code.replace(" ", "")[:8]
        assert x["default_cn_prefix"] == code.replace(" ", "")
        assert x["see_tco2e_per_t"] == pytest.approx(see) == round(total * 1.10, 3)
        assert x["benchmark_route"] == route and x["benchmark_tco2e_per_t"] == pytest.approx(benchmark)
        assert x["certificates"] == pytest.approx(
            1000 * see - 1000 * 0.975 * benchmark if see > 0.975 * benchmark else 0
        )
    assert not any("first 8 digits" in w for w in r.summary.warnings)


def test_ir2026_1740_calcined_clay_8_digit_code_is_the_one_taric_good_under_it(run):
    r = run([cement("2507 00 80")])
    assert line(r, 2)["default_cn_prefix"] == "2507008080"


def test_ir2026_1740_other_10_digit_code_is_computed_on_its_first_8_digits_with_one_note(run):
    # 7208 51 20 10 (a TARIC subdivision or national tariff line): China 7208 heading, 3.187 x 1.10
    r = run([steel(cn_code="7208 51 20 10"), steel(cn_code="7208512010"), steel(cn_code="7208 51 20")])
    assert r.summary.rejected == 0
    for row in (2, 3, 4):
        x = line(r, row)
        assert x["cn_code"] == "72085120" and x["see_tco2e_per_t"] == pytest.approx(3.506)
    notes = [w for w in r.summary.warnings if "first 8 digits" in w]
    assert notes == ["10-digit codes read as their first 8 digits: 7208512010 -> 7208 51 20 (2 line(s))"]
    # a 10-digit code under a heading that IR 2026/1740 splits by TARIC: the 8-digit rule then applies
    r = run([cement("2523 10 00 00")])
    assert r.rejected.iloc[0]["column"] == "cn_code" and "2523 10 00 10" in r.rejected.iloc[0]["reason"]
    r = run([cement("2523 10 00 00", route="B")])
    assert line(r, 2)["default_cn_prefix"] == "2523100010"
    assert "10-digit codes read as their first 8 digits: 2523100000 -> 2523 10 00 (1 line(s))" in (
        r.summary.warnings
    )


@pytest.mark.parametrize("written", [{"cn_code": "2523 10 00 10"}, {"cn_code": "2523 10 00", "route": "B"}])
def test_ir2621_annex_i_grey_clinker_value_is_no_value_for_white_clinker(run, written):
    # Bolivia lists other (grey) clinker 2523 10 00 90 only (0.900): white clinker takes the Other
    # Countries and Territories value, its published TOTAL 1.370 x 1.10 = 1.507 (not 1.320 + 0.060
    # marked up apart, 1.452 + 0.066 = 1.518). Column B white clinker (B) 0.859.
    # N = 1,000 x 1.507 - 1,000 x 0.975 x 1.0 x 0.859 = 1,507 - 837.525 = 669.475; x 75.36 = 50,451.64
    r = run([cement(**written, country="BO")])
    x = line(r, 2)
    assert (x["default_table"], x["default_cn_prefix"]) == ("other", "2523100010")
    assert x["see_tco2e_per_t"] == pytest.approx(1.507)
    assert x["benchmark_route"] == "B" and x["benchmark_tco2e_per_t"] == pytest.approx(0.859)
    assert x["certificates"] == pytest.approx(669.475)
    assert x["price_eur_per_tco2e"] == pytest.approx(75.36)
    assert r.summary.cost_eur == pytest.approx(50451.64, abs=0.005)


def test_ir2621_annex_i_white_clinker_value_is_no_value_for_grey_clinker(run):
    # Jordan lists white clinker only (1.330): grey clinker takes the Other table's total 1.410 x 1.10
    # = 1.551; Column B grey (A) 0.666; N = 1,551 - 0.975 x 666 = 901.65
    r = run([cement("2523 10 00 90", country="JO")])
    x = line(r, 2)
    assert (x["default_table"], x["default_cn_prefix"]) == ("other", "2523100090")
    assert x["see_tco2e_per_t"] == pytest.approx(1.551)
    assert x["certificates"] == pytest.approx(901.65)
    assert line(run([cement("2523 10 00 10", country="JO")]), 2)["see_tco2e_per_t"] == pytest.approx(1.463)


# The five values of the Other Countries and Territories table that IR 2026/1740 changed
# (DIFF_CN.md; all direct-only steel): base value and base x 1.10 rounded half up to 3 decimals.
OTHER_TABLE_CHANGES = [
    ("7226 20 00", 5.500, 6.050),  # was 5.588
    ("7306 30 18", 4.090, 4.499),  # was 4.091
    ("7306 50 21", 4.128, 4.541),  # was 4.129
    ("7306 50 29", 4.056, 4.462),  # was 4.057
    ("7306 50 80", 4.128, 4.541),  # was 4.129
]


@pytest.mark.parametrize(("cn_code", "base", "see"), OTHER_TABLE_CHANGES)
def test_ir2026_1740_other_countries_table_changed_values(run, cn_code, base, see):
    r = run([steel(cn_code=cn_code, country="Afghanistan")])  # no table of its own
    x = line(r, 2)
    assert x["default_table"] == "other" and x["direct_only"]
    assert x["see_tco2e_per_t"] == pytest.approx(see)
    from cbam_calc.law import defaults
    from cbam_calc.law.reference import reference_data

    one = defaults.resolve_one(reference_data(), x["cn_code"], "AF", "", 2026, "iron_steel", True)
    assert one["default_direct_base_tco2e_per_t"] == pytest.approx(base)


def test_ir2026_1740_markup_rounding_is_half_up_to_3_decimals_on_every_published_value():
    # The mark-up is applied once to the published base value (default_markup.yaml: half up, 3
    # decimals): check round3 against exact decimal arithmetic for every value and rate.
    from decimal import ROUND_HALF_UP, Decimal

    from cbam_calc.law.defaults import round3
    from cbam_calc.law.reference import DATA_DIR, read_commented_csv

    table = read_commented_csv(DATA_DIR / "eu" / "default_values.csv")
    values = {v for c in ("direct_tco2e_per_t", "total_tco2e_per_t") for v in table[c] if v}
    for v in sorted(values):
        for rate in ("0.10", "0.20", "0.30", "0.01"):
            exact = (Decimal(v) * (1 + Decimal(rate))).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
            assert round3(float(v) * (1 + float(rate))) == float(exact), (v, rate)


@pytest.mark.parametrize(
    ("year", "expected", "rate"),
    [(2026, 3.506, 0.10), (2027, 3.824, 0.20), (2028, 4.143, 0.30), (2030, 4.143, 0.30), (2034, 4.143, 0.30)],
)
def test_ir2621_markup_by_year(run, year, expected, rate):
    # China 7208: direct 3.187 -> published 3.506 / 3.824 / 4.143 (+10 / +20 / +30 %)
    r = run([steel()], year=year)
    x = line(r, 2)
    assert x["see_tco2e_per_t"] == pytest.approx(expected)
    assert x["default_markup_rate"] == pytest.approx(rate)
    assert expected == pytest.approx(round(3.187 * (1 + rate), 3))


@pytest.mark.parametrize("year", [2026, 2027, 2028, 2031])
def test_ir2621_fertiliser_markup_is_one_percent_every_year(run, year):
    # China urea 3102 10 90: total 2.780 x 1.01 = 2.808 whatever the year
    r = run(
        [{"cn_code": "3102 10 90", "country": "CN", "net_mass_t": "10", "import_date": "2026-03-01"}],
        year=year,
    )
    x = line(r, 2)
    assert x["see_tco2e_per_t"] == pytest.approx(2.808)
    assert x["default_markup_rate"] == pytest.approx(0.01)


def test_cn_2026_urea_code_split_is_explained(run):
    r = run([{"cn_code": "3102 10 10", "country": "CN", "net_mass_t": "10", "import_date": "2026-03-01"}])
    assert "3102 10 12" in r.rejected.iloc[0]["reason"]


@pytest.mark.slow
def test_ir2621_bulk_resolution_equals_the_per_key_rules_for_every_cn_code():
    """resolve_default_values (array lookups) gives, for every Annex I CN code, origin (own table,
    dash -> Other Countries, no table, unknown -> Annex IV), route and year, exactly what
    resolve_one (the IR 2621 rules one key at a time) gives, messages included."""
    import itertools

    import numpy as np
    import pandas as pd

    from cbam_calc.law import defaults
    from cbam_calc.law.reference import reference_data

    ref = reference_data()
    goods = ref.goods
    countries = ["CN", "IN", "TR", "UA", "NO", "BR", "ZA", "XX", "ZZ"]
    keys = pd.DataFrame(
        [
            (cn, c, r, y, goods.at[cn, "sector"], bool(goods.at[cn, "direct_only"]))
            for cn, c, r, y in itertools.product(
                goods.index, countries, ["", "A", "B", "C"], [2026, 2027, 2031]
            )
        ],
        columns=["cn_code", "country_iso2", "route", "year", "sector", "direct_only"],
    )
    bulk = defaults.resolve_default_values(keys, ref)
    one = pd.DataFrame.from_records(
        [defaults.resolve_one(ref, cn, c, r, y, s, d) for cn, c, r, y, s, d in keys.itertuples(index=False)],
        columns=defaults.RESULT_COLUMNS,
    )
    assert bulk["default_table"].eq("annex_iv").any() and bulk["default_table"].eq("other").any()
    assert (
        bulk["default_reject_column"].eq("cn_code").any()  # clinker and cement without their grade
        and bulk["default_reject_column"].eq("see_direct").any()
    )
    assert bulk["default_cn_prefix"].str.len().eq(10).any()  # TARIC-keyed goods named by the grade
    for c in defaults.RESULT_COLUMNS:
        if c in defaults.TEXT_RESULTS:
            assert bulk[c].tolist() == one[c].tolist(), c
        else:
            np.testing.assert_array_equal(
                bulk[c].to_numpy(dtype=float), one[c].to_numpy(dtype=float), err_msg=c
            )
