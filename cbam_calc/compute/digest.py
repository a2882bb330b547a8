"""The digest of a result's lines that a run record keeps (one per report, one per batch member):
computed where the lines are, so that a batch, whose lines never leave the function computing a
member, records one too."""

from __future__ import annotations

import hashlib

import pandas as pd


def lines_digest(lines: pd.DataFrame) -> str:
    """SHA-256 of each line's row, certificates (6 decimals) and cost (cents), in row order."""
    part = lines[["row", "certificates", "cost_eur"]].sort_values("row")
    text = "\n".join(f"{r},{c:.6f},{e:.2f}" for r, c, e in part.itertuples(index=False))
    return hashlib.sha256(text.encode()).hexdigest()
