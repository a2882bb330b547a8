"""The carbon price paid abroad by instrument: how much the DRAFT Art 9 recognises and how much
it does not, and why, summed over a run's computed lines (issue 16; RULES.md "Art 9").

Per instrument row r of line g (one row per line from the per-line columns):

    recognised_EUR_r   = recognised_r [EUR per t of good] x M_g
    unrecognised_EUR_r = unrecognised_r [EUR per t of good] x M_g
    R_r                = R_g x recognised_r / sum over the rows of g of recognised   (actual track)

so the R_r of a run add up to the Art 9 reduction of its actual-track lines (R_g is capped so N_g
>= 0 and kept only where evidenced, law.art9.reduction_tco2e). The price recognised is deducted
only on a line whose state (law.art9.price_paid_state) is ``deducted``: on the default track Art 9
deducts the country's default carbon price, not the price paid; an unevidenced price or a line
Art 9 does not apply to deducts nothing. So the recognised EUR of the deducted rows / P_ref is the
reduction (before the cap), and the rest is kept apart, with its state. Summed by (unit,
mechanism, treatment, line state) with one bincount on combined integer codes: no Python object
per line.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cbam_calc.compute.lines import PRICE_STATE, RECOGNISED_EUR_PER_T
from cbam_calc.core.model import InstrumentFigures, InstrumentTotal
from cbam_calc.law import art9, instruments

SUM_COLUMNS = [
    "unit",
    "mechanism",
    "treatment",
    "line_state",
    "lines",
    "recognised_eur",
    "unrecognised_eur",
    "art9_reduction_tco2e",
]
_FIGURES = ["lines", "recognised_eur", "unrecognised_eur", "art9_reduction_tco2e"]


def empty_sums() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object if c in SUM_COLUMNS[:4] else float) for c in SUM_COLUMNS})


def instrument_sums(
    line: np.ndarray,
    unit: np.ndarray,
    mechanism: np.ndarray,
    reason: np.ndarray,
    recognised_eur_per_t: np.ndarray,
    unrecognised_eur_per_t: np.ndarray,
    net_mass_t: np.ndarray,
    reduction_tco2e: np.ndarray,
    price_state: np.ndarray,
) -> pd.DataFrame:
    """The carbon price paid by (unit, mechanism, treatment, line state), in EUR, and the Art 9
    reduction it gives, over instrument rows.

    Parameters
    ----------
    line : int array
        Position of each row's line in the per-line arrays below.
    unit, mechanism : int array
        Codes into :func:`~cbam_calc.law.instruments.known_units` / ``known_mechanisms`` (-1: not
        named).
    reason : int array
        Code into :data:`~cbam_calc.law.instruments.REASONS`; -1: no price (the row is left out).
    recognised_eur_per_t, unrecognised_eur_per_t : numeric array
        Per row, EUR per tonne of good (law.instruments.Treatment); NaN as 0.
    net_mass_t, reduction_tco2e : numeric array
        Per line: M_g [t] and the Art 9 reduction applied R_g [tCO2e].
    price_state : int array
        Per row: its line's code into :data:`~cbam_calc.law.art9.PRICE_STATES`; only ``deducted``
        (actual track, evidenced) makes R_g of the price paid. A row recognising nothing is summed
        with line state '' (nothing to deduct, whatever its line's state).

    Returns
    -------
    pandas.DataFrame
        :data:`SUM_COLUMNS`, one row per (unit, mechanism, treatment, line state) present; codes
        as text ('' where not named).
    """
    line = np.asarray(line, dtype=np.int64)
    reason = np.asarray(reason, dtype=np.int64)
    keep = reason >= 0
    if not keep.any():
        return empty_sums()
    line, reason = line[keep], reason[keep]
    state = np.asarray(price_state, dtype=np.int64)[keep]
    unit = np.asarray(unit, dtype=np.int64)[keep]
    mech = np.asarray(mechanism, dtype=np.int64)[keep]
    rec = np.nan_to_num(np.asarray(recognised_eur_per_t, dtype=float)[keep])
    unrec = np.nan_to_num(np.asarray(unrecognised_eur_per_t, dtype=float)[keep])
    mass = np.asarray(net_mass_t, dtype=float)[line]
    n_lines = len(net_mass_t)
    line_rec = np.bincount(line, weights=rec, minlength=n_lines)[line]
    on_actual = (state == art9.PRICE_DEDUCTED) & (line_rec > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(on_actual, rec / line_rec, 0.0)
    reduction = np.asarray(reduction_tco2e, dtype=float)[line] * share
    # a row that recognises nothing has nothing to deduct: its line's state does not matter ('')
    state = np.where(rec > 0, state, len(art9.PRICE_STATES))
    n_u, n_m, n_r, n_s = (
        len(instruments.known_units()) + 1,
        len(instruments.known_mechanisms()) + 1,
        len(instruments.REASONS),
        len(art9.PRICE_STATES) + 1,
    )
    key = (((unit + 1) * n_m + (mech + 1)) * n_r + reason) * n_s + state
    size = n_u * n_m * n_r * n_s
    one_per_line = bool(np.all(line[1:] > line[:-1]))  # the per-line columns: no line counted twice
    if one_per_line:
        count = np.bincount(key, minlength=size)
    else:
        # each (line, key) once: rows come in line order, so one sort of the combined code (no hash)
        pair = np.sort(line * size + key)
        first = np.ones(len(pair), dtype=bool)
        first[1:] = pair[1:] != pair[:-1]
        count = np.bincount(pair[first] % size, minlength=size)
    sums = {
        "lines": count.astype(float),
        "recognised_eur": np.bincount(key, weights=rec * mass, minlength=size),
        "unrecognised_eur": np.bincount(key, weights=unrec * mass, minlength=size),
        "art9_reduction_tco2e": np.bincount(key, weights=reduction, minlength=size),
    }
    present = np.flatnonzero(count)
    u, rest = np.divmod(present, n_m * n_r * n_s)
    m, rest = np.divmod(rest, n_r * n_s)
    r, st = np.divmod(rest, n_s)
    units = np.array(["", *instruments.known_units()], dtype=object)
    mechs = np.array(["", *instruments.known_mechanisms()], dtype=object)
    return pd.DataFrame(
        {
            "unit": units[u],
            "mechanism": mechs[m],
            "treatment": np.array(instruments.REASONS, dtype=object)[r],
            "line_state": np.array([*art9.PRICE_STATES, ""], dtype=object)[st],
            **{k: v[present] for k, v in sums.items()},
        },
        columns=SUM_COLUMNS,
    )


def _codes_of(column, known: list[str]) -> np.ndarray:
    """Codes into ``known`` of a categorical column of codes ('' or unknown: -1), by its codes."""
    cat = pd.Categorical(column)
    where = {c: i for i, c in enumerate(known)}
    lut = np.array([where.get(str(c), -1) for c in cat.categories] + [-1], dtype=np.int64)
    codes = np.asarray(cat.codes, dtype=np.int64)
    return lut[np.where(codes < 0, len(lut) - 1, codes)]


def sums_of_lines(cols: pd.DataFrame, net_mass_t: np.ndarray) -> pd.DataFrame | None:
    """:func:`instrument_sums` of computed lines with one instrument row each (the per-line columns
    carbon_price_unit, _mechanism_used, _treatment, _unrecognised_eur_per_t and the summary's
    recognised EUR per t and price state); None where no instrument is named (no column)."""
    if "carbon_price_treatment" not in cols.columns:
        return None
    n = len(cols)
    return instrument_sums(
        np.arange(n, dtype=np.int64),
        _codes_of(cols["carbon_price_unit"], instruments.known_units()),
        _codes_of(cols["carbon_price_mechanism_used"], instruments.known_mechanisms()),
        _codes_of(cols["carbon_price_treatment"], list(instruments.REASONS)),
        cols[RECOGNISED_EUR_PER_T].to_numpy(dtype=float),
        cols["carbon_price_unrecognised_eur_per_t"].to_numpy(dtype=float),
        np.asarray(net_mass_t, dtype=float),
        cols["art9_reduction_tco2e"].to_numpy(dtype=float),
        cols[PRICE_STATE].to_numpy(),
    )


def part_sums(cols: pd.DataFrame, net_mass_t: np.ndarray, good: np.ndarray, rows=None, join=None):
    """The sums of a part's computed lines (``good``): a line that takes carbon-prices table rows
    by each of them (``rows``: Computed.instrument_rows, their units from ``join.instruments``),
    every other line by its per-line columns (:func:`sums_of_lines`). None where no instrument is
    named and no table row applies."""
    good = np.asarray(good, dtype=bool)
    n = len(cols)
    frames: list[pd.DataFrame | None] = []
    per_line = good
    if rows is not None and len(rows.line) and join is not None and join.instruments is not None:
        line = np.asarray(rows.line, dtype=np.int64)
        per_line = good & ~(np.bincount(line, minlength=n) > 0)
        keep = good[line]
        t = rows.treatment
        unit = instruments.unit_codes(join.instruments["unit"])[np.asarray(rows.instrument)[keep]]
        frames.append(
            instrument_sums(
                line[keep],
                unit,
                np.asarray(t.mechanism)[keep],
                np.asarray(t.reason)[keep],
                np.asarray(t.recognised_eur_per_t)[keep],
                np.asarray(t.unrecognised_eur_per_t)[keep],
                net_mass_t,
                cols["art9_reduction_tco2e"].to_numpy(dtype=float),
                np.asarray(rows.price_state)[keep],
            )
        )
    if "carbon_price_treatment" in cols.columns and per_line.any():
        every = bool(per_line.all())
        frames.append(
            sums_of_lines(
                cols if every else cols.loc[per_line], net_mass_t if every else net_mass_t[per_line]
            )
        )
    elif "carbon_price_treatment" in cols.columns and not frames:
        frames.append(empty_sums())
    return combine_sums(frames)


def combine_sums(frames: list[pd.DataFrame | None]) -> pd.DataFrame | None:
    """The sums of several parts as one (None where no part names an instrument)."""
    given = [f for f in frames if f is not None]
    if not given:
        return None
    if len(given) == 1:
        return given[0]
    both = pd.concat(given, ignore_index=True)
    return both.groupby(SUM_COLUMNS[:4], sort=False, as_index=False)[_FIGURES].sum()[SUM_COLUMNS]


def rule_source(unit: str, mechanism: str, treatment: str) -> str:
    """The source of a treatment: the draft Art 9 act (and its Paris Art 6 cap where it applied),
    then the mechanism's own law where a mechanism is named (its units and offset limit)."""
    from cbam_calc.law.parameters import parameter

    draft = parameter("art9_draft")
    parts = [draft.citation]
    if treatment == "above_paris_cap":
        parts.append(f"Paris Art 6 cap {instruments.paris_cap_share():.0%} of covered emissions (draft)")
    m = instruments.mechanisms().get(mechanism)
    if m is not None and treatment not in ("eu_ets", "annex_iii"):
        parts.append(m.citation)
    elif treatment in ("eu_ets", "annex_iii"):
        parts.append("Regulation (EU) 2023/956 Art 9 and Annex III")
    return "; ".join(p for p in parts if p)


def instrument_figures(sums: pd.DataFrame | None) -> InstrumentFigures | None:
    """The summary's figures of the sums (None: no instrument named), in the reference table's
    order of units and mechanisms, recognised before the rest, deducted before the rest. The
    price recognised is split: deducted (lines of state ``deducted``) and not deducted (the
    others); ``recognised_eur`` is their sum."""
    if sums is None or not len(sums):
        return None
    order_u = {c: i for i, c in enumerate(["", *instruments.known_units()])}
    order_m = {c: i for i, c in enumerate(["", *instruments.known_mechanisms()])}
    order_r = {c: i for i, c in enumerate(instruments.REASONS)}
    order_s = {c: i for i, c in enumerate(art9.PRICE_STATES)}
    rows = sorted(
        sums.itertuples(index=False),
        key=lambda r: (
            order_u.get(r.unit, 99),
            order_m.get(r.mechanism, 99),
            order_r.get(r.treatment, 99),
            order_s.get(r.line_state, 99),
        ),
    )
    deducted = sums["line_state"].eq(art9.PRICE_STATES[art9.PRICE_DEDUCTED]).to_numpy()
    recognised = sums["recognised_eur"].to_numpy(dtype=float)
    rec_deducted = round(float(recognised[deducted].sum()), 2)
    rec_not_deducted = round(float(recognised[~deducted].sum()), 2)
    return InstrumentFigures(
        by_instrument=[
            InstrumentTotal(
                unit=r.unit,
                mechanism=r.mechanism,
                treatment=r.treatment,
                line_state=r.line_state,
                lines=int(r.lines),
                recognised_eur=round(float(r.recognised_eur), 2),
                unrecognised_eur=round(float(r.unrecognised_eur), 2),
                art9_reduction_tco2e=round(float(r.art9_reduction_tco2e), 6),
                source=rule_source(r.unit, r.mechanism, r.treatment),
            )
            for r in rows
        ],
        recognised_eur=round(rec_deducted + rec_not_deducted, 2),
        recognised_deducted_eur=rec_deducted,
        recognised_not_deducted_eur=rec_not_deducted,
        unrecognised_eur=round(float(sums["unrecognised_eur"].sum()), 2),
        art9_reduction_tco2e=round(float(sums["art9_reduction_tco2e"].sum()), 6),
        status=str(art9.status_message()),
    )


def figures_sums(figures: InstrumentFigures | None) -> pd.DataFrame | None:
    """A summary's figures back as sums (:data:`SUM_COLUMNS`), to add up with other runs'."""
    if figures is None:
        return None
    return pd.DataFrame(
        [
            (
                t.unit,
                t.mechanism,
                t.treatment,
                t.line_state,
                t.lines,
                t.recognised_eur,
                t.unrecognised_eur,
                t.art9_reduction_tco2e,
            )
            for t in figures.by_instrument
        ],
        columns=SUM_COLUMNS,
    )


def combined_figures(each: list[InstrumentFigures | None]) -> InstrumentFigures | None:
    """Several runs' figures (a batch's members) as one, summed by (unit, mechanism, treatment,
    line state): lines, EUR recognised, EUR not, tCO2e; the totals (recognised, deducted and not)
    are the sums of the runs' totals (each of unrounded rows, as one run's is). None where no run
    names an instrument."""
    given = [f for f in each if f is not None]
    out = instrument_figures(combine_sums([figures_sums(f) for f in given]))
    if out is None:
        return None
    return out.model_copy(
        update={
            "recognised_eur": round(sum(f.recognised_eur for f in given), 2),
            "recognised_deducted_eur": round(sum(f.recognised_deducted_eur for f in given), 2),
            "recognised_not_deducted_eur": round(sum(f.recognised_not_deducted_eur for f in given), 2),
            "unrecognised_eur": round(sum(f.unrecognised_eur for f in given), 2),
            "art9_reduction_tco2e": round(sum(f.art9_reduction_tco2e for f in given), 6),
        }
    )
