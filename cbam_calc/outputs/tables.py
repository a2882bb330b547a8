"""The tables of a report, shared by the workbook, the HTML page and the JSON of a batch.

A run's computed lines are reduced once to sums by every key a report groups on (the "fine"
aggregate: one row per distinct year, sector, CN code, country, importer and installation), and
every table (by sector, by CN code, by country, by member ...) is a roll-up of those sums. A batch
merges the fine aggregates of its files, so the association's totals never need the lines of
all its members at once (see :mod:`cbam_calc.compute.batch`).

EUR per tonne is defined as in the engine's summary (``engine._figures``): the cost of the goods
other than electricity divided by their mass, electricity MWh never counted as tonnes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cbam_calc.compute.engine import ELECTRICITY
from cbam_calc.core.messages import label, sector_name
from cbam_calc.law.reference import reference_data

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
# i18n label of each column of a report table
COLUMN_LABELS = {
    "member": "member",
    "sector": "sector",
    "cn_code": "cn_code",
    "description": "description",
    "country_iso2": "country",
    "importer": "importer",
    "installation": "installation",
    "year": "year",
    "lines": "lines_short",
    "net_mass_t": "net_mass_t",
    "electricity_mwh": "electricity_mwh",
    "embedded_tco2e": "embedded_tco2e",
    "free_allocation_tco2e": "free_allocation_tco2e",
    "art9_reduction_tco2e": "art9_reduction_tco2e",
    "certificates": "certificates",
    "cost_eur": "cost_eur",
    "eur_per_t": "eur_per_t",
    "rank_cost": "rank_cost",
    "rank_eur_per_t": "rank_eur_per_t",
    "files": "files_count",
    "rejected": "rejected",
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


# ---------------------------------------------------------------------------- display
def column_label(column: str, lang: str) -> str:
    key = COLUMN_LABELS.get(column)
    return label(key, lang) if key else column


def cn_spaced(code: str) -> str:
    code = str(code)
    return f"{code[:4]} {code[4:6]} {code[6:]}" if len(code) == 8 and code.isdigit() else code


def display_keys(
    frame: pd.DataFrame, keys: list[str], lang: str, country_names: dict[str, str]
) -> pd.DataFrame:
    """Key columns as a reader sees them: sector names, spaced CN codes, country names, and a
    word for blank importers and installations. Figures are left as numbers."""
    out = frame.copy()
    for k in keys:
        if k not in out.columns:
            continue
        col = out[k]
        if k == "sector":
            uniq = {s: sector_name(str(s), lang) for s in col.unique()}
            out[k] = col.map(uniq)
        elif k == "cn_code":
            out[k] = col.map({c: cn_spaced(c) for c in col.unique()})
        elif k == "country_iso2":
            out[k] = col.map({c: f"{c} {country_names.get(c, '')}".strip() for c in col.unique()})
        elif k in ("importer", "installation"):
            out[k] = col.replace("", label(f"no_{k}", lang))
    return out


def country_names(lang: str) -> dict[str, str]:
    from cbam_calc.law.reference import reference_data

    c = reference_data().countries
    return dict(zip(c["iso2"], c["name_zh" if lang == "zh" else "name"]))
