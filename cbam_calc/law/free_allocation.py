"""Free allocation adjustment (Implementing Regulation (EU) 2025/2620; Reg 2023/956 Art 31).
Long because: the benchmark lookup, its route choice (IR 2620 point 5) and the SEFA equations read
the same benchmark table, and each public function carries its equation and reference.

    FAA_g  = M_g x SEFA_g                                   IR 2620 Eq 1
    SEFA_g = CBAM_factor(y) x CSCF(y) x BM_g                simple goods, Eq 2 (actual) / Eq 6 (default)
    SEFA_g = SFA_proc + sum_i m_i x SEFA_i                  complex goods with actual data, Eq 3-4

BM_g is the CBAM benchmark of the IR 2620 Annex: Column A with actual data, Column B with default
values; values marked (1) apply to 2026-2027 and (2) to 2028-2030 (reused for 2031-2034, flagged as a
projection). IR 2620 foresees revised benchmarks for imports from 2027; until one is adopted, lines
from 2027 keep the act's values and say the revision is pending. Electricity receives no free
allocation (:func:`receives_free_allocation`).

Route choice (IR 2620 Annex point 5): with actual data the route is the installation's and must be
given where Column A has several values. With default values the benchmark follows the production
route indicator printed with the default value used (IR 2025/2621 Annex I as amended by IR
2026/1740): no indicator, the benchmark does not depend on the route; one letter, that route; a
combined indicator such as (C)/(F), the route given if it is one of them, else the highest Column B
value among them; where Column B still has several values and nothing decides, the highest. A
route given that contradicts the printed indicator changes nothing, and the basis says so.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from cbam_calc.core.labels import ROUTE_NAMES
from cbam_calc.core.messages import Message
from cbam_calc.law.parameters import parameter
from cbam_calc.law.reference import ReferenceData
from cbam_calc.law.scope import ELECTRICITY

ROUTE_LABELS = {route: en for route, (en, _) in ROUTE_NAMES.items()}  # core.labels: en and zh

BASIS_SINGLE = Message("M_BASIS_SINGLE")
BASIS_GIVEN = Message("M_BASIS_GIVEN")

RESULT_COLUMNS = [
    "benchmark_column",
    "benchmark_route",
    "benchmark_route_basis",
    "benchmark_period",
    "benchmark_tco2e_per_t",
    "benchmark_projection",
    "benchmark_revision_pending",
    "column_b_tco2e_per_t",
    "benchmark_reject_column",
    "benchmark_reject_reason",
]


def receives_free_allocation(sector):
    r"""Whether a good receives a free allocation adjustment: every CBAM good but electricity.

    Parameters
    ----------
    sector : str, or array-like of str
        CBAM sector of the good (the ``sector`` of ``cn_goods.csv``).

    Returns
    -------
    bool, or numpy.ndarray of bool
        False for electricity, True for every other sector.

    Notes
    -----
    .. math:: \mathrm{FAA}_g = 0 \quad \text{for electricity}

    References
    ----------
    Directive 2003/87/EC Art 10a(3): no free allocation for electricity production; IR 2025/2620
    sets no benchmark for electricity (its Annex lists none).
    """
    if isinstance(sector, str):
        return sector != ELECTRICITY
    return np.asarray(sector != ELECTRICITY)  # a Categorical compares its codes: no string per line


def benchmark_period_start(marker: str, revision_pending: bool = False) -> str:
    """First day on which the benchmarks of an IR 2025/2620 period marker apply.

    Parameters
    ----------
    marker : str
        Period marker of the Annex: '1' (2026-2027) or '2' (2028-2030).
    revision_pending : bool
        For a line from 2027: the first day the values apply pending the foreseen revision.

    Returns
    -------
    str
        ISO date, e.g. '2028-01-01' (``benchmark_period.yaml``).

    References
    ----------
    Implementing Regulation (EU) 2025/2620, Annex, point 5; ``citation("benchmark_period")``.
    """
    p = parameter("benchmark_period")
    start = min(start for start, value in p.values[None] if str(value) == marker)
    if revision_pending:
        start = max(start, dt.date.fromisoformat(str(p.extra["revision_pending_from"])))
    return start.isoformat()


def benchmark_period(year: int) -> tuple[str, bool]:
    """The IR 2025/2620 benchmark period of a year of import.

    Parameters
    ----------
    year : int
        Year of import.

    Returns
    -------
    marker : str
        '1' for 2026-2027, '2' for 2028-2030 (and 2031-2034).
    projection : bool
        True from 2031: IR 2025/2620 sets no benchmark after 2030 and the 2028-2030 values are
        reused.

    References
    ----------
    Implementing Regulation (EU) 2025/2620, Annex, point 5; ``benchmark_period.yaml``.
    """
    p = parameter("benchmark_period")
    marker = str(p.at(year))
    projection_from = p.extra.get("projection_from")
    is_projection = projection_from is not None and year >= int(str(projection_from)[:4])
    return marker, is_projection


def benchmark_revision_pending(years) -> np.ndarray:
    """True for years from which IR 2025/2620 foresees revised benchmarks that are not adopted
    (benchmark_period.yaml, revision_pending_from): their lines use the act as adopted."""
    since = parameter("benchmark_period").extra.get("revision_pending_from")
    years = np.asarray(years, dtype=np.int64)
    if since is None:
        return np.zeros(len(years), dtype=bool)
    return years >= int(str(since)[:4])


def benchmark_revision_note() -> Message:
    """The line note of a year whose benchmark revision is pending."""
    p = parameter("benchmark_period")
    return Message(
        "M_EX_BM_REVISION_NOTE",
        first=p.values[None][0][0].year,  # the act's first year of application
        since=int(str(p.extra["revision_pending_from"])[:4]),
        as_of=str(p.extra["revision_status_as_of"]),
    )


def benchmark_status(projection: bool, revision_pending: bool) -> str:
    """Parameters-table status of a benchmark: law or projection, and whether a revision is pending."""
    status = "projection" if projection else "law"
    return f"{status} (revision pending)" if revision_pending else status


def _index(ref: ReferenceData) -> dict[tuple[str, str], list[tuple[str, str, float]]]:
    """The benchmarks by (CN code, column): their (route, period, value) in the table's order."""

    def build() -> dict[tuple[str, str], list[tuple[str, str, float]]]:
        index: dict[tuple[str, str], list[tuple[str, str, float]]] = {}
        for cn, col, route, period, value in ref.benchmarks[
            ["cn_code", "column", "route", "period", "benchmark_tco2e_per_t"]
        ].itertuples(index=False):
            index.setdefault((cn, col), []).append((route, period, value))
        return index

    return ref.derived("benchmark_index", build)


