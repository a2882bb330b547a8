"""Display exchange rates: a line's EUR cost shown in another currency (``--currency CNY``).

The rate is the ECB euro reference rate averaged over the line's certificate-price period
(``reference_prices/fx_eur_display_periods.csv``: the arithmetic mean of the daily rates the ECB
published in the month or quarter). It only shows an amount in CNY: Art 9 of Regulation (EU)
2023/956 converts a carbon price paid at the yearly average (:func:`cbam_calc.law.prices.fx_rate`),
which this module never changes or uses.

Which period's mean a line takes, from its price period (:func:`cbam_calc.law.prices.period_key`):

* a quarter (``2026Q2``, the 2026 regime, or a later import whose day is unknown): that quarter;
* an application week (``2027-W05``, from 2027): the month of the week's FIRST day, its Tuesday.
  By the weekly-price rule (Art 21(1a), RULES.md) the week's price applies from the Tuesday after
  its publication Monday to the next Monday included, and an import on a Monday takes the week
  before: the week is the Tuesday-to-Monday span, so its Monday of publication (the Monday of
  the ISO week in the label) lies outside it. Where a month begins on a Tuesday that Monday is in
  the previous month, in which none of the week's imports falls; the Tuesday is always a day of
  the week, and the month it starts in holds at least the first day of every such week.

A period the ECB file does not cover to its end (its mean is ``partial``), or one after the data,
takes the mean of the last complete period of the same kind (month or quarter), with the status
``projection``; a covered period's status is ``actual``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cbam_calc.law import prices
from cbam_calc.law.reference import ReferenceData

SUPPORTED = ("EUR", "CNY")  # --currency: EUR (no extra column) or one currency of the table
ACTUAL = "actual"
PROJECTION = "projection"


@dataclass(frozen=True)
class DisplayRate:
    """The display rate of one price period."""

    period: str  # the line's price period (2026Q2, 2027-W05)
    rate_period: str  # the month or quarter whose mean is shown (2026Q2, 2027-02, or the one carried)
    units_per_eur: float
    status: str  # actual | projection
    source: str


def rate_period_of(key: str) -> tuple[str, str] | None:
    """(period, frequency) of the mean a price period takes: a quarter its own, a week the month
    of its Tuesday; None for anything else (a year)."""
    if "-W" in key:
        start, _ = prices.application_week(key)
        return f"{start.year}-{start.month:02d}", "month"
    if "Q" in key:
        return key, "quarter"
    return None


@dataclass(frozen=True)
class RateIndex:
    """One currency's rows of the table, indexed once (:func:`rate_index`): the complete means by
    (frequency, period), the first period of each frequency (complete or partial), and the last
    complete one, which later periods carry forward."""

    means: dict[tuple[str, str], tuple[float, str]]  # (frequency, period) -> (units per EUR, source)
    first: dict[str, str]  # frequency -> its first period in the table
    last: dict[str, tuple[str, float, str]]  # frequency -> (period, units per EUR, source)
    data_to: str  # last ECB date the means are built from


def rate_index(ref: ReferenceData, currency: str) -> RateIndex:
    """The table's rows of ``currency`` indexed once per reference data (kept on ``ref``)."""

    def build() -> RateIndex:
        table = ref.fx_display
        rows = table[table["currency"] == currency]
        complete = rows[rows["status"] == "computed"].sort_values("period")
        means = {
            (str(f), str(p)): (float(u), str(s))
            for f, p, u, s in zip(
                complete["frequency"], complete["period"], complete["units_per_eur"], complete["source"]
            )
        }
        first = {str(f): str(g["period"].min()) for f, g in rows.groupby("frequency")}
        last = {
            str(f): (str(g["period"].iloc[-1]), float(g["units_per_eur"].iloc[-1]), str(g["source"].iloc[-1]))
            for f, g in complete.groupby("frequency")
        }
        return RateIndex(means, first, last, str(table["last_date"].max()))

    return ref.derived("display_rate_index", build, currency)


def display_rate(ref: ReferenceData, key: str, currency: str) -> DisplayRate | None:
    """The display rate of one price period, or None where the table has none (a period before
    it starts, a year, a currency it lacks)."""
    wanted = rate_period_of(key) if key else None
    if wanted is None:
        return None
    period, freq = wanted
    index = rate_index(ref, currency)
    if freq not in index.last or period < index.first[freq]:
        return None
    hit = index.means.get((freq, period))
    if hit is not None:
        return DisplayRate(key, period, hit[0], ACTUAL, hit[1])
    last, units, source = index.last[freq]
    if period < last:  # a gap in the table: no rate rather than a wrong one
        return None
    return DisplayRate(
        key,
        last,
        units,
        PROJECTION,
        f"projection, not a real rate: {period} after the ECB data end ({index.data_to}), the "
        f"mean of {last} (the last complete {freq}) carried forward; {source}",
    )


def display_rates(
    ref: ReferenceData, period, currency: str
) -> tuple[np.ndarray, np.ndarray, dict[str, DisplayRate]]:
    """:func:`display_rate` of each line's price period, looked up once per distinct period.

    Parameters
    ----------
    ref : ReferenceData
        Reference tables (``reference_prices/fx_eur_display_periods.csv``).
    period : array-like of str (a Categorical keeps its codes: no string per element)
        Certificate-price period of each line (``price_period``).
    currency : str
        ISO 4217 code of the display currency.

    Returns
    -------
    tuple
        Units of currency per EUR (NaN where none), the status of each (actual, projection, ''),
        and the DisplayRate of each distinct period found.
    """
    cat = pd.Categorical(period)
    codes = np.asarray(cat.codes, dtype=np.int64)
    found = {str(k): display_rate(ref, str(k), currency) for k in cat.categories}
    used = {k: r for k, r in found.items() if r is not None}
    rate = np.array([r.units_per_eur if r else np.nan for r in found.values()] + [np.nan])
    status = np.array([r.status if r else "" for r in found.values()] + [""], dtype=object)
    return rate[codes], status[codes], used  # code -1 (no period) takes the last: NaN, ''
