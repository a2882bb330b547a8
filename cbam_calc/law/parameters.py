"""Legal parameters as dated data (the OpenFisca habit).

Each figure the law sets (a CBAM factor, a mark-up, a threshold) lives in a small YAML file under
``cbam_calc/data/parameters/`` with its legal reference and the date from which each value applies.
Code asks for "the value of X in year Y" and never holds the number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import yaml

_DIR = "data/parameters"


def load_yaml(text: str) -> Any:
    """A shipped data file's YAML, parsed by libyaml where it is there (the C parser of PyYAML:
    the same SafeConstructor and so the same values, at a tenth of the pure-Python parser's time;
    a run reads some twenty such files)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@dataclass(frozen=True)
class Parameter:
    """One legal parameter: dated values plus where they come from."""

    name: str
    description: str
    unit: str
    status: str
    references: tuple[dict, ...]
    values: dict[str | None, tuple[tuple[dt.date, Any], ...]]
    extra: dict[str, Any] = field(default_factory=dict)

    def at(self, when: int | dt.date, key: str | None = None) -> Any:
        """Value in force on a date (or on 1 January of a year); KeyError before the first date."""
        day = dt.date(when, 1, 1) if isinstance(when, int) else when
        series = self.values[key]
        found = None
        for start, value in series:
            if start <= day:
                found = value
            else:
                break
        if found is None:
            raise KeyError(f"{self.name}: no value in force on {day.isoformat()}")
        return found

    def by_year(self, years: np.ndarray, key: str | None = None) -> np.ndarray:
        """Vectorised :meth:`at` over an integer array of years."""
        uniq, inverse = np.unique(np.asarray(years, dtype=np.int64), return_inverse=True)
        table = np.array([self.at(int(y), key) for y in uniq], dtype=float)
        return table[inverse]

    def since(self, key: str | None = None) -> dt.date:
        """Date from which the value in force was first set (for the Parameters sheet)."""
        return self.values[key][0][0]

    def effective_from(self, when: int | dt.date, key: str | None = None) -> dt.date:
        """Start date of the value that is in force on ``when``."""
        day = dt.date(when, 1, 1) if isinstance(when, int) else when
        start = self.values[key][0][0]
        for s, _ in self.values[key]:
            if s <= day:
                start = s
        return start

    @property
    def citation(self) -> str:
        return "; ".join(r["title"] for r in self.references)

    @property
    def href(self) -> str:
        return self.references[0].get("href", "") if self.references else ""


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _series(mapping: dict) -> tuple[tuple[dt.date, Any], ...]:
    return tuple(sorted((_as_date(k), v) for k, v in mapping.items()))


@cache
def parameter(name: str) -> Parameter:
    """A legal parameter: its dated values and where they come from.

    Parameters
    ----------
    name : str
        File name without suffix under ``cbam_calc/data/parameters/`` (``"cbam_factor"`` ...).

    Returns
    -------
    Parameter
        Values by start date (``at(year)`` gives the one in force), unit, status and references.

    References
    ----------
    Each file's ``metadata.reference`` (act, article, link).
    """
    text = resources.files("cbam_calc").joinpath(_DIR, f"{name}.yaml").read_text(encoding="utf-8")
    doc = load_yaml(text)
    meta = doc.get("metadata", {})
    raw = doc.get("values") or {}
    if raw and all(isinstance(v, dict) for v in raw.values()):
        values = {k: _series(v) for k, v in raw.items()}
    else:
        values = {None: _series(raw)}
    extra = {k: v for k, v in doc.items() if k not in ("description", "metadata", "values")}
    return Parameter(
        name=name,
        description=" ".join(str(doc.get("description", "")).split()),
        unit=str(meta.get("unit", "")),
        status=str(meta.get("status", "")),
        references=tuple(meta.get("reference", [])),
        values=values,
        extra=extra,
    )


def supported_years() -> range:
    """Years of import cbam-calc has reference data for.

    Returns
    -------
    range
        2026-2034 (``definitive_period.yaml``).

    References
    ----------
    Regulation (EU) 2023/956 Art 36(3) and Art 32; ``citation("definitive_period")``.
    """
    p = parameter("definitive_period")
    first = _as_date(p.extra["first_import_date"]).year
    last = _as_date(p.extra["last_import_date"]).year
    return range(first, last + 1)


def definitive_period() -> tuple[dt.date, dt.date]:
    """First and last import date cbam-calc computes.

    Returns
    -------
    tuple of datetime.date
        2026-01-01 and 2034-12-31 (``definitive_period.yaml``).

    References
    ----------
    Regulation (EU) 2023/956 Art 36(3) and Art 32; ``citation("definitive_period")``.
    """
    p = parameter("definitive_period")
    return _as_date(p.extra["first_import_date"]), _as_date(p.extra["last_import_date"])
