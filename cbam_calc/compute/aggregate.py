"""Sums of computed lines by keys, the headline figures of a table of lines or groups, and the
tables of a report.

Groups are combinable by summing again, so partitions of a big input (Dask, batches) reduce to the
same figures as one table.

The tables of a report (shared by the workbook, the HTML page and the JSON of a batch): a run's
computed lines are reduced once to sums by every key a report groups on (the "fine" aggregate: one
row per distinct year, sector, CN code, country, importer and installation), and every table (by
sector, by CN code, by country, by member ...) is a roll-up of those sums. A batch merges the fine
aggregates of its files, so the association's totals never need the lines of all its members at
once (see :mod:`cbam_calc.compute.batch`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cbam_calc.core.arrays import factorize_frame
from cbam_calc.law.reference import reference_data
from cbam_calc.law.scope import ELECTRICITY


def headline_figures(df: pd.DataFrame) -> dict:
    """Headline figures of a table of lines, or of groups from :func:`aggregate` (``_lines``)."""
    elec = df["sector"].eq(ELECTRICITY).to_numpy()
    mass = df["net_mass_t"].to_numpy(dtype=float)
    cost = df["cost_eur"].to_numpy(dtype=float)
    goods_mass = float(mass[~elec].sum())
    goods_cost = float(cost[~elec].sum())
    return {
        "lines": int(df["_lines"].sum()) if "_lines" in df.columns else len(df),
        "net_mass_t": round(goods_mass, 6),
        "electricity_mwh": round(float(mass[elec].sum()), 6),
        "embedded_tco2e": round(float(df["embedded_tco2e"].sum()), 6),
        "free_allocation_tco2e": round(float(df["free_allocation_tco2e"].sum()), 6),
        "art9_reduction_tco2e": round(float(df["art9_reduction_tco2e"].sum()), 6),
        "certificates": round(float(df["certificates"].sum()), 6),
        "cost_eur": round(float(cost.sum()), 2),
        "eur_per_t": round(goods_cost / goods_mass, 2) if goods_mass > 0 else None,
    }


# Keys of the summary groups: what the summary, the Parameters table and de minimis need.
GROUP_KEYS = [
    "importer",
    "year",
    "sector",
    "cn_code",
    "price_period",
    "benchmark_projection",
    "art9_track",
    "emissions_data",
]
# Keys of the report groups: what the report tables (by country, by installation ...) roll up.
REPORT_KEYS = ["year", "sector", "cn_code", "country_iso2", "importer", "installation"]
GROUP_SUMS = [
    "net_mass_t",
    "embedded_tco2e",
    "free_allocation_tco2e",
    "art9_reduction_tco2e",
    "certificates",
    "cost_eur",
]


def aggregate(out: pd.DataFrame, keys: list[str] = GROUP_KEYS) -> pd.DataFrame:
    """Sums of computed lines by ``keys``, BEFORE de minimis: small, and combinable by summing
    again, so partitions of a big input (Dask, batches) reduce to the same figures. Keys are
    factorised (categorical codes) and summed with bincount: no Python object per line."""
    codes, uniq = factorize_frame(out[keys])
    k = len(uniq)
    table = uniq.astype(object)
    for c in GROUP_SUMS:
        table[c] = np.bincount(codes, weights=out[c].to_numpy(dtype=float), minlength=k)
    table["_lines"] = np.bincount(codes, minlength=k).astype(np.int64)
    table["year"] = table["year"].astype(np.int64)
    if "benchmark_projection" in table:
        table["benchmark_projection"] = table["benchmark_projection"].astype(bool)
    return table


def combine(groups: list[pd.DataFrame], keys: list[str] = GROUP_KEYS) -> pd.DataFrame:
    """Several aggregates (one per partition or file) as one."""
    present = [g for g in groups if len(g)]
    if not present:
        return pd.DataFrame(columns=[*keys, *GROUP_SUMS, "_lines"])
    if len(present) == 1:
        return present[0]
    frame = pd.concat(present, ignore_index=True)
    return frame.groupby(keys, sort=False, dropna=False, observed=True).sum().reset_index()


def headline_figures_by(df: pd.DataFrame, key: str) -> list[tuple[str, dict]]:
    """figures for each value of ``key`` of a group table, in one groupby."""
    if df.empty:
        return []
    elec = df["sector"].eq(ELECTRICITY).to_numpy()
    mass = df["net_mass_t"].to_numpy(dtype=float)
    cost = df["cost_eur"].to_numpy(dtype=float)
    t = (
        pd.DataFrame(
            {
                key: df[key].astype(str).to_numpy(),
                "lines": df["_lines"].to_numpy(),
                "goods_mass": np.where(elec, 0.0, mass),
                "mwh": np.where(elec, mass, 0.0),
                "goods_cost": np.where(elec, 0.0, cost),
                "cost": cost,
                **{
                    c: df[c].to_numpy(dtype=float)
                    for c in (
                        "embedded_tco2e",
                        "free_allocation_tco2e",
                        "art9_reduction_tco2e",
                        "certificates",
                    )
                },
            }
        )
        .groupby(key, sort=True)
        .sum()
    )
    out = []
    for k, r in t.iterrows():
        out.append(
            (
                str(k),
                {
                    "lines": int(r["lines"]),
                    "net_mass_t": round(float(r["goods_mass"]), 6),
                    "electricity_mwh": round(float(r["mwh"]), 6),
                    "embedded_tco2e": round(float(r["embedded_tco2e"]), 6),
                    "free_allocation_tco2e": round(float(r["free_allocation_tco2e"]), 6),
                    "art9_reduction_tco2e": round(float(r["art9_reduction_tco2e"]), 6),
                    "certificates": round(float(r["certificates"]), 6),
                    "cost_eur": round(float(r["cost"]), 2),
                    "eur_per_t": round(float(r["goods_cost"]) / float(r["goods_mass"]), 2)
                    if r["goods_mass"] > 0
                    else None,
                },
            )
        )
    return out


# ---------------------------------------------------------------------------- report tables
FINE_KEYS = ["year", "sector", "cn_code", "description", "country_iso2", "importer", "installation"]
# Sums that roll up by addition; the goods (non-electricity) split makes EUR per t exact after merging.
SUMS = [
    "lines",
    "goods_mass_t",
    "electricity_mwh",
    "embedded_tco2e",
    "free_allocation_tco2e",
    "art9_reduction_tco2e",
    "certificates",
    "cost_eur",
    "goods_cost_eur",
]
FIGURES = [
    "lines",
    "net_mass_t",
    "electricity_mwh",
    "embedded_tco2e",
    "free_allocation_tco2e",
    "art9_reduction_tco2e",
    "certificates",
    "cost_eur",
    "eur_per_t",
]
# The groupings a report or `cbam batch --by` offers, and the key columns of each. A CN code
# brings its description and sector along (they are functions of the code).
GROUPINGS: dict[str, list[str]] = {
    "member": ["member"],
    "sector": ["sector"],
    "cn_code": ["cn_code", "description", "sector"],
    "country": ["country_iso2"],
    "importer": ["importer"],
    "installation": ["installation"],
    "year": ["year"],
}


@dataclass(frozen=True)
class ReportTable:
    """One grouping of a report: a sheet of the workbook, a section of the HTML page."""

    name: str  # i18n label of its heading, and its key in JSON ("by_sector" ...)
    sheet: str  # sheet name in the workbook (English in every language: a stable identifier)
    keys: list[str]  # key columns of ``frame``
    frame: pd.DataFrame  # keys (raw values) + FIGURES (+ ranks), sorted by cost, highest first


def empty_fine(extra_keys: list[str] | None = None) -> pd.DataFrame:
    cols = [*(extra_keys or []), *FINE_KEYS, *SUMS]
    return pd.DataFrame({c: pd.Series(dtype=float if c in SUMS else object) for c in cols})


def fine_aggregate(result) -> pd.DataFrame:
    """Sums of a run's computed lines (after de minimis) by FINE_KEYS, from the engine's groups
    (so a run whose lines are not in memory, as with the Dask engine, has them too)."""
    g = result.groups
    if g is None or g.empty:
        return empty_fine()
    elec = g["sector"].eq(ELECTRICITY).to_numpy()
    mass = g["net_mass_t"].to_numpy(dtype=float)
    cost = g["cost_eur"].to_numpy(dtype=float)
    descriptions = reference_data().goods["description"]
    frame = pd.DataFrame(
        {
            "year": g["year"].to_numpy(dtype=np.int64),
            "sector": g["sector"].astype(str).to_numpy(),
            "cn_code": g["cn_code"].astype(str).to_numpy(),
            "description": g["cn_code"].map(descriptions).fillna("").astype(str).to_numpy(),
            "country_iso2": g["country_iso2"].astype(str).to_numpy(),
            "importer": g["importer"].astype(str).to_numpy(),
            "installation": g["installation"].astype(str).to_numpy(),
            "lines": g["_lines"].to_numpy(dtype=np.int64),
            "goods_mass_t": np.where(elec, 0.0, mass),
            "electricity_mwh": np.where(elec, mass, 0.0),
            "embedded_tco2e": g["embedded_tco2e"].to_numpy(dtype=float),
            "free_allocation_tco2e": g["free_allocation_tco2e"].to_numpy(dtype=float),
            "art9_reduction_tco2e": g["art9_reduction_tco2e"].to_numpy(dtype=float),
            "certificates": g["certificates"].to_numpy(dtype=float),
            "cost_eur": cost,
            "goods_cost_eur": np.where(elec, 0.0, cost),
        }
    )
    return rollup(frame, FINE_KEYS)


def rollup(sums: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sums by ``keys`` (fine aggregates, or roll-ups being merged, sum again exactly)."""
    if sums.empty:
        return pd.DataFrame({c: pd.Series(dtype=float if c in SUMS else object) for c in [*keys, *SUMS]})
    return sums.groupby(keys, sort=True, dropna=False, observed=True)[SUMS].sum().reset_index()


