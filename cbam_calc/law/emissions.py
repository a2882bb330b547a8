"""Embedded emissions of a good (Regulation (EU) 2023/956 Art 7 and Annex II, Annex IV).

    embedded_g = M_g x SEE_g
    SEE_g      = SEE_direct                  goods of Annex II (iron and steel, aluminium, hydrogen)
               = SEE_direct + SEE_indirect   other goods (cement, fertilisers, agglomerated iron ore)

M_g is the net mass in tonnes (MWh for electricity). Electricity has direct emissions only.
"""

from __future__ import annotations

import numpy as np


def specific_embedded_emissions(
    see_direct_tco2e_per_t: np.ndarray,
    see_indirect_tco2e_per_t: np.ndarray,
    direct_only: np.ndarray,
) -> np.ndarray:
    """SEE_g that counts for CBAM, tCO2e per tonne: direct only for Annex II goods (Art 7(1))."""
    indirect = np.nan_to_num(np.asarray(see_indirect_tco2e_per_t, dtype=float))
    return np.where(direct_only, see_direct_tco2e_per_t, see_direct_tco2e_per_t + indirect)


def embedded_emissions(net_mass_t: np.ndarray, see_tco2e_per_t: np.ndarray) -> np.ndarray:
    """embedded_g = M_g x SEE_g, tCO2e."""
    return net_mass_t * see_tco2e_per_t
