"""The draft Art 9 treatment of the lines' carbon-pricing instruments (law.instruments), as the
columns and warnings of compute_lines: one instrument row per line, from the per-line columns
carbon_price_instrument / _use / _mechanism / _share_covered (inputs.validate); and the rows of a
carbon-prices table (inputs.carbon_prices, several per line), which replace a line's per-line
price: P_paid,eff is the sum of its rows' recognised parts (:func:`table_treatment`).

A line with several rows shows them summarised in the Lines table: ``carbon_price_unit`` its units
in the table's order ("ets_allowance + ccer"; a unit on several rows counted, "ccer x2"; a row
naming none "unnamed"), ``carbon_price_mechanism_used`` the mechanisms ("cnets"),
``carbon_price_treatment`` the reason of its row with the largest unrecognised amount
(``recognised`` where every row counts in full), ``carbon_price_recognised_share`` and
``carbon_price_unrecognised_eur_per_t`` the sums over its rows. Each row's own treatment is in
:class:`InstrumentRows` (``Computed.instrument_rows``)."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from cbam_calc.core.arrays import categorical, factorize_frame
from cbam_calc.core.messages import Message
from cbam_calc.law import instruments


def instrument_treatment(
    lines: pd.DataFrame,
    country: pd.Categorical,
    see: np.ndarray,
    units_per_eur: np.ndarray,
    has_paid: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, dict]:
    """The draft Art 9 treatment of each line's instrument (one instrument row per line): its
    P_paid,eff (the recognised part), whether any of it counts (else the line chooses its track
    as if no price were given), and the Lines table's instrument columns."""
    n = len(see)  # ``lines`` may be the mapping of instrument_inputs_of
    line = np.arange(n, dtype=np.int64)
    unit = instruments.unit_codes(lines["carbon_price_unit"])
    mech = instruments.mechanism_codes(lines["carbon_price_mechanism"])
    share = lines["carbon_price_share_covered"].to_numpy(dtype=float)
    t = instruments.treat(
        line,
        unit,
        mech,
        np.asarray(lines["carbon_price_use"] == instruments.VOLUNTARY, dtype=bool),
        country,
        share,
        lines["carbon_price_paid"].to_numpy(dtype=float),
        lines["carbon_price_per_tco2e"].to_numpy(dtype=bool),
        see,
        lines["carbon_price_free_share"].to_numpy(dtype=float),
        lines["carbon_price_rebate"].to_numpy(dtype=float),
        units_per_eur,
    )
    effective, unrecognised, reason = instruments.per_line(t, line, n)
    counts = np.isin(reason, instruments.COUNTING)
    priced = has_paid
    units = [*instruments.known_units(), ""]
    mechs = [*instruments.known_mechanisms(), ""]
    cols = {
        "carbon_price_unit": categorical(np.where(unit < 0, len(units) - 1, unit), units),
        "carbon_price_mechanism_used": categorical(
            np.where(t.mechanism < 0, len(mechs) - 1, t.mechanism), mechs
        ),
        "carbon_price_treatment": categorical(
            np.where(priced & (reason >= 0), reason, len(instruments.REASONS)), [*instruments.REASONS, ""]
        ),
        "carbon_price_recognised_share": np.where(priced, t.recognised_share, np.nan),
        "carbon_price_unrecognised_eur_per_t": np.where(priced, unrecognised, np.nan),
    }
    return effective, counts, cols


