"""Outputs of ``cbam scenario``: text, JSON, an xlsx with native Excel charts, PNG charts.

Long because: the four outputs read the same tables of one ScenarioResult (the summary, the
break-even and defaults-vs-actual tables), and the JSON writer renders the two long tables column
by column (:func:`records_json`); together they show one run's figures in every form.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from cbam_calc.core.labels import LABELS, aside, de_minimis_choice, items, label, term
from cbam_calc.core.messages import Message, message_fields, render
from cbam_calc.outputs.print_layout import print_setup
from cbam_calc.outputs.scenario_assumptions import structured_value
from cbam_calc.outputs.text import _pad, _width
from cbam_calc.outputs.writers import atomic_write, protect_cells

MAX_TEXT_SCENARIOS = 8
MAX_CHART_SCENARIOS = 8


def scenario_summary(result) -> pd.DataFrame:
    """One row per scenario: totals over the years."""
    t = result.table
    g = t.groupby("scenario", sort=False)
    out = g[
        [
            "certificates",
            "eu_levy_eur",
            "domestic_cost_eur",
            "total_carbon_cost_eur",
            "saving_vs_baseline_eur",
            "ccer_spend_cny",
        ]
    ].sum()
    out["years"] = g["year"].agg(lambda y: f"{y.min()}-{y.max()}" if y.nunique() > 1 else str(y.min()))
    return out.reset_index()


def chart_scenarios(result, n: int = MAX_CHART_SCENARIOS) -> list[str]:
    """The scenarios a chart shows when there are too many to read: the baseline, the cheapest
    and the dearest in total carbon cost, and others evenly spread between them."""
    ranked = scenario_summary(result).sort_values("total_carbon_cost_eur")["scenario"].tolist()
    if len(ranked) <= n:
        return list(dict.fromkeys(result.table["scenario"]))
    others = [s for s in ranked if s != result.baseline]
    picks = np.unique(np.linspace(0, len(others) - 1, n - 1).round().astype(int))
    return [result.baseline, *(others[i] for i in picks)]


def levy_by_year(result) -> pd.DataFrame:
    """EU levy by year (rows) and scenario (columns); the charted scenarios come first."""
    order = list(dict.fromkeys(result.table["scenario"]))
    shown = chart_scenarios(result)
    columns = [*shown, *(c for c in order if c not in shown)]
    pivot = result.table.pivot_table(index="year", columns="scenario", values="eu_levy_eur", sort=False)
    return pivot[columns]


def scenario_text(result, lang: str = "en") -> str:
    out = [rule_status_text(result, lang)]
    if result.assumptions.get("reference_data_as_of"):
        out.append(_as_of_text(result, lang))
    out.append("")
    summary = scenario_summary(result)
    names = scenario_names(result, lang)
    head = [
        label(k, lang)
        for k in (
            "scen_txt_scenario",
            "scen_txt_levy",
            "scen_txt_domestic",
            "scen_txt_total",
            "scen_txt_saving",
        )
    ]
    rows = [
        [
            names.get(r.scenario, r.scenario) + (" *" if r.scenario == result.baseline else ""),
            f"{r.eu_levy_eur:,.0f}",
            f"{r.domestic_cost_eur:,.0f}",
            f"{r.total_carbon_cost_eur:,.0f}",
            f"{r.saving_vs_baseline_eur:,.0f}",
        ]
        for r in summary.itertuples()
    ]
    years = result.table["year"]
    out.append(label("scen_years_of", lang, n=len(summary), years=f"{years.min()}-{years.max()}"))
    out.extend(_table([head, *rows]))
    out.append("")
    pivot = levy_by_year(result)
    shown = list(pivot.columns[:MAX_TEXT_SCENARIOS])
    more = len(pivot.columns) > MAX_TEXT_SCENARIOS
    out.append(
        label("scen_levy_by_year_text", lang)
        + (aside(label("scen_first_n", lang, n=MAX_TEXT_SCENARIOS), lang) if more else "")
    )
    legend = {name: f"S{i + 1}" for i, name in enumerate(shown)}
    head = [label("scen_txt_year", lang), *legend.values()]
    rows = [[str(y), *(f"{pivot.loc[y, c]:,.0f}" for c in shown)] for y in pivot.index]
    out.extend(_table([head, *rows]))
    out.extend(f"  {code} = {names.get(name, name)}" for name, code in legend.items())
    out.extend(schedules_text(result, lang))
    out.extend(_break_even_text(result, lang))
    if len(result.default_vs_actual):
        from cbam_calc.compute.scenarios import crossover_years

        out.append("")
        cost = result.scenario_set.verification_cost_eur
        out.append(label("scen_crossover", lang, cost=f"{cost:,.0f}"))
        for inst, year in crossover_years(result.default_vs_actual).items():
            out.append(f"  {term(inst, year if year is not None else label('scen_never', lang), lang)}")
    if result.instruments is not None:
        out.extend(instruments_text(result, lang))
    if result.warnings:
        out.append("")
        out.extend(f"- {render(w, lang)}" for w in result.warnings)
    return "\n".join(out)


def _as_of_text(result, lang: str) -> str:
    if lang != "zh":
        return result.assumptions["reference_data_as_of"]
    from cbam_calc.law.inventory import reference_data_as_of
    from cbam_calc.law.reference import reference_data

    return f"{label('reference_as_of', lang)} {reference_data_as_of(reference_data()).date or ''}"


def _break_even_text(result, lang: str) -> list[str]:
    """The break-even CEA price by scenario parameters (in English as the parameters read; in
    Chinese by the names of the scenarios they stand for), its range over CN codes."""
    be = result.break_even
    if not len(be):
        return []
    out = ["", label("scen_be_heading", lang)]
    names = {
        k: _sched(k, v, "name", lang) for k, v in result.assumptions.get("cbam_factor_schedules", {}).items()
    }
    shown = scenario_names(result, lang)
    groups: dict[tuple, list[str]] = {}
    for s in result.scenario_set.scenarios:
        if s.recognition:
            key = (s.allocation_gap, s.ccer_share, s.ccer_use, s.emissions, s.eua, s.cbam_factor)
            groups.setdefault(key, []).append(shown[s.label()])
    by = ["allocation_gap", "ccer_share", "ccer_use", "emissions", "eua", "cbam_factor"]
    for keys, g in be.groupby(by, sort=False):
        gap, share, use, em, eua, factor = keys
        if lang == "zh" and groups.get(tuple(keys)):
            desc = "  " + "；".join(groups[tuple(keys)]) + "："
        else:
            under = (
                label("scen_txt_be_under", lang, name=names.get(factor, factor)) if factor != "law" else ""
            )
            use_text = use if lang != "zh" else label(f"scen_use_{use}", lang)
            em_text = em if lang != "zh" else label(f"scen_emissions_{em}", lang)
            desc = "  " + label(
                "scen_txt_be_params", lang, gap=f"{gap:.0%}", share=f"{share:.0%}", use=use_text,
                emissions=em_text, eua=_eua_name(eua, lang), under=under,
            ) + ": "  # fmt: skip
        vals = g["break_even_cea_price_cny"].dropna()
        codes = g["cn_code"].nunique()
        reachable = g.dropna(subset=["break_even_cea_price_cny"])["cn_code"].nunique()
        if vals.empty:
            notes = items(sorted({_be_note(n, lang) for n in g["note"] if n}), lang)
            out.append(desc + (notes or label("scen_be_not_reachable", lang)))
            continue
        by_year = g.groupby("year")["break_even_cea_price_cny"].agg(["min", "max"])
        spans = items(
            (
                term(y, f"{by_year.loc[y, 'min']:,.0f}-{by_year.loc[y, 'max']:,.0f}", lang)
                for y in sorted({by_year.index.min(), by_year.index.max()})
            ),
            lang,
        )
        if reachable < codes:
            out.append(
                desc
                + spans
                + aside(label("scen_be_range_some", lang, reachable=reachable, codes=codes), lang)
            )
        else:
            out.append(desc + spans + aside(label("scen_be_range", lang), lang))
    return out


# ---------------------------------------------------------------------------- instrument comparison
MAX_TEXT_INSTRUMENT_ROWS = 40
INSTRUMENT_TOTALS = [
    "domestic_cost_cny",
    "domestic_cost_eur",
    "recognised_eur",
    "art9_reduction_tco2e",
    "eu_levy_eur",
    "total_eur",
    "saving_vs_reference_eur",
]


def instrument_header(column: str, lang: str = "en") -> str:
    """The human header of a column of the instrument comparison (M_INSTR_COL_<COLUMN>)."""
    return render(Message(f"M_INSTR_COL_{column.upper()}"), lang)


def instrument_preamble(result, lang: str = "en") -> list[str]:
    """What every output of the comparison says first: what it is, that the Art 9 figures rest on
    a draft, where the prices come from (assumptions named so) and which option is hypothetical."""
    from cbam_calc.law import art9, instruments

    a = result.assumptions.get("instrument_comparison", {})
    date, document = art9.draft_act()
    prices = a.get("credit_price_assumptions", {}).get("values", {})
    ccer = next((o["credit_price_cny"] for o in a.get("options", []) if o.get("credit") == "ccer"), None)
    out = [
        render(Message("M_INSTR_TITLE", gap=f"{a.get('allocation_gap', 0):.0%}"), lang),
        render(Message("M_INSTR_RULE_STATUS", date=date, document=document), lang),
        render(
            Message(
                "M_INSTR_PRICES",
                cea=f"{a.get('cea_price_cny', float('nan')):g}",
                ccer=f"{ccer:g}" if ccer is not None else "-",
                vcs=f"{prices.get('vcs', float('nan')):g}",
                itmo=f"{prices.get('itmo', float('nan')):g}",
            ),
            lang,
        ),
    ]
    for o in a.get("options", []):
        if o.get("assumption"):
            mech = instruments.mechanisms()[o["assume_accepted_by"]]
            out.append(
                render(
                    Message(
                        "M_INSTR_ASSUMED_OPTION",
                        option=option_name(result, o["name"], lang),
                        mechanism=mech.zh if lang == "zh" else mech.en,
                        unit=o["credit"].upper(),
                        cap=f"{instruments.paris_cap_share():.0%}".replace("%", " %"),
                    ),
                    lang,
                )
            )
    return out


def option_name(result, name: str, lang: str) -> str:
    """An option's name in the report's language (its ``zh`` of data/scenarios/instruments.yaml)."""
    if lang != "zh":
        return name
    for o in result.assumptions.get("instrument_comparison", {}).get("options", []):
        if o["name"] == name and o.get("zh"):
            return o["zh"]
    return name


def instruments_frame(result, lang: str = "en") -> pd.DataFrame:
    """The comparison table with its messages (treatment, note) and option names in ``lang``."""
    t = result.instruments.copy()
    for c in ("treatment", "note", "credit_price_status"):
        t[c] = [render(v, lang) if v else "" for v in t[c].tolist()]
    t["option"] = [option_name(result, v, lang) for v in t["option"].tolist()]
    if lang == "zh" and "credit_use" in t:  # compliance, voluntary: the option's key, shown
        t["credit_use"] = [label(f"scen_use_{v}", lang) if v else "" for v in t["credit_use"].tolist()]
    return t


def instruments_text(result, lang: str = "en") -> list[str]:
    t = result.instruments
    out = ["", *instrument_preamble(result, lang)]
    if not len(t):
        return out
    years = t["year"]
    span = f"{years.min()}-{years.max()}" if years.nunique() > 1 else str(years.min())
    out.append(render(Message("M_INSTR_TOTALS", years=span), lang))
    g = t.groupby("option", sort=False)
    totals = g[INSTRUMENT_TOTALS].sum()
    be = g["break_even_credit_price_cny"].agg(["min", "max"])
    head = [instrument_header(c, lang) for c in ("option", *INSTRUMENT_TOTALS)]
    head.append(instrument_header("break_even_credit_price_cny", lang))
    rows = []
    for name, r in totals.iterrows():
        lo, hi = be.loc[name, "min"], be.loc[name, "max"]
        span_be = "-" if lo != lo else (f"{lo:,.2f}" if abs(hi - lo) < 0.005 else f"{lo:,.2f}-{hi:,.2f}")
        rows.append([option_name(result, name, lang), *(f"{r[c]:,.0f}" for c in INSTRUMENT_TOTALS), span_be])
    out.extend(_table([head, *rows]))
    shown = instruments_frame(result, lang)
    out.append("")
    cols = ["option", "installation", "year", "domestic_cost_eur", "eu_levy_eur", "total_eur",
            "break_even_credit_price_cny", "note"]  # fmt: skip
    if len(shown) > MAX_TEXT_INSTRUMENT_ROWS:
        out.append(aside(label("scen_instr_rows", lang, n=len(shown)), lang).strip())
        shown = shown.head(MAX_TEXT_INSTRUMENT_ROWS)
    rows = [
        [
            str(r["option"]),
            str(r["installation"]),
            str(r["year"]),
            f"{r['domestic_cost_eur']:,.0f}",
            f"{r['eu_levy_eur']:,.0f}",
            f"{r['total_eur']:,.0f}",
            "-" if r["break_even_credit_price_cny"] != r["break_even_credit_price_cny"]
            else f"{r['break_even_credit_price_cny']:,.2f}",
            str(r["note"]),
        ]
        for _, r in shown.iterrows()
    ]  # fmt: skip
    out.extend(_table([[instrument_header(c, lang) for c in cols], *rows]))
    return out


def instruments_json(result) -> dict:
    """The comparison in ``--format json``: what it rests on and the headers (en, zh); the rows
    are added by :func:`scenario_json`."""
    return {
        "rule_status": instrument_preamble(result, "en")[1],
        "preamble": instrument_preamble(result, "en"),
        "headers": {
            c: {"en": instrument_header(c, "en"), "zh": instrument_header(c, "zh")}
            for c in result.instruments.columns
        },
    }


def schedules_text(result, lang: str = "en") -> list[str]:
    """The CBAM factor of each year under the law and under each proposal a scenario uses, side by
    side (nothing when every scenario is on the law's schedule)."""
    schedules = result.assumptions.get("cbam_factor_schedules", {})
    if len(schedules) < 2:
        return []
    labels = items((_sched(k, v, "label", lang) for k, v in schedules.items()), lang)
    out = ["", term(label("scen_factor_by_year", lang), labels, lang)]
    head = [label("scen_txt_year", lang), *(_sched(k, v, "name", lang) for k, v in schedules.items())]
    years = list(next(iter(schedules.values()))["by_year"])
    rows = [[str(y), *(f"{v['by_year'][y]:g}" for v in schedules.values())] for y in years]
    out.extend(_table([head, *rows]))
    return out


def _sched(option: str, schedule: dict, key: str, lang: str) -> str:
    """The ``name`` or ``label`` of a schedule (``option`` of the assumptions'
    cbam_factor_schedules) in ``lang``: in Chinese its parameter file's name_zh, label_zh."""
    if lang != "zh":
        return schedule[key]
    from cbam_calc.law import proposals

    return getattr(proposals.cbam_factor_schedule(option), f"{key}_zh") or schedule[key]


def schedules_frame(result) -> pd.DataFrame:
    """The CBAM factor by year (rows) under each schedule of the run (columns: law, proposals)."""
    schedules = result.assumptions.get("cbam_factor_schedules", {})
    frame = pd.DataFrame({v["name"]: v["by_year"] for v in schedules.values()})
    return frame.rename_axis("year").reset_index()


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(_pad(c, w, left=i == 0) for i, (c, w) in enumerate(zip(r, widths))) for r in rows]


