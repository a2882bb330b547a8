"""Scope of CBAM: the goods of Annex I by CN code, their sector, and Annex II (direct emissions only).

Regulation (EU) 2023/956 Annex I lists the goods by CN code (cement, electricity, fertilisers,
iron and steel, aluminium, hydrogen); Annex II lists those for which only direct emissions count.
The tables are ``cbam_calc/data/eu/cn_goods.csv`` and ``annex_ii_direct_only.csv``;
``annex_i_scope.csv`` holds Annex I as it is written (by heading), to tell a code that is no CN
2026 code from one that is no CBAM good (:func:`unknown_code_reason`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cbam_calc.core.messages import Message

# The sector key of electricity in cn_goods.csv: a key of our table, not a figure of the law.
ELECTRICITY = "electricity"

# Codes a reason lists under a heading before "and N more".
CODES_SHOWN = 8


def spaced(code: str) -> str:
    """A CN code or prefix as the nomenclature prints it: 7601 10 00, 7601 10, 7601."""
    return " ".join(code[i : i + 2 if i >= 4 else i + 4] for i in (0, 4, 6) if code[i:])


def annex_i_rule(code: str, scope: pd.DataFrame) -> tuple[str, str]:
    """The Annex I entry a code falls under and its rule, by the longest matching prefix
    (``annex_i_scope.csv``); ("", "") under none."""
    hits = [(p, r) for p, r in zip(scope["cn_prefix"], scope["rule"]) if code.startswith(p)]
    return max(hits, key=lambda h: len(h[0])) if hits else ("", "")


def unknown_code_reason(code: str, known: np.ndarray, scope: pd.DataFrame) -> Message:
    """Why an 8-digit code that is not a CBAM good of cn_goods.csv is rejected.

    The data has no full CN 2026 nomenclature, only its CBAM codes. So the rule is: a code under an
    entry Annex I covers as a whole (heading 7601, chapter 72 outside its carve-outs; the longest
    entry of ``annex_i_scope.csv`` decides) which cn_goods.csv does not list cannot be a CN 2026
    code, since every CN 2026 code there is a CBAM good: R_NOT_CN2026_CODE, with the CBAM codes
    under its longest prefix (6 digits, else 4) that has any, the good the user most likely meant
    (7601 10 00, split by CN 2026 into 7601 10 10 and 7601 10 90). Any other code may well be a CN
    2026 code (7323 93 00, kitchenware), just not an Annex I good: R_NOT_CBAM_GOOD.

    Parameters
    ----------
    code : str
        8 digits, not in cn_goods.csv.
    known : numpy.ndarray of str
        The CBAM codes in force (cn_goods.csv; not a code CN 2026 split, such as 3102 10 10).
    scope : pandas.DataFrame
        ``annex_i_scope.csv``: ``cn_prefix``, ``rule``.

    Returns
    -------
    Message
        R_NOT_CN2026_CODE(_MORE) or R_NOT_CBAM_GOOD.

    References
    ----------
    Regulation (EU) 2023/956 Annex I; ``annex_i_scope.csv``, ``cn_goods.csv`` (the CN 2026 codes).
    """
    entry, rule = annex_i_rule(code, scope)
    for n in (6, 4):
        under = [c for c in known if c.startswith(code[:n])] if rule == "include" else []
        if under:
            where = f"chapter {entry}" if len(entry) == 2 else spaced(entry)
            params = dict(cn=spaced(code), entry=where, heading=spaced(code[:n]))
            shown = [spaced(c) for c in under[:CODES_SHOWN]]
            if len(under) > CODES_SHOWN:
                return Message("R_NOT_CN2026_CODE_MORE", **params, codes=shown, more=len(under) - CODES_SHOWN)
            return Message("R_NOT_CN2026_CODE", **params, codes=shown)
    return Message("R_NOT_CBAM_GOOD", cn=spaced(code))
