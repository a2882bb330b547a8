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

from cbam_calc.law.parameters import parameter
from cbam_calc.law.reference import ReferenceData

OTHER = "OTHER"
UNKNOWN_ORIGIN = "XX"
MARKED_COLUMNS = {2026: "total_marked_2026", 2027: "total_marked_2027", 2028: "total_marked_2028"}
ROUTE_NAMES = {"A": "grey clinker", "B": "white clinker"}
NO_DEFAULT = "no IR 2025/2621 default value for this CN code: give actual emissions (see_direct)"

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


def markup_key(sector: str) -> str:
    """Which series of ``default_markup.yaml`` applies to a sector.

    Parameters
    ----------
    sector : str
        CBAM sector.

    Returns
    -------
    str
        'fertilisers' for fertilisers (1 %), 'general' for every other good.

    References
    ----------
    Implementing Regulation (EU) 2025/2621 Art 2; ``citation("default_markup")``.
    """
    return (
        "fertilisers"
        if sector == "fertilisers" and "fertilisers" in parameter("default_markup").values
        else "general"
    )


def markup_rate(sector: str, year: int) -> float:
    """Mark-up included in the default values for a sector and year of import.

    Parameters
    ----------
    sector : str
        CBAM sector.
    year : int
        Year of import.

    Returns
    -------
    float
        Mark-up [ratio]: 0.10 (2026), 0.20 (2027), 0.30 (from 2028); fertilisers 0.01
        (``default_markup.yaml``).

    References
    ----------
    Implementing Regulation (EU) 2025/2621 Art 2 and Annex I; ``citation("default_markup")``.
    """
    return float(parameter("default_markup").at(year, markup_key(sector)))


def round3(x: float) -> float:
    """Round half up to 3 decimals, as the published default values are.

    Parameters
    ----------
    x : float
        A default value [tCO2e/t].

    Returns
    -------
    float
        ``x`` rounded half up to 0.001 [tCO2e/t].

    References
    ----------
    Implementing Regulation (EU) 2025/2621 Annex I (values published to 3 decimals).
    """
    return math.floor(x * 1000 + 0.5 + 1e-9) / 1000


def _annex_iv(ref: ReferenceData) -> pd.DataFrame:
    """Annex IV's highest values in the shape of Annex I rows (no direct/indirect split)."""
    annex_iv = ref.annex_iv_defaults.rename(columns={"highest_tco2e_per_t": "total_tco2e_per_t"})
    return annex_iv.assign(
        direct_tco2e_per_t=np.nan,
        indirect_tco2e_per_t=np.nan,
        indirect_not_applicable=False,
        country_table="Annex IV",
    )


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
    r"""The default value of one (CN code, country, route, year), or why there is none.

    Parameters
    ----------
    ref : ReferenceData
        Reference tables (``default_values.csv``, ``annex_iv_defaults.csv``).
    cn8 : str
        8-digit CN code.
    country : str
        Country of origin (ISO 3166-1 alpha-2; ``XX`` when unknown).
    route : str
        Route given by the user ('' if none): A grey or B white clinker.
    year : int
        Year of import (the mark-up column).
    sector : str
        CBAM sector (the mark-up rate).
    direct_only : bool
        Annex II good: only the direct part counts.

    Returns
    -------
    dict
        :data:`RESULT_COLUMNS`: the table used, the base values and mark-up, and
        ``see_default_tco2e_per_t`` SEE_g [tCO2e/t]; a reject column and reason where the law
        gives no value.

    Notes
    -----
    .. math:: SEE_{default} = \mathrm{round3}(SEE_{base} \times (1 + \mathrm{markup}(y)))

    where the published "including mark-up" column is used as given (see the module docstring
    for the order of the tables).

    References
    ----------
    Implementing Regulation (EU) 2025/2621 Annex I, Art 1(5) and Annex IV;
    ``citation("default_values")``.
    """
    annex_i, annex_iv, _ = _groups(ref)
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
        rows = annex_iv.longest_prefix_one(UNKNOWN_ORIGIN, cn8)
        table = "annex_iv"
    else:
        rows = annex_i.longest_prefix_one(country, cn8)
        table = "country"
    if rows is not None:
        row, problem = _pick_route(rows, route)
        if problem:
            out.update(default_reject_column="route", default_reject_reason=problem)
            return out
    if country != UNKNOWN_ORIGIN and (row is None or not _has_value(row)):
        # IR 2621 Annex I: country not listed, or listed with a dash -> Other Countries and Territories
        rows = annex_i.longest_prefix_one(OTHER, cn8)
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
            default_reject_reason=NO_DEFAULT,
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