def warm_up(ref: ReferenceData) -> None:
    """Fill the cache of the benchmark lookups ahead of a run."""
    _index(ref)


def _choices(routes: list[str]) -> list[Message]:
    """The routes to choose from, each with its name (a list: shown joined by ", ")."""
    return [Message("M_ROUTE_CHOICE", route=r) for r in routes]


def printed_routes(indicator: str) -> list[str]:
    """The routes of a production route indicator as the default-value table stores it ("C",
    "C/F" for "(C)/(F)", "" for none)."""
    return [r for r in indicator.split("/") if r]


def _indicator(routes: list[str]) -> str:
    return "/".join(f"({r})" for r in routes)


def default_route(by_route: dict[str, float], indicator: str, given: str) -> tuple[str, str]:
    """The Column B route of a default-value line, and why (RULES Route choice; IR 2620 Annex
    point 5 with the indicator IR 2025/2621 as amended by IR 2026/1740 prints with the value).

    ``by_route``: the Column B values by route for the code and period (several). One letter: that
    route. Combined, such as (C)/(F): the route given if it is one of them, else the highest among
    them. No indicator, or none of its routes in Column B: nothing decides, the highest. A route
    given that the indicator does not name is not used, and the basis says so."""
    printed = printed_routes(indicator)
    candidates = [r for r in printed if r in by_route]
    shown = _indicator(printed)
    if given in candidates and len(candidates) > 1:
        return given, Message("M_BASIS_COMBINED_GIVEN", printed=shown)
    if len(candidates) == 1:
        chosen, basis = candidates[0], Message("M_BASIS_DEFAULT_ROUTE", printed=shown)
    elif candidates:
        chosen = max(candidates, key=lambda r: by_route[r])
        basis = Message("M_BASIS_COMBINED_HIGHEST", printed=shown)
    else:
        chosen = max(by_route, key=lambda r: by_route[r])
        why = Message("M_BASIS_PRINTED_NO_B", printed=shown) if printed else Message("M_BASIS_NONE_PRINTED")
        basis = Message("M_BASIS_HIGHEST", why=why)
    if given and given != chosen:
        printed_text = Message("M_BASIS_PRINTED", printed=shown) if printed else Message("M_BASIS_NO_ROUTE")
        basis = Message("M_BASIS_GIVEN_NOT_USED", basis=basis, given=given, printed=printed_text)
    return chosen, basis


