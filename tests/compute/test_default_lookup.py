"""The default-value lookup (compute.default_lookup, compute.lookup): one pass over the distinct
keys of the default-value lines and of the actual-data lines compared with default values, whose
answers, for the default-value lines alone, are those of a lookup of them alone; and figures that
do not depend on the order of the rows of the law's tables (IR 2025/2621 as amended by IR
2026/1740 Annex I, its Annex IV, IR 2025/2620's benchmarks) nor on the order of the lines."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from conftest import SAMPLES

from cbam_calc.compute.calculate import calculate
from cbam_calc.compute.default_lookup import default_values
from cbam_calc.compute.lookup import lookup
from cbam_calc.core.model import CalcOptions
from cbam_calc.inputs.validate import Issues
from cbam_calc.law import defaults
from cbam_calc.law.reference import reference_data

REF = reference_data()

# (CN code, country, route, sector, direct_only): Annex I country tables, the Other Countries and
# Territories table (Afghanistan lists none), a TARIC-keyed clinker, a key with no default value
KEYS = [
    ("72085120", "CN", "", "iron_steel", True),
    ("72085120", "IN", "", "iron_steel", True),
    ("76011010", "CN", "", "aluminium", True),
    ("25231000", "EG", "A", "cement", False),
    ("25232900", "AF", "", "cement", False),
    ("31021010", "TT", "", "fertilisers", False),
    ("72071111", "CN", "", "iron_steel", True),
]


def key_frame(picks: np.ndarray, years: np.ndarray) -> pd.DataFrame:
    """The default-value lookup's keys of one line per pick of KEYS, as compute_lines builds them."""
    cols = list(zip(*[KEYS[i] for i in picks])) if len(picks) else [[]] * 5
    return pd.DataFrame(
        {
            "cn_code": pd.Categorical(cols[0]),
            "country_iso2": pd.Categorical(cols[1]),
            "route": pd.Categorical(cols[2]),
            "year": np.asarray(years, dtype=np.int64),
            "sector": pd.Categorical(cols[3]),
            "direct_only": np.asarray(cols[4], dtype=bool),
        }
    )


def lookup_alone(frame: pd.DataFrame, mask: np.ndarray):
    return lookup(
        frame,
        mask,
        lambda u: defaults.resolve_default_values(u, REF),
        defaults.RESULT_COLUMNS,
        "default",
        Issues(len(frame)),
        str,
    )


def assert_same_lookup(got, expected) -> None:
    np.testing.assert_array_equal(got.codes, expected.codes)
    pd.testing.assert_frame_equal(got.table, expected.table)


@pytest.mark.parametrize("seed", range(6))
def test_default_value_lines_get_what_a_lookup_of_them_alone_gives(seed):
    """The shared pass (default-value lines and compared actual-data lines, IR 2025/2621 Annex I
    and the Other Countries table) restricted to the default-value lines is, codes and table of
    keys in the same order, the lookup of the default-value lines alone; shuffled lines, actual
    ones often first with keys of their own, two years (mark-up of 2026 and 2028)."""
    rng = np.random.default_rng(seed)
    n = 60
    picks = rng.integers(0, len(KEYS), n)
    frame = key_frame(picks, rng.choice([2026, 2028], n))
    on_default = rng.random(n) < 0.5
    on_default[picks == 2] = False  # a key only actual-data lines have: not in the default lines' table
    compared = ~on_default
    every, own = default_values(frame, on_default, compared, REF, Issues(n), str)
    assert_same_lookup(every, lookup_alone(frame, on_default | compared))
    assert_same_lookup(own, lookup_alone(frame, on_default))
    assert "76011010" in set(every.table["cn_code"]) and "76011010" not in set(own.table["cn_code"])
    # the answers per line are those of each line's own key
    see = own.num("see_default_tco2e_per_t")
    for i in np.flatnonzero(on_default)[:10]:
        alone = lookup_alone(frame.iloc[[i]].reset_index(drop=True), np.ones(1, dtype=bool))
        np.testing.assert_equal(see[i], alone.num("see_default_tco2e_per_t")[0])
    assert np.isnan(see[~on_default]).all()


@pytest.mark.parametrize(
    "share_default",
    [0.0, 1.0],
    ids=["no-default-value-line", "no-actual-line"],
)
def test_edges_of_the_shared_pass(share_default):
    """No default-value line: their lookup is empty, as a lookup of no line is (an empty table of
    the same columns); no actual-data line: the shared pass is theirs."""
    n = 12
    picks = np.arange(n) % len(KEYS)
    frame = key_frame(picks, np.full(n, 2026))
    on_default = np.full(n, share_default == 1.0)
    every, own = default_values(frame, on_default, ~on_default, REF, Issues(n), str)
    assert_same_lookup(own, lookup_alone(frame, on_default))
    assert len(own.table) == (len(KEYS) if share_default else 0)
    assert (own.codes >= 0).sum() == on_default.sum()
    assert len(every.table) == len(KEYS)  # the shared pass looked up every key either way


def shuffled_reference(seed: int):
    """The bundled reference data with the rows of the default-value tables (Annex I, Annex IV),
    the benchmarks (IR 2025/2620 Annex) and the CN goods in another order; nothing else read yet,
    so every cache of the lookups is built from the shuffled tables."""
    rng = np.random.default_rng(seed)
    out = dataclasses.replace(REF)  # a new object: no cached table or lookup index of REF
    for name in ("default_values", "annex_iv_defaults", "benchmarks", "goods"):
        table = getattr(REF, name)
        order = rng.permutation(len(table))
        shuffled = table.iloc[order]
        out.__dict__[name] = shuffled if name == "goods" else shuffled.reset_index(drop=True)
    assert not out.default_values.equals(REF.default_values)  # the test would prove nothing
    return out


@pytest.mark.parametrize(
    "sample",
    [
        "shipments_mixed_actual_default.xlsx",  # actual and default: the comparison with defaults
        "shipments_cn_steel.xlsx",
        "shipments_cement.csv",  # routes A/B, TARIC-keyed clinker
        "shipments_fertilisers.csv",
        "shipments_with_errors.csv",  # rejections: no default value, a route needed
    ],
)
def test_figures_do_not_depend_on_the_order_of_the_law_tables_rows(sample):
    """Every line's figures, the rejections, the summary (actual against default included) and
    the Parameters table are the same when the rows of IR 2025/2621's tables, IR 2025/2620's
    benchmarks and the CN goods come in another order: each lookup is by key, never by row."""
    options = CalcOptions(de_minimis=False)
    base = calculate(SAMPLES / sample, options, raise_if_empty=False)
    other = calculate(SAMPLES / sample, options, ref=shuffled_reference(7), raise_if_empty=False)
    pd.testing.assert_frame_equal(other.lines, base.lines)
    pd.testing.assert_frame_equal(other.rejected, base.rejected)
    pd.testing.assert_frame_equal(other.parameters, base.parameters)
    assert other.summary == base.summary
