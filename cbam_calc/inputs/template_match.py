"""Which communication template covers a shipment line: the first part of the join of issue 15
(``cbam calc shipments.xlsx --emissions templates/``), not yet wired into a command.

A line takes a template's product when its installation is the template's (by name, normalised for
case, spaces and punctuation, full-width too; or by UN/LOCODE) and its CN code is one of that
installation's products: the same 8 digits, else the longest heading a product is given at. Two
templates for one installation and product: the one whose reporting period covers the import date,
else an error naming both files. The work is done once per distinct (installation, CN code, date)
of the lines, never per line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from cbam_calc.core.errors import InputFileError
from cbam_calc.core.messages import Message
from cbam_calc.inputs.comm_template import CommTemplate, products_frame
from cbam_calc.law.importers import normalised_name

NO_MATCH = -1


def template_products(templates: Sequence[CommTemplate]) -> pd.DataFrame:
    """The products of ``templates`` with the keys a line is matched on: ``name_key`` (the
    installation's normalised name), ``unlocode_key`` and the reporting period as dates."""
    frame = products_frame(templates)
    if frame.empty:
        return frame
    frame["name_key"] = [normalised_name(n) for n in frame["installation"]]
    frame["unlocode_key"] = [normalised_name(u) for u in frame["unlocode"]]
    frame["start"] = [_date(d) for d in frame["period_start"]]
    frame["end"] = [_date(d) for d in frame["period_end"]]
    return frame


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


def _candidates(products: pd.DataFrame, name: str, unlocode: str, cn: str) -> pd.DataFrame:
    same = products["name_key"].eq(name) if name else pd.Series(False, index=products.index)
    if unlocode:
        same |= products["unlocode_key"].eq(unlocode)
    mine = products[same]
    if mine.empty:
        return mine
    exact = mine[mine["cn_code"].eq(cn)]
    if not exact.empty:
        return exact
    headings = mine[[len(c) < len(cn) and cn.startswith(c) for c in mine["cn_code"]]]
    if headings.empty:
        return headings
    longest = headings["cn_code"].str.len().max()
    return headings[headings["cn_code"].str.len() == longest]


def _choose(found: pd.DataFrame, when: dt.date | None) -> int:
    """The product row of one template among ``found`` (one installation and product)."""
    files = list(dict.fromkeys(found["file"]))
    if len(files) > 1 and when is not None:
        covering = found[
            [s is not None and e is not None and s <= when <= e for s, e in zip(found["start"], found["end"])]
        ]
        if not covering.empty:
            found, files = covering, list(dict.fromkeys(covering["file"]))
    if len(files) > 1:
        first, second = files[:2]
        raise InputFileError(
            Message("E_TEMPLATE_TWO_FILES", first=first, second=second, cn=str(found["cn_code"].iloc[0])),
            file=first,
        )
    return int(found.index[0])


def match_lines(
    products: pd.DataFrame,
    installation: Sequence[str],
    cn_code: Sequence[str],
    import_date: Sequence[dt.date | None] | None = None,
    unlocode: Sequence[str] | None = None,
) -> np.ndarray:
    """For each shipment line, the index (into ``products``, :func:`template_products`) of the
    template product that covers it, or NO_MATCH.

    Parameters
    ----------
    products : pandas.DataFrame
        :func:`template_products` of the templates given.
    installation, cn_code : sequences of str
        Per line: the producing installation's name ('' where none) and the 8-digit CN code.
    import_date : sequence of date, optional
        Per line: decides between two templates of one installation and product.
    unlocode : sequence of str, optional
        Per line: the installation's UN/LOCODE or ID, matched against the template's UN/LOCODE.

    Raises
    ------
    InputFileError
        Two templates cover one line's installation and product, and no reporting period decides.
    """
    n = len(cn_code)
    out = np.full(n, NO_MATCH, dtype=np.int64)
    if products.empty or not n:
        return out
    keys = pd.DataFrame(
        {
            "name": [normalised_name(x) if isinstance(x, str) else "" for x in installation],
            "unlocode": [normalised_name(x) if isinstance(x, str) else "" for x in (unlocode or [""] * n)],
            "cn": [str(c) for c in cn_code],
            "date": list(import_date) if import_date is not None else [None] * n,
        }
    )
    codes, distinct = pd.factorize(pd.MultiIndex.from_frame(keys.astype({"date": object})))
    for k, (name, code, cn, when) in enumerate(distinct):  # once per distinct key
        if not (name or code):
            continue
        found = _candidates(products, name, code, cn)
        if not found.empty:
            out[codes == k] = _choose(found, when if isinstance(when, dt.date) else None)
    return out