def resolve_one(
    ref: ReferenceData,
    cn8: str,
    actual: bool,
    route: str,
    default_route_: str,
    year: int,
    sector: str,
) -> dict:
    """The CBAM benchmark of one distinct key, or why the law needs more input.

    Parameters
    ----------
    ref : ReferenceData
        Reference tables (``benchmarks.csv``).
    cn8 : str
        8-digit CN code.
    actual : bool
        Actual emissions given (Column A), else default values (Column B).
    route : str
        Production route given by the user ('' if none), a letter of :data:`ROUTE_LABELS`.
    default_route_ : str
        Production route indicator printed with the default value used ('' if none; combined
        indicators such as 'C/F').
    year : int
        Year of import (the benchmark period).
    sector : str
        CBAM sector; electricity receives no free allocation (:func:`receives_free_allocation`).

    Returns
    -------
    dict
        :data:`RESULT_COLUMNS`: ``benchmark_tco2e_per_t`` BM_g [tCO2e/t] (NaN where rejected),
        ``column_b_tco2e_per_t`` [tCO2e/t], the column, route and how it was chosen, the period
        and whether it is a projection, and ``benchmark_reject_column`` /
        ``benchmark_reject_reason`` where the law needs more input.

    Notes
    -----
    Route choice: with actual data, the installation's route, which must be given where
    Column A has several values; with default values, the route indicator printed with the
    default value (IR 2025/2621 as amended by IR 2026/1740): one letter, that route; a combined
    indicator, the route given if it is one of them, else the highest Column B value among them;
    none, the highest Column B value. A route given that contradicts the indicator changes nothing.

    References
    ----------
    Implementing Regulation (EU) 2025/2620, Annex, point 5 and the benchmark table;
    ``citation("benchmark")``.
    """
    column = "A" if actual else "B"
    marker, projection = benchmark_period(year)
    out = dict.fromkeys(RESULT_COLUMNS, "")
    out.update(
        benchmark_column=column,
        benchmark_period=marker,
        benchmark_projection=projection,
        benchmark_revision_pending=bool(benchmark_revision_pending([year])[0]),
        benchmark_tco2e_per_t=np.nan,
    )
    if not receives_free_allocation(sector):
        out.update(
            benchmark_column="",
            benchmark_period="",
            benchmark_projection=False,
            benchmark_revision_pending=False,
            benchmark_tco2e_per_t=0.0,
            column_b_tco2e_per_t=0.0,
            benchmark_route_basis="electricity receives no free allocation",
        )
        return out
    entries = _index(ref).get((cn8, column))
    b_entries = _index(ref).get((cn8, "B")) or []
    b_values = {r: v for r, p, v in b_entries if p in ("", marker)}
    out["column_b_tco2e_per_t"] = max(b_values.values()) if b_values else np.nan
    if not entries:
        out.update(
            benchmark_reject_column="cn_code",
            benchmark_reject_reason=Message("R_NO_BENCHMARK", column=column),
        )
        return out
    in_period = [(r, v) for r, p, v in entries if p in ("", marker)]
    routes = sorted({r for r, _ in in_period if r})
    if len(in_period) == 1 and not routes:
        out.update(benchmark_tco2e_per_t=in_period[0][1], benchmark_route_basis=BASIS_SINGLE)
        return out
    if not routes:  # several route-less values would be a data error
        raise ValueError(f"benchmarks.csv: several values without route for {cn8} column {column}")
    by_route = dict(in_period)
    if not actual:  # default values: the printed route indicator decides, not the route given
        chosen, basis = default_route(by_route, default_route_, route)
        out.update(
            benchmark_route=chosen,
            benchmark_tco2e_per_t=by_route[chosen],
            benchmark_route_basis=basis,
        )
        return out
    if route:
        if route not in by_route:
            out.update(
                benchmark_reject_column="route",
                benchmark_reject_reason=Message(
                    "R_ROUTE_NO_BENCHMARK", route=route, column=column, choices=_choices(routes)
                ),
            )
            return out
        out.update(
            benchmark_route=route,
            benchmark_tco2e_per_t=by_route[route],
            benchmark_route_basis=BASIS_GIVEN,
        )
        if route in b_values:  # compare like with like: Column B of the same route
            out["column_b_tco2e_per_t"] = b_values[route]
        return out
    out.update(
        benchmark_reject_column="route",
        benchmark_reject_reason=Message("R_ROUTE_NEEDED", choices=_choices(routes)),
    )
    return out


