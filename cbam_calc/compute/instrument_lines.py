"""The draft Art 9 treatment of the lines' carbon-pricing instruments (law.instruments), as the
columns and warnings of compute_lines: one instrument row per line, from the per-line columns
carbon_price_instrument / _use / _mechanism / _share_covered (inputs.validate)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cbam_calc.core.arrays import categorical
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
    n = len(lines)
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
