"""Sums of computed lines by keys, the headline figures of a table of lines or groups, and the
tables of a report.
Long because: the report tables' sums on integer codes (FineSums) must equal the fine aggregate's
roll-ups to the last bit, so they live beside the sums they reproduce.

The headline figures are defined once: the sums of :data:`SUMS` (goods and electricity apart,
:func:`goods_split`), rounded to :data:`DECIMALS`, and

    EUR per t = goods cost / goods mass          goods: every sector but electricity (MWh)

with no value where there is no goods mass. :func:`headline` gives them as a dict (the summary,
None without goods mass), :func:`figures` as a table column by column (report tables and batch,
NaN without goods mass); both round as the outputs have always rounded (Python ``round`` for a
dict, ``numpy.round`` for a table).

Groups are combinable by summing again, so partitions of a big input (Dask, batches) reduce to the
same figures as one table.

The tables of a report (shared by the workbook, the HTML page and the JSON of a batch): a run's
computed lines are reduced once to sums by every key a report groups on (the "fine" aggregate: one
row per distinct year, sector, CN code, country, importer and installation), and every table (by
sector, by CN code, by country, by member ...) is a roll-up of those sums. A batch merges the fine
aggregates of its files, so the association's totals never need the lines of all its members at
once (see :mod:`cbam_calc.compute.batch`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from cbam_calc.core.arrays import factorize_frame
from cbam_calc.law.reference import reference_data
from cbam_calc.law.scope import ELECTRICITY

# Sums that roll up by addition; the goods (non-electricity) split makes EUR per t exact after merging.
SUMS = [
    "lines",
    "goods_mass_t",
    "electricity_mwh",
    "embedded_tco2e",
    "free_allocation_tco2e",
    "art9_reduction_tco2e",
    "certificates",
    "cost_eur",
    "goods_cost_eur",
]
# The headline figures, in order, and their decimals (tonnes and tCO2e to the gram, EUR to the cent).
DECIMALS = {
    "net_mass_t": 6,
    "electricity_mwh": 6,
    "embedded_tco2e": 6,
    "free_allocation_tco2e": 6,
    "art9_reduction_tco2e": 6,
    "certificates": 6,
    "cost_eur": 2,
    "eur_per_t": 2,
}
FIGURES = ["lines", *DECIMALS]


def goods_split(sector, net_mass_t: np.ndarray, cost_eur: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per line or group: the goods mass [t], the electricity [MWh] and the goods cost [EUR]
    (electricity is counted in MWh, so it is neither goods mass nor part of EUR per tonne)."""
    elec = np.asarray(pd.Series(sector).eq(ELECTRICITY))
    return np.where(elec, 0.0, net_mass_t), np.where(elec, net_mass_t, 0.0), np.where(elec, 0.0, cost_eur)


def headline(sums) -> dict:
    """The headline figures of one set of :data:`SUMS` (a dict or a row), as a dict: rounded to
    :data:`DECIMALS`, EUR per t None where there is no goods mass."""
    goods_mass = float(sums["goods_mass_t"])
    values = {
        "net_mass_t": goods_mass,
        **{c: float(sums[c]) for c in list(DECIMALS)[1:-1]},
    }
    return (
        {"lines": int(sums["lines"])}
        | {c: round(v, DECIMALS[c]) for c, v in values.items()}
        | {"eur_per_t": eur_per_t(sums["goods_cost_eur"], goods_mass)}
    )


def eur_per_t(goods_cost_eur, goods_mass_t) -> float | None:
    """EUR per t of one set of sums, rounded to :data:`DECIMALS`; None without goods mass."""
    mass = float(goods_mass_t)
    return round(float(goods_cost_eur) / mass, DECIMALS["eur_per_t"]) if mass > 0 else None


def headline_figures(df: pd.DataFrame) -> dict:
    """Headline figures of a table of lines, or of groups from :func:`aggregate` (``_lines``)."""
    elec = df["sector"].eq(ELECTRICITY).to_numpy()
    mass = df["net_mass_t"].to_numpy(dtype=float)
    cost = df["cost_eur"].to_numpy(dtype=float)
    return headline(
        {
            "lines": df["_lines"].sum() if "_lines" in df.columns else len(df),
            "goods_mass_t": mass[~elec].sum(),
            "electricity_mwh": mass[elec].sum(),
            **{c: df[c].sum() for c in ("embedded_tco2e", "free_allocation_tco2e", "art9_reduction_tco2e")},
            "certificates": df["certificates"].sum(),
            "cost_eur": cost.sum(),
            "goods_cost_eur": cost[~elec].sum(),
        }
    )