def _plain(obj):
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, (np.floating, float)):
        return None if np.isnan(obj) else float(obj)
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    return obj


def scenario_json(result) -> str:
    """What ``--format json`` prints: ``json.dumps(..., ensure_ascii=False, indent=2)`` of the
    document, with the two long tables (break-even, defaults vs actual: one record per CN code or
    installation and year, some 180,000 for a realistic file over nine years) rendered column by
    column by :func:`records_json` into the same text, instead of value by value by the json
    module's pure-Python indenting encoder (which took most of the run's output time)."""
    from cbam_calc.compute.scenarios import crossover_years

    warnings, codes, params = message_fields(result.warnings)
    token = uuid.uuid4().hex
    tables = {"break_even": result.break_even, "default_vs_actual": result.default_vs_actual}
    doc = {
        "rule_status": result.rule_status,
        "baseline": result.baseline,
        "scenarios": result.records(),
        "break_even": f"{token} break_even",
        "default_vs_actual": f"{token} default_vs_actual",
        "defaults_cost_more_from": crossover_years(result.default_vs_actual)
        if len(result.default_vs_actual)
        else {},
        "assumptions": result.assumptions,
        "warnings": warnings,
        "warning_codes": codes,  # as in cbam calc's JSON: one per warning, '' where none yet
        "warning_params": params,
    }
    if result.instruments is not None:
        block = instruments_json(result)
        block["rows"] = f"{token} instruments"
        doc["instrument_comparison"] = block
        tables["instruments"] = instruments_frame(result, "en")
    text = json.dumps(_plain(doc), ensure_ascii=False, indent=2)
    for key, frame in tables.items():
        text = text.replace(json.dumps(f"{token} {key}"), records_json(frame, level=1), 1)
    return text


