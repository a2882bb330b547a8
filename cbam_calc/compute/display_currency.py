"""A run's costs in a second currency (``--currency CNY``): the Lines columns and the summary's
totals, at the ECB display rate of each line's price period (:mod:`cbam_calc.law.display_fx`).
Every CBAM figure stays computed in EUR; Art 9's yearly rate is not touched.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cbam_calc.core.display import DisplayCurrency, DisplayRateUsed
from cbam_calc.law import display_fx
from cbam_calc.law.reference import ReferenceData


def display_columns(cols: pd.DataFrame, ref: ReferenceData, currency: str) -> pd.DataFrame:
    """``cols`` with cost_cny, display_rate_cny_per_eur and display_rate_status: each line's EUR
    cost times the ECB mean of its price period (:func:`cbam_calc.law.display_fx.display_rates`,
    once per distinct period); the Art 9 rate is not touched."""
    rate, status, _ = display_fx.display_rates(ref, cols["price_period"], currency)
    code = currency.lower()
    cols[f"cost_{code}"] = cols["cost_eur"].to_numpy(dtype=float) * rate
    cols[f"display_rate_{code}_per_eur"] = rate
    cols["display_rate_status"] = pd.Categorical(status, categories=["actual", "projection", ""])
    return cols


def display_summary(
    groups: pd.DataFrame, ref: ReferenceData, currency: str, rates: dict[str, display_fx.DisplayRate]
) -> DisplayCurrency:
    """The run's cost in ``currency`` from the groups after de minimis (keyed by price period):
    each group's EUR cost times its period's display rate, summed (the sum of the lines' figures,
    as every line of a group shares its period's rate), by sector and over all. ``rates``: the
    DisplayRate of each price period (:func:`period_rates`, looked up once for this and the
    by-period table)."""
    data_to = display_fx.rate_index(ref, currency).data_to
    if not len(groups):
        return DisplayCurrency(
            currency=currency, cost=0.0, by_sector={}, rates=[], projection=False, data_to=data_to
        )
    periods, cost, used = _costs(groups, rates)
    cost_eur = groups["cost_eur"].to_numpy(dtype=float)
    sectors = groups["sector"].astype(str).to_numpy()
    lines = groups["_lines"].to_numpy(dtype=np.int64)
    shown = []
    for k, r in sorted(used.items()):
        at = periods == k
        shown.append(
            DisplayRateUsed(
                period=k,
                rate_period=r.rate_period,
                units_per_eur=r.units_per_eur,
                status=r.status,
                source=r.source,
                lines=int(lines[at].sum()),
                cost_eur=round(float(cost_eur[at].sum()), 2),
                cost=round(float(cost[at].sum()), 2),
            )
        )
    return DisplayCurrency(
        currency=currency,
        cost=round(float(np.nansum(cost)), 2),
        by_sector={str(s): round(float(np.nansum(cost[sectors == s])), 2) for s in sorted(set(sectors))},
        rates=shown,
        projection=any(r.status == display_fx.PROJECTION for r in shown),
        data_to=data_to,
    )


def _costs(groups: pd.DataFrame, rates: dict[str, display_fx.DisplayRate]):
    """Each group's price period (text), its cost in the currency (EUR cost x its period's rate,
    NaN where the period has none) and the rates of the periods present, one per distinct period."""
    cat = pd.Categorical(groups["price_period"].astype(str))
    found = [rates.get(str(k)) for k in cat.categories]
    used = {str(k): r for k, r in zip(cat.categories, found) if r is not None}
    per_code = np.array([r.units_per_eur if r is not None else np.nan for r in found] + [np.nan])
    rate = per_code[np.asarray(cat.codes, dtype=np.int64)]
    return np.asarray(cat.astype(str)), groups["cost_eur"].to_numpy(dtype=float) * rate, used


def display_costs_by(
    groups: pd.DataFrame, rates: dict[str, display_fx.DisplayRate], key: str
) -> dict[str, float]:
    """The cost in the currency of each value of ``key`` (a batch's members): its groups' EUR
    cost x their period's rate, summed, to the cent, as :func:`display_summary` sums the run's."""
    if not len(groups):
        return {}
    _, cost, _ = _costs(groups, rates)
    sums = pd.Series(cost).groupby(groups[key].astype(str).to_numpy(), sort=True).sum(min_count=0)
    return {str(k): round(float(v), 2) for k, v in sums.items()}


def period_rates(ref: ReferenceData, currency: str, *periods) -> dict[str, display_fx.DisplayRate]:
    """The display rate of each distinct price period of the ``periods`` columns (the by-period
    table's groups and weeks), one lookup each (:func:`cbam_calc.law.display_fx.display_rates`)."""
    present = [pd.Series(p, dtype=object) for p in periods if p is not None and len(p)]
    if not present:
        return {}
    return display_fx.display_rates(ref, pd.concat(present, ignore_index=True).astype(str), currency)[2]
