"""Who and when a run is of (``summary.prepared``, issue 14): what its lines cover (import dates,
installations), gathered per part and merged, and the date the report is prepared."""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass

import pandas as pd

from cbam_calc.core.errors import OptionError
from cbam_calc.core.messages import Message
from cbam_calc.core.model import CalcOptions, Prepared

# the date a report says it was prepared: today's local date, or this variable's ISO date where set
# (a test, or a report dated for its reader); read here, where a run is summarised, never in the law
DATE_PREPARED_ENV = "CBAM_DATE_PREPARED"


def date_prepared() -> str:
    """Today's local date (ISO), or the date in ``CBAM_DATE_PREPARED``."""
    given = os.environ.get(DATE_PREPARED_ENV, "").strip()
    if given:
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", given):
                raise ValueError(given)
            return datetime.date.fromisoformat(given).isoformat()
        except ValueError:
            raise OptionError(Message("E_DATE_PREPARED", variable=DATE_PREPARED_ENV, value=given)) from None
    return datetime.date.today().isoformat()


@dataclass
class Covers:
    """What a part's computed lines cover: their first and last import dates and the installations
    they name (the report's "who and when", Prepared)."""

    first_import: pd.Timestamp | None
    last_import: pd.Timestamp | None
    installations: frozenset[str]

    @classmethod
    def of(cls, lines: pd.DataFrame) -> Covers:
        dates = (
            lines["import_date"] if "import_date" in lines.columns else pd.Series([], dtype="datetime64[ns]")
        )
        first, last = (dates.min(), dates.max()) if len(dates) else (None, None)
        names = pd.unique(lines["installation"]) if "installation" in lines.columns else []
        return cls(
            None if pd.isna(first) else first,
            None if pd.isna(last) else last,
            frozenset(str(n).strip() for n in names if not pd.isna(n) and str(n).strip()),
        )

    @staticmethod
    def merged(covers: list[Covers | None]) -> Covers:
        given = [c for c in covers if c is not None]
        firsts = [c.first_import for c in given if c.first_import is not None]
        lasts = [c.last_import for c in given if c.last_import is not None]
        return Covers(
            min(firsts, default=None),
            max(lasts, default=None),
            frozenset().union(*(c.installations for c in given)),
        )


def prepared(covers: Covers, options: CalcOptions, summary) -> Prepared:
    """Who and when of a run: the exporter given, the installations and import dates of its lines,
    the date prepared (today, or CBAM_DATE_PREPARED: date_prepared), the reference data's date and
    the version."""

    def day(t: pd.Timestamp | None) -> str | None:
        return None if t is None else t.date().isoformat()

    return Prepared(
        exporter=options.exporter,
        installations=sorted(covers.installations),
        first_import=day(covers.first_import),
        last_import=day(covers.last_import),
        years=list(summary.assumptions.years),
        date_prepared=date_prepared(),
        reference_data_as_of=summary.reference_data_as_of,
        cbam_calc_version=summary.cbam_calc_version,
    )


def merged_prepared(members: list[Prepared], options: CalcOptions, as_of: str | None) -> Prepared:
    """Who and when of a batch: the exporter given, the members' installations, the first and last
    of their import dates and their years, prepared today."""
    from cbam_calc import __version__

    firsts = [p.first_import for p in members if p.first_import]
    lasts = [p.last_import for p in members if p.last_import]
    return Prepared(
        exporter=options.exporter,
        installations=sorted({i for p in members for i in p.installations}),
        first_import=min(firsts, default=None),
        last_import=max(lasts, default=None),
        years=sorted({y for p in members for y in p.years}),
        date_prepared=date_prepared(),
        reference_data_as_of=as_of,
        cbam_calc_version=__version__,
    )