def figures(sums: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Report figures of rolled-up sums, rounded as the engine's summary rounds them; highest
    cost first."""
    out = sums[keys].copy()
    goods_mass = sums["goods_mass_t"].to_numpy(dtype=float)
    goods_cost = sums["goods_cost_eur"].to_numpy(dtype=float)
    out["lines"] = sums["lines"].to_numpy(dtype=np.int64)
    out["net_mass_t"] = np.round(goods_mass, 6)
    for c in ("electricity_mwh", "embedded_tco2e", "free_allocation_tco2e", "art9_reduction_tco2e"):
        out[c] = np.round(sums[c].to_numpy(dtype=float), 6)
    out["certificates"] = np.round(sums["certificates"].to_numpy(dtype=float), 6)
    out["cost_eur"] = np.round(sums["cost_eur"].to_numpy(dtype=float), 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["eur_per_t"] = np.where(goods_mass > 0, np.round(goods_cost / goods_mass, 2), np.nan)
    return out.sort_values(
        ["cost_eur", *keys], ascending=[False, *[True] * len(keys)], kind="stable"
    ).reset_index(drop=True)


def with_ranks(table: pd.DataFrame) -> pd.DataFrame:
    """Rank 1 = the highest levy, and the highest EUR per tonne (no tonnes: no rank)."""
    out = table.copy()
    out.insert(0, "rank_cost", out["cost_eur"].rank(ascending=False, method="min").astype(np.int64))
    per_t = out["eur_per_t"].rank(ascending=False, method="min")
    out.insert(1, "rank_eur_per_t", per_t.astype("Int64"))
    return out


def totals(fine: pd.DataFrame) -> dict:
    """The headline figures of a fine aggregate (all of it)."""
    sums = fine[SUMS].sum().to_frame().T
    row = figures(sums, []).iloc[0]
    out: dict = {c: float(row[c]) for c in FIGURES}
    out["lines"] = int(row["lines"])
    out["eur_per_t"] = None if pd.isna(row["eur_per_t"]) else float(row["eur_per_t"])
    return out


def calc_tables(result) -> list[ReportTable]:
    """The grouping sheets of a calc report: sector, CN code, country, and importer and
    installation where the input names them. They come from the engine's groups, so a Dask run,
    whose lines are not in memory, has them too."""
    fine = fine_aggregate(result)
    tables = [
        _table("by_sector", "By sector", fine, "sector"),
        _table("by_cn_code", "By CN code", fine, "cn_code"),
        _table("by_country", "By country", fine, "country"),
    ]
    if fine["importer"].ne("").any():
        tables.append(_table("by_importer", "By importer", fine, "importer"))
    if fine["installation"].ne("").any():
        tables.append(_table("by_installation", "By installation", fine, "installation"))
    return tables


def _table(name: str, sheet: str, fine: pd.DataFrame, grouping: str) -> ReportTable:
    keys = GROUPINGS[grouping]
    return ReportTable(name, sheet, keys, figures(rollup(fine, keys), keys))