def instrument_warnings(cols: dict, ok: np.ndarray) -> list[Message]:
    """The run's warnings of the instrument treatment, over the lines computed (``ok``): prices
    under an out-of-scope mechanism (EU ETS, Annex III), and the lines whose price is not
    recognised in full, counted by reason."""
    treatment = pd.Categorical(cols["carbon_price_treatment"])
    codes = np.asarray(treatment.codes, dtype=np.int64)
    cats = list(treatment.categories)
    count = np.bincount(np.where(ok & (codes >= 0), codes, len(cats)), minlength=len(cats) + 1)[:-1]
    by_reason = {r: int(count[cats.index(r)]) for r in instruments.REASONS if r in cats and r != ""}
    out: list[Message] = []
    scope = [instruments.REASONS[r] for r in instruments.OUT_OF_SCOPE]
    n_scope = sum(by_reason.get(r, 0) for r in scope)
    if n_scope:
        mech = pd.Categorical(cols["carbon_price_mechanism_used"])
        hit = ok & np.isin(codes, [cats.index(r) for r in scope if r in cats])
        named = sorted({str(m) for m in pd.unique(mech[hit]) if str(m)})
        out.append(Message("W_INSTRUMENT_OUT_OF_SCOPE", n=n_scope, mechanisms=named))
    short = {r: k for r, k in by_reason.items() if k and r != "recognised" and r not in scope}
    if short:
        reasons = [
            Message(
                "M_INSTRUMENT_REASON_COUNT",
                reason=instruments.reason_message(instruments.REASONS.index(r)),
                n=k,
            )
            for r, k in short.items()
        ]
        out.append(Message("W_INSTRUMENT_NOT_RECOGNISED", n=sum(short.values()), reasons=reasons))
    return out


# ---------------------------------------------------------------------------- the carbon-prices table
UNNAMED_UNIT = "unnamed"  # a table row naming no unit: a binding price of the origin's mechanism
REPEATED = " x{n}"  # a unit on several rows of one line: "ccer x2"
JOINED = " + "


def instrument_inputs_of(lines: pd.DataFrame) -> dict:
    """The per-line columns :func:`instrument_treatment` reads; blank instrument columns where the
    input names no instrument (each line's price, if any, a binding price of its origin)."""
    n = len(lines)
    out = {
        c: lines[c]
        for c in (
            "carbon_price_paid",
            "carbon_price_per_tco2e",
            "carbon_price_free_share",
            "carbon_price_rebate",
        )
    }
    blank = pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=pd.Index([""]))
    for c in ("carbon_price_unit", "carbon_price_mechanism", "carbon_price_use"):
        out[c] = lines[c] if c in lines.columns else blank
    out["carbon_price_share_covered"] = (
        lines["carbon_price_share_covered"]
        if "carbon_price_share_covered" in lines.columns
        else pd.Series(np.full(n, np.nan))
    )
    return out


@dataclass
class InstrumentRows:
    """The draft Art 9 treatment of every carbon-prices table row a line takes: one entry per
    (line, instrument row) pair, sorted by line (``Computed.instrument_rows``). What the outputs
    total by instrument, recognised and not, without treating the rows again.

    A template's price due (``source`` template) is not among them: a line priced by its
    communication template alone keeps its per-line columns, computed as before."""

    line: np.ndarray  # position of the pair's line in the lines computed (compute_lines' ``lines``)
    line_label: np.ndarray  # its label in their index (validated.lines.index)
    line_row: np.ndarray  # its row in the shipments file
    instrument: np.ndarray  # position of the row in InstrumentLines.instruments (source, file, row ...)
    units_per_eur: np.ndarray  # yearly rate of the row's currency in the line's year (1: no price)
    treatment: instruments.Treatment  # per row: net, recognised, unrecognised EUR/t, reason ...
    net_mass_t: np.ndarray  # the line's net mass M_g
    computed: np.ndarray | None = None  # the line is computed (not rejected)
    price_state: np.ndarray | None = None  # what Art 9 does with the line's price paid (art9.PRICE_STATES)

    @property
    def recognised_eur(self) -> np.ndarray:
        """The row's price paid that counts towards P_paid,eff, EUR: recognised EUR/t x M_g."""
        return self.treatment.recognised_eur_per_t * self.net_mass_t

    @property
    def unrecognised_eur(self) -> np.ndarray:
        """The row's price paid that the draft Art 9 does not recognise, EUR."""
        return self.treatment.unrecognised_eur_per_t * self.net_mass_t


