"""De minimis exemption (Regulation (EU) 2023/956 Art 2a, inserted by Regulation (EU) 2025/2083).

An importer whose cumulative net mass of Annex I goods in a calendar year does not exceed the
threshold (``de_minimis.yaml``, 50 t) owes nothing for them. Electricity and hydrogen are never
exempt, and their quantities do not count towards the threshold.

    exempt(i, y) = sum_g M_g <= threshold(y)     g: goods of importer i in year y that count
    N_g          = 0                              for every good that counts, when exempt(i, y)

The decision is taken once per distinct (importer, year) by :func:`de_minimis`; the other
functions apply it to lines or groups (:func:`exempt_lines`) and clear what they owe
(:func:`waive`).

The threshold belongs to the importer (the declarant), whoever its suppliers are: an exporter's
file holds only its share, so what a file shows is a conditional ("exempt if ..."). A batch of
several exporters' files decides each importer on its total over all of them
(:func:`batch_de_minimis`), the importer recognised by its EORI number where one is given, else by
its name normalised (:func:`cbam_calc.law.importers.importer_keys`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cbam_calc.core.arrays import factorize_frame
from cbam_calc.law.parameters import definitive_period, parameter

NO_IMPORTER = "(all lines)"  # the input has no importer column: every line is one importer
BLANK_IMPORTER = "(no importer)"  # the importer column has blank cells: those lines are one importer


def never_exempt_sectors() -> frozenset[str]:
    """Sectors that are never exempt and do not count towards the threshold.

    Returns
    -------
    frozenset of str
        Sector keys (electricity, hydrogen), from ``de_minimis.yaml``.

    References
    ----------
    Regulation (EU) 2023/956 Art 2a(1), inserted by Regulation (EU) 2025/2083.
    """
    return frozenset(parameter("de_minimis").extra["never_exempt_sectors"])


def threshold_t(year: int | None = None) -> float:
    """The de minimis threshold in force in a year.

    Parameters
    ----------
    year : int, optional
        Year of import; by default the first year of the definitive period (the figure texts
        such as labels and legends name).

    Returns
    -------
    float
        Cumulative net mass of Annex I goods an importer may import in the year and stay exempt
        [t].

    References
    ----------
    Regulation (EU) 2023/956 Art 2a(1) (50 t), ``de_minimis.yaml``.
    """
    if year is None:
        year = definitive_period()[0].year
    return float(parameter("de_minimis").at(year))


def counts_towards_threshold(sector) -> np.ndarray:
    """Lines whose good counts towards the threshold, and so can be exempt.

    Parameters
    ----------
    sector : array-like of str
        CBAM sector of each line or group.

    Returns
    -------
    numpy.ndarray of bool
        False for the sectors of :func:`never_exempt_sectors`.

    References
    ----------
    Regulation (EU) 2023/956 Art 2a(1).
    """
    return ~np.asarray(pd.Series(sector).isin(never_exempt_sectors()))


def de_minimis(
    importer: pd.Series,
    year: np.ndarray,
    sector: pd.Series,
    net_mass_t: np.ndarray,
    enabled: bool = True,
) -> tuple[np.ndarray, pd.DataFrame]:
    r"""The de minimis decision: per line (or group), exempt or not; per (importer, year), the
    mass counted and the outcome.

    Parameters
    ----------
    importer : pandas.Series of str
        Importer of each line (:func:`named_importers`: lines without one form one importer).
    year : numpy.ndarray of int
        Year of import of each line.
    sector : pandas.Series of str
        CBAM sector of each line.
    net_mass_t : numpy.ndarray of float
        Net mass of each line, M_g [t] (MWh for electricity, which does not count).
    enabled : bool, default True
        False (``--no-de-minimis``): nothing is exempt; the table still shows the masses.

    Returns
    -------
    exempt : numpy.ndarray of bool
        Lines that owe nothing.
    table : pandas.DataFrame
        One row per (importer, year), sorted: ``importer``, ``year``, ``annex_i_mass_t`` [t],
        ``threshold_t`` [t], ``exempt``.

    Notes
    -----
    .. math:: \mathrm{exempt}(i, y) = \sum_{g \in i, y} M_g \le \mathrm{threshold}(y)

    Works on codes: each distinct (importer, year) is decided once.

    References
    ----------
    Regulation (EU) 2023/956 Art 2a, inserted by Regulation (EU) 2025/2083.
    """
    counts = counts_towards_threshold(sector)
    importer = pd.Series(pd.Categorical(importer))
    year = np.asarray(year, dtype=np.int64)
    icodes = np.asarray(importer.cat.codes, dtype=np.int64)
    inverse, first = _pairs(icodes, year)
    mass = np.bincount(inverse, weights=np.where(counts, net_mass_t, 0.0), minlength=len(first))
    table = pd.DataFrame(
        {
            "importer": np.asarray(importer.cat.categories, dtype=object)[icodes[first]],
            "year": year[first],
            "annex_i_mass_t": mass,
        }
    )
    threshold = {y: threshold_t(y) for y in {int(y) for y in year[first]}}  # once a year
    table["threshold_t"] = [threshold[int(y)] for y in table["year"]]
    table["exempt"] = (table["annex_i_mass_t"] <= table["threshold_t"]) & bool(enabled)
    exempt = table["exempt"].to_numpy()[inverse] & counts
    order = table.sort_values(["importer", "year"], kind="stable").index
    return exempt, table.loc[order].reset_index(drop=True)


def _pairs(icodes: np.ndarray, year: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each line's (importer, year) pair as a code 0..k-1, the pairs in (importer code, year)
    order, and the first line of each pair: what ``np.unique(key, return_index=True)`` and a
    ``searchsorted`` give, by a direct table over the few importers and years instead of a sort
    (458,136 groups of a million realistic lines hold ~3,000 importers and one year)."""
    n = len(icodes)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    ilo, ylo = int(icodes.min()), int(year.min())
    span = int(year.max()) - ylo + 1
    radix = (int(icodes.max()) - ilo + 1) * span
    if radix > 4 * n + (1 << 16):  # too sparse for a table: sort
        key = icodes * 100_000 + year
        pair, first = np.unique(key, return_index=True)
        return np.searchsorted(pair, key), first
    key = (icodes - ilo) * span + (year - ylo)
    first_of = np.full(radix, n, dtype=np.int64)
    first_of[key[::-1]] = np.arange(n - 1, -1, -1)  # the last write is the first line
    present = np.flatnonzero(first_of < n)
    dense = np.empty(radix, dtype=np.int64)
    dense[present] = np.arange(len(present))
    return dense[key], first_of[present]


