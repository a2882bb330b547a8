"""The default-value lookup of compute_lines: one pass over the distinct (CN code, country, route,
year) keys answers both the lines on default values and, with ``against_default``, the actual-data
lines that compute.default_saving compares with the default values they would take.

    SEE_def = default value of IR 2025/2621 as amended by IR 2026/1740, marked up for the year
              (law.defaults.resolve_default_values)
    BM_def  = IR 2025/2620 Column B, the route printed with that default value (Annex point 5;
              law.free_allocation.resolve_benchmarks with actual = False)

Only a default-value line is rejected for want of a default value; an actual-data line without
one is simply not compared (NaN in the :data:`AGAINST_DEFAULT` columns).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cbam_calc.compute.lookup import Lookup, lookup
from cbam_calc.core.arrays import factorize_frame
from cbam_calc.inputs.validate import Issues
from cbam_calc.law import defaults, free_allocation
from cbam_calc.law.reference import ReferenceData

# an actual-data line on default values (compute_lines with against_default; compute.default_saving):
# its default SEE and Column B benchmark (NaN where either is missing: no comparison), and the Art 9
# default carbon price of its country and P_ref of its year, whatever its own track; not columns
# of the Lines table
AGAINST_DEFAULT_SEE = "against_default_see_tco2e_per_t"
AGAINST_DEFAULT_BENCHMARK = "against_default_benchmark_tco2e_per_t"
AGAINST_DEFAULT_CARBON_PRICE = "against_default_carbon_price_eur_per_tco2e"
AGAINST_DEFAULT_P_REF = "against_default_reference_price_eur_per_tco2e"
AGAINST_DEFAULT = [
    AGAINST_DEFAULT_SEE,
    AGAINST_DEFAULT_BENCHMARK,
    AGAINST_DEFAULT_CARBON_PRICE,
    AGAINST_DEFAULT_P_REF,
]


def default_values(
    frame: pd.DataFrame,
    on_default: np.ndarray,
    compared: np.ndarray,
    ref: ReferenceData,
    issues: Issues,
    header,
) -> tuple[Lookup, Lookup]:
    """The default values of the ``on_default`` and ``compared`` lines (``frame``: cn_code,
    country_iso2, route, year, sector, direct_only per line), looked up once per distinct key of
    either: the lookup of every line looked up, for :func:`against_default_columns`, and that of
    the ``on_default`` lines alone, as a lookup of them only would make it (their keys in order of
    first appearance among them: the Parameters sheet lists them in that order). The
    ``on_default`` lines the law gives no default value are added to ``issues``."""
    every = lookup(
        frame,
        on_default | compared,
        lambda u: defaults.resolve_default_values(u, ref),
        defaults.RESULT_COLUMNS,
        "default",
        issues,
        header,
        reject=on_default,
    )
    own = every.of(on_default)
    return every, own


def against_default_columns(
    every: Lookup,
    benchmarks: pd.DataFrame,
    compared: np.ndarray,
    ref: ReferenceData,
    default_price: np.ndarray,
    p_ref: np.ndarray,
) -> dict[str, np.ndarray]:
    """The :data:`AGAINST_DEFAULT` columns of every line (NaN but for the ``compared`` lines'
    SEE and benchmark): ``every`` and ``benchmarks`` are compute_lines' default-value lookup
    (:func:`default_values`) and benchmark lookup table; ``default_price`` and ``p_ref`` its Art 9
    default carbon price and reference price per line."""
    see_def, bm_def = _default_see_and_benchmark(every, benchmarks, compared, ref)
    return {
        AGAINST_DEFAULT_SEE: see_def,
        AGAINST_DEFAULT_BENCHMARK: bm_def,
        AGAINST_DEFAULT_CARBON_PRICE: default_price,
        AGAINST_DEFAULT_P_REF: p_ref,
    }


def _default_see_and_benchmark(
    every: Lookup, benchmarks: pd.DataFrame, compared: np.ndarray, ref: ReferenceData
) -> tuple[np.ndarray, np.ndarray]:
    """The ``compared`` lines' default SEE (``every``: the default-value lookup of every line) and
    Column B benchmark of the route printed with that default value (IR 2025/2620 Annex point 5;
    free_allocation.resolve_benchmarks with actual = False), NaN where either is missing. The
    benchmark once per distinct key: a key a default-value line looked up already (in
    ``benchmarks``, compute_lines' benchmark lookup) keeps its answer, the others are resolved."""
    dv = every.table
    used = np.zeros(len(dv), dtype=bool)
    used[every.codes[compared]] = True  # the default-value keys of the compared lines
    at = np.flatnonzero(used)
    # a benchmark key per default-value key: the country matters only through the route
    keys = pd.DataFrame(
        {
            "cn_code": dv["cn_code"].to_numpy(dtype=object)[at],
            "actual": np.zeros(len(at), dtype=bool),
            "route": dv["route"].to_numpy(dtype=object)[at],
            "default_route": dv["default_route"].fillna("").astype(str).to_numpy(dtype=object)[at],
            "year": dv["year"].to_numpy(dtype=np.int64)[at],
            "sector": dv["sector"].to_numpy(dtype=object)[at],
        }
    )
    known = benchmarks[keys.columns] if len(benchmarks) else keys.iloc[:0]
    codes, uniq = factorize_frame(pd.concat([known, keys], ignore_index=True))
    # each distinct key's answer: the row of `benchmarks` that has it, else a new resolution
    k = len(uniq)
    row_of = np.full(k, -1, dtype=np.int64)
    row_of[codes[: len(known)][::-1]] = np.arange(len(known) - 1, -1, -1)
    new = np.flatnonzero(row_of < 0)
    value = np.full(k, np.nan)
    reason = np.full(k, "", dtype=object)
    if len(known):
        old = row_of >= 0
        value[old] = pd.to_numeric(benchmarks["benchmark_tco2e_per_t"], errors="coerce").to_numpy(
            dtype=float
        )[row_of[old]]
        reason[old] = benchmarks["benchmark_reject_reason"].fillna("").to_numpy(dtype=object)[row_of[old]]
    if len(new):
        bm = free_allocation.resolve_benchmarks(uniq.iloc[new].reset_index(drop=True), ref)
        value[new] = pd.to_numeric(bm["benchmark_tco2e_per_t"], errors="coerce").to_numpy(dtype=float)
        reason[new] = bm["benchmark_reject_reason"].fillna("").to_numpy(dtype=object)
    bcode = np.full(len(dv), -1, dtype=np.int64)
    bcode[at] = codes[len(known) :]
    ok = np.zeros(len(dv) + 1, dtype=bool)  # per default-value key; code -1 takes the trailing False
    ok[at] = dv["default_reject_reason"].fillna("").to_numpy(dtype=object)[at] == ""
    ok[at] &= reason[bcode[at]] == ""
    see = np.append(
        pd.to_numeric(dv["see_default_tco2e_per_t"], errors="coerce").to_numpy(dtype=float), np.nan
    )
    bench = np.full(len(dv) + 1, np.nan)
    bench[at] = value[bcode[at]]
    line = np.where(compared, every.codes, -1)
    keep = ok[line]
    return np.where(keep, see[line], np.nan), np.where(keep, bench[line], np.nan)
