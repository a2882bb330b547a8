"""CBAM certificate price and exchange rates (Reg 2023/956 Art 21; IR 2025/2548; Art 9 draft).

The price of a line is the certificate price of its period: the calendar quarter of import for
2026, from 2027 the application week of the weekly price (certificate_price.yaml). The weekly price
is published on a Monday and applies from the Tuesday to the next Monday included; an application
week is named by the ISO week of its Tuesday, so ``2027-W05`` runs from Tuesday of ISO week 5 to
Monday of ISO week 6, and an import on a Monday takes the week before. A period without a figure
of its own falls back to the coarser period that contains its first day (week -> quarter -> year)
in ``reference_prices/cbam_certificate_price.csv`` or the user's path, and the line carries that
figure's status, never hiding that it is not the published price: a figure standing in for a finer
period is labelled a projection and its source says for which period it stands in. Imports of 1-4
January 2027 fall in the application week 2026-W53, which starts on Tuesday 29 December 2026: its
own price where given, else the 2026 Q4 price. ``--price`` replaces every price with the user's
figure.

P_ref, the reference price of the Art 9 draft, is the yearly average of the certificate prices,
rounded to the cent: of the four quarters in 2026, of the application weeks starting in the year
from 2027; it says which periods it averages and their status. Currency conversions use the yearly
average of ECB reference rates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from cbam_calc.core.messages import Message
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


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _weekday(key: str) -> int:
    """Monday = 0 ... Sunday = 6, of a weekday named in certificate_price.yaml."""
    return _WEEKDAYS.index(str(parameter("certificate_price").extra[key]).lower())


def _day_name(day: dt.date) -> str:
    return _WEEKDAYS[day.weekday()].capitalize()


def application_week_start(day: dt.date) -> dt.date:
    """First day (a Tuesday) of the application week of the weekly price that covers ``day``."""
    return day - dt.timedelta(days=(day.weekday() - _weekday("weekly_price_applies_from")) % 7)


def week_label(start: dt.date) -> str:
    """'2027-W05': the ISO week of an application week's first day."""
    iso_year, week, _ = start.isocalendar()
    return f"{iso_year}-W{week:02d}"


def application_week(key: str) -> tuple[dt.date, dt.date]:
    """First and last day of the application week ``2027-W05``: Tuesday of that ISO week to
    Monday of the next, included. ValueError for a week the ISO year does not have."""
    iso_year, week = key.split("-W")
    monday = dt.date.fromisocalendar(int(iso_year), int(week), 1)
    start = monday + dt.timedelta(days=_weekday("weekly_price_applies_from"))
    return start, start + dt.timedelta(days=6)


def describe_period(key: str) -> Message:
    """A period in words: 'application week 2027-W05 (Tuesday 2027-02-02 to Monday 2027-02-08)'."""
    if "-W" in key:
        start, end = application_week(key)
        return Message(
            "M_PERIOD_WEEK",
            key=key,
            start_day=_day_name(start),
            start=start.isoformat(),
            end_day=_day_name(end),
            end=end.isoformat(),
        )
    return Message("M_EX_PERIOD_QUARTER" if "Q" in key else "M_EX_PERIOD_YEAR", key=key)


