"""Properties of the engine that must hold for every input (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbam_calc.compute.aggregate import headline_figures
from cbam_calc.compute.lines import compute_lines
from cbam_calc.core.model import CalcOptions
from cbam_calc.law.de_minimis import apply_de_minimis
from cbam_calc.law.prices import PriceBook
from cbam_calc.law.reference import reference_data

pytestmark = pytest.mark.slow  # hypothesis: 25 generated cases a property

REF = reference_data()
PRICE = 80.0
OPTIONS = CalcOptions(price_eur_per_tco2e=PRICE, de_minimis=False, fx={"CNY": 8.0})

# goods that compute with defaults from these origins, and whether actual data needs a route
GOODS = [
    ("72085120", ""),
    ("72071111", "C"),
    ("76011010", "K"),
    ("76042100", ""),
    ("25232900", ""),
    ("25231000", "A"),
    ("28141000", ""),
    ("31021090", ""),
    ("26011200", ""),
    ("72191100", ""),
    ("28041000", ""),
]
COUNTRIES = ["CN", "IN", "TR", "EG", "AF", "VN"]

line = st.fixed_dictionaries(
    {
        "good": st.sampled_from(GOODS),
        "country_iso2": st.sampled_from(COUNTRIES),
        "net_mass_t": st.floats(0.1, 5000, allow_nan=False),
        "see_direct": st.one_of(st.none(), st.floats(0, 12, allow_nan=False)),
        "see_indirect": st.floats(0, 1, allow_nan=False),
        "quarter": st.integers(1, 4),
        "paid": st.one_of(st.none(), st.floats(0, 500, allow_nan=False)),
        "free": st.floats(0, 1, allow_nan=False),
    }
)


def frame(items: list[dict], year: int = 2026) -> pd.DataFrame:
    rows = []
    for i, x in enumerate(items):
        cn, route = x["good"]
        actual = x["see_direct"] is not None
        paid = x["paid"] if actual else None
        rows.append(
            {
                "row": i + 2,
                "cn_code": cn,
                "country_iso2": x["country_iso2"],
                "net_mass_t": x["net_mass_t"],
                "import_date": pd.NaT,
                "year": year,
                "quarter": x["quarter"],
                "see_direct": x["see_direct"] if actual else np.nan,
                "see_indirect": x["see_indirect"] if actual else np.nan,
                "route": route,
                "installation": "",
                "importer": "",
                "carbon_price_paid": np.nan if paid is None else paid,
                "carbon_price_currency": "CNY" if paid is not None else "",
                "carbon_price_per_tco2e": True,
                "carbon_price_rebate": np.nan,
                "carbon_price_free_share": x["free"],
                "carbon_price_evidenced": True,
                "precursor_mass_t_per_t": np.nan,
                "precursor_sefa_tco2e_per_t": np.nan,
                "precursor_benchmark_tco2e_per_t": np.nan,
            }
        )
    df = pd.DataFrame(rows)
    df["import_date"] = pd.to_datetime(df["import_date"])
    return df


def compute(df: pd.DataFrame, options: CalcOptions = OPTIONS) -> pd.DataFrame:
    comp = compute_lines(df, REF, options, PriceBook.from_reference(REF, PRICE))
    assert not comp.issues.bad.any(), comp.issues.reason[comp.issues.bad]
    cols = comp.columns
    exempt, _ = apply_de_minimis(cols, df, options.de_minimis)
    cols = cols.assign(certificates=np.where(exempt, 0.0, cols["certificates"]))
    return cols.assign(cost_eur=cols["certificates"] * cols["price_eur_per_tco2e"])


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.lists(line, min_size=1, max_size=12))
def test_certificates_never_negative_and_lines_sum_to_total(items):
    df = frame(items)
    out = compute(df)
    assert (out["certificates"] >= 0).all()
    assert (out["art9_reduction_tco2e"] >= 0).all()
    totals = headline_figures(out.assign(net_mass_t=df["net_mass_t"]))
    assert totals["certificates"] == pytest.approx(out["certificates"].sum(), abs=1e-5)
    assert totals["cost_eur"] == pytest.approx(out["cost_eur"].sum(), abs=0.006)
    assert totals["embedded_tco2e"] == pytest.approx(out["embedded_tco2e"].sum(), abs=1e-5)


@SETTINGS
@given(line, st.floats(0.01, 5, allow_nan=False))
def test_more_embedded_emissions_never_lower_the_levy(x, extra):
    x = {**x, "see_direct": x["see_direct"] if x["see_direct"] is not None else 1.0}
    more = {**x, "see_direct": x["see_direct"] + extra}
    low, high = compute(frame([x])), compute(frame([more]))
    assert high["cost_eur"].iat[0] >= low["cost_eur"].iat[0] - 1e-9


@SETTINGS
@given(line, st.integers(2026, 2033))
def test_a_later_year_never_lowers_the_levy(x, year):
    a, b = compute(frame([x], year)), compute(frame([x], year + 1))
    assert b["cost_eur"].iat[0] >= a["cost_eur"].iat[0] - 1e-9


@SETTINGS
@given(st.lists(line, min_size=1, max_size=8), st.floats(0.1, 100, allow_nan=False))
def test_scaling_mass_scales_the_levy(items, k):
    base = compute(frame(items))
    scaled = compute(frame([{**x, "net_mass_t": x["net_mass_t"] * k} for x in items]))
    assert np.allclose(scaled["cost_eur"], base["cost_eur"] * k, rtol=1e-9, atol=1e-9)


@SETTINGS
@given(st.lists(line, min_size=1, max_size=8))
def test_art9_reduction_never_exceeds_the_levy_before_it(items):
    with_art9 = compute(frame(items))
    without = compute(frame(items), OPTIONS.model_copy(update={"art9": "off"}))
    before = without["certificates"].to_numpy()
    assert (with_art9["art9_reduction_tco2e"].to_numpy() <= before + 1e-9).all()
    assert (with_art9["certificates"].to_numpy() <= before + 1e-9).all()
