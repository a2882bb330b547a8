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
    """Largest share of verified emissions a firm may cover with CCERs (5 %)."""
    return float(parameter("cnets").at(year))


def covered(country_iso2: np.ndarray, sector: np.ndarray, year: int) -> np.ndarray:
    """Lines whose installation is covered by CNETS in ``year`` (China, covered sector)."""
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
    """(compliance cost, voluntary cost, CEA bought) per tonne of good; see the module docstring."""
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
    """CEA price (CNY/tCO2e) at which the recognised price paid removes the levy of a line.

    The levy is zero when R >= embedded - FAA, i.e. when the compliance cost per tonne of good
    reaches (SEE - SEFA) x P_ref x rate. Solved for P_CEA; NaN where no allowance is bought (the
    gap is zero or covered by CCERs), 0 where the levy is already zero.
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