# Keys of the summary groups: what the summary, the Parameters table and de minimis need.
GROUP_KEYS = [
    "importer",
    "year",
    "sector",
    "cn_code",
    "price_period",
    "benchmark_projection",
    "art9_track",
    "emissions_data",
]
# Keys of the report groups: what the report tables (by country, by installation ...) roll up.
REPORT_KEYS = ["year", "sector", "cn_code", "country_iso2", "importer", "installation"]
GROUP_SUMS = [
    "net_mass_t",
    "embedded_tco2e",
    "free_allocation_tco2e",
    "art9_reduction_tco2e",
    "certificates",
    "cost_eur",
]


def aggregate(out: pd.DataFrame, keys: list[str] = GROUP_KEYS) -> pd.DataFrame:
    """Sums of computed lines by ``keys``, BEFORE de minimis: small, and combinable by summing
    again, so partitions of a big input (Dask, batches) reduce to the same figures. Keys are
    factorised (categorical codes) and summed with bincount: no Python object per line."""
    codes, uniq = factorize_frame(out[keys])
    k = len(uniq)
    # coded text keys (importer, CN code ...) stay codes: where lines hardly share a group (a few
    # thousand importers with every CN code), a string object per group is what costs
    table = pd.DataFrame({c: _key_column(uniq[c]) for c in keys})
    for c in GROUP_SUMS:
        table[c] = np.bincount(codes, weights=out[c].to_numpy(dtype=float), minlength=k)
    table["_lines"] = np.bincount(codes, minlength=k).astype(np.int64)
    table["year"] = table["year"].astype(np.int64)
    if "benchmark_projection" in table:
        table["benchmark_projection"] = table["benchmark_projection"].astype(bool)
    return table


def _key_column(s: pd.Series) -> pd.Series:
    """A key column of the groups: categories in use (codes kept), years and flags as they are
    (they end as int64 and bool: no object array of 458,136 Python ints on the way), anything
    else as objects."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        return _used_categories(s)
    if s.dtype == np.int64 or s.dtype == np.bool_:
        return s
    return s.astype(object)


def _used_categories(s: pd.Series) -> pd.Series:
    """``s.cat.remove_unused_categories()`` (the same categories, in the same order) by one
    bincount of the codes instead of a sort."""
    cat = s.array
    codes = np.asarray(cat.codes, dtype=np.int64)
    k = len(cat.categories)
    used = np.bincount(codes[codes >= 0], minlength=k) > 0
    if used.all():
        return s
    remap = np.cumsum(used) - 1
    new = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
    dtype = pd.CategoricalDtype(cat.categories[used], ordered=cat.ordered)
    return pd.Series(pd.Categorical.from_codes(new, dtype=dtype), index=s.index, name=s.name)


def combine(groups: list[pd.DataFrame], keys: list[str] = GROUP_KEYS) -> pd.DataFrame:
    """Several aggregates (one per partition or file) as one."""
    present = [g for g in groups if len(g)]
    if not present:
        return pd.DataFrame(columns=[*keys, *GROUP_SUMS, "_lines"])
    if len(present) == 1:
        return present[0]
    frame = pd.concat(present, ignore_index=True)
    return frame.groupby(keys, sort=False, dropna=False, observed=True).sum().reset_index()


def _text_ranks(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The distinct texts of a key column, sorted, and each row's rank among them: one str() per
    distinct value, not per group; groups and their row order are those of the text."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    names, rank = np.unique(np.array([str(u) for u in uniques], dtype=object), return_inverse=True)
    return names, rank.reshape(-1)[codes]


def eur_per_t_by(df: pd.DataFrame, key: str) -> dict[str, float | None]:
    """The EUR per tonne of :func:`headline_figures_by` alone, for each value of ``key``: only
    the goods mass and goods cost are summed (each column is summed on its own by the groupby,
    so these two sums, and the figure, are those of the full table)."""
    if df.empty:
        return {}
    cost = df["cost_eur"].to_numpy(dtype=float)
    goods_mass, _, goods_cost = goods_split(df["sector"], df["net_mass_t"].to_numpy(dtype=float), cost)
    names, ranks = _text_ranks(df[key])
    t = (
        pd.DataFrame({key: ranks, "goods_mass_t": goods_mass, "goods_cost_eur": goods_cost})
        .groupby(key, sort=True)
        .sum()
    )
    return {
        str(names[k]): eur_per_t(r["goods_cost_eur"], r["goods_mass_t"])
        for k, r in t.to_dict("index").items()
    }


def headline_figures_by(df: pd.DataFrame, key: str) -> list[tuple[str, dict]]:
    """figures for each value of ``key`` of a group table, in one groupby."""
    return headline_figures_by_each(df, [key])[key]


def headline_figures_by_each(df: pd.DataFrame, keys: list[str]) -> dict[str, list[tuple[str, dict]]]:
    """:func:`headline_figures_by` for each of ``keys``: the columns summed are made once, and
    each key's groupby sums them alone (the same sums as one table per key)."""
    if df.empty:
        return {key: [] for key in keys}
    cost = df["cost_eur"].to_numpy(dtype=float)
    goods_mass, mwh, goods_cost = goods_split(df["sector"], df["net_mass_t"].to_numpy(dtype=float), cost)
    ranked = {key: _text_ranks(df[key]) for key in keys}
    sums = {
        "lines": df["_lines"].to_numpy(),
        "goods_mass_t": goods_mass,
        "electricity_mwh": mwh,
        "goods_cost_eur": goods_cost,
        "cost_eur": cost,
        **{
            c: df[c].to_numpy(dtype=float)
            for c in (
                "embedded_tco2e",
                "free_allocation_tco2e",
                "art9_reduction_tco2e",
                "certificates",
            )
        },
    }
    frame = pd.DataFrame({**{f"_rank {key}": ranks for key, (_, ranks) in ranked.items()}, **sums})
    out = {}
    for key, (names, _) in ranked.items():
        t = frame.groupby(f"_rank {key}", sort=True)[list(sums)].sum()
        out[key] = [(str(names[k]), headline(r)) for k, r in t.to_dict("index").items()]
    return out


