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
is a float). The values where it does round to a half, and those that are not finite or too big
for an exact integer, are printed by the f-string itself: the text is the same for every value.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

CHUNK_LINES = 1 << 20  # lines printed at once: a million lines are ~35 MB of text
EXACT_BELOW = 2.0**52  # |x * 10**d| under this: every half-integer near it is a float


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
        text = _text(row[start:end], certificates[start:end], cost_eur[start:end])
        h.update(text if end < len(row) else text[:-1])  # no line break after the last line
    return h.hexdigest()


def _text(row: np.ndarray, certificates: np.ndarray, cost_eur: np.ndarray) -> memoryview:
    """The lines' text, each line ending with ``\\n``, as the bytes of one Arrow buffer."""
    import pyarrow as pa
    import pyarrow.compute as pc

    joined = pc.binary_join_element_wise(
        pa.array(row).cast(pa.string()), _fixed(certificates, 6), _fixed(cost_eur, 2), ","
    )
    lines = pc.binary_join_element_wise(joined, "\n", "")
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)[lines.offset : lines.offset + len(lines) + 1]
    return memoryview(lines.buffers()[2])[offsets[0] : offsets[-1]]


def _fixed(x: np.ndarray, decimals: int):
    """``f"{v:.{decimals}f}"`` of every value of ``x``, as an Arrow string array."""
    import pyarrow as pa
    import pyarrow.compute as pc

    scale = 10**decimals
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = x * scale
        n = np.rint(scaled)
        exact = np.isfinite(scaled) & (np.abs(scaled) < EXACT_BELOW) & (np.abs(scaled - n) != 0.5)
    units = np.abs(np.where(exact, n, 0.0)).astype(np.int64)
    whole = pa.array(units // scale).cast(pa.string())
    part = pc.utf8_lpad(pa.array(units % scale).cast(pa.string()), decimals, "0")
    sign = pa.array(np.where(np.signbit(x), "-", ""))  # -0.0 and -0.001 print as -0.00, as Python does
    text = pc.binary_join_element_wise(pc.binary_join_element_wise(sign, whole, ""), part, ".")
    if exact.all():
        return text
    rest = np.flatnonzero(~exact)
    return pc.replace_with_mask(text, pa.array(~exact), pa.array([f"{x[i]:.{decimals}f}" for i in rest]))