def exempt_lines(lines: pd.DataFrame, sector, exempt: set[tuple[str, int]]) -> np.ndarray:
    """Lines (or groups) that owe nothing under de minimis, from the exempt (importer, year)
    pairs of a run.

    Parameters
    ----------
    lines : pandas.DataFrame
        With ``importer`` (str, '' for none) and ``year`` (int).
    sector : array-like of str
        CBAM sector of each line.
    exempt : set of (str, int)
        Exempt (importer, year) pairs (:func:`exempt_keys`).

    Returns
    -------
    numpy.ndarray of bool
        The line's (importer, year) is exempt and its sector counts towards the threshold.

    References
    ----------
    Regulation (EU) 2023/956 Art 2a.
    """
    if not exempt:
        return np.zeros(len(lines), dtype=bool)
    codes, uniq = factorize_frame(pd.DataFrame({"i": lines["importer"], "y": lines["year"]}))
    hit = np.array(
        [
            any((str(i) or name, int(y)) in exempt for name in (NO_IMPORTER, BLANK_IMPORTER))
            for i, y in uniq.itertuples(index=False)
        ],
        dtype=bool,
    )
    return hit[codes] & counts_towards_threshold(sector)


def waive(amount: np.ndarray, exempt: np.ndarray) -> np.ndarray:
    """What remains owed after de minimis: nothing on exempt lines.

    Parameters
    ----------
    amount : numeric array
        Certificates [tCO2e] or their cost [EUR] of each line or group.
    exempt : numpy.ndarray of bool
        Lines exempt under de minimis (:func:`de_minimis`, :func:`exempt_lines`).

    Returns
    -------
    numpy.ndarray of float
        ``amount``, 0 where exempt.

    References
    ----------
    Regulation (EU) 2023/956 Art 2a.
    """
    return np.where(exempt, 0.0, amount)


def named_importers(importer, blank: str = NO_IMPORTER) -> pd.Series:
    """Importers as de minimis counts them: lines without one form one importer.

    Parameters
    ----------
    importer : array-like of str
        Importer of each line, '' where none is given.
    blank : str
        The name of lines without one: :data:`NO_IMPORTER` when the input has no importer column,
        :data:`BLANK_IMPORTER` when it has one with blank cells.

    Returns
    -------
    pandas.Series (categorical)
        The importers, '' renamed ``blank`` (unless an importer has that name).

    References
    ----------
    Regulation (EU) 2023/956 Art 2a (the threshold is per importer).
    """
    cat = pd.Categorical(importer)
    if "" in cat.categories and blank not in cat.categories:
        cat = cat.rename_categories([c or blank for c in cat.categories])
    return pd.Series(cat)


