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
    r"""Specific embedded emissions that count for CBAM: direct only for Annex II goods.

    Parameters
    ----------
    see_direct_tco2e_per_t : numeric array
        Specific direct embedded emissions, SEE_direct [tCO2e/t] (tCO2e/MWh for electricity).
    see_indirect_tco2e_per_t : numeric array
        Specific indirect embedded emissions, SEE_indirect [tCO2e/t]; NaN counts as 0.
    direct_only : bool array
        Goods of Annex II, for which only direct emissions count (``annex_ii_direct_only.csv``).

    Returns
    -------
    numeric array
        SEE_g [tCO2e/t].

    Notes
    -----
    .. math::

        SEE_g = SEE_{direct}                      \quad \text{Annex II goods}

        SEE_g = SEE_{direct} + SEE_{indirect}     \quad \text{other goods}

    References
    ----------
    Regulation (EU) 2023/956 Art 7(1) and Annex II, Annex IV; ``citation("embedded_emissions")``.
    """
    indirect = np.nan_to_num(np.asarray(see_indirect_tco2e_per_t, dtype=float))
    return np.where(direct_only, see_direct_tco2e_per_t, see_direct_tco2e_per_t + indirect)


def embedded_emissions(net_mass_t: np.ndarray, see_tco2e_per_t: np.ndarray) -> np.ndarray:
    r"""Embedded emissions of a good.

    Parameters
    ----------
    net_mass_t : numeric array
        Net mass M_g [t] (MWh for electricity).
    see_tco2e_per_t : numeric array
        Specific embedded emissions that count, SEE_g [tCO2e/t] (:func:`specific_embedded_emissions`).

    Returns
    -------
    numeric array
        embedded_g [tCO2e].

    Notes
    -----
    .. math:: \mathrm{embedded}_g = M_g \times SEE_g

    References
    ----------
    Regulation (EU) 2023/956 Art 7 and Annex IV; ``citation("embedded_emissions")``.
    """
    return net_mass_t * see_tco2e_per_t
