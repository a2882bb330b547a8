"""De minimis exemption (Regulation (EU) 2023/956 Art 2a, inserted by Regulation (EU) 2025/2083).

An importer whose cumulative net mass of Annex I goods in a calendar year does not exceed the
threshold (50 t) owes nothing for them. Electricity and hydrogen are never exempt, and their
quantities do not count towards the threshold.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

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
