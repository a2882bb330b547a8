"""CBAM certificate price and exchange rates (Reg 2023/956 Art 21; IR 2025/2548; Art 9 draft).

The price of a line is the certificate price of its period: the calendar quarter of import for
2026, the week of import from 2027 (certificate_price.yaml). A period without a published figure
falls back to the coarser period that contains it in ``reference_prices/cbam_certificate_price.csv``
(a recomputed or projected figure), and the line carries that figure's status, never hiding that
it is not the published price. ``--price`` replaces every price with the user's figure.

P_ref, the reference price of the Art 9 draft, is the yearly average of the certificate prices,
rounded to the cent. Currency conversions use the yearly average of ECB reference rates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cbam_calc.law.parameters import parameter
from cbam_calc.law.reference import ReferenceData

# From most to least authoritative; a combination of figures takes the weakest status.
STATUS_ORDER = [
    "published",
    "user",
    "recomputed",
    "recomputed_partial",
    "computed",
    "partial",
    "observed",
    "projection",
]


def weakest(statuses) -> str:
    """The least authoritative of several price statuses (:data:`STATUS_ORDER`).

    Parameters
    ----------
    statuses : iterable of str
        Statuses of the figures combined ('' ignored).

    Returns
    -------
    str
        The weakest status, '' where none is given; an unknown status counts as weakest.
    """
    present = [s for s in statuses if s]
    if not present:
        return ""
    return max(present, key=lambda s: STATUS_ORDER.index(s) if s in STATUS_ORDER else len(STATUS_ORDER))


def regime(year: int) -> str:
    """How the certificate price of an import is set in a year.

    Parameters
    ----------
    year : int
        Year of import.

    Returns
    -------
    str
        'quarterly' for 2026 imports, 'weekly' from 2027 (``certificate_price.yaml``).

    References
    ----------
    Regulation (EU) 2023/956 Art 21(1) and (1a); Implementing Regulation (EU) 2025/2548;
    ``citation("certificate_price")``.
    """
    return str(parameter("certificate_price").at(year))


def period_key(year: int, quarter: int, day: dt.date | None) -> str:
    """The certificate-price period of an import.

    Parameters
    ----------
    year : int
        Year of import.
    quarter : int
        Quarter of import (1-4).
    day : datetime.date or None
        Date of import, where known (the week needs it).

    Returns
    -------
    str
        '2026Q2', or from 2027 the ISO week '2027-W05' (the quarter where the day is unknown).

    References
    ----------
    Regulation (EU) 2023/956 Art 21(1) and (1a); ``citation("certificate_price")``.
    """
    if regime(year) == "weekly" and day is not None:
        iso_year, week, _ = day.isocalendar()
        return f"{iso_year}-W{week:02d}"
    return f"{year}Q{quarter}"


def _parents(key: str) -> list[str]:
    """A period and the coarser periods that contain it: week -> quarter -> year."""
    if "-W" in key:
        iso_year, week = key.split("-W")
        monday = dt.date.fromisocalendar(int(iso_year), int(week), 1)
        tuesday = monday + dt.timedelta(days=1)  # weekly prices apply from the Tuesday
        return [key, f"{tuesday.year}Q{(tuesday.month - 1) // 3 + 1}", str(tuesday.year)]
    if "Q" in key:
        return [key, key.split("Q")[0]]
    return [key]


@dataclass(frozen=True)
class PricePoint:
    period: str  # the period of the line (e.g. 2026Q2)
    price_eur_per_tco2e: float
    status: str
    source_period: str  # the row of the price table used (e.g. 2026Q2, or 2027 for a projection)
    source: str


@dataclass
class PriceBook:
    """Certificate prices by period, with their status and source."""

    rows: dict[str, tuple[float, str, str]]  # period -> (price, status, source)
    override: float | None = None
    _cache: dict[str, PricePoint] = field(default_factory=dict)

    @classmethod
    def from_reference(
        cls, ref: ReferenceData, override: float | None = None, path: pd.DataFrame | None = None
    ) -> PriceBook:
        """The reference price table, optionally replaced by a flat price or a user price path.

        ``path``: a table with columns period, price_eur_per_tco2e (and optionally status, source)
        whose rows replace the reference rows of the same period.
        """
        rows = {
            r.period: (float(r.price_eur_per_tco2e), r.status, r.source)
            for r in ref.certificate_prices.itertuples(index=False)
        }
        if path is not None:
            for r in path.to_dict("records"):
                rows[str(r["period"])] = (
                    float(r["price_eur_per_tco2e"]),
                    str(r.get("status") or "projection"),
                    str(r.get("source") or "user price path"),
                )
        return cls(rows=rows, override=override)

    def lookup(self, key: str) -> PricePoint:
        """The certificate price of a period [EUR/tCO2e], with its status and source: the
        period's own row, else the coarser period containing it (week -> quarter -> year, a
        published figure then flagged 'projection'); the user's flat price where given. KeyError
        where no row covers the period (Art 21; IR 2025/2548)."""
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        if self.override is not None:
            point = PricePoint(key, float(self.override), "user", key, "price given by the user (--price)")
        else:
            for candidate in _parents(key):
                if candidate in self.rows:
                    price, status, source = self.rows[candidate]
                    if candidate != key and status in ("published", "recomputed"):
                        # a published quarter or year stands in for a finer period: say so
                        status = "projection"
                    point = PricePoint(key, price, status, candidate, source)
                    break
            else:
                raise KeyError(key)
        self._cache[key] = point
        return point

    def periods_of_year(self, year: int) -> list[str]:
        """The price periods of a year: its quarters, or from 2027 its ISO weeks (:func:`regime`)."""
        if regime(year) == "weekly":
            first = dt.date(year, 1, 1)
            weeks = {
                (first + dt.timedelta(days=d)).isocalendar()[:2]
                for d in range(366)
                if (first + dt.timedelta(days=d)).year == year
            }
            return [f"{y}-W{w:02d}" for y, w in sorted(weeks) if y == year]
        return [f"{year}Q{q}" for q in range(1, 5)]

    def reference_price(self, year: int) -> tuple[float, str]:
        """P_ref of the Art 9 draft [EUR/tCO2e] and its weakest status: the mean of the year's
        certificate prices (:meth:`periods_of_year`), rounded to the cent
        (``reference_price_rounding_eur`` of ``art9_draft.yaml``; not law)."""
        points = [self.lookup(k) for k in self.periods_of_year(year)]
        rounding = float(parameter("art9_draft").extra["reference_price_rounding_eur"])
        mean = float(np.mean([p.price_eur_per_tco2e for p in points]))
        value = round(round(mean / rounding) * rounding, 2)
        return value, weakest(p.status for p in points)


@dataclass(frozen=True)
class FxRate:
    currency: str
    year: int
    units_per_eur: float
    status: str
    source: str


def fx_rate(
    ref: ReferenceData, currency: str, year: int, overrides: dict[str, float] | None = None
) -> FxRate | None:
    """The exchange rate that converts a price paid into EUR.

    Parameters
    ----------
    ref : ReferenceData
        Reference tables (``reference_prices/fx_eur_annual.csv``).
    currency : str
        ISO 4217 code.
    year : int
        Year of import.
    overrides : dict of str to float, optional
        Rates given by the user (``--fx``) [units per EUR].

    Returns
    -------
    FxRate or None
        Yearly average ECB reference rate [units of currency per EUR], with its status and
        source; None where there is none.

    References
    ----------
    ``citation("exchange_rates")``.
    """
    if currency == "EUR":
        return FxRate("EUR", year, 1.0, "published", "euro")
    if overrides and currency in overrides:
        return FxRate(currency, year, overrides[currency], "user", "rate given by the user (--fx)")
    fx = ref.fx_annual
    hit = fx[(fx["currency"] == currency) & (fx["year"] == year)]
    if hit.empty:
        return None
    r = hit.iloc[0]
    return FxRate(currency, year, float(r["units_per_eur"]), str(r["status"]), str(r["source"]))


_PERIOD = re.compile(r"^(\d{4})(?:Q([1-4])|-W(\d{2}))?$")


def load_price_path(path: str | Path) -> pd.DataFrame:
    """A user's certificate price path, checked row by row.

    Parameters
    ----------
    path : str or Path
        CSV with ``period`` (2027, 2026Q3 or 2027-W05) and ``price_eur_per_tco2e``
        [EUR/tCO2e]; optional ``status`` (default 'projection') and ``source``.

    Returns
    -------
    pandas.DataFrame
        The rows, for :meth:`PriceBook.from_reference`.

    Raises
    ------
    OptionError
        Naming the row and column of the first bad value.
    """
    from cbam_calc.core.errors import OptionError
    from cbam_calc.law.reference import read_commented_csv

    p = Path(path)
    if not p.is_file():
        raise OptionError(f"{p}: no such price path file")
    try:
        df = read_commented_csv(p)
    except Exception as e:  # a CSV pandas cannot parse
        raise OptionError(f"{p}: not a readable CSV ({e})") from None
    missing = {"period", "price_eur_per_tco2e"} - set(df.columns)
    if missing:
        raise OptionError(
            f"{p}: missing column {', '.join(sorted(missing))} (expected period, "
            "price_eur_per_tco2e, optional status and source)"
        )
    seen: set[str] = set()
    for i, r in enumerate(df.to_dict("records"), start=2):
        period = str(r["period"]).strip()
        if not _PERIOD.match(period):
            raise OptionError(
                f"{p}, row {i}, column 'period': '{period}' is not a year (2027), "
                "a quarter (2026Q3) or a week (2027-W05)"
            )
        if period in seen:
            raise OptionError(f"{p}, row {i}, column 'period': {period} is given twice")
        seen.add(period)
        try:
            price = float(r["price_eur_per_tco2e"])
        except ValueError:
            price = float("nan")
        if not price > 0:
            raise OptionError(
                f"{p}, row {i}, column 'price_eur_per_tco2e': "
                f"'{r['price_eur_per_tco2e']}' is not a positive price"
            )
    out = df.copy()
    out["period"] = out["period"].str.strip()
    out["price_eur_per_tco2e"] = out["price_eur_per_tco2e"].astype(float)
    if "status" not in out.columns:
        out["status"] = "projection"
    out["status"] = out["status"].replace("", "projection")
    if "source" not in out.columns:
        out["source"] = ""
    out["source"] = out["source"].where(out["source"] != "", f"user price path {p.name}")
    return out[["period", "price_eur_per_tco2e", "status", "source"]]