def records_json(frame: pd.DataFrame, level: int) -> str:
    """``json.dumps(_plain(frame.to_dict("records")), ensure_ascii=False, indent=2)`` as it reads
    nested ``level`` deep, built a column at a time: floats by ``repr`` (NaN null, as _plain makes
    them), integers and booleans as JSON writes them, any other column value by value through
    json.dumps (its text escapes, its C encoder)."""
    if not len(frame):
        return "[]"
    pad = "  " * (level + 2)
    cells = []
    for i, c in enumerate(frame.columns):
        col = frame[c]
        dtype = col.dtype
        if dtype == np.float64:
            values = col.to_numpy()
            text = np.array([repr(v) for v in values.tolist()], dtype=object)
            text[np.isnan(values)] = "null"
            text[np.isposinf(values)] = "Infinity"
            text[np.isneginf(values)] = "-Infinity"
        elif dtype == np.int64:
            text = np.array([str(v) for v in col.to_numpy().tolist()], dtype=object)
        elif dtype == np.bool_:
            text = np.where(col.to_numpy(), "true", "false").astype(object)
        else:
            text = np.array(
                [json.dumps(_plain(v), ensure_ascii=False) for v in col.to_numpy(dtype=object).tolist()],
                dtype=object,
            )
        head = ("{\n" if i == 0 else ",\n") + pad + json.dumps(str(c), ensure_ascii=False) + ": "
        cells.append(head + text)
    close = "\n" + "  " * (level + 1) + "}"
    rows = cells[0]
    for cell in cells[1:]:
        rows = rows + cell
    rows = rows + close
    item = "\n" + "  " * (level + 1)
    return "[" + item + ("," + item).join(rows.tolist()) + "\n" + "  " * level + "]"


# ---------------------------------------------------------------------------- xlsx
# How each figure reads (number format, decimals the stored value is rounded to): EUR totals to the
# euro, per-tonne figures, prices and one installation's year to the cent, tonnes of CO2e to 3
# decimals, shares as per cent. The Data sheet keeps the scenario table at full precision, under the
# keys --format json uses; the long tables (break-even, actual vs default: 18,000 and 65,000 rows on
# 20,000 lines) are shown to the cent only, as a second copy doubled the workbook's writing time
# (38 s -> 67 s); their full precision is in --format json.
KINDS = {
    "year": ("0", 0),
    "int": ("#,##0", 0),
    "eur0": ("#,##0", 0),
    "eur2": ("#,##0.00", 2),
    "cny0": ("#,##0", 0),
    "cny2": ("#,##0.00", 2),
    "t3": ("#,##0.000", 3),
    "pct": ("0.0%", 3),
    "ratio": ("0.000", 3),
    "fx": ("0.0000", 4),
}
# the scenario table as the "Scenarios by year" sheet shows it: (column, label key, kind)
BY_YEAR = [
    ("scenario", "scen_scenario", "text"),
    ("year", "year", "year"),
    ("cbam_factor_schedule", "scen_schedule", "text"),
    ("cbam_factor", "factor_short", "ratio"),
    ("eua", "scen_eua_path", "text"),
    ("reference_price_eur_per_tco2e", "scen_price", "eur2"),
    ("certificate_price_status", "scen_price_status", "text"),
    ("lines", "lines_short", "int"),
    ("net_mass_t", "net_mass_t", "t3"),
    ("electricity_mwh", "electricity_mwh", "t3"),
    ("embedded_tco2e", "embedded_tco2e", "t3"),
    ("free_allocation_tco2e", "free_allocation_tco2e", "t3"),
    ("art9_reduction_tco2e", "art9_reduction_tco2e", "t3"),
    ("certificates", "scen_certificates", "t3"),
    ("eu_levy_eur", "scen_eu_levy_eur", "eur0"),
    ("eu_levy_eur_per_t", "scen_eu_levy_eur_per_t", "eur2"),
    ("domestic_compliance_eur", "scen_domestic_compliance_eur", "eur0"),
    ("voluntary_ccer_eur", "scen_voluntary_ccer_eur", "eur0"),
    ("domestic_cost_eur", "scen_domestic_cost_eur", "eur0"),
    ("total_carbon_cost_eur", "scen_total_carbon_cost_eur", "eur0"),
    ("saving_vs_baseline_eur", "scen_saving_vs_baseline_eur", "eur0"),
    ("levy_saving_vs_baseline_eur", "scen_levy_saving_vs_baseline_eur", "eur0"),
    ("ccer_spend_cny", "scen_ccer_spend_cny", "cny0"),
    ("cny_per_eur", "scen_cny_per_eur", "fx"),
    ("levy_avoided_per_kcny", "scen_levy_avoided_per_kcny", "eur2"),
    ("net_saving_per_kcny", "scen_net_saving_per_kcny", "eur2"),
]
OVERVIEW = [
    ("scenario", "scen_scenario", "text"),
    ("years", "scen_years", "text"),
    ("eu_levy_eur", "scen_eu_levy_eur", "eur0"),
    ("domestic_cost_eur", "scen_domestic_cost_eur", "eur0"),
    ("total_carbon_cost_eur", "scen_total_carbon_cost_eur", "eur0"),
    ("saving_vs_baseline_eur", "scen_saving_vs_baseline_eur", "eur0"),
    ("levy_saving_vs_baseline_eur", "scen_levy_saving_vs_baseline_eur", "eur0"),
    ("ccer_spend_cny", "scen_ccer_spend_cny", "cny0"),
    ("certificates", "scen_certificates", "t3"),
    ("description", "scen_description", "text"),
]
BREAK_EVEN = [
    ("cn_code", "cn_code", "text"),
    ("scenarios", "scen_scenarios_of", "text"),
    ("year", "year", "year"),
    ("lines", "lines_short", "int"),
    ("break_even_cea_price_cny", "scen_break_even_price", "cny2"),
    ("note", "scen_note", "text"),
]
ACTUAL_VS_DEFAULT = [
    ("installation", "installation", "text"),
    ("year", "year", "year"),
    ("levy_actual_eur", "scen_levy_actual_eur", "eur2"),
    ("levy_default_eur", "scen_levy_default_eur", "eur2"),
    ("default_minus_actual_eur", "scen_default_minus_actual_eur", "eur2"),
    ("verification_cost_eur", "scen_verification_cost_eur", "eur2"),
    ("defaults_cost_more", "scen_defaults_cost_more", "text"),
]
PARAMETERS = [
    ("scenario", "scen_scenario", "text"),
    ("cea_price_cny", "scen_cea_price_cny", "cny2"),
    ("ccer_price_cny", "scen_ccer_price_cny", "cny2"),
    ("ccer_share", "scen_ccer_share", "pct"),
    ("ccer_use", "scen_ccer_use", "text"),
    ("allocation_gap", "scen_allocation_gap", "pct"),
    ("recognition", "scen_recognition", "text"),
    ("default_carbon_price_eur", "scen_default_carbon_price_eur", "eur2"),
    ("emissions", "scen_emissions", "text"),
    ("eua", "scen_eua_path", "text"),
    ("cbam_factor", "scen_schedule", "text"),
    ("description", "scen_description", "text"),
]
SHEETS = {  # label keys of the sheets, in their order ("Run" is read by name: never translated)
    "overview": "scen_sheet_overview",
    "levy": "scen_sheet_levy",
    "by_year": "scen_sheet_by_year",
    "break_even": "scen_sheet_break_even",
    "dva": "scen_sheet_dva",
    "instruments": "scen_sheet_instruments",
    "factor": "scen_sheet_factor",
    "assumptions": "scen_sheet_assumptions",
    "chart_data": "scen_sheet_chart_data",
    "data": "scen_sheet_data",
}
MAX_WIDTH = 60
HEADER_ONE_LINE = 24  # a header over this many columns wraps
# the 26 columns of Scenarios by year: headers over 14 columns wrap, so that it prints on 3 pages
# across at the 70 % floor instead of 4 (measured with LibreOffice); the Overview keeps them whole
BY_YEAR_HEADER_LINE = 14
# a Data sheet's keys wrap at their underscores on up to DATA_HEADER_LINES lines (was: one line,
# the column as wide as its key), so its 26 columns print on 2 pages across instead of 3
DATA_HEADER_LINES = 3
CHARTS_BELOW_UP_TO = 12  # scenarios: a longer overview table goes under the charts, not above


