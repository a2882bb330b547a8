"""De minimis exemption (Regulation (EU) 2023/956 Art 2a, inserted by Regulation (EU) 2025/2083).

An importer whose cumulative net mass of Annex I goods in a calendar year does not exceed the
threshold (50 t) owes nothing for them. Electricity and hydrogen are never exempt, and their
quantities do not count towards the threshold.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cbam_calc.core.arrays import factorize_frame
from cbam_calc.law.parameters import parameter


def never_exempt_sectors() -> frozenset[str]:
    return frozenset(parameter("de_minimis").extra["never_exempt_sectors"])


def threshold_t(year: int) -> float:
    return float(parameter("de_minimis").at(year))


def de_minimis(
    importer: pd.Series, year: np.ndarray, sector: pd.Series, net_mass_t: np.ndarray
) -> tuple[np.ndarray, pd.DataFrame]:
    """Per line (or group): exempt or not; and per (importer, year): the mass counted and the
    outcome. Works on codes: each distinct (importer, year) is decided once."""
    counts = ~np.asarray(pd.Series(sector).isin(never_exempt_sectors()))
    importer = pd.Series(pd.Categorical(importer))
    year = np.asarray(year, dtype=np.int64)
    icodes = np.asarray(importer.cat.codes, dtype=np.int64)
    pair, first = np.unique(icodes * 100_000 + year, return_inverse=False, return_index=True)
    inverse = np.searchsorted(pair, icodes * 100_000 + year)
    mass = np.bincount(inverse, weights=np.where(counts, net_mass_t, 0.0), minlength=len(pair))
    table = pd.DataFrame(
        {
            "importer": np.asarray(importer.cat.categories, dtype=object)[icodes[first]],
            "year": year[first],
            "annex_i_mass_t": mass,
        }
    )
    table["threshold_t"] = [threshold_t(int(y)) for y in table["year"]]
    table["exempt"] = table["annex_i_mass_t"] <= table["threshold_t"]
    exempt = table["exempt"].to_numpy()[inverse] & counts
    order = table.sort_values(["importer", "year"], kind="stable").index
    return exempt, table.loc[order].reset_index(drop=True)


NO_IMPORTER = "(all lines)"


def exempt_lines(lines: pd.DataFrame, sector, exempt: set[tuple[str, int]]) -> np.ndarray:
    """Lines that owe nothing under de minimis: their (importer, year) is exempt and their sector
    is not one that is never exempt. Decided once per distinct (importer, year)."""
    if not exempt:
        return np.zeros(len(lines), dtype=bool)
    codes, uniq = factorize_frame(pd.DataFrame({"i": lines["importer"], "y": lines["year"]}))
    hit = np.array(
        [(str(i) or NO_IMPORTER, int(y)) in exempt for i, y in uniq.itertuples(index=False)], dtype=bool
    )
    counts = ~np.asarray(pd.Series(sector).isin(never_exempt_sectors()))
    return hit[codes] & counts


def named_importers(importer) -> pd.Series:
    """Importers as de minimis counts them: lines without one form one importer."""
    cat = pd.Categorical(importer)
    if "" in cat.categories and NO_IMPORTER not in cat.categories:
        cat = cat.rename_categories([c or NO_IMPORTER for c in cat.categories])
    return pd.Series(cat)


def apply_de_minimis(
    cols: pd.DataFrame, lines: pd.DataFrame, enabled: bool
) -> tuple[np.ndarray, pd.DataFrame]:
    """Exempt lines of importers at or under the threshold (Art 2a); certificates become 0."""
    exempt, table = de_minimis(
        named_importers(lines["importer"]),
        lines["year"].to_numpy(),
        pd.Series(cols["sector"]),
        lines["net_mass_t"].to_numpy(dtype=float),
    )
    if not enabled:
        exempt = np.zeros(len(cols), dtype=bool)
        table = table.assign(exempt=False)
    return exempt, table


def without_exempt(groups: pd.DataFrame, exempt: set[tuple[str, int]]) -> pd.DataFrame:
    """Groups with the certificates and cost of de minimis importers set to 0 (same rule as
    exempt_lines: the (importer, year) is exempt and the sector is not never-exempt)."""
    out = groups.copy()
    if exempt and len(out):
        hit = exempt_lines(out, out["sector"], exempt)
        out["certificates"] = np.where(hit, 0.0, out["certificates"].to_numpy(dtype=float))
        out["cost_eur"] = np.where(hit, 0.0, out["cost_eur"].to_numpy(dtype=float))
    return out


def de_minimis_groups(groups: pd.DataFrame, enabled: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Art 2a on aggregated groups: the importers' yearly masses decide, exempt groups owe nothing."""
    _, table = de_minimis(
        named_importers(groups["importer"].astype(str)),
        groups["year"].to_numpy(),
        groups["sector"],
        groups["net_mass_t"].to_numpy(dtype=float),
    )
    if not enabled:
        table = table.assign(exempt=False)
    return without_exempt(groups, exempt_keys(table)), table


def exempt_keys(dm_table: pd.DataFrame) -> set[tuple[str, int]]:
    """(importer, year) pairs exempt under de minimis, from de_minimis_groups()."""
    hit = dm_table[dm_table["exempt"]]
    return {(str(i), int(y)) for i, y in zip(hit["importer"], hit["year"])}