def apply_de_minimis(
    cols: pd.DataFrame, lines: pd.DataFrame, enabled: bool
) -> tuple[np.ndarray, pd.DataFrame]:
    """:func:`de_minimis` on computed lines.

    Parameters
    ----------
    cols : pandas.DataFrame
        Computed columns, with ``sector``.
    lines : pandas.DataFrame
        The lines, with ``importer``, ``year`` and ``net_mass_t`` [t].
    enabled : bool
        False (``--no-de-minimis``): nothing is exempt.

    Returns
    -------
    exempt : numpy.ndarray of bool
        Lines that owe nothing.
    table : pandas.DataFrame
        The outcome by (importer, year) (:func:`de_minimis`).

    References
    ----------
    Regulation (EU) 2023/956 Art 2a; ``citation("de_minimis")``.
    """
    exempt, table = de_minimis(
        named_importers(lines["importer"]),
        lines["year"].to_numpy(),
        pd.Series(cols["sector"]),
        lines["net_mass_t"].to_numpy(dtype=float),
        enabled,
    )
    return exempt, table


def without_exempt(groups: pd.DataFrame, exempt: set[tuple[str, int]]) -> pd.DataFrame:
    """Groups with the certificates and cost of de minimis importers set to 0.

    Parameters
    ----------
    groups : pandas.DataFrame
        Sums by keys that include ``importer``, ``year`` and ``sector``, with ``certificates``
        [tCO2e] and ``cost_eur`` [EUR].
    exempt : set of (str, int)
        Exempt (importer, year) pairs (:func:`exempt_keys`).

    Returns
    -------
    pandas.DataFrame
        A copy of ``groups``, exempt groups owing nothing (:func:`exempt_lines`, :func:`waive`).

    References
    ----------
    Regulation (EU) 2023/956 Art 2a.
    """
    out = groups.copy(deep=False)  # the two columns waived are replaced, never written into
    if exempt and len(out):
        hit = exempt_lines(out, out["sector"], exempt)
        out["certificates"] = waive(out["certificates"].to_numpy(dtype=float), hit)
        out["cost_eur"] = waive(out["cost_eur"].to_numpy(dtype=float), hit)
    return out


def de_minimis_groups(
    groups: pd.DataFrame, enabled: bool, blank: str = NO_IMPORTER
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """De minimis on aggregated groups: the importers' yearly masses decide, exempt groups owe
    nothing.

    Parameters
    ----------
    groups : pandas.DataFrame
        Sums by keys that include ``importer``, ``year`` and ``sector``, with ``net_mass_t`` [t],
        ``certificates`` [tCO2e] and ``cost_eur`` [EUR].
    enabled : bool
        False (``--no-de-minimis``): nothing is exempt.
    blank : str
        The de minimis name of groups without an importer (:func:`named_importers`).

    Returns
    -------
    groups : pandas.DataFrame
        The groups after de minimis (:func:`without_exempt`).
    table : pandas.DataFrame
        The outcome by (importer, year) (:func:`de_minimis`).

    References
    ----------
    Regulation (EU) 2023/956 Art 2a; ``citation("de_minimis")``.
    """
    _, table = de_minimis(
        named_importers(importer_text(groups["importer"]), blank),
        groups["year"].to_numpy(),
        groups["sector"],
        groups["net_mass_t"].to_numpy(dtype=float),
        enabled,
    )
    return without_exempt(groups, exempt_keys(table)), table


def importer_text(importer: pd.Series) -> pd.Series:
    """The importers as text: a categorical whose categories are all text already is kept as it
    is (its codes are what :func:`de_minimis` works on; a string per group of a fine aggregate,
    458,136 of them for a million realistic lines, is what ``astype(str)`` cost); anything else,
    a missing value included, as ``astype(str)``. The decision and its table are the same: rows
    come from the distinct (importer, year) pairs and are sorted by their text."""
    dtype = importer.dtype
    if (
        isinstance(dtype, pd.CategoricalDtype)
        and all(isinstance(c, str) for c in dtype.categories)
        and not (np.asarray(importer.cat.codes) < 0).any()
    ):
        return importer
    return importer.astype(str)


def exempt_keys(dm_table: pd.DataFrame) -> set[tuple[str, int]]:
    """The (importer, year) pairs exempt under de minimis.

    Parameters
    ----------
    dm_table : pandas.DataFrame
        The table of :func:`de_minimis`.

    Returns
    -------
    set of (str, int)
        Exempt (importer, year) pairs.
    """
    hit = dm_table[dm_table["exempt"]]
    return {(str(i), int(y)) for i, y in zip(hit["importer"], hit["year"])}