def sheet_name(key: str, lang: str = "en") -> str:
    """The name of a sheet of the scenario workbook (``SHEETS``) in ``lang``."""
    return label(SHEETS[key], lang)


def scenario_names(result, lang: str = "en") -> dict[str, str]:
    """Each scenario's name (its label, the key of the tables) as a report in ``lang`` shows it:
    a Chinese report the ``zh`` of the scenario file, or a name made of its parameters."""
    from cbam_calc.compute.scenarios import BASELINE_NAME

    out = {s.label(): _shown_name(s, lang) for s in result.scenario_set.scenarios}
    out.setdefault(BASELINE_NAME, label("scen_baseline_name", lang))
    return out


def _shown_name(s, lang: str) -> str:
    from cbam_calc.compute.scenario_set import REFERENCE
    from cbam_calc.law import proposals

    if lang != "zh":
        return s.label()
    schedule = proposals.cbam_factor_schedule(s.cbam_factor)
    suffix = "" if schedule.is_law else f" [{schedule.name_zh or schedule.name}]"
    if s.zh or s.name:
        return (s.zh or s.name) + suffix
    parts = [f"CEA {s.cea_price_cny:g} 元"]
    if s.ccer_share:
        use = label("scen_use_voluntary" if s.ccer_use == "voluntary" else "scen_use_compliance", lang)
        parts.append(f"CCER {s.ccer_share:.0%} @{s.ccer_price_cny:g} 元 {use}")
    parts.append(f"{label('scen_allocation_gap', lang)} {s.allocation_gap:.0%}")
    parts.append("予以认可" if s.recognition else "不予认可")
    if s.default_carbon_price_eur is not None:
        parts.append(f"{label('scen_default_carbon_price_eur', lang)} {s.default_carbon_price_eur:g}")
    if s.emissions == "default":
        parts.append(label("scen_emissions_default", lang))
    if s.eua != REFERENCE:
        parts.append(f"EUA {s.eua}")
    return "，".join(parts) + suffix


def rule_status_text(result, lang: str = "en") -> str:
    """What the figures rest on (the Art 9 draft, any proposal) in ``lang``."""
    from cbam_calc.law import art9

    if lang != "zh":
        return result.rule_status
    date, document = art9.draft_act()
    out = render(Message("M_INSTR_RULE_STATUS", date=date, document=document), lang)
    for k, v in result.assumptions.get("cbam_factor_schedules", {}).items():
        if k != "law":
            out += "；" + label(
                "scen_proposal_status",
                lang,
                label=_sched(k, v, "label", lang),
                name=_sched(k, v, "name", lang),
            )
    return out


def _schedule_names(result, lang: str) -> dict[str, str]:
    """A schedule's label (as the scenario table has it) -> how ``lang`` shows it."""
    out = {}
    for k, v in result.assumptions.get("cbam_factor_schedules", {}).items():
        out[v["label"]] = _sched(k, v, "name", lang) if lang == "zh" else v["label"]
    return out


def _price_status(text: str, lang: str) -> str:
    from cbam_calc.core.labels import price_status

    return ", ".join(price_status(s.strip(), lang) for s in str(text).split(",")) if lang == "zh" else text


def _eua_name(name: str, lang: str) -> str:
    from cbam_calc.compute.scenario_set import REFERENCE

    return label("scen_eua_reference", lang) if name == REFERENCE else name


def _yes_no(v, lang: str) -> str:
    return label("scen_yes" if bool(v) else "scen_no", lang)


def overview_frame(result, lang: str = "en") -> pd.DataFrame:
    """One row per scenario: totals over the years, names and descriptions in ``lang``; the
    baseline marked with '*'."""
    t = result.table
    g = t.groupby("scenario", sort=False)
    cols = [
        "eu_levy_eur",
        "domestic_cost_eur",
        "total_carbon_cost_eur",
        "saving_vs_baseline_eur",
        "levy_saving_vs_baseline_eur",
        "ccer_spend_cny",
        "certificates",
    ]
    out = g[cols].sum().reset_index()
    out["years"] = g["year"].agg(lambda y: f"{y.min()}-{y.max()}" if y.nunique() > 1 else str(y.min())).values
    params = {s.label(): s for s in result.scenario_set.scenarios}
    described = {
        k: (s.description_zh or s.description) if lang == "zh" else s.description for k, s in params.items()
    }
    out["description"] = [described.get(k, "") for k in out["scenario"]]
    names = scenario_names(result, lang)
    out["scenario"] = [names.get(k, k) + (" *" if k == result.baseline else "") for k in out["scenario"]]
    return out


def by_year_frame(result, lang: str = "en") -> pd.DataFrame:
    """The scenario table as the Scenarios by year sheet shows it (the CCER ratios per 1,000 CNY:
    a EUR per CNY figure like 0.0054 reads as 5.38 EUR per 1,000 CNY)."""
    t = result.table.copy()
    names = scenario_names(result, lang)
    t["scenario"] = [names.get(k, k) for k in t["scenario"]]
    schedules = _schedule_names(result, lang)
    t["cbam_factor_schedule"] = [schedules.get(v, v) for v in t["cbam_factor_schedule"]]
    t["eua"] = [_eua_name(v, lang) for v in t["eua"]]
    t["certificate_price_status"] = [_price_status(v, lang) for v in t["certificate_price_status"]]
    t["levy_avoided_per_kcny"] = t["levy_avoided_eur_per_cny_ccer"] * 1000
    t["net_saving_per_kcny"] = t["net_saving_eur_per_cny_ccer"] * 1000
    return t


def data_frame(result, lang: str = "en") -> pd.DataFrame:
    """The scenario table as the Data sheet holds it: every figure at full precision under the
    keys of --format json; in Chinese its texts (scenario, schedule, price path and status names)
    as the Scenarios by year sheet shows them."""
    if lang != "zh":
        return result.table
    return by_year_frame(result, lang)[list(result.table.columns)]


def _be_key(s) -> tuple:
    """A scenario's key into the break-even rows (compute.scenarios.BREAK_EVEN_KEY)."""
    from cbam_calc.compute.scenarios import BREAK_EVEN_KEY

    return tuple(getattr(s, c) for c in BREAK_EVEN_KEY)


