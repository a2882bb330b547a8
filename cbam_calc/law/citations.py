"""Where each rule comes from: one accessor for the citations cbam-calc prints.

A rule with a dated parameter (``cbam_calc/data/parameters/<name>.yaml``) is cited from that file;
a rule without one (embedded emissions, default values, the FAA equations, certificates, exchange
rates ...) from ``cbam_calc/data/parameters/citations.yaml``. Both hold references in one shape
(``title``, optional ``short`` and ``href``), so an output never writes a citation of its own.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from cbam_calc.law.parameters import load_yaml, parameter


@cache
def _citations() -> dict[str, tuple[dict, ...]]:
    text = resources.files("cbam_calc").joinpath("data/parameters/citations.yaml").read_text(encoding="utf-8")
    return {k: tuple(v) for k, v in load_yaml(text)["citations"].items()}


def references(name: str) -> tuple[dict, ...]:
    """The references of a rule: its entry in ``citations.yaml``, else those of its parameter file.

    Parameters
    ----------
    name : str
        Key of ``citations.yaml`` (``"certificates"``, ``"free_allocation_adjustment"`` ...) or
        name of a parameter file (``"cbam_factor"``, ``"de_minimis"`` ...).

    Returns
    -------
    tuple of dict
        Each with ``title`` and, where known, ``short`` and ``href``.

    Raises
    ------
    KeyError
        Where neither file cites the rule.
    """
    found = _citations().get(name)
    if found is not None:
        return found
    try:
        return parameter(name).references
    except FileNotFoundError:
        raise KeyError(f"no citation for {name!r}: add it to data/parameters/citations.yaml") from None


def citation(name: str, **fields: object) -> str:
    """The citation printed for a rule: the short title (else the title) of each of its
    references, joined by '; ', with ``fields`` formatted in (``citation("benchmark_value",
    basis=...)``).

    Parameters
    ----------
    name : str
        See :func:`references`.
    **fields
        Values for the ``{placeholders}`` of the titles.

    Returns
    -------
    str
        E.g. ``citation("de_minimis")`` gives 'Regulation (EU) 2023/956 Art 2a (Regulation (EU)
        2025/2083)'.
    """
    text = "; ".join(str(r.get("short", r["title"])) for r in references(name))
    return text.format(**fields) if fields else text
