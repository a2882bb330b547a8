"""The plain-language note of each line of the Lines table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cbam_calc.core.arrays import categorical, factorize_frame
from cbam_calc.core.messages import Message
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
    M = Message
    texts = []
    for f in uniq.itertuples(index=False):
        parts = []
        if f.est_days >= 0:
            parts.append(M("N_IMPORT_DATE_ESTIMATED", days=int(f.est_days)))
        if f.month:
            parts.append(M("N_MONTH_ONLY"))
        if f.default:
            where = {
                "country": M("N_TABLE_COUNTRY", country=f.country),
                "other": M("N_TABLE_OTHER"),
                "annex_iv": M("N_TABLE_ANNEX_IV"),
            }.get(f.table, f.table)
            act = cited["annex_iv_defaults" if f.table == "annex_iv" else "default_values"]
            parts.append(M("N_DEFAULT_VALUE", act=act, where=where, rate=f"{f.rate:.0%}"))
        if f.ind_excl:
            parts.append(M("N_INDIRECT_NOT_COUNTED"))
        if f.no_faa:
            parts.append(M("N_NO_FREE_ALLOCATION"))
        if f.complex:
            parts.append(M("N_COLUMN_A_OWN_PROCESS"))
        if f.default and f.bm_route:  # the route indicator printed with the default value decides
            parts.append(M("N_BENCHMARK_ROUTE", route=f.bm_route, basis=f.bm_basis))
        if f.bm_proj:
            parts.append(M("N_BENCHMARK_PROJECTION"))
        if f.bm_pending:
            parts.append(free_allocation.benchmark_revision_note())
        if f.price and f.price != "published":
            parts.append(M("N_PRICE_STATUS", status=f.price))
        if f.art9:
            parts.append(M("N_ART9_TRACK", track=f.art9))
        if f.worse:
            parts.append(M("N_NEGATIVE_SAVING"))
        if f.exempt_t:
            parts.append(M("N_DE_MINIMIS", threshold=f"{f.exempt_t:g}"))
        texts.append(M("N_NOTES", parts=parts) if len(parts) > 1 else parts[0] if parts else "")
    return categorical(codes, texts)