TEXT_RESULTS = (
    "default_table",
    "default_table_name",
    "default_cn_prefix",
    "default_route",
    "default_reject_column",
    "default_reject_reason",
)
ROW_COLUMNS = [
    "country_table",
    "cn_prefix",
    "route",
    "direct_tco2e_per_t",
    "indirect_tco2e_per_t",
    "total_tco2e_per_t",
    "indirect_not_applicable",
    *MARKED_COLUMNS.values(),
]


class _Groups:
    """The rows of a default-value table grouped by "country|CN prefix", for lookups of many keys
    at once: per group its number of rows and its first row."""

    def __init__(self, df: pd.DataFrame, country_col: str | None) -> None:
        df = df.reset_index(drop=True)
        country = df[country_col].astype(str) if country_col else UNKNOWN_ORIGIN
        codes, uniques = pd.factorize(country + "|" + df["cn_prefix"].astype(str))
        self.index = pd.Index(uniques)
        self.count = np.append(np.bincount(codes, minlength=len(uniques)), 0)  # [-1]: no group
        self._order = np.argsort(codes, kind="stable")  # rows of group g: a slice of this
        self._start = np.concatenate([[0], np.cumsum(self.count[:-1])])
        self.first = np.append(self._order[self._start[:-1]], -1)  # first row of each group; [-1]: none
        self.df = df
        self._group_of = dict(zip(uniques, range(len(uniques))))
        self._rows: dict[int, list[dict]] = {}

    def rows(self, group: int) -> list[dict]:
        """The rows of one group as dicts, in table order (built once, on first use)."""
        hit = self._rows.get(group)
        if hit is None:
            at = self._order[self._start[group] : self._start[group] + self.count[group]]
            hit = [self.df.iloc[int(i)].to_dict() for i in at]
            self._rows[group] = hit
        return hit

    def longest_prefix_one(self, country: str, cn8: str) -> list[dict] | None:
        """:meth:`longest_prefix` of one key, as the rows of the group found."""
        for n in (8, 6, 4):
            group = self._group_of.get(f"{country}|{cn8[:n]}")
            if group is not None:
                return self.rows(group)
        return None

    def longest_prefix(self, country: np.ndarray, cn8: pd.Series) -> np.ndarray:
        """Group of the longest CN prefix (8, 6, 4 digits) listed for each key's country; -1: none."""
        found = np.full(len(cn8), -1, dtype=np.int64)
        for n in (8, 6, 4):
            todo = found < 0
            if not todo.any():
                break
            prefix = cn8[todo].str[:n].to_numpy(dtype=object)
            found[todo] = self.index.get_indexer(country[todo] + "|" + prefix)
        return found


def _groups(ref: ReferenceData) -> tuple[_Groups, _Groups, pd.DataFrame]:
    """Annex I and Annex IV grouped, and the rows of both as one table (Annex IV rows after)."""
    cache = ref.__dict__.setdefault("_default_groups", {})
    if not cache:
        annex_iv = _annex_iv(ref)
        cache["groups"] = (
            _Groups(ref.default_values, "country_iso2"),
            _Groups(annex_iv, None),
            pd.concat([ref.default_values[ROW_COLUMNS], annex_iv[ROW_COLUMNS]], ignore_index=True),
        )
    return cache["groups"]


def _round3(x: np.ndarray) -> np.ndarray:
    """:func:`round3` over an array (the same float operations)."""
    return np.floor(x * 1000 + 0.5 + 1e-9) / 1000