# ---------------------------------------------------------------------------- report tables
FINE_KEYS = ["year", "sector", "cn_code", "description", "country_iso2", "importer", "installation"]
# The groupings a report or `cbam batch --by` offers, and the key columns of each. A CN code
# brings its description and sector along (they are functions of the code).
GROUPINGS: dict[str, list[str]] = {
    "member": ["member"],
    "sector": ["sector"],
    "cn_code": ["cn_code", "description", "sector"],
    "country": ["country_iso2"],
    "importer": ["importer"],
    "installation": ["installation"],
    "year": ["year"],
}


@dataclass(frozen=True)
class ReportTable:
    """One grouping of a report: a sheet of the workbook, a section of the HTML page."""

    name: str  # i18n label of its heading, and its key in JSON ("by_sector" ...)
    sheet: str  # key of its sheet in the workbook (core.sheets: its name in each language)
    keys: list[str]  # key columns of ``frame``
    frame: pd.DataFrame  # keys (raw values) + FIGURES (+ ranks), sorted by cost, highest first


def empty_fine(extra_keys: list[str] | None = None) -> pd.DataFrame:
    cols = [*(extra_keys or []), *FINE_KEYS, *SUMS]
    return pd.DataFrame({c: pd.Series(dtype=float if c in SUMS else object) for c in cols})


def fine_aggregate(result, before_de_minimis: bool = False) -> pd.DataFrame:
    """Sums of a run's computed lines (after de minimis, or before it) by FINE_KEYS, from the
    engine's groups (so a run whose lines are not in memory, as with the Dask engine, has them
    too)."""
    g = result.groups_before if before_de_minimis else result.groups
    if g is None or g.empty:
        return empty_fine()
    cost = g["cost_eur"].to_numpy(dtype=float)
    goods_mass, mwh, goods_cost = goods_split(g["sector"], g["net_mass_t"].to_numpy(dtype=float), cost)
    descriptions = reference_data().goods["description"]
    frame = pd.DataFrame(
        {
            "year": g["year"].to_numpy(dtype=np.int64),
            "sector": g["sector"].astype(str).to_numpy(),
            "cn_code": g["cn_code"].astype(str).to_numpy(),
            "description": g["cn_code"].map(descriptions).fillna("").astype(str).to_numpy(),
            "country_iso2": g["country_iso2"].astype(str).to_numpy(),
            "importer": g["importer"].astype(str).to_numpy(),
            "installation": g["installation"].astype(str).to_numpy(),
            "lines": g["_lines"].to_numpy(dtype=np.int64),
            "goods_mass_t": goods_mass,
            "electricity_mwh": mwh,
            "embedded_tco2e": g["embedded_tco2e"].to_numpy(dtype=float),
            "free_allocation_tco2e": g["free_allocation_tco2e"].to_numpy(dtype=float),
            "art9_reduction_tco2e": g["art9_reduction_tco2e"].to_numpy(dtype=float),
            "certificates": g["certificates"].to_numpy(dtype=float),
            "cost_eur": cost,
            "goods_cost_eur": goods_cost,
        }
    )
    return rollup(frame, FINE_KEYS)