def _be_note(note, lang: str) -> str:
    """A break-even note (a message of compute.scenarios.break_even_notes) in ``lang``."""
    return render(note, lang) if isinstance(note, str) and note else ""


def _be_notes(notes: pd.Series, lang: str) -> list[str]:
    """The notes of the break-even rows in ``lang``: each distinct note rendered once."""
    shown: dict = {}
    out = []
    for n in notes.tolist():
        key = (n, getattr(n, "code", None))  # a message and a plain text of the same English differ
        if key not in shown:
            shown[key] = _be_note(n, lang)
        out.append(shown[key])
    return out


def break_even_frame(result, lang: str = "en") -> pd.DataFrame:
    """The break-even table for reading: the scenarios each row stands for by name, notes in
    ``lang``, sorted by CN code, then scenario (in the order of the set), then year: an exporter
    looks up its product first, then compares the scenarios' prices for it."""
    be = result.break_even
    names = scenario_names(result, lang)
    groups: dict[tuple, list[str]] = {}
    for s in result.scenario_set.scenarios:
        if s.recognition:
            groups.setdefault(_be_key(s), []).append(names[s.label()])
    order = {k: i for i, k in enumerate(groups)}
    if not len(be):
        return pd.DataFrame(columns=[c for c, _, _ in BREAK_EVEN])
    from cbam_calc.compute.scenarios import BREAK_EVEN_KEY

    keys = list(be[BREAK_EVEN_KEY].itertuples(index=False, name=None))
    out = pd.DataFrame(
        {
            "cn_code": be["cn_code"].astype(str).to_numpy(),
            "scenarios": ["; ".join(groups.get(k, [])) for k in keys],
            "_order": [order.get(k, len(order)) for k in keys],
            "year": be["year"].to_numpy(),
            "lines": be["lines"].to_numpy(),
            "break_even_cea_price_cny": be["break_even_cea_price_cny"].to_numpy(dtype=float),
            "note": _be_notes(be["note"], lang),
        }
    )
    out = out.sort_values(["cn_code", "_order", "year"], kind="stable").drop(columns="_order")
    out["cn_code"] = [_cn_shown(c) for c in out["cn_code"]]
    return out.reset_index(drop=True)


def _cn_shown(code: str) -> str:
    """A CN code as the Combined Nomenclature prints it: '7208 38 00'."""
    c = str(code)
    return (
        f"{c[:4]} {c[4:6]} {c[6:8]}{(' ' + c[8:]) if len(c) > 8 else ''}"
        if c.isdigit() and len(c) >= 8
        else c
    )


def dva_frame(result, lang: str = "en") -> pd.DataFrame:
    t = result.default_vs_actual.copy()
    if len(t):
        t["defaults_cost_more"] = [_yes_no(v, lang) for v in t["defaults_cost_more"]]
    return t


def parameters_frame(result, lang: str = "en") -> pd.DataFrame:
    names = scenario_names(result, lang)
    schedules = {
        k: (label("scen_law", lang) if k == "law" else _sched(k, v, "name", lang))
        for k, v in result.assumptions.get("cbam_factor_schedules", {}).items()
    }
    rows = []
    for s in result.scenario_set.scenarios:
        use = "scen_use_voluntary" if s.ccer_use == "voluntary" else "scen_use_compliance"
        rows.append(
            {
                "scenario": names[s.label()],
                "cea_price_cny": s.cea_price_cny,
                "ccer_price_cny": s.ccer_price_cny,
                "ccer_share": s.ccer_share,
                "ccer_use": label(use, lang),
                "allocation_gap": s.allocation_gap,
                "recognition": _yes_no(s.recognition, lang),
                "default_carbon_price_eur": s.default_carbon_price_eur,
                "emissions": label(f"scen_emissions_{s.emissions}", lang),
                "eua": _eua_name(s.eua, lang),
                "cbam_factor": schedules.get(s.cbam_factor, s.cbam_factor),
                "description": (s.description_zh or s.description) if lang == "zh" else s.description,
            }
        )
    return pd.DataFrame(rows, columns=[c for c, _, _ in PARAMETERS])


def same_series(frame: pd.DataFrame, decimals: int = 0) -> list[list[str]]:
    """The columns of ``frame`` grouped where their figures are equal to ``decimals`` (a chart
    draws each group once): groups in the order of their first column."""
    groups: dict[tuple, list[str]] = {}
    for c in frame.columns:
        values = frame[c].to_numpy(dtype=float)
        key = tuple(None if v != v else round(float(v), decimals) + 0.0 for v in values)
        groups.setdefault(key, []).append(c)
    return list(groups.values())


def _cell_value(v, kind: str):
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if kind == "text" or isinstance(v, str):
        return v  # text as given; a number in a text column stays a number
    if kind == "year":
        return int(v)
    if isinstance(v, bool):
        return v
    decimals = KINDS[kind][1]
    out = round(float(v), decimals) + 0.0  # no -0
    return int(out) if decimals == 0 else out