def resolve_default_values(keys: pd.DataFrame, ref: ReferenceData) -> pd.DataFrame:
    """Default values for a table of DISTINCT keys, in bulk.

    Parameters
    ----------
    keys : pandas.DataFrame
        Columns ``cn_code``, ``country_iso2``, ``route``, ``year``, ``sector``, ``direct_only``.
    ref : ReferenceData
        Reference tables.

    Returns
    -------
    pandas.DataFrame
        One row per key (same index) with :data:`RESULT_COLUMNS`, equal to :func:`resolve_one`
        of each key (tests/test_rules_defaults.py checks every CN code and table of the Annexes).

    Notes
    -----
    A key whose heading lists one row is resolved by array lookups; a heading with several rows
    (grey and white clinker: the route decides) goes through :func:`resolve_one` and its
    messages.

    References
    ----------
    Implementing Regulation (EU) 2025/2621 Annex I and Annex IV; ``citation("default_values")``.
    """
    n = len(keys)
    annex_i, annex_iv, rows = _groups(ref)
    cn8 = keys["cn_code"].astype(str).reset_index(drop=True)
    country = keys["country_iso2"].astype(str).to_numpy(dtype=object)
    unknown = country == UNKNOWN_ORIGIN
    has_value = np.append(~np.isnan(rows["total_tco2e_per_t"].to_numpy(dtype=float)), False)  # [-1]
    iv_offset = len(annex_i.df)

    # 1. the country's own table (Annex IV's highest values for an unknown origin)
    g_i = annex_i.longest_prefix(country, cn8)
    g_iv = annex_iv.longest_prefix(country, cn8)
    own_count = np.where(unknown, annex_iv.count[g_iv], annex_i.count[g_i])
    own_row = np.where(unknown, np.where(g_iv >= 0, annex_iv.first[g_iv] + iv_offset, -1), annex_i.first[g_i])
    # 2. no row or a dash: Other Countries and Territories (IR 2621 Annex I), not for unknown origin
    to_other = ~unknown & ((own_count == 0) | ((own_count == 1) & ~has_value[own_row]))
    g_other = annex_i.longest_prefix(np.full(n, OTHER, dtype=object), cn8)
    other_count = np.where(to_other, annex_i.count[g_other], 0)
    slow = (own_count > 1) | (other_count > 1)  # several rows: the route chooses
    chosen = np.where(to_other, np.where(other_count == 1, annex_i.first[g_other], -1), own_row)
    chosen = np.where(slow, -1, chosen)
    found = ~slow & has_value[chosen]
    table = np.where(unknown, "annex_iv", np.where(to_other, "other", "country")).astype(object)

    # 3. the value for the year: marked-up total, or the direct value marked up (Annex II goods)
    pick = np.where(found, chosen, 0)
    row = {c: rows[c].to_numpy()[pick] for c in ROW_COLUMNS}
    year = keys["year"].to_numpy(dtype=np.int64)
    sector = keys["sector"].astype(str).to_numpy(dtype=object)
    rates = {(s, int(y)): markup_rate(s, int(y)) for s, y in set(zip(sector[found], year[found]))}
    rate = np.array([rates.get((s, int(y)), np.nan) for s, y in zip(sector, year)], dtype=float)
    first, last = min(MARKED_COLUMNS), max(MARKED_COLUMNS)
    clipped = np.clip(year, first, last)
    marked = np.select([clipped == y for y in MARKED_COLUMNS], [row[c] for c in MARKED_COLUMNS.values()])
    direct = row["direct_tco2e_per_t"].astype(float)
    indirect = row["indirect_tco2e_per_t"].astype(float)
    direct_only = keys["direct_only"].to_numpy(dtype=bool)
    with np.errstate(invalid="ignore"):
        counts_indirect = ~row["indirect_not_applicable"].astype(bool) & ~(
            np.isnan(indirect) | (indirect == 0)
        )
        see_direct = _round3(direct * (1 + rate))
        see_indirect = np.where(
            counts_indirect, _round3(indirect * (1 + rate)), np.where(indirect == 0, 0.0, np.nan)
        )
    counted = np.where(direct_only & counts_indirect, see_direct, marked)
    see_direct = np.where(direct_only | ~counts_indirect, counted, see_direct)
    annex_iv_row = table == "annex_iv"
    see_direct = np.where(annex_iv_row, marked, see_direct)
    see_indirect = np.where(annex_iv_row, np.nan, see_indirect)
    counted = np.where(annex_iv_row, marked, counted)

    nan = np.full(n, np.nan)
    blank = np.full(n, "", dtype=object)

    def text(values: np.ndarray) -> np.ndarray:
        return np.where(found, values.astype(object), "").astype(object)

    def num(values: np.ndarray) -> np.ndarray:
        return np.where(found, values.astype(float), nan)

    fast = ~slow & ~found
    out = {
        "default_table": text(table),
        "default_table_name": text(row["country_table"]),
        "default_cn_prefix": text(row["cn_prefix"]),
        "default_route": text(row["route"]),
        "default_direct_base_tco2e_per_t": num(direct),
        "default_indirect_base_tco2e_per_t": num(indirect),
        "default_total_base_tco2e_per_t": num(row["total_tco2e_per_t"]),
        "default_markup_rate": num(rate),
        "see_default_direct_tco2e_per_t": num(see_direct),
        "see_default_indirect_tco2e_per_t": num(see_indirect),
        "see_default_tco2e_per_t": num(counted),
        "default_reject_column": np.where(fast, "see_direct", blank).astype(object),
        "default_reject_reason": np.where(fast, NO_DEFAULT, blank).astype(object),
    }
    if slow.any():
        at = np.flatnonzero(slow)
        sub = keys.iloc[at]
        per_key = [
            resolve_one(ref, cn, c, r, int(y), s, bool(d))
            for cn, c, r, y, s, d in zip(
                sub["cn_code"],
                sub["country_iso2"],
                sub["route"],
                sub["year"],
                sub["sector"],
                sub["direct_only"],
            )
        ]
        for c in RESULT_COLUMNS:
            out[c][at] = [r[c] for r in per_key]
    return pd.DataFrame(out, index=keys.index, columns=RESULT_COLUMNS)