def weekly_convention() -> Message:
    """The weekly-price convention in one sentence, from certificate_price.yaml."""
    p = parameter("certificate_price")
    return Message(
        "M_WEEKLY_CONVENTION",
        first=min(d for d, v in p.values[None] if v == "weekly").year,
        published=str(p.extra["weekly_price_published_on"]).capitalize(),
        start=str(p.extra["weekly_price_applies_from"]).capitalize(),
        end=_WEEKDAYS[(_weekday("weekly_price_applies_from") + 6) % 7].capitalize(),
    )


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
        '2026Q2', or from 2027 the application week '2027-W05' (the quarter where the day is
        unknown). A week runs Tuesday to Monday: an import on Monday 2027-02-01 is in 2027-W04.

    References
    ----------
    Regulation (EU) 2023/956 Art 21(1) and (1a); ``citation("certificate_price")``.
    """
    if regime(year) == "weekly" and day is not None:
        return week_label(application_week_start(day))
    return f"{year}Q{quarter}"


def _parents(key: str) -> list[str]:
    """A period and the coarser periods that contain its first day: week -> quarter -> year."""
    if "-W" in key:
        start, _ = application_week(key)  # weekly prices apply from the Tuesday
        return [key, f"{start.year}Q{(start.month - 1) // 3 + 1}", str(start.year)]
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

    # period -> (price, status, source): a reference row's source is a Message (its Chinese
    # beside it), a user's price path keeps the source it gives
    rows: dict[str, tuple[float, str, str]]
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
                    r.get("source") or Message("M_PRICE_SRC_PATH"),  # as given, or named
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
            point = PricePoint(key, float(self.override), "user", key, Message("M_PRICE_SRC_FLAT"))
        else:
            for candidate in _parents(key):
                if candidate in self.rows:
                    price, status, source = self.rows[candidate]
                    if candidate != key:
                        # a quarter or year stands in for a finer period: say so
                        if status in ("published", "recomputed"):
                            status = "projection"
                        source = Message(
                            "M_PRICE_STAND_IN_SOURCE",
                            candidate=candidate,
                            period=describe_period(key),
                            source=source,
                        )
                    point = PricePoint(key, price, status, candidate, source)
                    break
            else:
                raise KeyError(key)
        self._cache[key] = point
        return point

    def periods_of_year(self, year: int) -> list[str]:
        """The price periods of a year: its quarters, or from 2027 the application weeks that
        start (on a Tuesday) in the year."""
        if regime(year) == "weekly":
            day = application_week_start(dt.date(year, 1, 1))
            if day.year < year:
                day += dt.timedelta(days=7)
            weeks = []
            while day.year == year:
                weeks.append(week_label(day))
                day += dt.timedelta(days=7)
            return weeks
        return [f"{year}Q{q}" for q in range(1, 5)]

    def reference_price(self, year: int) -> ReferencePrice:
        """P_ref of the Art 9 draft [EUR/tCO2e], its weakest status and the periods it averages:
        the mean of the year's certificate prices (:meth:`periods_of_year`), rounded to the cent
        (``reference_price_rounding_eur`` of ``art9_draft.yaml``; not law)."""
        points = [self.lookup(k) for k in self.periods_of_year(year)]
        rounding = float(parameter("art9_draft").extra["reference_price_rounding_eur"])
        mean = float(np.mean([p.price_eur_per_tco2e for p in points]))
        value = round(round(mean / rounding) * rounding, 2)
        return ReferencePrice(value, weakest(p.status for p in points), averaged_periods(points))


class ReferencePrice(NamedTuple):
    """P_ref of a year: the value, its weakest status and which periods it averages."""

    price_eur_per_tco2e: float
    status: str
    averages: str


def averaged_periods(points: list[PricePoint]) -> Message:
    """'mean of 4 quarters: 2026Q1 75.36 (published), ...': consecutive periods with the same
    figure, status and stand-in row are written as one run."""
    runs: list[list[PricePoint]] = []
    for p in points:
        stand_in = p.source_period if p.source_period != p.period else None
        if runs:
            q = runs[-1][-1]
            q_stand_in = q.source_period if q.source_period != q.period else None
            if (q.price_eur_per_tco2e, q.status, q_stand_in) == (p.price_eur_per_tco2e, p.status, stand_in):
                runs[-1].append(p)
                continue
        runs.append([p])
    weeks = bool(points) and "-W" in points[0].period
    parts = []
    for run in runs:
        p = run[0]
        stand_in = (
            Message("M_EX_PRICE_STAND_IN", period=p.source_period) if p.source_period != p.period else ""
        )
        run_code = "M_AVG_RUN_WEEKS" if weeks else "M_AVG_RUN_QUARTERS"
        where = Message(run_code, first=p.period, last=run[-1].period, n=len(run)) if run[1:] else p.period
        parts.append(
            Message(
                "M_AVG_PART",
                where=where,
                price=f"{p.price_eur_per_tco2e:.2f}",
                status=p.status,
                stand_in=stand_in,
            )
        )
    return Message("M_AVG_WEEKS" if weeks else "M_AVG_QUARTERS", n=len(points), parts=parts)


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
        return FxRate("EUR", year, 1.0, "published", Message("M_FX_SRC_EURO"))
    if overrides and currency in overrides:
        return FxRate(currency, year, overrides[currency], "user", Message("M_FX_SRC_USER"))
    fx = ref.fx_annual
    hit = fx[(fx["currency"] == currency) & (fx["year"] == year)]
    if hit.empty:
        return None
    r = hit.iloc[0]
    return FxRate(currency, year, float(r["units_per_eur"]), str(r["status"]), r["source"])


def units_per_eur(
    ref: ReferenceData,
    currency,
    year: np.ndarray,
    overrides: dict[str, float] | None = None,
    used: dict[str, FxRate] | None = None,
) -> np.ndarray:
    """:func:`fx_rate` of each (currency, year), looked up once per distinct pair.

    Parameters
    ----------
    ref : ReferenceData
        Reference tables (``reference_prices/fx_eur_annual.csv``).
    currency : array-like of str (a Categorical keeps its codes: no string per element)
        ISO 4217 code of each price.
    year : numpy.ndarray of int
        Year of import of each price.
    overrides : dict of str to float, optional
        Rates given by the user (``--fx``) [units per EUR].
    used : dict, optional
        Filled with the FxRate of each pair found, keyed ``"CUR year"`` (the run's Parameters).

    Returns
    -------
    numpy.ndarray of float
        Units of currency per EUR; NaN where there is no rate.

    References
    ----------
    ``citation("exchange_rates")``.
    """
    from cbam_calc.core.arrays import factorize_frame

    if len(year) == 0:
        return np.zeros(0)
    codes, distinct = factorize_frame(pd.DataFrame({"c": currency, "y": np.asarray(year)}))
    rates = []
    for c, y in distinct.itertuples(index=False):
        r = fx_rate(ref, str(c), int(y), overrides)
        rates.append(np.nan if r is None else r.units_per_eur)
        if r is not None and used is not None:
            used[f"{c} {y}"] = r
    return np.asarray(rates, dtype=float)[codes]


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

    Notes
    -----
    A week entry is an application week of the weekly price (from 2027): ``2027-W05`` covers
    Tuesday of ISO week 5 to Monday of ISO week 6, included. A quarter or year entry covers the
    application weeks whose Tuesday falls in it: ``2029`` runs from Tuesday 2029-01-02 to Monday
    2029-12-31, and Monday 2029-01-01 takes ``2028``.

    Raises
    ------
    OptionError
        Naming the row and column of the first bad value.
    """
    from cbam_calc.core.errors import OptionError
    from cbam_calc.core.messages import Message
    from cbam_calc.law.reference import read_commented_csv

    p = Path(path)
    if not p.is_file():
        raise OptionError(Message("E_PRICE_PATH_MISSING", path=str(p)))
    try:
        df = read_commented_csv(p)
    except Exception as e:  # a CSV pandas cannot parse
        raise OptionError(Message("E_PRICE_PATH_UNREADABLE", path=str(p), error=str(e))) from None
    missing = {"period", "price_eur_per_tco2e"} - set(df.columns)
    if missing:
        raise OptionError(Message("E_PRICE_PATH_COLUMNS", path=str(p), missing=sorted(missing)))
    seen: set[str] = set()
    for i, r in enumerate(df.to_dict("records"), start=2):
        period = str(r["period"]).strip()
        if not _PERIOD.match(period):
            raise OptionError(Message("E_PRICE_PATH_PERIOD", path=str(p), row=i, period=period))
        if period in seen:
            raise OptionError(Message("E_PRICE_PATH_TWICE", path=str(p), row=i, period=period))
        if "-W" in period:
            try:
                _, last_day = application_week(period)
            except ValueError:
                raise OptionError(
                    Message("E_PRICE_PATH_NO_WEEK", path=str(p), row=i, year=period[:4], week=period[6:])
                ) from None
            if regime(last_day.year) != "weekly":
                raise OptionError(
                    Message("E_PRICE_PATH_WEEK_UNUSED", path=str(p), row=i, period=period, year=last_day.year)
                )
        seen.add(period)
        try:
            price = float(r["price_eur_per_tco2e"])
        except ValueError:
            price = float("nan")
        if not price > 0:
            raise OptionError(
                Message("E_PRICE_PATH_PRICE", path=str(p), row=i, value=str(r["price_eur_per_tco2e"]))
            )
    out = df.copy()
    out["period"] = out["period"].str.strip()
    out["price_eur_per_tco2e"] = out["price_eur_per_tco2e"].astype(float)
    if "status" not in out.columns:
        out["status"] = "projection"
    out["status"] = out["status"].replace("", "projection")
    if "source" not in out.columns:
        out["source"] = ""
    unnamed = Message("M_PRICE_SRC_PATH_FILE", file=p.name)
    out["source"] = pd.Series([s or unnamed for s in out["source"]], index=out.index, dtype=object)
    return out[["period", "price_eur_per_tco2e", "status", "source"]]