def rollup(sums: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sums by ``keys`` (fine aggregates, or roll-ups being merged, sum again exactly)."""
    if sums.empty:
        return pd.DataFrame({c: pd.Series(dtype=float if c in SUMS else object) for c in [*keys, *SUMS]})
    return sums.groupby(keys, sort=True, dropna=False, observed=True)[SUMS].sum().reset_index()


def figures(sums: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The headline figures of rolled-up sums (:func:`rollup`), one row per key, as a table:
    rounded to :data:`DECIMALS` (``numpy.round``), EUR per t NaN where there is no goods mass;
    highest cost first."""
    out = sums[keys].copy()
    goods_mass = sums["goods_mass_t"].to_numpy(dtype=float)
    goods_cost = sums["goods_cost_eur"].to_numpy(dtype=float)
    out["lines"] = sums["lines"].to_numpy(dtype=np.int64)
    out["net_mass_t"] = np.round(goods_mass, DECIMALS["net_mass_t"])
    for c in list(DECIMALS)[1:-1]:
        out[c] = np.round(sums[c].to_numpy(dtype=float), DECIMALS[c])
    out["eur_per_t"] = _per_t(goods_cost, goods_mass)
    if BEFORE in sums.columns:  # FineSums: what a tonne costs an importer that is not exempt
        out["eur_per_t_before_exemption"] = _per_t(sums[BEFORE].to_numpy(dtype=float), goods_mass)
    return out.sort_values(
        ["cost_eur", *keys], ascending=[False, *[True] * len(keys)], kind="stable"
    ).reset_index(drop=True)


def _per_t(goods_cost_eur: np.ndarray, goods_mass_t: np.ndarray) -> np.ndarray:
    """EUR per t of rolled-up sums, rounded to :data:`DECIMALS`; NaN without goods mass."""
    with np.errstate(divide="ignore", invalid="ignore"):
        per_t = np.round(goods_cost_eur / goods_mass_t, DECIMALS["eur_per_t"])
    return np.where(goods_mass_t > 0, per_t, np.nan)


def with_ranks(table: pd.DataFrame) -> pd.DataFrame:
    """Rank 1 = the highest levy, and the highest EUR per tonne (no tonnes: no rank)."""
    out = table.copy()
    out.insert(0, "rank_cost", out["cost_eur"].rank(ascending=False, method="min").astype(np.int64))
    per_t = out["eur_per_t"].rank(ascending=False, method="min")
    out.insert(1, "rank_eur_per_t", per_t.astype("Int64"))
    return out


def totals(fine: pd.DataFrame) -> dict:
    """The headline figures of a fine aggregate (all of it)."""
    sums = fine[SUMS].sum().to_frame().T
    row = figures(sums, []).iloc[0]
    out: dict = {c: float(row[c]) for c in FIGURES}
    out["lines"] = int(row["lines"])
    out["eur_per_t"] = None if pd.isna(row["eur_per_t"]) else float(row["eur_per_t"])
    return out


def calc_tables(result) -> list[ReportTable]:
    """The grouping sheets of a calc report: sector, CN code, country, and importer and
    installation where the input names them. They come from the engine's groups, so a Dask run,
    whose lines are not in memory, has them too; each is the roll-up of the fine aggregate by its
    keys, summed on integer codes (:class:`FineSums`) rather than on the fine aggregate's text."""
    fine = FineSums(result.groups, before=result.groups_before)
    tables = [
        _table("by_sector", "by_sector", fine, "sector"),
        # beside EUR per t, what a tonne of the product costs an importer that is not exempt, so
        # a quote never shows 0 for a product
        _table("by_cn_code", "by_cn_code", fine, "cn_code", before=True),
        _table("by_country", "by_country", fine, "country"),
    ]
    for name, sheet, grouping in (
        ("by_importer", "by_importer", "importer"),
        ("by_installation", "by_installation", "installation"),
    ):
        table = _table(name, sheet, fine, grouping)
        if table.frame[grouping].ne("").any():
            tables.append(table)
    return tables


class FineSums:
    """:func:`fine_aggregate` of a run's groups held as integer codes: ``rollup(fine_aggregate(r),
    keys)`` for any ``keys`` of FINE_KEYS, to the last bit, without the text keys of every fine row.

    Each key column is coded by the rank of its text in sorted order (as fine_aggregate writes it:
    year an integer, the others ``astype(str)``), so grouping the codes with ``sort=True`` orders
    and sums the rows exactly as grouping the text does, in a fraction of the time: a realistic
    file's fine aggregate has 986,196 rows of seven text keys for 1,000,000 lines, which took 5-15 s
    of every report to build and roll up. The description is a function of the CN code: it is
    looked up for the rows of a roll-up only; a key's codes are put in the fine order when a
    roll-up first groups on it. The float sums are one row-major array (a fine row's sums side by
    side): one gather puts them in the fine order, and pandas sums them row by row as it reads.

    ``before``: the same groups before de minimis (the same keys in the same rows: only the cost
    of exempt importers differs), whose goods cost is kept as the sum :data:`BEFORE` in the same
    order (``sums(keys, before=True)``): the price of a tonne before the exemption needs no
    second aggregate."""

    BY: ClassVar[list[str]] = [k for k in FINE_KEYS if k != "description"]
    FLOATS: ClassVar[list[str]] = SUMS[1:]  # the sums but ``lines`` (an integer)

    def __init__(self, g: pd.DataFrame | None, before: pd.DataFrame | None = None) -> None:
        self.empty = g is None or g.empty
        if self.empty:
            return
        self.labels, codes = {}, {}
        for k in self.BY:
            codes[k], self.labels[k] = _ranked_codes(g[k], k == "year")
        cost = g["cost_eur"].to_numpy(dtype=float)
        goods_mass, mwh, goods_cost = goods_split(g["sector"], g["net_mass_t"].to_numpy(dtype=float), cost)
        values = {
            "goods_mass_t": goods_mass,
            "electricity_mwh": mwh,
            **{c: g[c].to_numpy(dtype=float) for c in SUMS[3:-2]},
            "cost_eur": cost,
            "goods_cost_eur": goods_cost,
        }
        before_cost = None  # None: the goods cost (nothing exempt)
        if before is not None and before is not g:
            if len(before) != len(g) or not _same_keys(*({k: t[k] for k in self.BY} for t in (g, before))):
                raise AssertionError("the groups before de minimis are not the rows of the groups after it")
            before_cost = goods_split(g["sector"], goods_mass, before["cost_eur"].to_numpy(dtype=float))[2]
        lines = g["_lines"].to_numpy(dtype=np.int64)
        self.order = _fine_order(codes)
        if self.order is None:  # two groups share a key's text: pandas groups them
            extra = {} if before_cost is None else {BEFORE: before_cost}
            frame = pd.DataFrame({**codes, "lines": lines, **values, **extra})
            fine = frame.groupby(self.BY, sort=True)[["lines", *self.FLOATS, *extra]].sum().reset_index()
            self._codes = {k: fine[k].to_numpy() for k in self.BY}
            self._in_order = set(self.BY)
            self.lines = fine["lines"].to_numpy()
            self.floats = np.ascontiguousarray(fine[self.FLOATS].to_numpy(dtype=float))
            self.before = fine[BEFORE].to_numpy(dtype=float) if extra else None
            return
        self._codes = codes  # put in the fine order when first grouped on (_sorted_codes)
        self._in_order: set[str] = set()
        self.lines = lines[self.order]
        self.floats = _in_order(np.column_stack([values[c] for c in self.FLOATS]), self.order)
        self.before = None if before_cost is None else _in_order(before_cost, self.order)

    def _sorted_codes(self, key: str) -> np.ndarray:
        """The codes of ``key`` of the fine rows, in their order."""
        if key not in self._in_order:
            self._codes[key] = self._codes[key][self.order]
            self._in_order.add(key)
        return self._codes[key]

    def sums(self, keys: list[str], before: bool = False) -> pd.DataFrame:
        """``rollup(fine_aggregate(result), keys)``; ``before``: with :data:`BEFORE`, the goods
        cost before de minimis."""
        if self.empty:
            empty = rollup(empty_fine(), keys)
            return empty.assign(**{BEFORE: pd.Series(dtype=float)}) if before else empty
        by = [k for k in keys if k != "description"]
        index = pd.RangeIndex(len(self.lines))
        # the codes as categories: grouped without hashing, in the order of their texts
        # (as Series: a list of arrays as long as the frame would be read as one key)
        groupers = [
            pd.Series(
                pd.Categorical.from_codes(self._sorted_codes(k), categories=np.arange(len(self.labels[k]))),
                index=index,
                name=k,
            )
            for k in by
        ]
        frame = pd.DataFrame(self.floats, columns=self.FLOATS, index=index, copy=False)
        frame.insert(0, "lines", self.lines)
        if before:  # as the goods cost where nothing is exempt
            frame[BEFORE] = (
                self.floats[:, self.FLOATS.index("goods_cost_eur")] if self.before is None else self.before
            )
        part = frame.groupby(groupers, sort=True, observed=True).sum()
        index = part.index
        positions = [np.asarray(index.get_level_values(i)) for i in range(len(by))]
        cols = {k: self.labels[k][pos.astype(np.int64)] for k, pos in zip(by, positions)}
        if "description" in keys:
            descriptions = reference_data().goods["description"]
            cols["description"] = (
                pd.Series(cols["cn_code"]).map(descriptions).fillna("").astype(str).to_numpy()
            )
        return pd.DataFrame({**{k: cols[k] for k in keys}, **{c: part[c].to_numpy() for c in part.columns}})


BEFORE = "goods_cost_before_eur"  # FineSums: the goods cost before de minimis [EUR]


def _in_order(values: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Rows of ``values`` in ``order``, each the sum of one group of one value: a missing value
    0, -0.0 0.0 (as pandas sums them)."""
    out = np.take(values, order, axis=0)
    out += 0.0
    np.copyto(out, 0.0, where=np.isnan(out))
    return out


def _same_keys(a: dict[str, pd.Series], b: dict[str, pd.Series]) -> bool:
    """The key columns of two group tables hold the same values in the same rows."""
    for k, x in a.items():
        y = b[k]
        if x is y:
            continue
        if len(x) != len(y) or x.dtype != y.dtype:
            return False
        if isinstance(x.dtype, pd.CategoricalDtype):
            same = x.cat.categories.equals(y.cat.categories) and np.array_equal(
                x.cat.codes.to_numpy(), y.cat.codes.to_numpy()
            )
        else:
            same = x.reset_index(drop=True).equals(y.reset_index(drop=True))
        if not same:
            return False
    return True


def _fine_order(codes: dict[str, np.ndarray]) -> np.ndarray | None:
    """The order of the rows sorted by their codes (the first key first), or None where two rows
    have the same codes. The engine's groups are one row per key (REPORT_KEYS), so grouping them
    by the fine keys is this sort: on one integer (the codes in mixed radix), or np.lexsort where
    that would not fit in 63 bits."""
    arrays = list(codes.values())
    n = len(arrays[0])
    sizes = [int(c.max()) + 1 if n else 1 for c in arrays]
    if math.prod(sizes) < 2**63:
        combined = np.zeros(n, dtype=np.int64)
        for c, size in zip(arrays, sizes):
            combined = combined * size + c
        order = np.argsort(combined)  # the keys are distinct or the order is not used
        combined = combined[order]
        distinct = bool((combined[1:] != combined[:-1]).all())
    else:
        order = np.lexsort(arrays[::-1])
        same = np.ones(max(n - 1, 0), dtype=bool)
        for c in arrays:
            sorted_c = c[order]
            same &= sorted_c[1:] == sorted_c[:-1]
        distinct = not same.any()
    return order if distinct else None


def _ranked_codes(column: pd.Series, integer: bool) -> tuple[np.ndarray, np.ndarray]:
    """(code of each row, value of each code): the codes number the distinct values in sorted
    order, the values as fine_aggregate writes them (int64, or ``astype(str)``); a missing value
    keeps its own code, after every text, as grouping with ``dropna=False`` sorts it."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy().astype(np.int64)
        cats = column.cat.categories
    else:
        codes, cats = pd.factorize(column, use_na_sentinel=True)
    if integer:
        values = np.asarray(cats, dtype=np.int64)
    else:
        values = np.asarray(pd.Index(cats).astype(str), dtype=object)
    labels, rank = np.unique(values, return_inverse=True)
    rank = rank.reshape(-1)
    missing = codes < 0
    if missing.any():
        labels = np.append(labels.astype(object), np.nan)
        return np.where(missing, len(labels) - 1, rank[np.maximum(codes, 0)]), labels
    return rank[codes], labels


def _table(name: str, sheet: str, fine: FineSums, grouping: str, before: bool = False) -> ReportTable:
    keys = GROUPINGS[grouping]
    return ReportTable(name, sheet, keys, figures(fine.sums(keys, before), keys))
