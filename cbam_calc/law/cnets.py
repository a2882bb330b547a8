"""Carbon price paid in China's national ETS (CNETS), per tonne of good (scenario engine).

For a covered installation with emission intensity E (tCO2e per tonne of good) and an allocation
gap g (share of verified emissions not covered by free allocation):

    obligation     = E x g                            tCO2e to cover per tonne of good
    CCER (compliance) = min(s x E, obligation)        s: CCER share of verified emissions, <= 5 %
    CEA bought     = obligation - CCER (compliance)
    compliance cost = CEA x P_CEA + CCER x P_CCER     CNY per tonne of good
    voluntary cost  = s x E x P_CCER                  CCER retired voluntarily: adds cost, covers nothing

The compliance cost is the carbon price effectively paid, already net of free allocation (only the
gap is paid for); credits used for compliance count at the price paid for them (Art 9 draft).
A voluntary retirement is not required by any law and reduces nothing (Art 9 draft).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from cbam_calc.law.parameters import parameter

COMPLIANCE, VOLUNTARY = "compliance", "voluntary"


def ccer_cap_share(year: int = 2026) -> float:
    """Largest share of verified emissions a CNETS firm may cover with CCERs.

    Parameters
    ----------
    year : int, default 2026
        Compliance year.

    Returns
    -------
    float
        The cap [share of verified emissions] (0.05, ``cnets.yaml``).

    References
    ----------
    MEE Order No. 19 (2020) Art 29; ``citation("cnets")``.
    """
    return float(parameter("cnets").at(year))


def covered(country_iso2: np.ndarray, sector: np.ndarray, year: int) -> np.ndarray:
    """Lines whose installation is covered by CNETS in a year.

    Parameters
    ----------
    country_iso2 : array-like of str
        Country of origin of each line.
    sector : array-like of str
        CBAM sector of each line.
    year : int
        Year of import.

    Returns
    -------
    numpy.ndarray of bool
        From China, in a sector CNETS covers by the end of ``year`` (``cnets.yaml``).

    References
    ----------
    State Council Decree No. 775 (2024); MEE expansion work plan of 26 March 2025;
    ``citation("cnets")``.
    """
    p = parameter("cnets")
    since = {s: dt.date.fromisoformat(str(d)) for s, d in p.extra["covered_sectors"].items()}
    sectors = [s for s, d in since.items() if d <= dt.date(year, 12, 31)]
    return (np.asarray(country_iso2) == p.extra["country"]) & np.isin(np.asarray(sector), sectors)


def domestic_cost_cny_per_t(
    intensity_tco2e_per_t: np.ndarray,
    allocation_gap: np.ndarray,
    ccer_share: float,
    cea_price_cny: float,
    ccer_price_cny: float,
    ccer_use: str,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""What a covered installation pays in CNETS, per tonne of good.

    Parameters
    ----------
    intensity_tco2e_per_t : numeric array
        Verified emission intensity E [tCO2e/t].
    allocation_gap : numeric array
        Share of verified emissions not covered by free allocation, g [ratio].
    ccer_share : float
        CCER share of verified emissions, s [ratio], at most :func:`ccer_cap_share`.
    cea_price_cny : float
        Allowance price P_CEA [CNY/tCO2e].
    ccer_price_cny : float
        CCER price P_CCER [CNY/tCO2e].
    ccer_use : str
        'compliance' (surrendered, covers part of the obligation) or 'voluntary' (retired on
        top: adds cost, covers nothing).

    Returns
    -------
    compliance : numpy.ndarray of float
        Compliance cost [CNY/t]: the carbon price effectively paid.
    voluntary : numpy.ndarray of float
        Cost of CCERs retired voluntarily [CNY/t].
    cea : numpy.ndarray of float
        Allowances bought [tCO2e/t].

    Notes
    -----
    .. math::

        \mathrm{CCER} = \min(s E, E g) \quad \text{(compliance use)}

        \mathrm{CEA} = E g - \mathrm{CCER}

        \mathrm{compliance} = \mathrm{CEA} \times P_{CEA} + \mathrm{CCER} \times P_{CCER}

        \mathrm{voluntary} = s E P_{CCER} \quad \text{(voluntary use)}

    References
    ----------
    MEE Order No. 19 (2020) Art 29; ``citation("cnets")``; draft Art 9 implementing regulation
    (credits count at the price paid for them).
    """
    obligation = intensity_tco2e_per_t * allocation_gap
    if ccer_use == COMPLIANCE:
        ccer = np.minimum(ccer_share * intensity_tco2e_per_t, obligation)
        voluntary = np.zeros_like(obligation)
    else:
        ccer = np.zeros_like(obligation)
        voluntary = ccer_share * intensity_tco2e_per_t * ccer_price_cny
    cea = obligation - ccer
    compliance = cea * cea_price_cny + ccer * ccer_price_cny
    return compliance, voluntary, cea


def break_even_cea_price_cny(
    levy_room_tco2e_per_t: np.ndarray,
    reference_price_eur: float,
    cny_per_eur: float,
    intensity_tco2e_per_t: np.ndarray,
    allocation_gap: np.ndarray,
    ccer_share: float,
    ccer_price_cny: float,
    ccer_use: str,
) -> np.ndarray:
    r"""CEA price at which the recognised price paid removes the levy of a line.

    Parameters
    ----------
    levy_room_tco2e_per_t : numeric array
        (embedded_g - FAA_g) / M_g, i.e. SEE_g - SEFA_g [tCO2e/t].
    reference_price_eur : float
        Art 9 reference price P_ref [EUR/tCO2e].
    cny_per_eur : float
        Exchange rate [CNY per EUR].
    intensity_tco2e_per_t, allocation_gap, ccer_share, ccer_price_cny, ccer_use
        As for :func:`domestic_cost_cny_per_t`.

    Returns
    -------
    numpy.ndarray of float
        P_CEA [CNY/tCO2e]; NaN where no allowance is bought (the gap is zero or covered by
        CCERs), 0 where the levy is already zero.

    Notes
    -----
    The levy is zero when R_g >= embedded_g - FAA_g, i.e. when the compliance cost reaches
    (SEE_g - SEFA_g) x P_ref x rate; solved for P_CEA:

    .. math:: P_{CEA} = ((SEE_g - SEFA_g) P_{ref} \mathrm{rate} - \mathrm{CCER} P_{CCER}) / \mathrm{CEA}

    References
    ----------
    Draft Art 9 implementing regulation (``art9_draft.yaml``, not law); ``citation("cnets")``.
    """
    obligation = intensity_tco2e_per_t * allocation_gap
    ccer = (
        np.minimum(ccer_share * intensity_tco2e_per_t, obligation)
        if ccer_use == COMPLIANCE
        else np.zeros_like(obligation)
    )
    cea = obligation - ccer
    needed_cny = np.maximum(levy_room_tco2e_per_t, 0.0) * reference_price_eur * cny_per_eur
    with np.errstate(divide="ignore", invalid="ignore"):
        price = (needed_cny - ccer * ccer_price_cny) / cea
    price = np.where(needed_cny <= ccer * ccer_price_cny, 0.0, price)
    return np.where(cea > 1e-12, np.maximum(price, 0.0), np.where(needed_cny <= 0, 0.0, np.nan))
