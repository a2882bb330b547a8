"""CBAM certificates to surrender and what they cost (Regulation (EU) 2023/956 Art 22, Art 21).

    N_g    = max(0, embedded_g - FAA_g - R_g)          Art 22(2), Art 31; floored at 0 per good
    cost_g = N_g x P_cert                              Art 21: the certificate price of the period
                                                       of import (IR 2025/2548)

Each good is floored at 0 on its own: free allocation or a carbon price paid on one good never
offsets what another good owes.
"""

from __future__ import annotations

import numpy as np


def certificates(
    embedded_tco2e: np.ndarray, faa_tco2e: np.ndarray, reduction_tco2e: np.ndarray
) -> np.ndarray:
    r"""CBAM certificates to surrender for each good, before de minimis.

    Parameters
    ----------
    embedded_tco2e : numeric array
        Embedded emissions of the good, embedded_g [tCO2e].
    faa_tco2e : numeric array
        Free allocation adjustment, FAA_g [tCO2e].
    reduction_tco2e : numeric array
        Art 9 reduction for a carbon price paid in the country of origin, R_g [tCO2e]
        (0 where none is recognised).

    Returns
    -------
    numeric array
        Certificates N_g [certificates, one per tCO2e], never below 0.

    Notes
    -----
    .. math:: N_g = \max(0, \mathrm{embedded}_g - \mathrm{FAA}_g - R_g)

    References
    ----------
    Regulation (EU) 2023/956 Art 22 (certificates to surrender) and Art 31 (free allocation
    adjustment); ``citation("certificates")``.
    """
    return np.maximum(embedded_tco2e - faa_tco2e - reduction_tco2e, 0.0)


def cost_eur(certificates: np.ndarray, price_eur_per_tco2e: np.ndarray) -> np.ndarray:
    r"""What the certificates of each good cost.

    Parameters
    ----------
    certificates : numeric array
        Certificates to surrender, N_g [certificates, one per tCO2e].
    price_eur_per_tco2e : numeric array
        Certificate price of the period of import, P_cert [EUR/tCO2e].

    Returns
    -------
    numeric array
        Cost of the good [EUR].

    Notes
    -----
    .. math:: \mathrm{cost}_g = N_g \times P_{cert}

    References
    ----------
    Regulation (EU) 2023/956 Art 21; Implementing Regulation (EU) 2025/2548 (the price of the
    quarter of import in 2026, of the week from 2027); ``citation("certificate_price")``.
    """
    return certificates * price_eur_per_tco2e