@dataclass
class TableTreatment:
    """The carbon-prices table's rows treated, summed per line (arrays over every line)."""

    rows: InstrumentRows
    with_rows: np.ndarray  # the line takes table rows: they replace its per-line price columns
    effective: np.ndarray  # P_paid,eff: sum of its rows' recognised EUR per t of good
    unrecognised: np.ndarray  # sum of its rows' unrecognised EUR per t
    reason: np.ndarray  # per_line's reason: of the row with the largest unrecognised amount
    has_paid: np.ndarray  # some row gives a price
    counts: np.ndarray  # some part of some row counts (the actual track is possible)
    evidenced: np.ndarray  # every row is evidenced
    recognised_share: np.ndarray  # sum of its rows' recognised shares of the embedded emissions
    no_rate: np.ndarray  # a priced row's currency has no yearly rate in the line's year
    unit_label: pd.Categorical  # the Lines table's summary of its rows' units ('' no rows)
    mechanism_label: pd.Categorical  # ... and of the mechanisms used


def table_treatment(
    join,
    lines: pd.DataFrame,
    country: pd.Categorical,
    see: np.ndarray,
    year: np.ndarray,
    rates,
) -> TableTreatment | None:
    """The draft Art 9 treatment of the carbon-prices rows that apply to ``lines``
    (:func:`cbam_calc.inputs.carbon_prices.treat_rows`, the table's rows only), None where no line
    takes one. ``rates(currency, year)``: units per EUR of each row, NaN where none (arrays;
    :func:`cbam_calc.law.prices.units_per_eur` looks them up once per (currency, year) present).
    Vectorised: the treatment over every pair at once, the sums by bincount, the Lines labels
    once per distinct combination of units and mechanisms."""
    from cbam_calc.inputs.carbon_prices import SOURCE_TEMPLATE, TreatRows, treat_rows

    n = len(lines)
    rows = treat_rows(join, lines)
    if len(rows.line):
        source = join.instruments["source"].to_numpy(dtype=object)
        keep = (source != SOURCE_TEMPLATE)[rows.instrument]
        if not keep.all():
            rows = TreatRows(**{f.name: getattr(rows, f.name)[keep] for f in fields(rows)})
    if not len(rows.line):
        return None
    line = rows.line
    units_per_eur, no_rate = _row_rates(join, rows, year, n, rates)
    t = instruments.treat(
        line,
        rows.unit,
        rows.mechanism,
        rows.voluntary,
        country[line],
        rows.share_covered,
        rows.price,
        rows.per_tco2e,
        see[line],
        rows.free_allocation_share,
        rows.rebate,
        units_per_eur,
    )
    effective, unrecognised, reason = instruments.per_line(t, line, n)

    def any_of(mask: np.ndarray) -> np.ndarray:
        return np.bincount(line[mask], minlength=n) > 0

    priced = np.nan_to_num(rows.price) > 0
    unit_label, mechanism_label = _labels(line, rows.unit, t.mechanism, n)
    mass = lines["net_mass_t"].to_numpy(dtype=float)
    row_of = lines["row"].to_numpy() if "row" in lines.columns else np.arange(n) + 1
    return TableTreatment(
        rows=InstrumentRows(
            line=line,
            line_label=lines.index.to_numpy()[line],
            line_row=row_of[line],
            instrument=rows.instrument,
            units_per_eur=units_per_eur,
            treatment=t,
            net_mass_t=mass[line],
        ),
        with_rows=any_of(np.ones(len(line), dtype=bool)),
        effective=effective,
        unrecognised=unrecognised,
        reason=reason,
        has_paid=any_of(priced),
        counts=any_of(np.isin(t.reason, instruments.COUNTING)),
        evidenced=~any_of(~rows.evidenced),
        recognised_share=np.bincount(line, weights=t.recognised_share, minlength=n),
        no_rate=no_rate,
        unit_label=unit_label,
        mechanism_label=mechanism_label,
    )


