"""De minimis exemption (Regulation (EU) 2023/956 Art 2a, inserted by Regulation (EU) 2025/2083).

An importer whose cumulative net mass of Annex I goods in a calendar year does not exceed the
threshold (50 t) owes nothing for them. Electricity and hydrogen are never exempt, and their
quantities do not count towards the threshold.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cbam_calc.params import parameter


def never_exempt_sectors() -> frozenset[str]:
    return frozenset(parameter("de_minimis").extra["never_exempt_sectors"])


def threshold_t(year: int) -> float:
    return float(parameter("de_minimis").at(year))


def de_minimis(
    importer: pd.Series, year: np.ndarray, sector: pd.Series, net_mass_t: np.ndarray
) -> tuple[np.ndarray, pd.DataFrame]:
    """Per line: exempt or not; and per (importer, year): the mass counted and the outcome."""
    counts = ~sector.isin(never_exempt_sectors()).to_numpy()
    frame = pd.DataFrame(
        {
            "importer": importer.to_numpy(),
            "year": year,
            "mass_t": np.where(counts, net_mass_t, 0.0),
        }
    )
    table = frame.groupby(["importer", "year"], sort=True, dropna=False)["mass_t"].sum().reset_index()
    table = table.rename(columns={"mass_t": "annex_i_mass_t"})
    table["threshold_t"] = [threshold_t(int(y)) for y in table["year"]]
    table["exempt"] = table["annex_i_mass_t"] <= table["threshold_t"]
    exempt_keys = table.loc[table["exempt"], ["importer", "year"]]
    if exempt_keys.empty:
        return np.zeros(len(frame), dtype=bool), table
    key = pd.MultiIndex.from_frame(frame[["importer", "year"]])
    exempt_idx = pd.MultiIndex.from_frame(exempt_keys)
    exempt = key.isin(exempt_idx) & counts
    return np.asarray(exempt), table
