"""The structured assumptions of a scenario run (ScenarioResult.assumptions: lists and tables) as
the Assumptions sheet of a Chinese workbook shows them: in words, each value with its year or name.

An English workbook shows them as ``--format json`` gives them (JSON: what a program reads); a
Chinese one as a reader does: years joined, figures by year (one figure where every year has the
same), the CBAM factor schedule under its Chinese name, the CEA and CCER reference prices with the
file and series they come from, the reading choices by name, the templates by installation, and
the instrument comparison by the sheet that shows it (outputs.scenario_report). A value of a kind
not known here is shown as JSON, as in English (so nothing is left out).
"""

from __future__ import annotations

from collections.abc import Callable

from cbam_calc.core.labels import label
from cbam_calc.core.messages import Message

SEP = "；"  # between the items of a value


def _figure(v: object) -> str:
    return f"{v:,.4f}".rstrip("0").rstrip(".") if isinstance(v, float) else str(v)


def by_year(values: dict, lang: str) -> str:
    """{year: figure} in words: one figure for a span of years that all have it."""
    items = sorted((int(y), v) for y, v in values.items())
    if not items:
        return label("run_none", lang)
    if len({v for _, v in items}) == 1:
        return Message(
            "M_SCEN_SAME_EVERY_YEAR", first=items[0][0], last=items[-1][0], value=_figure(items[0][1])
        ).text(lang)
    return SEP.join(Message("M_SCEN_IN_YEAR", year=y, value=_figure(v)).text(lang) for y, v in items)


def _years(values: list, lang: str) -> str:
    return "、".join(map(str, values))


def _schedules(values: dict, lang: str) -> str:
    from cbam_calc.law import proposals

    parts = []
    for name, s in values.items():
        try:
            shown = proposals.cbam_factor_schedule(name).label_zh or s.get("label", name)
        except ValueError:  # a schedule of a record of before: its name as recorded
            shown = s.get("label", name)
        parts.append(f"{shown}：{by_year(s.get('by_year', {}), lang)}")
    return SEP.join(parts)


def _paths(values: dict, lang: str) -> str:
    from cbam_calc.compute.scenario_set import REFERENCE

    def name(v: str) -> str:
        return label("scen_eua_reference", lang) if v == REFERENCE else v

    return SEP.join(name(v) if k == v else f"{name(k)}={name(v)}" for k, v in values.items())


def _china_price(kind: str) -> Callable[[dict, str], str]:
    """The CEA or CCER reference price (law.reference.china_carbon_price): its figure, period,
    what it is (the yearly or monthly volume-weighted price) and its file."""

    def shown(v: dict, lang: str) -> str:
        code = f"M_SCEN_{kind.upper()}_PRICE"
        return Message(
            code,
            value=_figure(v.get("value")),
            period=v.get("period", ""),
            file=f"reference_prices/{kind}_price.csv",
        ).text(lang)

    return shown


def _installations(values: dict, lang: str) -> str:
    if not values:
        return label("run_none", lang)
    return SEP.join(
        f"{name}：" + "，".join(f"{k}={_figure(v)}" for k, v in (s or {}).items() if v is not None)
        for name, s in values.items()
    )


def _reading(values: dict, lang: str) -> str:
    from cbam_calc.core.model import ReadOptions
    from cbam_calc.outputs.reading import reading_items

    items = reading_items(ReadOptions(**values), lang)
    shown = [f"{term}：{v}" for term, v in items]
    if values.get("encoding"):
        shown.insert(0, f"{label('encoding', lang)}：{values['encoding']}")
    if values.get("skip_hidden"):
        shown.append(label("skip_hidden", lang))
    return SEP.join(shown) if shown else label("scen_read_as_given", lang)


def _templates(values: list, lang: str) -> str:
    return SEP.join(
        Message("M_SCEN_TEMPLATE_USED", installation=t.get("installation", ""), file=t.get("file", "")).text(
            lang
        )
        for t in values
    )


SHOWN: dict[str, Callable] = {
    "years": _years,
    "cbam_factor_schedules": _schedules,
    "certificate_price_paths": _paths,
    "art9_reference_price_eur_per_tco2e": by_year,
    "cny_per_eur": by_year,
    "reference_cea_price_cny": _china_price("cea"),
    "reference_ccer_price_cny": _china_price("ccer"),
    "installations": _installations,
    "reading": _reading,
    "templates": _templates,
}


def structured_value(key: str, value: dict | list, lang: str) -> str | None:
    """A list or table assumption as the Assumptions sheet shows it in ``lang``; None where it is
    shown as JSON (in English, a kind not known here, or a value not of the shape written)."""
    if lang == "en" or key not in SHOWN:
        return None
    try:
        return SHOWN[key](value, lang)
    except (AttributeError, TypeError, ValueError, KeyError):
        return None
