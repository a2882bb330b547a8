"""The plain-language note of each line of the Lines table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cbam_calc.core.arrays import categorical, factorize_frame
from cbam_calc.law import de_minimis, free_allocation
from cbam_calc.law.reference import reference_data


def line_notes(out: pd.DataFrame) -> pd.Categorical:
    """A short plain-language note per line, built once per distinct combination of flags."""
    exempt = out["de_minimis_exempt"].to_numpy(dtype=bool)
    exempt_t = np.zeros(len(out))  # the threshold under which an exempt line's importer stayed
    if exempt.any():
        years, inverse = np.unique(out["year"].to_numpy(dtype=np.int64)[exempt], return_inverse=True)
        exempt_t[exempt] = np.array([de_minimis.threshold_t(int(y)) for y in years])[inverse]
    n = len(out)
    flags = pd.DataFrame(
        {
            "month": out["month_only"] if "month_only" in out else np.zeros(n, dtype=bool),
            "est_days": out["import_date_estimated_days"]
            if "import_date_estimated_days" in out
            else np.full(n, -1),
            "default": out["emissions_data"].eq("default"),
            "table": out["default_table"],
            "country": out["default_table_name"],
            "rate": out["default_markup_rate"].fillna(0).round(3),
            "ind_excl": out["direct_only"]
            & out["emissions_data"].eq("actual")
            & out["see_indirect_tco2e_per_t"].fillna(0).gt(0),
            "bm_proj": out["benchmark_projection"],
            "bm_pending": free_allocation.benchmark_revision_pending(out["year"])
            & out["benchmark_column"].ne(""),
            "complex": out["emissions_data"].eq("actual")
            & free_allocation.receives_free_allocation(out["sector"])
            & out["precursor_sefa_term_tco2e_per_t"].eq(0)
            & (out["benchmark_tco2e_per_t"] < out["column_b_tco2e_per_t"] - 1e-9),
            "bm_route": out["benchmark_route"],
            "bm_basis": out["benchmark_route_basis"],
            "price": out["price_status"],
            "art9": out["art9_track"],
            "exempt_t": exempt_t,
            "no_faa": ~free_allocation.receives_free_allocation(out["sector"]),
            # actual data that cost more than the default values would (compute.default_saving)
            "worse": out["actual_saving_eur"].lt(0)
            if "actual_saving_eur" in out
            else np.zeros(n, dtype=bool),
        }
    )
    codes, uniq = factorize_frame(flags)
    cited = {
        t: reference_data().table_meta(f"eu/{t}.csv")["citation"]
        for t in ("default_values", "annex_iv_defaults")
    }
    texts = []
    for f in uniq.itertuples(index=False):
        parts = []
        if f.est_days >= 0:
            parts.append(f"import date ESTIMATED: export date + {f.est_days} days (--from-export-date)")
        if f.month:
            parts.append("month only: the quarter's price applies")
        if f.default:
            where = {
                "country": f"{f.country} table",
                "other": "Other Countries and Territories",
                "annex_iv": "highest value, origin unknown",
            }.get(f.table, f.table)
            act = cited["annex_iv_defaults" if f.table == "annex_iv" else "default_values"]
            parts.append(f"default value {act} ({where}, +{f.rate:.0%} mark-up)")
        if f.ind_excl:
            parts.append("indirect emissions given but not counted (Annex II good)")
        if f.no_faa:
            parts.append("electricity: no free allocation")
        if f.complex:
            parts.append(
                "actual data: the Column A benchmark covers this good's own process only; "
                "give precursor_mass_t_per_t and precursor_benchmark_tco2e_per_t to add the "
                "precursors' free allocation (IR 2025/2620 Eq 4)"
            )
        if f.default and f.bm_route:  # the route indicator printed with the default value decides
            parts.append(f"benchmark route {f.bm_route}: {f.bm_basis}")
        if f.bm_proj:
            parts.append("benchmark after 2030 is a projection (2028-2030 values)")
        if f.bm_pending:
            parts.append(free_allocation.benchmark_revision_note())
        if f.price and f.price != "published":
            parts.append(f"certificate price: {f.price}")
        if f.art9:
            parts.append(f"Art 9 {f.art9} track (DRAFT rules)")
        if f.worse:
            parts.append("actual data cost more than the default values would: negative saving")
        if f.exempt_t:
            parts.append(
                f"de minimis: nothing owed if the importer's imports of CBAM goods in the year, from all "
                f"suppliers, stay at or under {f.exempt_t:g} t (Art 2a)"
            )
        texts.append("; ".join(parts))
    return categorical(codes, texts)
