"""Policy proposals as named assumptions: scenarios only, never the default.

A proposal that would change a dated parameter is a parameter file of its own, beside the law's,
saying which parameter it stands beside (``alternative_to``), the name scenarios know it by
(``option``), how every output labels it (``label``) and the values it would set. Before its first
date the law's values apply. Today: the CBAM factor schedule of proposal COM(2026) 616 (ETS
review), ``cbam_factor_proposal_2026_616.yaml``; the law's schedule is ``cbam_factor.yaml``
(Directive 2003/87/EC Art 10a(1a)).

Scenarios may run to the last year a schedule sets a value for (2038 under COM(2026) 616), beyond
the years of ``definitive_period.yaml`` that ``cbam calc`` computes (:func:`scenario_years`); their
certificate prices and exchange rates are the last projected figures of the reference data carried
forward, labelled projections (:func:`extended_reference`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from cbam_calc.core.messages import Message
from cbam_calc.law.parameters import Parameter, load_yaml, parameter, supported_years
from cbam_calc.law.reference import ReferenceData

LAW = "law"


@dataclass(frozen=True)
class Schedule:
    """A CBAM factor schedule: the law's, or a proposal's from its first date (the law's before)."""

    option: str  # "law", "proposal-2026-616"
    name: str  # in scenario names: "law", "proposal COM(2026) 616"
    label: str  # in tables and assumptions, with what it rests on
    status: str  # law or proposal
    values: Parameter  # the schedule's own dated values
    name_zh: str = ""  # the name and label in Chinese (a Chinese report's); legal citations kept
    label_zh: str = ""

    @property
    def is_law(self) -> bool:
        return self.option == LAW

    @property
    def starts(self) -> int:
        """First year the schedule's own values apply (the law's apply before it)."""
        return self.values.since().year

    def at(self, year: int) -> float:
        """CBAM factor in ``year`` under this schedule."""
        if self.is_law or year < self.starts:
            return float(parameter("cbam_factor").at(year))
        return float(self.values.at(year))

    def by_year(self, years: np.ndarray) -> np.ndarray:
        uniq, inverse = np.unique(np.asarray(years, dtype=np.int64), return_inverse=True)
        return np.array([self.at(int(y)) for y in uniq], dtype=float)[inverse]

    @property
    def last_change(self) -> int:
        """The year of the schedule's last dated value (from then on it stays the same)."""
        return self.values.values[None][-1][0].year


def law_label(lang: str = "en") -> str:
    citation = parameter("cbam_factor").citation
    return f"法定（{citation}）" if lang == "zh" else f"law ({citation})"


@cache
def cbam_factor_schedules() -> dict[str, Schedule]:
    """The law's CBAM factor schedule and every proposal standing beside it, by option name."""
    out = {LAW: Schedule(LAW, LAW, law_label(), "law", parameter("cbam_factor"), "法定", law_label("zh"))}
    folder = resources.files("cbam_calc").joinpath("data/parameters")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        doc = load_yaml(entry.read_text(encoding="utf-8")) or {}
        if doc.get("alternative_to") != "cbam_factor":
            continue
        p = parameter(entry.name.removesuffix(".yaml"))
        option = str(doc["option"])
        zh = (str(doc.get("name_zh") or doc["name"]), str(doc.get("label_zh") or doc["label"]))
        out[option] = Schedule(option, str(doc["name"]), str(doc["label"]), p.status, p, *zh)
    return out


def cbam_factor_schedule(option: str) -> Schedule:
    """The schedule named ``option``; ValueError naming the choices for any other name."""
    schedules = cbam_factor_schedules()
    if option not in schedules:
        raise ValueError(Message("M_CBAM_FACTOR_UNKNOWN", option=option, schedules=list(schedules)))
    return schedules[option]


def cbam_factor(years: np.ndarray, option: str = LAW) -> np.ndarray:
    """CBAM factor by year under the schedule ``option`` (default: the law's)."""
    return cbam_factor_schedule(option).by_year(years)


def scenario_years() -> range:
    """Years a scenario may compute: those of the reference data (``supported_years``), extended to
    the last year a CBAM factor schedule changes (2038 under COM(2026) 616)."""
    years = supported_years()
    last = max([years[-1], *(s.last_change for s in cbam_factor_schedules().values())])
    return range(years[0], last + 1)


def extended_reference(ref: ReferenceData, last_year: int) -> ReferenceData:
    """``ref`` with certificate prices and exchange rates for the scenario years after the
    reference data (to ``last_year``): each is the figure of the data's last year carried forward,
    status ``projection`` and its source saying so. Scenarios only; ``ref`` itself is unchanged."""
    prices_df = ref.certificate_prices
    years = pd.to_numeric(prices_df["period"], errors="coerce")
    last_price = int(years.max())
    fx = ref.fx_annual
    last_fx = int(fx["year"].max())
    if last_year <= last_data_year(ref):
        return ref
    row = prices_df[years == last_price].iloc[0]
    extra = [
        {
            **row.to_dict(),
            "period": str(y),
            "status": "projection",
            "published_on": "",
            "source": _carried(last_price, y, str(row["status"]), str(row["source"])),
        }
        for y in range(last_price + 1, last_year + 1)
    ]
    base = fx[fx["year"] == last_fx]
    more = [
        base.assign(
            year=y,
            status="projection",
            source=[_carried(last_fx, y, s, src) for s, src in zip(base["status"], base["source"])],
        )
        for y in range(last_fx + 1, last_year + 1)
    ]
    return ref.with_tables(  # the other tables already read are shared, not read again
        certificate_prices=pd.concat([prices_df, pd.DataFrame(extra)], ignore_index=True),
        fx_annual=pd.concat([fx, *more], ignore_index=True),
    )


def last_data_year(ref: ReferenceData) -> int:
    """The last year with both a certificate price row and exchange rates in the reference data."""
    years = pd.to_numeric(ref.certificate_prices["period"], errors="coerce")
    return min(int(years.max()), int(ref.fx_annual["year"].max()))


def _carried(last: int, year: int, status: str, source: str) -> str:
    return (
        f"projection for scenarios only, not a real figure: the {last} figure ({status}) carried "
        f"forward to {year}, a year after the reference data; {source}"
    )


def schedules_by_year(options: list[str], years: list[int]) -> dict[str, dict]:
    """The law's CBAM factor schedule and each of ``options``, side by side: name, label, status,
    the first year of its own values and the factor of each year."""
    out = {}
    for option in dict.fromkeys([LAW, *options]):
        sch = cbam_factor_schedule(option)
        out[option] = {
            "name": sch.name,
            "label": sch.label,
            "status": sch.status,
            "applies_from": years[0] if sch.is_law else sch.starts,
            "by_year": {y: sch.at(y) for y in years},
        }
    return out


def schedule_warnings(options: list[str], years: list[int], data_last: int) -> list[Message]:
    """What a reader of a scenario run must know: a proposal is not law (and where the law's values
    apply under it), and years after the reference data (``data_last``) carry its last figures on."""
    out = []
    for option in dict.fromkeys(o for o in options if o != LAW):
        sch = cbam_factor_schedule(option)
        out.append(
            Message(
                "W_PROPOSAL_NOT_LAW",
                label=sch.label,
                label_zh=sch.label_zh,
                name=sch.name,
                name_zh=sch.name_zh,
                starts=sch.starts,
            )
        )
    beyond = [y for y in years if y > data_last]
    if beyond:
        span = str(beyond[0]) if len(beyond) == 1 else f"{beyond[0]}-{beyond[-1]}"
        out.append(Message("W_YEARS_AFTER_REFERENCE_DATA", span=span, last=data_last))
    return out
