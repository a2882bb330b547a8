"""Who an importer is, for the de minimis threshold across several exporters' files (Art 2a).

The threshold belongs to the importer (the declarant), whoever its suppliers are: a batch of
members' files decides each importer on its total over all of them (:func:`batch_de_minimis`).
The importer is recognised by its EORI number where one is given (a column of its own, or in
brackets after the name), else by its name normalised for case, spaces and punctuation, full-width
too (:func:`importer_keys`). Lines without an importer are each file's own, never matched.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from cbam_calc.core.arrays import factorize_frame
from cbam_calc.law.de_minimis import threshold_t

# An EORI number: the ISO code of the member state, then up to 15 alphanumerics (UCC Art 9,
# Delegated Regulation (EU) 2015/2446 Art 1(18)). The national part of a real one is mostly digits
# (DE123456789012345, ESB46123456, ATEOS1000012345), so at least half of it must be: a name such as
# "BASF" or "Importer 5 GmbH" (IMPORTER5GMBH without its spaces) is read as a name, not an EORI.
EORI_RE = re.compile(r"^[A-Z]{2}[A-Z0-9]{1,15}$")


def _is_eori(text: str) -> bool:
    national = text[2:]
    return bool(EORI_RE.match(text)) and 2 * sum(ch.isdigit() for ch in national) >= len(national)


# "Acme GmbH (DE123456789012345)": an EORI in brackets (ASCII or full-width after NFKC) at the end
_BRACKETED_EORI = re.compile(r"[(\[]\s*([A-Za-z]{2}[A-Za-z0-9]{1,15})\s*[)\]]\s*$")


def eori_of(name: str) -> str:
    """The EORI number an importer's name carries: the whole name, or in brackets at its end
    (``Acme GmbH (DE123456789012345)``, full-width brackets too); '' if none.

    Parameters
    ----------
    name : str
        An importer as the input gives it (name, or name and EORI).

    Returns
    -------
    str
        The EORI, upper case, spaces removed; '' when the name carries none.
    """
    text = unicodedata.normalize("NFKC", str(name)).strip()
    whole = re.sub(r"\s+", "", text).upper()
    if _is_eori(whole):
        return whole
    m = _BRACKETED_EORI.search(text)
    return m.group(1).upper() if m and _is_eori(m.group(1).upper()) else ""


def with_eori(importer, eori) -> pd.Categorical:
    """Importer names with the EORI of an ``importer_eori`` column: ``Name (EORI)``, the EORI alone
    where no name is given, the name alone where no EORI is (or where the name already carries it).
    One string per distinct (name, EORI) pair, not per line.

    Parameters
    ----------
    importer, eori : array-like of str
        Importer name and EORI of each line ('' where none).

    Returns
    -------
    pandas.Categorical
        The importer of each line as de minimis and the reports name it.
    """
    frame = pd.DataFrame({"name": pd.Categorical(importer), "eori": pd.Categorical(eori)})
    codes, uniq = factorize_frame(frame)
    out = []
    for name, given in uniq.itertuples(index=False):
        name = str(name).strip()
        number = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(given))).upper()
        if not number or (name and eori_of(name) == number):
            out.append(name)
        else:
            out.append(f"{name} ({number})" if name else number)
    return pd.Categorical(np.asarray(out, dtype=object)[codes])


_NOT_NAME = r"[\W_]+"  # spaces, punctuation and symbols: what two spellings of a name differ by


def normalised_name(name: str) -> str:
    """An importer's name as two files that mean the same importer both write it: NFKC (full-width
    letters and punctuation as ASCII), case folded, without spaces and punctuation
    (``ACME GmbH.`` and ``Acme  GMBH`` are one name)."""
    return re.sub(_NOT_NAME, "", unicodedata.normalize("NFKC", str(name)).casefold())


def importer_keys(importer) -> np.ndarray:
    """The identity of each importer for the threshold across files: ``eori:<EORI>`` where the
    name carries one (:func:`eori_of`), else ``name:<normalised name>``; '' for a blank importer
    (lines without one are each file's own unnamed importer, never matched across files).

    Parameters
    ----------
    importer : array-like of str
        Importer of each row (names, names with an EORI in brackets, or EORIs).

    Returns
    -------
    numpy.ndarray of str (object)
        One key per row. Computed once per distinct name (categorical codes), with pandas string
        methods over those names: no Python work per line.

    References
    ----------
    Regulation (EU) 2023/956 Art 2a (the threshold is per importer).
    """
    cat = pd.Categorical(pd.Series(importer, dtype=object).astype(str))
    if not len(cat):
        return np.asarray([], dtype=object)
    names = pd.Series(cat.categories, dtype=object).astype(str).str.normalize("NFKC")
    whole = names.str.replace(r"\s+", "", regex=True).str.upper()
    bracketed = names.str.extract(_BRACKETED_EORI, expand=False).fillna("").str.upper()
    eori = pd.Series(np.where(_eori_like(whole), whole, np.where(_eori_like(bracketed), bracketed, "")))
    norm = names.str.casefold().str.replace(_NOT_NAME, "", regex=True)
    keys = np.where(eori.ne(""), "eori:" + eori, np.where(norm.ne(""), "name:" + norm, ""))
    return np.asarray(keys, dtype=object)[cat.codes]


def _eori_like(text: pd.Series) -> np.ndarray:
    """:func:`_is_eori` over a column of texts."""
    digits = text.str.slice(2).str.count(r"\d")
    return (text.str.fullmatch(EORI_RE.pattern.strip("^$")) & (2 * digits >= text.str.len() - 2)).to_numpy(
        dtype=bool
    )


def batch_de_minimis(per_file: pd.DataFrame, enabled: bool = True) -> pd.DataFrame:
    """The de minimis decision of a batch: each importer's yearly mass summed over every file.

    Parameters
    ----------
    per_file : pandas.DataFrame
        One row per (file, importer, year) in file order: ``member``, ``file``, ``importer`` (as
        the first file names it), ``key`` (:func:`importer_keys`, made unique per file for an
        unnamed importer), ``year``, ``annex_i_mass_t`` [t].
    enabled : bool
        False: nothing is exempt; the table still shows the masses.

    Returns
    -------
    pandas.DataFrame
        One row per (key, year), sorted by importer and year: ``key``, ``member`` (the members
        whose lines it sums, comma separated), ``file`` (their files, "; " separated),
        ``importer``, ``year``, ``annex_i_mass_t``, ``threshold_t``, ``exempt``.

    References
    ----------
    Regulation (EU) 2023/956 Art 2a, inserted by Regulation (EU) 2025/2083.
    """
    cols = ["key", "member", "file", "importer", "year", "annex_i_mass_t", "threshold_t", "exempt"]
    if per_file.empty:
        return pd.DataFrame(columns=cols)
    g = per_file.groupby(["key", "year"], sort=False)
    out = g.agg(
        importer=("importer", "first"),
        annex_i_mass_t=("annex_i_mass_t", "sum"),
        member=("member", lambda m: ", ".join(dict.fromkeys(m))),
        file=("file", lambda f: "; ".join(dict.fromkeys(f))),
    ).reset_index()
    out["threshold_t"] = [threshold_t(int(y)) for y in out["year"]]
    out["exempt"] = (out["annex_i_mass_t"] <= out["threshold_t"]) & bool(enabled)
    out = out.sort_values(["importer", "year", "key"], kind="stable").reset_index(drop=True)
    return out[cols]
