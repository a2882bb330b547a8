"""Default values of embedded emissions (Implementing Regulation (EU) 2025/2621).

Resolution, per (CN code, country, route, year), following IR 2025/2621 Annex I:

1. In the country's own table, take the row whose CN heading is the longest prefix of the
   declared 8-digit code (the Annex lists 4-, 6- and 8-digit headings).
2. Where the country has no table, no row for the code, or the row shows a dash (no value), the
   table "Other Countries and Territories" applies, matched the same way.
3. Where the country of production is declared unknown (``XX``), Annex IV's highest value
   applies (IR 2025/2621 Art 1(5)).
4. Where a code has grey and white clinker variants (route A / B), the route must be given.

The value used is the published default "including mark-up" for the year of import
(2028 column for 2028 and later). For goods of Reg 2023/956 Annex II only the direct part counts:
a published total that contains indirect emissions is never used for them (the direct value is
marked up instead). The lookup runs once per distinct key, never per line.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from cbam_calc.params import parameter
from cbam_calc.refdata import ReferenceData

OTHER = "OTHER"
UNKNOWN_ORIGIN = "XX"
MARKED_COLUMNS = {2026: "total_marked_2026", 2027: "total_marked_2027", 2028: "total_marked_2028"}
ROUTE_NAMES = {"A": "grey clinker", "B": "white clinker"}

# What each output column of resolve_default_values holds.
RESULT_COLUMNS = [
    "default_table",  # country | other | annex_iv
    "default_table_name",
    "default_cn_prefix",
    "default_route",
    "default_direct_base_tco2e_per_t",
    "default_indirect_base_tco2e_per_t",
    "default_total_base_tco2e_per_t",
    "default_markup_rate",
    "see_default_direct_tco2e_per_t",
    "see_default_indirect_tco2e_per_t",
    "see_default_tco2e_per_t",
    "default_reject_column",
    "default_reject_reason",
]


def markup_rate(sector: str, year: int) -> float:
    """IR 2025/2621 mark-up for a sector and year of import: 10/20/30 %, fertilisers 1 %."""
    p = parameter("default_markup")
    key = "fertilisers" if sector == "fertilisers" and "fertilisers" in p.values else "general"
    return float(p.at(year, key))


def round3(x: float) -> float:
    """Round half up to 3 decimals, as the published default values are."""
    return math.floor(x * 1000 + 0.5 + 1e-9) / 1000


class _Index:
    """Rows of a default-value table grouped by (country, CN prefix). The grouping is computed by
    pandas once; a row becomes a dict only when a lookup first reaches it."""

    def __init__(self, df: pd.DataFrame, country_col: str | None) -> None:
        df = df.reset_index(drop=True)
        country = df[country_col] if country_col else pd.Series(UNKNOWN_ORIGIN, index=df.index)
        self._positions = pd.Series(np.arange(len(df))).groupby([country, df["cn_prefix"]]).indices
        self._columns = {c: df[c].tolist() for c in df.columns}
        self._rows: dict[tuple[str, str], list[dict]] = {}

    @classmethod
    def of(cls, df: pd.DataFrame, country_col: str | None) -> _Index:
        return cls(df, country_col)

    def get(self, key: tuple[str, str]) -> list[dict] | None:
        hit = self._rows.get(key)
        if hit is None:
            pos = self._positions.get(key)
            if pos is None:
                return None
            hit = [{c: v[i] for c, v in self._columns.items()} for i in pos]
            self._rows[key] = hit
        return hit

    def longest_prefix(self, country: str, cn8: str) -> list[dict] | None:
        for n in (8, 6, 4):
            hit = self.get((country, cn8[:n]))
            if hit:
                return hit
        return None


def _indexes(ref: ReferenceData) -> tuple[_Index, _Index]:
    cache = ref.__dict__.setdefault("_default_indexes", {})
    if not cache:
        annex_iv = ref.annex_iv_defaults.rename(columns={"highest_tco2e_per_t": "total_tco2e_per_t"})
        annex_iv = annex_iv.assign(
            direct_tco2e_per_t=np.nan,
            indirect_tco2e_per_t=np.nan,
            indirect_not_applicable=False,
            country_table="Annex IV",
        )
        cache["annex_i"] = _Index.of(ref.default_values, "country_iso2")
        cache["annex_iv"] = _Index.of(annex_iv, None)
    return cache["annex_i"], cache["annex_iv"]


def _pick_route(rows: list[dict], route: str) -> tuple[dict | None, str]:
    """Among the rows of one heading, the one for the declared route (grey/white clinker)."""
    routes = sorted({r["route"] for r in rows if r["route"]})
    if len(rows) == 1:
        return rows[0], ""
    if route and route in routes:
        return next(r for r in rows if r["route"] == route), ""
    choices = ", ".join(f"{x} ({ROUTE_NAMES.get(x, 'route ' + x)})" for x in routes)
    if route:
        return None, f"route '{route}' has no default value for this CN code; give one of {choices}"
    return None, f"this CN code has default values per route: give the route, one of {choices}"


def _has_value(row: dict) -> bool:
    return not math.isnan(row["total_tco2e_per_t"])


def resolve_one(
    ref: ReferenceData,
    cn8: str,
    country: str,
    route: str,
    year: int,
    sector: str,
    direct_only: bool,
) -> dict:
    """The default value of one (CN code, country, route, year): see the module docstring."""
    annex_i, annex_iv = _indexes(ref)
    out = dict.fromkeys(RESULT_COLUMNS, np.nan)
    out.update(
        default_reject_column="",
        default_reject_reason="",
        default_route="",
        default_table="",
        default_table_name="",
        default_cn_prefix="",
    )
    row = None
    if country == UNKNOWN_ORIGIN:
        rows = annex_iv.longest_prefix(UNKNOWN_ORIGIN, cn8)
        table = "annex_iv"
    else:
        rows = annex_i.longest_prefix(country, cn8)
        table = "country"
    if rows is not None:
        row, problem = _pick_route(rows, route)
        if problem:
            out.update(default_reject_column="route", default_reject_reason=problem)
            return out
    if country != UNKNOWN_ORIGIN and (row is None or not _has_value(row)):
        # IR 2621 Annex I: country not listed, or listed with a dash -> Other Countries and Territories
        rows = annex_i.longest_prefix(OTHER, cn8)
        table = "other"
        row = None
        if rows is not None:
            row, problem = _pick_route(rows, route)
            if problem:
                out.update(default_reject_column="route", default_reject_reason=problem)
                return out
    if row is None or not _has_value(row):
        out.update(
            default_reject_column="see_direct",
            default_reject_reason="no IR 2025/2621 default value for this CN code: "
            "give actual emissions (see_direct)",
        )
        return out

    rate = markup_rate(sector, year)
    marked_total = row[MARKED_COLUMNS[min(max(year, 2026), 2028)]]
    direct, indirect = row["direct_tco2e_per_t"], row["indirect_tco2e_per_t"]
    indirect_counts_in_total = not row["indirect_not_applicable"] and not (
        math.isnan(indirect) or indirect == 0.0
    )
    if table == "annex_iv":
        # Annex IV gives one "highest" value with no direct/indirect split.
        see_direct, see_indirect, counted = marked_total, np.nan, marked_total
    else:
        see_direct = round3(direct * (1 + rate)) if not math.isnan(direct) else np.nan
        if indirect_counts_in_total:
            see_indirect = round3(indirect * (1 + rate))
        else:
            see_indirect = 0.0 if indirect == 0.0 else np.nan
        if direct_only and indirect_counts_in_total:
            counted = see_direct  # Annex II good: never let indirect emissions in via the total
        else:
            counted = marked_total
        if direct_only or not indirect_counts_in_total:
            see_direct = counted
    out.update(
        default_table=table,
        default_table_name=row["country_table"],
        default_cn_prefix=row["cn_prefix"],
        default_route=row["route"] or "",
        default_direct_base_tco2e_per_t=direct,
        default_indirect_base_tco2e_per_t=indirect,
        default_total_base_tco2e_per_t=row["total_tco2e_per_t"],
        default_markup_rate=rate,
        see_default_direct_tco2e_per_t=see_direct,
        see_default_indirect_tco2e_per_t=see_indirect,
        see_default_tco2e_per_t=counted,
    )
    return out


def resolve_default_values(keys: pd.DataFrame, ref: ReferenceData) -> pd.DataFrame:
    """Default values for a table of DISTINCT keys.

    ``keys`` has columns cn_code, country_iso2, route, year, sector, direct_only; the result has
    one row per key (same index) with :data:`RESULT_COLUMNS`.
    """
    records = [
        resolve_one(ref, cn, c, r, int(y), s, bool(d))
        for cn, c, r, y, s, d in zip(
            keys["cn_code"],
            keys["country_iso2"],
            keys["route"],
            keys["year"],
            keys["sector"],
            keys["direct_only"],
        )
    ]
    return pd.DataFrame.from_records(records, index=keys.index, columns=RESULT_COLUMNS)
