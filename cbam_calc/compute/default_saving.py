"""Actual against default: what a line's actual emissions data save against the default values
the same line would take without them (issue 14, what exporters asked for in the report).

For a computed line with actual data, the same line on default values, by the act's formulas and
the law's functions the engine uses (nothing here restates a rule):

    SEE_def  = default value of IR 2025/2621 as amended by IR 2026/1740, marked up for the year,
               the Other Countries and Territories table where the country lists none
               (law.defaults.resolve_default_values)
    BM_def   = IR 2025/2620 Column B, the route printed with that default value (Annex point 5;
               law.free_allocation.resolve_benchmarks with actual = False)
    SEFA_def = CBAM_factor(y) x CSCF(y) x BM_def      IR 2620 Eq 6 (Eq 3-4 are for actual data)
    R_def    = Art 9 draft on the track a default-value line takes (law.art9.choose_track): the
               default track where the country has a default carbon price, else none
    N_def    = max(0, M x SEE_def - M x SEFA_def - R_def)          Reg 2023/956 Art 22, Art 31
    saving   = (N_def - N_g) x P_cert(period of import)             Art 21; the same price

and after de minimis (Art 2a) an exempt line owes nothing either way: it saves 0. A negative
saving is actual data that cost more than default values would. Lines on default values, and
electricity (no default value), have no saving (NaN, shown blank). Worked only where lines have
actual data. The lookups are compute_lines' (``against_default``): the actual-data lines' default
values in the same pass as the default-value lines', the benchmarks of keys no default-value line
looked up resolved after them, once per distinct key; here only the arithmetic.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cbam_calc.compute.default_lookup import (
    AGAINST_DEFAULT_BENCHMARK,
    AGAINST_DEFAULT_CARBON_PRICE,
    AGAINST_DEFAULT_P_REF,
    AGAINST_DEFAULT_SEE,
)
from cbam_calc.core.arrays import factorize_frame
from cbam_calc.core.model import ActualVsDefault, CalcOptions, ProductSaving
from cbam_calc.law import art9, certificates, emissions, free_allocation
from cbam_calc.law.de_minimis import exempt_lines, waive
from cbam_calc.law.reference import ReferenceData
from cbam_calc.law.scope import ELECTRICITY

# per-line columns of the Lines table (also in compute.lines.LINE_COLUMNS)
DEFAULT_SEE = "default_see_tco2e_per_t"
SAVING_EUR = "actual_saving_eur"
SAVING_EUR_PER_T = "actual_saving_eur_per_t"
# per-line figures kept by a part (before de minimis), NaN where no comparison
COLUMNS = [DEFAULT_SEE, "default_embedded_tco2e", "default_certificates", "default_cost_eur"]
KEYS = ["importer", "year", "sector", "cn_code"]
SUMS = [
    "net_mass_t",
    "embedded_tco2e",
    "certificates",
    "cost_eur",
    "default_embedded_tco2e",
    "default_certificates",
    "default_cost_eur",
]


def compared(emissions_data, sector) -> np.ndarray:
    """Lines with a default value to compare with: actual data, not electricity."""
    return np.asarray(pd.Series(emissions_data).eq("actual")) & np.asarray(pd.Series(sector).ne(ELECTRICITY))


def default_counterfactual(
    lines: pd.DataFrame, cols: pd.DataFrame, options: CalcOptions
) -> pd.DataFrame | None:
    """The computed lines (``lines`` validated, ``cols`` of compute_lines with ``against_default``,
    the same rows) on default values: :data:`COLUMNS` per line (NaN where the line has no actual
    data, is electricity or has no default value), before de minimis; None where no line has
    actual data. compute_lines looked up the default values and benchmarks (once per distinct
    key, with the default-value lines'); this is the arithmetic."""
    mask = compared(cols["emissions_data"], cols["sector"])
    if not mask.any():
        return None
    n = len(lines)
    at = np.flatnonzero(mask)

    def of(name: str, frame: pd.DataFrame = cols) -> np.ndarray:
        return frame[name].to_numpy(dtype=float)[at]

    see = of(AGAINST_DEFAULT_SEE)
    dcp = of(AGAINST_DEFAULT_CARBON_PRICE)
    mass = of("net_mass_t", lines)
    nan = np.full(len(at), np.nan)
    sefa, _ = free_allocation.specific_embedded_free_allocation(
        of("cbam_factor"),
        of("cscf"),
        of(AGAINST_DEFAULT_BENCHMARK),
        nan,
        nan,
        nan,
        cols["sector"].iloc[at],
    )
    faa = free_allocation.free_allocation_adjustment(mass, sefa)
    embedded = emissions.embedded_emissions(mass, see)
    on_default = np.zeros(len(at), dtype=bool)
    track = art9.choose_track(options.art9, on_default, on_default, ~np.isnan(dcp))
    reduction = art9.reduction_tco2e(
        track,
        np.zeros(len(at)),
        dcp,
        see,
        of(AGAINST_DEFAULT_P_REF),
        mass,
        lines["carbon_price_evidenced"].to_numpy(dtype=bool)[at],
        embedded,
        faa,
    )
    n_default = np.where(np.isnan(see), np.nan, certificates.certificates(embedded, faa, reduction))
    cost = certificates.cost_eur(n_default, of("price_eur_per_tco2e"))
    out = {}
    for name, values in zip(COLUMNS, (see, embedded, n_default, cost)):
        full = np.full(n, np.nan)
        full[at] = values
        out[name] = full
    return pd.DataFrame(out, index=lines.index)


def line_saving(default_cost_eur: np.ndarray, cost_eur: np.ndarray, exempt: np.ndarray) -> np.ndarray:
    """What a line's actual data save, EUR: its cost on default values less its cost, both after
    de minimis (an exempt line owes nothing either way); NaN where there is no comparison."""
    return waive(default_cost_eur, exempt) - np.where(np.isnan(default_cost_eur), np.nan, cost_eur)


def saving_groups(before: pd.DataFrame, counter: pd.DataFrame | None) -> pd.DataFrame | None:
    """Sums by :data:`KEYS` of the compared lines (``before``: compute_part's keys and sums of the
    computed lines; ``counter``: :func:`default_counterfactual` of the same lines)."""
    if counter is None:
        return None
    take = np.flatnonzero(~np.isnan(counter["default_certificates"].to_numpy()))
    codes, uniq = factorize_frame(before[KEYS].iloc[take])
    out = uniq  # categorical keys stay codes: no string per group
    for c in SUMS:
        values = (counter if c.startswith("default_") else before)[c].to_numpy(dtype=float)[take]
        out[c] = np.bincount(codes, weights=values, minlength=len(uniq))
    out["n_lines"] = np.bincount(codes, minlength=len(uniq))
    return out


def saving_of(default_cost_eur: float, cost_eur: float, net_mass_t: float) -> dict[str, float | None]:
    """``saving_eur`` (cost on default values less cost, to the cent) and ``saving_eur_per_t``
    (None without tonnes) of a product or of the whole table."""
    saving = default_cost_eur - cost_eur
    return {
        "saving_eur": round(saving, 2),
        "saving_eur_per_t": round(saving / net_mass_t, 2) if net_mass_t else None,
    }


def actual_vs_default(
    groups: list[pd.DataFrame | None], exempt: set, ref: ReferenceData
) -> ActualVsDefault | None:
    """The products table: the parts' :func:`saving_groups` summed by CN code after de minimis
    (exempt importers' groups owe nothing, on either data), in CN code order."""
    present = [g for g in groups if g is not None and len(g)]
    if not present:
        return None
    g = present[0] if len(present) == 1 else pd.concat(present, ignore_index=True)
    if exempt:  # nothing exempt (the common case): no copy
        g = g.copy()
        hit = exempt_lines(g, g["sector"], exempt)
        for c in ("certificates", "cost_eur", "default_certificates", "default_cost_eur"):
            g[c] = waive(g[c].to_numpy(dtype=float), hit)
    by = g.groupby(["cn_code", "sector"], sort=False, observed=True)[[*SUMS, "n_lines"]].sum().reset_index()
    by = by.astype({"cn_code": str, "sector": str}).sort_values("cn_code", kind="stable")  # a few hundred
    desc = ref.goods["description"].to_dict()
    products = []
    for r in by.itertuples(index=False):
        mass = float(r.net_mass_t)
        products.append(
            ProductSaving(
                cn_code=str(r.cn_code),
                description=desc.get(str(r.cn_code), ""),
                sector=str(r.sector),
                lines=int(r.n_lines),
                net_mass_t=round(mass, 6),
                default_see_tco2e_per_t=round(float(r.default_embedded_tco2e) / mass, 6) if mass else 0.0,
                actual_see_tco2e_per_t=round(float(r.embedded_tco2e) / mass, 6) if mass else 0.0,
                default_certificates=round(float(r.default_certificates), 6),
                certificates=round(float(r.certificates), 6),
                default_cost_eur=round(float(r.default_cost_eur), 2),
                cost_eur=round(float(r.cost_eur), 2),
                **saving_of(float(r.default_cost_eur), float(r.cost_eur), mass),
            )
        )
    mass = float(by["net_mass_t"].sum())
    default_cost, cost = float(by["default_cost_eur"].sum()), float(by["cost_eur"].sum())
    return ActualVsDefault(
        products=products,
        lines=int(by["n_lines"].sum()),
        net_mass_t=round(mass, 6),
        default_cost_eur=round(default_cost, 2),
        cost_eur=round(cost, 2),
        **saving_of(default_cost, cost, mass),
        negative=[p.cn_code for p in products if p.saving_eur < 0],
    )
