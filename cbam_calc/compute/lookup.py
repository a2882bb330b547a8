"""A lookup in the law's tables, resolved once per distinct key: the lines' keys are factorised
(core.arrays.factorize_frame), the law answers each distinct key once, and the answers reach the
lines through their integer codes, with no Python object per line."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cbam_calc.core.arrays import categorical, factorize_frame
from cbam_calc.inputs.validate import Issues


@dataclass
class Lookup:
    """Answers of a law-table lookup: per-line codes into a table of distinct keys and answers."""

    codes: np.ndarray  # -1 where the line was not looked up
    table: pd.DataFrame

    def num(self, column: str) -> np.ndarray:
        vals = pd.to_numeric(self.table[column], errors="coerce").to_numpy(dtype=float)
        return np.append(vals, np.nan)[self.codes]  # code -1 takes the trailing NaN

    def flag(self, column: str) -> np.ndarray:
        vals = self.table[column].fillna(False).to_numpy(dtype=bool)
        return np.append(vals, False)[self.codes]

    def text(self, column: str) -> pd.Categorical:
        return categorical(self.codes, self.table[column].to_numpy(dtype=object))

    def of(self, mask: np.ndarray) -> Lookup:
        """The lookup of the ``mask`` lines alone, as :func:`lookup` over ``mask`` makes it: one
        code stands for one key, so factorising the ``mask`` lines' codes (in order of first
        appearance, as :func:`lookup` factorises their keys) gives its codes, and the rows of
        those codes its table. The lines' answers do not depend on the order of the rows; the
        order is kept because the table is listed (the Parameters sheet's default values)."""
        if not (self.codes >= 0)[~mask].any():
            return self  # no other line was looked up: the same lookup
        codes = np.where(mask, self.codes, -1)
        at = codes >= 0
        sub, used = factorize_frame(pd.DataFrame({"code": codes[at]}))
        codes[at] = sub
        table = self.table.iloc[used["code"].to_numpy()].reset_index(drop=True)
        return Lookup(codes, table if len(table) else table.astype(object))  # as lookup's empty table


def lookup(
    keys: pd.DataFrame,
    mask: np.ndarray,
    resolve,
    columns: list[str],
    prefix: str,
    issues: Issues,
    header,
    reject: np.ndarray | None = None,
) -> Lookup:
    """A lookup in the law's tables, resolved once per distinct key among the ``mask`` lines.
    Lines the law cannot answer get the resolver's reason (``<prefix>_reject_column`` /
    ``<prefix>_reject_reason``), among the ``reject`` lines only where given."""
    codes = np.full(len(keys), -1, dtype=np.int64)
    table = pd.DataFrame(columns=[*keys.columns, *columns])
    if mask.any():
        sub, uniq = factorize_frame(keys.loc[mask])
        codes[mask] = sub
        uniq = uniq.astype(
            {c: object for c in uniq.columns if isinstance(uniq[c].dtype, pd.CategoricalDtype)}
        )
        table = pd.concat([uniq, resolve(uniq)], axis=1)
        reason = np.append(table[f"{prefix}_reject_reason"].fillna("").to_numpy(dtype=object), "")
        where = np.append(table[f"{prefix}_reject_column"].fillna("").to_numpy(dtype=object), "")
        for c in np.unique(where[reason != ""]):
            hit = ((reason != "") & (where == c))[codes]
            issues.add(
                hit if reject is None else hit & reject, header(c), lambda pos, r=reason: r[codes[pos]]
            )
    return Lookup(codes, table)