def resolve_benchmarks(keys: pd.DataFrame, ref: ReferenceData) -> pd.DataFrame:
    """:func:`resolve_one` for a table of DISTINCT keys.

    Parameters
    ----------
    keys : pandas.DataFrame
        Columns ``cn_code``, ``actual``, ``route``, ``default_route``, ``year``, ``sector``, one
        row per distinct key.
    ref : ReferenceData
        Reference tables.

    Returns
    -------
    pandas.DataFrame
        :data:`RESULT_COLUMNS`, one row per key (same index).

    References
    ----------
    Implementing Regulation (EU) 2025/2620, Annex; ``citation("benchmark")``.
    """
    records = [
        resolve_one(ref, cn, bool(a), r, dr, int(y), s)
        for cn, a, r, dr, y, s in zip(
            keys["cn_code"],
            keys["actual"],
            keys["route"],
            keys["default_route"],
            keys["year"],
            keys["sector"],
        )
    ]
    out = pd.DataFrame.from_records(records, index=keys.index, columns=RESULT_COLUMNS)
    # the reasons are messages (a code and its parameters): object dtype keeps them (pandas would
    # infer a string column, which keeps only their English text)
    for column in ("benchmark_reject_reason", "benchmark_route_basis"):
        values = np.empty(len(records), dtype=object)
        values[:] = [rec.get(column, "") for rec in records]
        out[column] = pd.Series(values, index=keys.index, dtype=object)
    return out


def cbam_factor(years: np.ndarray) -> np.ndarray:
    """CBAM factor: the share of EU ETS free allocation that remains in each year.

    Parameters
    ----------
    years : numpy.ndarray of int
        Year of import of each line.

    Returns
    -------
    numpy.ndarray of float
        CBAM_factor(y) [ratio], 0.975 in 2026 down to 0 in 2034 (``cbam_factor.yaml``).

    References
    ----------
    Directive 2003/87/EC Art 10a(1a), inserted by Directive (EU) 2023/959;
    ``citation("cbam_factor")``.
    """
    return parameter("cbam_factor").by_year(years)


