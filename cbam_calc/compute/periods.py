"""Certificates and cost by period: the view importers plan certificate purchases and quarterly
holdings by (issue 14).

The period of a line follows the certificate price regime (Reg 2023/956 Art 21, IR 2025/2548;
law.prices.period_key): in 2026 the calendar QUARTER of import (one price a quarter); from 2027
the MONTH of import, whose cost is its lines' certificates at the weekly price of each line's
application week, summed (a week that straddles two months is split by the import dates). A line
from 2027 whose date is not known keeps its quarter. A period is labelled a projection where a
price it uses is projected or a user's path.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cbam_calc.core.arrays import factorize_frame
from cbam_calc.core.model import PeriodFigures
from cbam_calc.law.de_minimis import exempt_lines, waive

KEYS = ["importer", "year", "sector", "month"]
# the statuses of a price, strongest first: a period shows the weakest of its prices
STATUS_ORDER = ("published", "recomputed", "recomputed_partial", "user", "projection")
PROJECTED = ("user", "projection")


def is_week(price_period) -> np.ndarray:
    """Lines whose price period is an application week (the weekly regime, from 2027)."""
    cat = pd.Categorical(price_period)
    weekly = np.array(["-W" in str(c) for c in cat.categories], dtype=bool)
    return np.append(weekly, False)[np.asarray(cat.codes, dtype=np.int64)]


def week_groups(before: pd.DataFrame, import_date: pd.Series) -> pd.DataFrame | None:
    """Sums by (importer, year, sector, month of import, price period) of the lines priced by the
    week (``before``: compute_part's keys and sums; ``import_date`` of the same lines); None where
    no line is. The other lines' periods are their price periods, in the summary groups already."""
    weekly = is_week(before["price_period"])
    if not weekly.any():
        return None
    month = pd.Series(import_date.to_numpy()[weekly]).to_numpy(dtype="datetime64[M]")
    frame = pd.DataFrame(
        {
            "importer": before["importer"].to_numpy()[weekly],
            "year": before["year"].to_numpy()[weekly],
            "sector": before["sector"].to_numpy()[weekly],
            "month": month,
            "price_period": before["price_period"].to_numpy()[weekly],
        }
    )
    codes, uniq = factorize_frame(frame)
    out = uniq.copy()
    for c in ("certificates", "cost_eur"):
        out[c] = np.bincount(codes, weights=before[c].to_numpy(dtype=float)[weekly], minlength=len(uniq))
    out["_lines"] = np.bincount(codes, minlength=len(uniq))
    return out


def _sort_key(period: str) -> tuple[int, int, int]:
    """'2026Q3' -> (2026, 7, 1), '2027-02' -> (2027, 2, 0): periods in order of their first day."""
    if "Q" in period:
        y, q = period.split("Q")
        return int(y), 3 * int(q) - 2, 1
    if "-" in period:
        y, m = period.split("-")[:2]
        return int(y), int(m), 0
    return int(period), 1, 2


def by_period(
    groups: pd.DataFrame,
    weeks: list[pd.DataFrame | None],
    exempt: set,
    price_points: dict,
    display_rates: dict | None = None,
) -> list[PeriodFigures]:
    """The periods table: ``groups`` (the summary groups after de minimis, by price period) for the
    quarters, the parts' :func:`week_groups` (de minimis applied here) summed into months; sorted
    by period. Its certificates and cost sum to the run's. ``display_rates`` (--currency CNY): the
    :class:`~cbam_calc.law.display_fx.DisplayRate` of each price period (looked up once, by
    :func:`cbam_calc.compute.display_currency.period_rates`); each row then sums its parts' cost x
    their rate."""
    rows: dict[str, dict] = {}

    def add(period: str, kind: str, lines, certs, cost, statuses, pp: str) -> None:
        r = rows.setdefault(
            period, {"kind": kind, "lines": 0, "certificates": 0.0, "cost_eur": 0.0, "st": set()}
        )
        if display_rates is not None:  # --currency CNY: this part's cost at its period's rate
            d = display_rates.get(pp)
            rate, st = (d.units_per_eur, d.status) if d is not None else (np.nan, "")
            r["cny"] = r.get("cny", 0.0) + float(cost) * rate
            r.setdefault("dst", set()).add(st)
        r["lines"] += int(lines)
        r["certificates"] += float(certs)
        r["cost_eur"] += float(cost)
        r["st"].update(statuses)

    def status(period: str) -> str:
        p = price_points.get(period)
        return p.status if p is not None else ""

    if len(groups):
        quarter = ~is_week(groups["price_period"])
        if quarter.any():
            q = groups.loc[quarter]
            s = q.groupby("price_period", observed=True)[["_lines", "certificates", "cost_eur"]].sum()
            for k, r in s.iterrows():
                if r["_lines"]:
                    add(
                        str(k),
                        "quarter",
                        r["_lines"],
                        r["certificates"],
                        r["cost_eur"],
                        {status(str(k))},
                        str(k),
                    )
    present = [w for w in weeks if w is not None and len(w)]
    if present:
        w = pd.concat(present, ignore_index=True)
        hit = exempt_lines(w, w["sector"], exempt)
        w["certificates"] = waive(w["certificates"].to_numpy(dtype=float), hit)
        w["cost_eur"] = waive(w["cost_eur"].to_numpy(dtype=float), hit)
        w["period"] = pd.Series(w["month"].to_numpy(dtype="datetime64[M]")).dt.strftime("%Y-%m")
        for (period, pp), r in (
            w.groupby(["period", "price_period"], observed=True)[["_lines", "certificates", "cost_eur"]]
            .sum()
            .iterrows()
        ):
            add(
                str(period),
                "month",
                r["_lines"],
                r["certificates"],
                r["cost_eur"],
                {status(str(pp))},
                str(pp),
            )
    out = []
    for period in sorted(rows, key=_sort_key):
        r = rows[period]
        known = [s for s in r["st"] if s]
        weakest = max(
            known, key=lambda s: STATUS_ORDER.index(s) if s in STATUS_ORDER else len(STATUS_ORDER), default=""
        )
        certs = r["certificates"]
        out.append(
            PeriodFigures(
                period=period,
                kind=r["kind"],
                lines=r["lines"],
                certificates=round(certs, 6),
                cost_eur=round(r["cost_eur"], 2),
                eur_per_certificate=round(r["cost_eur"] / certs, 2) if certs > 0 else None,
                price_status=weakest,
                projection=any(s in PROJECTED for s in known),
                **_display(r),
            )
        )
    return out


def _display(r: dict) -> dict:
    """The CNY fields of a row (--currency CNY), none otherwise."""
    if "cny" not in r:
        return {}
    cost, statuses = r["cny"], r["dst"]
    return {
        "cost_cny": round(cost, 2),
        "display_rate_cny_per_eur": round(cost / r["cost_eur"], 4) if r["cost_eur"] else None,
        "display_rate_status": "projection" if "projection" in statuses else max(statuses, default=""),
    }
