"""The digest of a result's lines that a run record keeps (one per report, one per batch member):
computed where the lines are, so that a batch, whose lines never leave the function computing a
member, records one too.

The digested text is fixed by the records already written: one line per computed line, in row
order, ``f"{row},{certificates:.6f},{cost_eur:.2f}"``, joined by ``\\n``, SHA-256 of its UTF-8.
:func:`figures_digest` builds that text from the engine's arrays without a Python loop: each value
is rounded to an integer of millionths (cents) and printed by pyarrow. Python's ``f"{x:.6f}"``
rounds the exact binary value of ``x``, half to even; ``rint(x * 10**6)`` gives the same integer
whenever ``x * 10**6`` does not round to a half: the exact product lies within half an ulp of the
float one, and a half-integer is at least one ulp away from it (below 2**52 every half-integer
is a float). Where it does round to a half (3 % of the certificates of gen_data's lines, whose
exact values end in 5 at the 7th decimal), the rounding error of the product, computed exactly
(Dekker's product, as ``fma`` would give it), says on which side of the half the exact value lies,
and an exact half goes to even. Values that are not finite or too big for an exact integer are
printed by the f-string itself: the text is the same for every value.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

CHUNK_LINES = 1 << 20  # lines printed at once: a million lines are ~35 MB of text
EXACT_BELOW = 2.0**52  # |x * 10**d| under this: every half-integer near it is a float
SPLIT = 2.0**27 + 1  # Veltkamp's constant: x = hi + lo in 26 bits each, so hi * 10**d is exact


def lines_digest(lines: pd.DataFrame) -> str:
    """SHA-256 of each line's row, certificates (6 decimals) and cost (cents), in row order."""
    return figures_digest(lines["row"], lines["certificates"], lines["cost_eur"])


def figures_digest(row, certificates, cost_eur) -> str:
    """:func:`lines_digest` of the lines with these rows [Excel row number], certificates
    [tCO2e] and costs [EUR], given as arrays (in any order: sorted by row here)."""
    row = np.asarray(row, dtype=np.int64)
    order = np.argsort(row, kind="stable")
    row = row[order]
    certificates = np.asarray(certificates, dtype=np.float64)[order]
    cost_eur = np.asarray(cost_eur, dtype=np.float64)[order]
    h = hashlib.sha256()
    for start in range(0, len(row), CHUNK_LINES):
        end = min(start + CHUNK_LINES, len(row))
        if start:
            h.update(b"\n")
        h.update(_text(row[start:end], certificates[start:end], cost_eur[start:end]))
    return h.hexdigest()


def _text(row: np.ndarray, certificates: np.ndarray, cost_eur: np.ndarray) -> memoryview:
    """The lines' text joined by ``\\n``, as the bytes of one Arrow buffer; a line with a value the
    integers cannot print is the f-string's."""
    import pyarrow as pa
    import pyarrow.compute as pc

    (c, c_exact), (e, e_exact) = _fixed(certificates, 6), _fixed(cost_eur, 2)
    lines = pc.binary_join_element_wise(pa.array(row).cast(pa.string()), c, e, ",")
    odd = ~(c_exact & e_exact)
    if odd.any():
        text = [f"{row[i]},{certificates[i]:.6f},{cost_eur[i]:.2f}" for i in np.flatnonzero(odd)]
        lines = pc.replace_with_mask(lines, pa.array(odd), pa.array(text, pa.string()))
    whole = pc.binary_join(pa.ListArray.from_arrays(pa.array([0, len(lines)], pa.int32()), lines), "\n")
    offsets = np.frombuffer(whole.buffers()[1], dtype=np.int32)[whole.offset : whole.offset + 2]
    return memoryview(whole.buffers()[2])[offsets[0] : offsets[1]]


def _fixed(x: np.ndarray, decimals: int):
    """``f"{v:.{decimals}f}"`` of every value of ``x`` as an Arrow string array, and where it is
    exact (elsewhere the caller prints the f-string)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    scale = 10.0**decimals
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = x * scale
        exact = np.isfinite(scaled) & (np.abs(scaled) < EXACT_BELOW)
        scaled = np.where(exact, scaled, 0.0)
        n = np.rint(scaled)
        half = np.flatnonzero(np.abs(scaled - n) == 0.5)
    if len(half):  # the float product is a half: the exact one decides (its error, Dekker's product)
        v, p = x[half], scaled[half]
        c = v * SPLIT
        hi = c - (c - v)
        err = (hi * scale - p) + (v - hi) * scale  # exact: x * scale = p + err
        n[half] = np.where(err > 0, np.floor(p) + 1, np.where(err < 0, np.floor(p), n[half]))
    units = pa.array(np.abs(n).astype(np.int64)).cast(pa.string())
    # at least one digit before the point: 5 millionths print as 0.000005
    text = pc.binary_replace_slice(pc.utf8_lpad(units, decimals + 1, "0"), -decimals, -decimals, ".")
    negative = np.signbit(x)  # -0.0 and -0.001 print as -0.00, as Python does
    if negative.any():
        text = pc.binary_join_element_wise(pc.if_else(pa.array(negative), "-", ""), text, "")
    return text, exact
