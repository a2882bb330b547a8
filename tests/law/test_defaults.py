"""Default values: IR 2025/2621 Annex I (longest prefix, country fallback, mark-up) and Annex IV."""

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


def test_ir2621_clinker_needs_its_route(run):
    r = run([{"cn_code": "2523 10 00", "country": "CN", "net_mass_t": "10", "import_date": "2026-03-01"}])
    assert r.summary.lines == 0
    assert r.rejected.iloc[0]["column"] == "route"
    assert "grey clinker" in r.rejected.iloc[0]["reason"]
    # China grey clinker (route A): total 1.390 x 1.10 = 1.529; Column B route A = 0.666
    r = run(
        [
            {
                "cn_code": "2523 10 00",
                "country": "CN",
                "net_mass_t": "10",
                "import_date": "2026-03-01",
                "route": "A",
            }
        ]
    )
    x = line(r, 2)
    assert x["see_tco2e_per_t"] == pytest.approx(1.529)
    assert x["benchmark_tco2e_per_t"] == pytest.approx(0.666)


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
        bulk["default_reject_column"].eq("route").any()
        and bulk["default_reject_column"].eq("see_direct").any()
    )
    for c in defaults.RESULT_COLUMNS:
        if c in defaults.TEXT_RESULTS:
            assert bulk[c].tolist() == one[c].tolist(), c
        else:
            np.testing.assert_array_equal(
                bulk[c].to_numpy(dtype=float), one[c].to_numpy(dtype=float), err_msg=c
            )