def cscf(years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cross-sectoral correction factor of the EU ETS in each year.

    Parameters
    ----------
    years : numpy.ndarray of int
        Year of import of each line.

    Returns
    -------
    values : numpy.ndarray of float
        CSCF(y) [ratio]: set by Decision (EU) 2026/1862 for 2026-2030; later years reuse a
        projected value (``cscf.yaml``, ``projection_from``).
    provisional : numpy.ndarray of bool
        True where the law sets no value for the year (a projection).

    References
    ----------
    Directive 2003/87/EC Art 10a(5); Commission Implementing Decision (EU) 2026/1862;
    Implementing Regulation (EU) 2025/2620 Eq 2 and Eq 6;
    ``citation("cscf")``.
    """
    p = parameter("cscf")
    years = np.asarray(years, dtype=np.int64)
    values = p.by_year(years)
    projection_from = int(str(p.extra["projection_from"])[:4])
    return values, years >= projection_from


def specific_embedded_free_allocation(
    cbam_factor: np.ndarray,
    cscf: np.ndarray,
    benchmark_tco2e_per_t: np.ndarray,
    precursor_mass_t_per_t: np.ndarray,
    precursor_sefa_tco2e_per_t: np.ndarray,
    precursor_benchmark_tco2e_per_t: np.ndarray,
    sector: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Specific embedded free allocation of each good, and its precursor term.

    Parameters
    ----------
    cbam_factor : numpy.ndarray of float
        CBAM factor of the year [ratio] (:func:`cbam_factor`).
    cscf : numpy.ndarray of float
        Cross-sectoral correction factor of the year [ratio] (:func:`cscf`).
    benchmark_tco2e_per_t : numeric array
        CBAM benchmark BM_g of the good [tCO2e/t] (:func:`resolve_benchmarks`).
    precursor_mass_t_per_t : numeric array
        Mass of precursor per tonne of good, m_i [t/t]; NaN where none (lines with actual data
        only: Eq 4).
    precursor_sefa_tco2e_per_t : numeric array
        SEFA_i of the precursor as given [tCO2e/t]; NaN where not given.
    precursor_benchmark_tco2e_per_t : numeric array
        Chain benchmark of the precursor [tCO2e/t], used where SEFA_i is not given.
    sector : array-like of str
        CBAM sector of each good: electricity receives none (:func:`receives_free_allocation`).

    Returns
    -------
    sefa : numpy.ndarray of float
        SEFA_g [tCO2e/t], 0 for electricity.
    precursor : numpy.ndarray of float
        The precursor term m_i x SEFA_i [tCO2e/t], 0 where no precursor is given.

    Notes
    -----
    .. math::

        SEFA_g = CBAM\_factor(y) \times CSCF(y) \times BM_g + m_i \times SEFA_i

        SEFA_i = SEFA_{i,given} \ \text{or} \ CBAM\_factor(y) \times CSCF(y) \times BM_i

    References
    ----------
    Implementing Regulation (EU) 2025/2620 Eq 2 (actual data), Eq 6 (default values), Eq 3-4
    (complex goods); ``citation("sefa")``, ``citation("sefa_complex")``.
    """
    process = cbam_factor * cscf * benchmark_tco2e_per_t
    sefa_i = np.where(
        np.isnan(precursor_sefa_tco2e_per_t),
        cbam_factor * cscf * precursor_benchmark_tco2e_per_t,
        precursor_sefa_tco2e_per_t,
    )
    precursor = np.nan_to_num(precursor_mass_t_per_t) * np.nan_to_num(sefa_i)
    return np.where(receives_free_allocation(sector), process + precursor, 0.0), precursor


def column_b_floor(ref: ReferenceData, cn_codes) -> np.ndarray:
    """Per 8-digit CN code, the lowest Column B (default values) benchmark of the IR 2620 Annex,
    any route or period (NaN where the code has none).

    Column A (actual data) of a good made from precursors benchmarks the good's own production
    step; IR 2620 Eq 3-4 add the precursors' free allocation to it. A Column A value below every
    Column B value of the same code (Portland cement 2523 29 00: A 0, B 0.666) is where a line with
    actual data and no precursor gets less free allocation than the law gives once its precursors
    are declared. ``citation("sefa_complex")``.
    """
    index = _index(ref)
    return np.array(
        [min((v for _, _, v in index.get((str(cn), "B"), [])), default=np.nan) for cn in cn_codes],
        dtype=float,
    )


def free_allocation_adjustment(net_mass_t: np.ndarray, sefa_tco2e_per_t: np.ndarray) -> np.ndarray:
    r"""Free allocation adjustment of each good.

    Parameters
    ----------
    net_mass_t : numeric array
        Net mass M_g [t].
    sefa_tco2e_per_t : numeric array
        Specific embedded free allocation SEFA_g [tCO2e/t]
        (:func:`specific_embedded_free_allocation`).

    Returns
    -------
    numeric array
        FAA_g [tCO2e].

    Notes
    -----
    .. math:: \mathrm{FAA}_g = M_g \times SEFA_g

    References
    ----------
    Implementing Regulation (EU) 2025/2620 Eq 1; Regulation (EU) 2023/956 Art 31;
    ``citation("faa")``.
    """
    return net_mass_t * sefa_tco2e_per_t