def _row_rates(join, rows, year: np.ndarray, n: int, rates) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the yearly rate of its currency in its line's year (1 where the row gives no
    price: nothing to convert), by ``rates`` (once per (currency, year) present); and per line,
    whether a priced row's currency has no rate (the line is rejected, R_NO_FX_RATE)."""
    priced = np.nan_to_num(rows.price) > 0
    units = np.ones(len(rows.line))
    no_rate = np.zeros(n, dtype=bool)
    if not priced.any():
        return units, no_rate
    currency = join.instruments["currency"].fillna("").to_numpy(dtype=object)[rows.instrument]
    units[priced] = rates(currency[priced], year[rows.line][priced])
    no_rate[rows.line[priced & np.isnan(units)]] = True
    return units, no_rate


def _labels(
    line: np.ndarray, unit: np.ndarray, mechanism: np.ndarray, n: int
) -> tuple[pd.Categorical, pd.Categorical]:
    """The Lines table's instrument columns of a line with several rows: its units in the table's
    order, one repeated on several rows counted ("ets_allowance + ccer", "ccer x2"), and the
    mechanisms used ("cnets"); built once per distinct combination of a line's rows."""
    count = np.bincount(line, minlength=n)
    start = np.cumsum(count) - count
    offset = np.arange(len(line)) - start[line]
    width = int(count.max())
    taking = np.flatnonzero(count > 0)
    where = np.full(n, -1, dtype=np.int64)
    where[taking] = np.arange(len(taking))
    grid = np.full((len(taking), 2 * width), -2, dtype=np.int64)
    grid[where[line], offset] = unit
    grid[where[line], width + offset] = mechanism
    codes, distinct = factorize_frame(pd.DataFrame(grid))
    unit_names, mech_names = instruments.known_units(), instruments.known_mechanisms()
    unit_text, mech_text = [], []
    for combo in distinct.to_numpy():
        us = [unit_names[u] if u >= 0 else UNNAMED_UNIT for u in combo[:width] if u != -2]
        ms = [mech_names[m] for m in combo[width:] if m >= 0]
        seen = dict.fromkeys(us)
        unit_text.append(
            JOINED.join(u + (REPEATED.format(n=us.count(u)) if us.count(u) > 1 else "") for u in seen)
        )
        mech_text.append(JOINED.join(dict.fromkeys(ms)))
    per_line = np.full(n, len(distinct), dtype=np.int64)
    per_line[taking] = codes
    return categorical(per_line, [*unit_text, ""]), categorical(per_line, [*mech_text, ""])


def _where_categorical(mask: np.ndarray, a: pd.Categorical, b) -> pd.Categorical:
    """``a`` where ``mask``, else ``b``, by codes over the union of their categories."""
    a, b = pd.Categorical(a), pd.Categorical(b)
    cats = pd.Index(list(dict.fromkeys([*b.categories, *a.categories])), dtype=object)
    codes = np.where(mask, a.set_categories(cats).codes, b.set_categories(cats).codes)
    return pd.Categorical.from_codes(codes, categories=cats)


def table_columns(cols: dict, table: TableTreatment, has_paid: np.ndarray) -> dict:
    """The Lines table's instrument columns (:func:`instrument_treatment`'s ``cols``) with the
    lines that take table rows summarised from them (see the module docstring)."""
    w = table.with_rows
    priced = w & has_paid
    reasons = [*instruments.REASONS, ""]
    treatment = categorical(np.where(priced & (table.reason >= 0), table.reason, len(reasons) - 1), reasons)
    return {
        **cols,
        "carbon_price_unit": _where_categorical(w, table.unit_label, cols["carbon_price_unit"]),
        "carbon_price_mechanism_used": _where_categorical(
            w, table.mechanism_label, cols["carbon_price_mechanism_used"]
        ),
        "carbon_price_treatment": _where_categorical(w, treatment, cols["carbon_price_treatment"]),
        "carbon_price_recognised_share": np.where(
            w, np.where(priced, table.recognised_share, np.nan), cols["carbon_price_recognised_share"]
        ),
        "carbon_price_unrecognised_eur_per_t": np.where(
            w, np.where(priced, table.unrecognised, np.nan), cols["carbon_price_unrecognised_eur_per_t"]
        ),
    }