def _write_table(
    ws,
    frame: pd.DataFrame,
    spec: list,
    lang: str,
    start_row: int = 1,
    freeze: bool = True,
    header_line: int = HEADER_ONE_LINE,
) -> int:
    """``frame``'s columns of ``spec`` ((column, label key, kind)) under human headers in ``lang``,
    each figure rounded to what its format shows; columns wide enough for header and figures (CJK
    counted double). Returns the last row written."""
    from openpyxl.styles import Alignment, Font

    from cbam_calc.outputs.text import _width

    spec = [x for x in spec if x[0] in frame.columns]
    widths = []
    for j, (col, key, kind) in enumerate(spec, start=1):
        head = label(key, lang)
        cell = ws.cell(row=start_row, column=j, value=head)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        values = [_cell_value(v, kind) for v in frame[col].tolist()]
        fmt = KINDS[kind][0] if kind in KINDS else None
        shown = 0
        for i, v in enumerate(values, start=start_row + 1):
            c = ws.cell(row=i, column=j, value=v)
            if fmt and isinstance(v, (int, float)) and not isinstance(v, bool):
                c.number_format = fmt
            if i < start_row + 300 and v is not None:
                shown = max(
                    shown,
                    _width(
                        f"{v:,.{KINDS[kind][1]}f}"
                        if fmt and kind != "year" and isinstance(v, (int, float)) and not isinstance(v, bool)
                        else str(v)
                    ),
                )
        width = min(max(10, shown + 3, min(_width(head), header_line) + 2), MAX_WIDTH)
        ws.column_dimensions[cell.column_letter].width = width
        widths.append((_width(head), width))
    lines = max((-(-w // max(1, int(cw) - 1)) for w, cw in widths), default=1)
    ws.row_dimensions[start_row].height = 15 * max(1, lines)
    if freeze:
        ws.freeze_panes = ws.cell(row=start_row + 1, column=2)
    return start_row + len(frame)


def _write_data(ws, df: pd.DataFrame) -> None:
    """A Data sheet: the table as computed, full precision, under its keys (years as plain
    integers)."""
    from openpyxl.styles import Alignment, Font

    from cbam_calc.outputs.xlsx_book import wrapped_lines

    lines = 1
    for j, c in enumerate(df.columns, start=1):
        cell = ws.cell(row=1, column=j, value=str(c))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        words = str(c).replace("_", "_ ").split()
        width = max(12, max(map(len, words), default=0) + 2, -(-len(str(c)) // DATA_HEADER_LINES) + 2)
        ws.column_dimensions[cell.column_letter].width = min(width, 48)
        lines = max(lines, wrapped_lines(str(c).replace("_", "_ "), width))
    ws.row_dimensions[1].height = 15 * lines
    for i, row in enumerate(df.itertuples(index=False, name=None), start=2):
        for j, (c, v) in enumerate(zip(df.columns, row), start=1):
            if isinstance(v, float) and np.isnan(v):
                v = None
            elif isinstance(v, np.generic):
                v = v.item()
            cell = ws.cell(row=i, column=j, value=v)  # text made safe by protect_cells
            if c == "year" and isinstance(v, int):
                cell.number_format = "0"
    ws.freeze_panes = "A2"


def _place(ws, chart, row: int, x_cm: float) -> None:
    """Put ``chart`` at ``x_cm`` from the sheet's left edge, its top at ``row``: an absolute
    position, so charts side by side never overlap nor drift apart however a spreadsheet program
    measures column widths (rows are the 15 points openpyxl writes, or the height set)."""
    from openpyxl.drawing.spreadsheet_drawing import AbsoluteAnchor
    from openpyxl.drawing.xdr import XDRPoint2D, XDRPositiveSize2D
    from openpyxl.utils.units import cm_to_EMU, pixels_to_EMU

    points = sum((ws.row_dimensions[r].height or 15) for r in range(1, row))
    y = int(points * 12700)
    ext = XDRPositiveSize2D(cm_to_EMU(chart.width), cm_to_EMU(chart.height))
    chart.anchor = AbsoluteAnchor(pos=XDRPoint2D(cm_to_EMU(x_cm) + pixels_to_EMU(4), y), ext=ext)
    ws.add_chart(chart)


def _text_categories(chart, ref) -> None:
    """Categories read as text (openpyxl's set_categories writes a number reference): years
    2026, never 2,026, and scenario names, in every spreadsheet program."""
    from openpyxl.chart.data_source import AxDataSource, StrRef

    for series in chart.series:
        series.cat = AxDataSource(strRef=StrRef(f=str(ref)))


def _write_charts(wb, ws, result, lang: str, anchor_row: int) -> int:
    """The charts of the Overview, drawn from the Chart data sheet: the EU levy by year (scenarios
    with the same levy to the euro drawn once, their names joined), and beside it two panels of
    the totals over the years, EU levy and domestic carbon cost, each on its own axis (the
    domestic cost, a few per cent of the levy, is lost on the levy's axis). Returns the rows the
    charts take."""
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.styles import Font

    from cbam_calc.outputs.text import _width

    names = scenario_names(result, lang)
    data = wb.create_sheet(sheet_name("chart_data", lang))
    data.cell(row=1, column=1, value=label("scen_chart_data_note", lang)).font = Font(italic=True)

    pivot = levy_by_year(result)
    shown = chart_scenarios(result)
    groups = same_series(pivot[shown], 0)
    top = 3
    data.cell(row=top, column=1, value=label("scen_axis_year", lang)).font = Font(bold=True)
    for j, g in enumerate(groups, start=2):
        data.cell(row=top, column=j, value=" / ".join(names.get(n, n) for n in g)).font = Font(bold=True)
    for i, y in enumerate(pivot.index, start=top + 1):
        data.cell(row=i, column=1, value=str(y))  # text categories: an axis never shows 2,026
        for j, g in enumerate(groups, start=2):
            c = data.cell(row=i, column=j, value=round(float(pivot.loc[y, g[0]])))
            c.number_format = "#,##0"
    last = top + len(pivot)
    data.column_dimensions["A"].width = 12
    for j in range(2, len(groups) + 2):
        data.column_dimensions[data.cell(row=top, column=j).column_letter].width = 30

    line = LineChart()
    line.title = (
        label("scen_chart_levy", lang)
        if len(shown) == pivot.shape[1]
        else label("scen_chart_levy_some", lang, shown=len(shown), total=pivot.shape[1])
    )
    line.y_axis.title = label("scen_axis_eur", lang)
    line.x_axis.title = label("scen_axis_year", lang)
    line.y_axis.number_format = "#,##0"
    line.add_data(
        Reference(data, min_col=2, max_col=1 + len(groups), min_row=top, max_row=last), titles_from_data=True
    )
    _text_categories(line, Reference(data, min_col=1, min_row=top + 1, max_row=last))
    line.x_axis.delete = line.y_axis.delete = False
    line.legend.position = "r"
    # the legend (names joined) beside the plot: the chart grows with it, the plot keeps its room
    legend_lines = sum(-(-_width(" / ".join(names.get(n, n) for n in g)) // 45) for g in groups)
    line.height, line.width = max(9.0, 0.42 * legend_lines + 2), 24
    _place(ws, line, anchor_row, 0)

    summary = _charted_first(scenario_summary(result), result)
    summary = summary[summary["scenario"].isin(shown)]
    pairs = same_series(summary.set_index("scenario")[["eu_levy_eur", "domestic_cost_eur"]].T, 0)
    totals = summary.set_index("scenario")
    top2 = last + 3
    heads = [
        label("scen_scenarios", lang),
        label("scen_chart_levy_total", lang),
        label("scen_chart_domestic_total", lang),
    ]
    for j, h in enumerate(heads, start=1):
        data.cell(row=top2, column=j, value=h).font = Font(bold=True)
    for i, g in enumerate(pairs, start=top2 + 1):
        data.cell(row=i, column=1, value=" / ".join(names.get(n, n) for n in g))
        for j, col in ((2, "eu_levy_eur"), (3, "domestic_cost_eur")):
            data.cell(row=i, column=j, value=round(float(totals.loc[g[0], col]))).number_format = "#,##0"
    last2 = top2 + len(pairs)
    data.column_dimensions["A"].width = 60

    longest = max((_width(" / ".join(names.get(n, n) for n in g)) for g in pairs), default=10)
    height = max(line.height, 0.9 * len(pairs) + 3)
    bar_width = 14 if longest <= 60 else 18
    x = line.width + 0.5
    for j, key in ((2, "scen_chart_levy_total"), (3, "scen_chart_domestic_total")):
        bar = BarChart()
        bar.type = "bar"
        bar.title = label(key, lang)
        bar.add_data(Reference(data, min_col=j, min_row=top2, max_row=last2), titles_from_data=True)
        _text_categories(bar, Reference(data, min_col=1, min_row=top2 + 1, max_row=last2))
        bar.x_axis.scaling.orientation = "maxMin"  # the first scenario on top, as in the tables
        bar.y_axis.number_format = "#,##0"
        bar.y_axis.scaling.min = 0  # a bar from zero: a cut axis would magnify a 0.1 % difference
        bar.x_axis.delete = bar.y_axis.delete = False
        bar.legend = None
        bar.height, bar.width = height, bar_width
        _place(ws, bar, anchor_row, x)
        x += bar.width + 0.5
    return int(max(line.height, height) / 0.53) + 2  # rows of 15 points (0.53 cm)


def write_scenario_xlsx(
    result,
    path: str | Path,
    *,
    lang: str = "en",
    inputs: Iterable[str] = (),
    force: bool = False,
    record: dict | None = None,
) -> Path:
    """The scenario workbook in ``lang``: the Overview (totals per scenario and the charts on its
    first screen), then the tables for reading (human headers, figures rounded to what they show),
    the assumptions, the charts' data and the Data sheet of the scenario table at full precision. ``record``
    (run_record.make_scenario_record) adds the Run sheet that ``cbam calc --check`` reads; it
    records ``lang``, so the check renders the workbook again in the same language."""
    import openpyxl
    from openpyxl.styles import Font

    def write(tmp: Path) -> None:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = sheet_name("overview", lang)
        ws.cell(row=1, column=1, value=label("scen_title", lang)).font = Font(bold=True, size=14)
        ws.cell(row=2, column=1, value=rule_status_text(result, lang))
        from cbam_calc.law.inventory import reference_data_as_of
        from cbam_calc.law.reference import reference_data

        ws.cell(row=3, column=1, value=label("reference_as_of", lang))
        ws.cell(row=3, column=2, value=reference_data_as_of(reference_data()).date or "")
        ws.cell(row=4, column=1, value=label("scen_data_note", lang)).font = Font(italic=True)
        overview = overview_frame(result, lang)
        table_row = 5
        charts_first = len(overview) > CHARTS_BELOW_UP_TO
        # widths first: the charts are placed by them
        end = _write_table(ws, overview, OVERVIEW, lang, start_row=table_row, freeze=False)
        if charts_first:
            ws.delete_rows(table_row, end - table_row + 1)
            rows = _write_charts(wb, ws, result, lang, table_row)
            end = _write_table(ws, overview, OVERVIEW, lang, start_row=table_row + rows, freeze=False)
            ws.cell(row=end + 1, column=1, value=label("scen_baseline_mark", lang))
        else:
            ws.cell(row=end + 1, column=1, value=label("scen_baseline_mark", lang))
            _write_charts(wb, ws, result, lang, end + 3)

        ws = wb.create_sheet(sheet_name("levy", lang), 1)
        pivot = levy_by_year(result)
        names = scenario_names(result, lang)
        levy = pivot.reset_index()
        spec = [("year", "year", "year")]
        for c in pivot.columns:
            key = f"_scen_{len(spec)}"
            spec.append((c, key, "eur0"))
        _write_levy(ws, levy, spec, names, lang)

        ws = wb.create_sheet(sheet_name("by_year", lang), 2)
        _write_table(ws, by_year_frame(result, lang), BY_YEAR, lang, header_line=BY_YEAR_HEADER_LINE)
        ws = wb.create_sheet(sheet_name("break_even", lang), 3)
        _write_table(ws, break_even_frame(result, lang), BREAK_EVEN, lang)
        ws = wb.create_sheet(sheet_name("dva", lang), 4)
        _write_table(ws, dva_frame(result, lang), ACTUAL_VS_DEFAULT, lang)
        at = 5
        if result.instruments is not None:
            _write_instruments(wb.create_sheet(sheet_name("instruments", lang), at), result, lang)
            at += 1
        factors = schedules_frame(result)
        if factors.shape[1] > 2:  # a proposal beside the law's schedule
            ws = wb.create_sheet(sheet_name("factor", lang), at)
            at += 1
            schedules = result.assumptions["cbam_factor_schedules"]
            shown = {v["name"]: _sched(k, v, "name", lang) for k, v in schedules.items()}
            frame = factors.rename(columns={c: shown.get(c, c) for c in factors.columns})
            spec = [("year", "year", "year")] + [(c, None, "ratio") for c in frame.columns[1:]]
            _write_levy(ws, frame, spec, {}, lang)
            for i, (k, v) in enumerate(schedules.items(), start=len(factors) + 3):
                ws.cell(row=i, column=1, value=f"{_sched(k, v, 'name', lang)}: {_sched(k, v, 'label', lang)}")

        ws = wb.create_sheet(sheet_name("assumptions", lang), at)
        _write_assumptions(ws, result, lang)
        # the Chart data sheet was made with the charts: after the assumptions, then the Data
        wb.move_sheet(
            wb[sheet_name("chart_data", lang)],
            offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(sheet_name("chart_data", lang)),
        )
        _write_data(wb.create_sheet(sheet_name("data", lang)), data_frame(result, lang))
        if record is not None:
            from cbam_calc.outputs.run_sheet import write_run_sheet

            write_run_sheet(wb, {**record, "lang": lang}, lang=lang)
        protect_cells(wb)  # every text cell: scenario, baseline and installation names are any text
        print_setup(wb)  # A4, fitted, headers repeated: as every workbook (xlsx_book)
        wb.save(tmp)

    return atomic_write(path, write, inputs=inputs, force=force)


def _write_levy(ws, frame: pd.DataFrame, spec: list, names: dict, lang: str) -> None:
    """A table whose headers are names (scenarios, schedules), not labels: the year and a column
    of each."""
    from openpyxl.styles import Alignment, Font

    from cbam_calc.outputs.text import _width

    for j, (col, key, kind) in enumerate(spec, start=1):
        head = label(key, lang) if key and not key.startswith("_") else names.get(col, col)
        cell = ws.cell(row=1, column=j, value=head)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        fmt = KINDS[kind][0]
        for i, v in enumerate(frame[col].tolist(), start=2):
            c = ws.cell(row=i, column=j, value=_cell_value(v, kind))
            if c.value is not None:
                c.number_format = fmt
        ws.column_dimensions[cell.column_letter].width = 10 if kind == "year" else 22
    longest = max((_width(str(ws.cell(row=1, column=j).value)) for j in range(1, len(spec) + 1)), default=10)
    ws.row_dimensions[1].height = 15 * max(1, -(-longest // 20))
    ws.freeze_panes = "B2"


def _write_assumptions(ws, result, lang: str) -> None:
    from openpyxl.styles import Font

    ws["A1"] = rule_status_text(result, lang)
    rows = [(label("scen_parameter", lang), label("scen_value", lang))]
    for k, v in result.assumptions.items():
        rows.append((_assumption_name(k, lang), _assumption_value(result, k, v, lang)))
    for i, (k, v) in enumerate(rows, start=3):
        ws.cell(row=i, column=1, value=k)
        ws.cell(row=i, column=2, value=v)
    ws["A3"].font = ws["B3"].font = Font(bold=True)
    params = parameters_frame(result, lang)
    start = len(rows) + 5
    _write_table(ws, params, PARAMETERS, lang, start_row=start, freeze=False)
    ws.column_dimensions["A"].width = 50
    ws.column_dimensions["B"].width = max(ws.column_dimensions["B"].width or 0, 16)
    for msg_i, msg in enumerate(result.warnings, start=start + len(params) + 3):
        ws.cell(row=msg_i, column=1, value=render(msg, lang))


def _assumption_name(key: str, lang: str) -> str:
    """An assumption's name: its key (as --format json names it), in Chinese its label."""
    name = f"scen_assume_{key}"
    return label(name, lang) if lang == "zh" and name in LABELS else key


def _assumption_value(result, key: str, value, lang: str):
    """An assumption's value as the Assumptions sheet shows it in ``lang``: lists and tables as
    JSON in English, in words in Chinese; messages rendered, the rule status, the as-of date, the
    baseline's name and yes or no in that language (numbers as they are)."""
    if isinstance(value, (dict, list)):  # in Chinese in words (outputs.scenario_assumptions)
        if lang == "zh" and key == "instrument_comparison":
            return Message("M_SCEN_SEE_SHEET", sheet=sheet_name("instruments", lang)).text(lang)
        shown = structured_value(key, value, lang)
        return json.dumps(_plain(value), ensure_ascii=False) if shown is None else shown
    if lang != "zh":
        return value
    if isinstance(value, bool):
        return label("scen_yes" if value else "scen_no", lang)
    if key == "de_minimis":
        return de_minimis_choice(value, lang)
    if key == "rule_status":
        return rule_status_text(result, lang)
    if key == "reference_data_as_of":
        return _as_of_text(result, lang)
    if key == "baseline":
        return scenario_names(result, lang).get(value, value)
    return render(value, lang) if isinstance(value, Message) else value


def _instrument_kind(column: str) -> str:
    """How a column of the instrument comparison reads (``KINDS``): per installation and year,
    money and prices to the cent, tonnes to 3 decimals."""
    if column == "year":
        return "year"
    if column == "lines":
        return "int"
    if column.endswith(("_cny", "_usd", "_eur")) or "price" in column:
        return "eur2"
    if column.endswith("_tco2e"):
        return "t3"
    return "text"


def _write_instruments(ws, result, lang: str = "en") -> None:
    """The comparison sheet: what it rests on (the Art 9 draft, the price assumptions), then the
    table under its headers: an English workbook in English and Chinese (the message catalogue),
    a Chinese one in Chinese; figures rounded to what their format shows."""
    from openpyxl.styles import Font

    langs = ("en", "zh") if lang == "en" else ("zh",)
    lines = [instrument_preamble(result, lg) for lg in langs]
    row = 1
    for group in zip(*lines):
        for text in group:
            ws.cell(row=row, column=1, value=text)
            row += 1
    row += 1
    frame = instruments_frame(result, lang)
    if lang == "en":
        frame.insert(1, "option_zh", [option_name(result, v, "zh") for v in result.instruments["option"]])
    for j, c in enumerate(frame.columns, start=1):
        key = "option" if c == "option_zh" else c
        for k, lg in enumerate(langs):
            h = ws.cell(row=row + k, column=j, value=instrument_header(key, lg))
            h.font = Font(bold=True)
        ws.column_dimensions[h.column_letter].width = min(max(12, len(instrument_header(key, "en")) + 2), 48)
    first = row + len(langs)
    for i, values in enumerate(frame.itertuples(index=False, name=None), start=first):
        for j, (c, v) in enumerate(zip(frame.columns, values), start=1):
            kind = _instrument_kind(str(c))
            value = v if isinstance(v, (str, bool)) else _cell_value(v, kind)
            cell = ws.cell(row=i, column=j, value=value)
            if kind in KINDS and isinstance(value, (int, float)) and not isinstance(value, bool):
                cell.number_format = KINDS[kind][0]
    ws.freeze_panes = ws.cell(row=first, column=3)


# ---------------------------------------------------------------------------- png
PNG_NAMES = ("levy_by_year.png", "cost_split.png")


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        from cbam_calc.core.errors import OptionError
        from cbam_calc.core.messages import Message

        raise OptionError(Message("E_PNG_NEEDS_MATPLOTLIB")) from None
    return plt


def check_png_output(folder: str | Path, *, force: bool = False, inputs: Iterable[str | Path] = ()) -> None:
    """Raise unless :func:`write_scenario_png` can write into ``folder``: matplotlib imports, the
    folder is a folder (or can be made), no chart is an input or exists without ``force``, and
    files can be created there. Called before anything is computed or written, so a missing
    matplotlib does not leave the scenario workbook written and the charts not."""
    from cbam_calc.core.errors import OutputError
    from cbam_calc.core.messages import Message
    from cbam_calc.outputs.writers import check_output, check_writable, refuse_inputs

    _pyplot()
    out = Path(folder)
    inputs = list(inputs)
    if out.exists() and not out.is_dir():
        raise OutputError(Message("E_PNG_IS_FILE", path=str(out)))
    if out.is_dir():
        for name in PNG_NAMES:
            check_output(out / name, inputs, force)
        return
    for name in PNG_NAMES:
        refuse_inputs(out / name, inputs)
    parent = out.resolve().parent
    while not parent.exists():  # the folder is made with its parents: the nearest one that exists
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(Message("E_PNG_PARENT_IS_FILE", path=str(out), parent=str(parent)))
    check_writable(parent, out)


# fonts with the Chinese glyphs, by the names matplotlib knows them (fc-list): a Chinese chart is
# drawn in the first one installed, DejaVu Sans (matplotlib's own) behind it for Latin and digits
CJK_FONTS = (
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "Arial Unicode MS",
)


def cjk_font() -> str | None:
    """The first font of ``CJK_FONTS`` matplotlib finds on this machine (None: none)."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def chart_language(result, lang: str) -> tuple[str, dict]:
    """The language the PNG charts are drawn in and matplotlib's font settings for it: Chinese in
    a CJK font (``cjk_font``); where none is installed, English (a Chinese text would be drawn as
    boxes) and the result's warnings say so (W_CHART_NO_CJK_FONT)."""
    if lang != "zh":
        return lang, {}
    font = cjk_font()
    if font is None:
        warning = Message("W_CHART_NO_CJK_FONT", fonts=", ".join(CJK_FONTS[:3]))
        if warning not in result.warnings:
            result.warnings.append(warning)
        return "en", {}
    return lang, {"font.family": "sans-serif", "font.sans-serif": [font, "DejaVu Sans"]}


def write_scenario_png(
    result,
    folder: str | Path,
    *,
    lang: str = "en",
    force: bool = False,
    inputs: Iterable[str | Path] = (),
) -> list[Path]:
    """The same two charts as PNG images (``PNG_NAMES`` in ``folder``), for slides, in ``lang``
    (titles, axes, legends, scenario names; Chinese needs a CJK font: :func:`chart_language`);
    needs matplotlib: cbam-calc[charts]."""
    plt = _pyplot()
    from cbam_calc.outputs.writers import refuse_inputs, write_failed

    out = Path(folder)
    inputs = list(inputs)
    for name in PNG_NAMES:  # the folder may hold inputs: only these files are written
        refuse_inputs(out / name, inputs)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise write_failed(out, e) from None
    lang, fonts = chart_language(result, lang)
    with plt.rc_context(fonts):
        figures = chart_figures(result, lang)
        written = [_save(fig, out / name, force, inputs) for fig, name in zip(figures, PNG_NAMES)]
    plt.close("all")
    return written


def chart_figures(result, lang: str = "en") -> list:
    """The matplotlib figures of :data:`PNG_NAMES` in ``lang`` (the fonts set by the caller): the
    EU levy by year, and the totals of the EU levy and the domestic cost on two panels."""
    plt = _pyplot()
    names = scenario_names(result, lang)
    status = rule_status_text(result, lang)
    pivot = levy_by_year(result)
    shown = chart_scenarios(result)
    fig, ax = plt.subplots(figsize=(11, 6.5), dpi=120)
    if len(shown) < pivot.shape[1]:
        ax.fill_between(
            pivot.index,
            pivot.min(axis=1) / 1e3,
            pivot.max(axis=1) / 1e3,
            alpha=0.15,
            label=label("scen_png_range", lang, n=pivot.shape[1]),
        )
    for group in same_series(pivot[shown], 0):  # scenarios with the same levy: one line, named all
        ax.plot(
            pivot.index,
            pivot[group[0]] / 1e3,
            marker="o",
            linewidth=2.2 if result.baseline in group else 1.2,
            label=" / ".join(names.get(n, n) for n in group),
        )
    ax.set_title(label("scen_png_levy", lang))
    ax.set_xlabel(label("scen_axis_year", lang))
    ax.set_ylabel(label("scen_png_keur", lang))
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:.0f}")  # 2026, never 2,026 or 2.026e3
    ax.set_xticks(list(pivot.index))
    ax.grid(alpha=0.3)
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:,.0f}")
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=1)  # names joined
    fig.text(0.01, 0.01, status, fontsize=6)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    figures = [fig]

    summary = _charted_first(scenario_summary(result), result).head(len(shown)).set_index("scenario")
    groups = same_series(summary[["eu_levy_eur", "domestic_cost_eur"]].T, 0)
    labels = [" / ".join(names.get(n, n) for n in g) for g in groups]
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 0.6 * len(groups) + 2.2), dpi=120, sharey=True)
    y = np.arange(len(groups))
    # each on its own axis: the domestic cost, a few per cent of the levy, is lost on the levy's
    left.barh(y, [summary.loc[g[0], "eu_levy_eur"] / 1e3 for g in groups], color="#1f77b4")
    right.barh(y, [summary.loc[g[0], "domestic_cost_eur"] / 1e3 for g in groups], color="#ff7f0e")
    left.set_yticks(y, labels, fontsize=7)
    left.invert_yaxis()
    left.set_title(label("scen_png_levy_total", lang), fontsize=9)
    right.set_title(label("scen_png_domestic_total", lang), fontsize=9)
    for ax in (left, right):
        ax.grid(axis="x", alpha=0.3)
        ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:,.0f}")
    total = len(result.table["scenario"].unique())
    if len(summary) < total:
        fig.suptitle(label("scen_png_some", lang, shown=len(summary), total=total), fontsize=8)
    fig.text(0.01, 0.01, status, fontsize=6)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    figures.append(fig)
    return figures


def _charted_first(summary: pd.DataFrame, result) -> pd.DataFrame:
    shown = chart_scenarios(result)
    rank = {name: i for i, name in enumerate(shown)}
    key = summary["scenario"].map(lambda s: rank.get(s, len(rank)))
    return summary.assign(_k=key).sort_values("_k", kind="stable").drop(columns="_k")


def _save(fig, path: Path, force: bool, inputs: Iterable[str | Path] = ()) -> Path:
    return atomic_write(path, lambda tmp: fig.savefig(tmp, format="png"), inputs=inputs, force=force)
