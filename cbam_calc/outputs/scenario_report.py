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

from cbam_calc.core.messages import Message, message_fields, render
from cbam_calc.outputs.text import _pad, _width
from cbam_calc.outputs.writers import atomic_write, protect_cells
from cbam_calc.outputs.xlsx_book import print_setup

MAX_TEXT_SCENARIOS = 8
MAX_CHART_SCENARIOS = 8

ZH = {
    "Scenario": "情景",
    "EU levy EUR": "欧盟碳关税（欧元）",
    "domestic EUR": "国内碳成本（欧元）",
    "total EUR": "总碳成本（欧元）",
    "saving vs baseline EUR": "相对基准节省（欧元）",
    "EU levy by year, EUR": "各年欧盟碳关税（欧元）",
    "year": "年份",
    "Break-even CEA price for zero EU levy, CNY/tCO2e": (
        "使欧盟碳关税为零的全国碳市场配额盈亏平衡价格（元/吨）"
    ),
    "Defaults cost more than verified actual data from": "默认值成本开始高于核查实际数据的年份",
    "never": "从不",
    "CBAM factor by year": "各年CBAM系数",
}


def _t(text: str, lang: str) -> str:
    return ZH.get(text, text) if lang == "zh" else text


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
    out = [f"{result.rule_status}"]
    if result.assumptions.get("reference_data_as_of"):
        out.append(result.assumptions["reference_data_as_of"])
    out.append("")
    summary = scenario_summary(result)
    head = [
        _t("Scenario", lang),
        _t("EU levy EUR", lang),
        _t("domestic EUR", lang),
        _t("total EUR", lang),
        _t("saving vs baseline EUR", lang),
    ]
    rows = [
        [
            r.scenario + (" *" if r.scenario == result.baseline else ""),
            f"{r.eu_levy_eur:,.0f}",
            f"{r.domestic_cost_eur:,.0f}",
            f"{r.total_carbon_cost_eur:,.0f}",
            f"{r.saving_vs_baseline_eur:,.0f}",
        ]
        for r in summary.itertuples()
    ]
    years = result.table["year"]
    out.append(f"{len(summary)} scenario(s), years {years.min()}-{years.max()}; * = baseline")
    out.extend(_table([head, *rows]))
    out.append("")
    pivot = levy_by_year(result)
    shown = list(pivot.columns[:MAX_TEXT_SCENARIOS])
    out.append(
        _t("EU levy by year, EUR", lang)
        + (
            ""
            if len(pivot.columns) <= MAX_TEXT_SCENARIOS
            else f" (first {MAX_TEXT_SCENARIOS} scenarios; all in -o scenario.xlsx / --format json)"
        )
    )
    legend = {name: f"S{i + 1}" for i, name in enumerate(shown)}
    head = [_t("year", lang), *legend.values()]
    rows = [[str(y), *(f"{pivot.loc[y, c]:,.0f}" for c in shown)] for y in pivot.index]
    out.extend(_table([head, *rows]))
    out.extend(f"  {code} = {name}" for name, code in legend.items())
    out.extend(schedules_text(result, lang))
    be = result.break_even
    if len(be):
        out.append("")
        out.append(_t("Break-even CEA price for zero EU levy, CNY/tCO2e", lang))
        names = {k: v["name"] for k, v in result.assumptions.get("cbam_factor_schedules", {}).items()}
        for keys, g in be.groupby(
            ["allocation_gap", "ccer_share", "ccer_use", "emissions", "eua", "cbam_factor"], sort=False
        ):
            gap, share, use, em, eua, factor = keys
            vals = g["break_even_cea_price_cny"].dropna()
            under = f", CBAM factor {names.get(factor, factor)}" if factor != "law" else ""
            desc = f"  gap {gap:.0%}, CCER {share:.0%} {use}, {em} emissions, EUA {eua}{under}: "
            codes = g["cn_code"].nunique()
            reachable = g.dropna(subset=["break_even_cea_price_cny"])["cn_code"].nunique()
            if vals.empty:
                notes = "; ".join(sorted({n for n in g["note"] if n})) or "not reachable"
                out.append(desc + notes)
                continue
            by_year = g.groupby("year")["break_even_cea_price_cny"].agg(["min", "max"])
            spans = [
                f"{y}: {by_year.loc[y, 'min']:,.0f}-{by_year.loc[y, 'max']:,.0f}"
                for y in sorted({by_year.index.min(), by_year.index.max()})
            ]
            out.append(
                desc + "; ".join(spans) + f" (range over {reachable} of {codes} CN codes; the others are on "
                "default values or need no allowance)"
                if reachable < codes
                else desc + "; ".join(spans) + " (range over CN codes)"
            )
    if len(result.default_vs_actual):
        from cbam_calc.compute.scenarios import crossover_years

        out.append("")
        cost = result.scenario_set.verification_cost_eur
        out.append(
            _t("Defaults cost more than verified actual data from", lang)
            + f" (verification cost {cost:,.0f} EUR a year):"
        )
        for inst, year in crossover_years(result.default_vs_actual).items():
            out.append(f"  {inst}: {year if year is not None else _t('never', lang)}")
    if result.instruments is not None:
        out.extend(instruments_text(result, lang))
    if result.warnings:
        out.append("")
        out.extend(f"- {render(w, lang)}" for w in result.warnings)
    return "\n".join(out)


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
    for c in ("treatment", "note"):
        t[c] = [render(v, lang) if v else "" for v in t[c].tolist()]
    t["option"] = [option_name(result, v, lang) for v in t["option"].tolist()]
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
        out.append(f"({len(shown)} rows by installation and year: all in -o scenario.xlsx / --format json)")
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
    out = ["", _t("CBAM factor by year", lang) + ": " + "; ".join(v["label"] for v in schedules.values())]
    head = [_t("year", lang), *(v["name"] for v in schedules.values())]
    years = list(next(iter(schedules.values()))["by_year"])
    rows = [[str(y), *(f"{v['by_year'][y]:g}" for v in schedules.values())] for y in years]
    out.extend(_table([head, *rows]))
    return out


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
def _write_frame(ws, df: pd.DataFrame, start_row: int = 1, formats: dict | None = None) -> None:
    from openpyxl.styles import Font

    from cbam_calc.outputs.xlsx import number_format

    for j, c in enumerate(df.columns, start=1):
        cell = ws.cell(row=start_row, column=j, value=str(c))
        cell.font = Font(bold=True)
        ws.column_dimensions[cell.column_letter].width = min(max(12, len(str(c)) + 2), 48)
    for i, row in enumerate(df.itertuples(index=False, name=None), start=start_row + 1):
        for j, (c, v) in enumerate(zip(df.columns, row), start=1):
            if isinstance(v, float) and np.isnan(v):
                v = None
            elif isinstance(v, np.generic):
                v = v.item()
            cell = ws.cell(row=i, column=j, value=v)  # text made safe by protect_cells
            fmt = (formats or {}).get(c) or number_format(str(c))
            if fmt and isinstance(v, (int, float)) and not isinstance(v, bool):
                cell.number_format = fmt
    ws.freeze_panes = ws.cell(row=start_row + 1, column=1)


def write_scenario_xlsx(
    result, path: str | Path, *, inputs: Iterable[str] = (), force: bool = False, record: dict | None = None
) -> Path:
    """The scenario workbook; ``record`` (run_record.make_scenario_record) adds the Run sheet that
    ``cbam calc --check`` reads."""
    import openpyxl
    from openpyxl.chart import BarChart, LineChart, Reference

    def write(tmp: Path) -> None:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Scenarios"
        _write_frame(ws, result.table)

        ws = wb.create_sheet("Levy by year")
        pivot = levy_by_year(result).reset_index()
        _write_frame(ws, pivot, formats={c: "#,##0" for c in pivot.columns if c != "year"})
        chart = LineChart()
        chart.title = "EU CBAM levy by year, EUR"
        chart.y_axis.title = "EUR"
        chart.x_axis.title = "year"
        shown = len(chart_scenarios(result))
        if shown < pivot.shape[1] - 1:
            chart.title = (
                f"EU CBAM levy by year, EUR: {shown} of {pivot.shape[1] - 1} scenarios "
                "(baseline, cheapest, dearest and between); all are in the table"
            )
        data = Reference(ws, min_col=2, max_col=1 + shown, min_row=1, max_row=len(pivot) + 1)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=len(pivot) + 1))
        chart.height, chart.width = 10, 24
        ws.add_chart(chart, ws.cell(row=len(pivot) + 4, column=1).coordinate)

        ws = wb.create_sheet("Cost split")
        summary = _charted_first(scenario_summary(result), result)
        split = summary[
            [
                "scenario",
                "domestic_cost_eur",
                "eu_levy_eur",
                "total_carbon_cost_eur",
                "saving_vs_baseline_eur",
                "ccer_spend_cny",
                "years",
            ]
        ]
        _write_frame(ws, split)
        bar = BarChart()
        bar.type = "bar"
        bar.grouping = "stacked"
        bar.overlap = 100
        bar.title = "Carbon cost over the years: domestic and EU, EUR"
        bar.add_data(
            Reference(ws, min_col=2, max_col=3, min_row=1, max_row=len(split) + 1), titles_from_data=True
        )
        bar.set_categories(Reference(ws, min_col=1, min_row=2, max_row=len(split) + 1))
        bar.height, bar.width = max(8, 1.2 * len(split)), 24
        ws.add_chart(bar, ws.cell(row=len(split) + 4, column=1).coordinate)

        ws = wb.create_sheet("Break-even")
        _write_frame(ws, result.break_even, formats={"break_even_cea_price_cny": "#,##0.00"})
        ws = wb.create_sheet("Actual vs default")
        _write_frame(ws, result.default_vs_actual)

        if result.instruments is not None:
            _write_instruments(wb.create_sheet("Instruments"), result)

        ws = wb.create_sheet("Assumptions")
        ws["A1"] = result.rule_status
        rows = [("parameter", "value")]
        for k, v in result.assumptions.items():
            rows.append((k, json.dumps(_plain(v), ensure_ascii=False) if isinstance(v, (dict, list)) else v))
        for i, (k, v) in enumerate(rows, start=3):
            ws.cell(row=i, column=1, value=k)
            ws.cell(row=i, column=2, value=v)
        params = pd.DataFrame(
            [{"scenario": s.label(), **s.model_dump(exclude={"name"})} for s in result.scenario_set.scenarios]
        )
        _write_frame(ws, params, start_row=len(rows) + 5)
        ws.freeze_panes = None
        ws.column_dimensions["A"].width = 40
        ws.column_dimensions["B"].width = 100
        for msg_i, msg in enumerate(result.warnings, start=len(rows) + len(params) + 8):
            ws.cell(row=msg_i, column=1, value=render(msg))
        factors = schedules_frame(result)
        if factors.shape[1] > 2:  # a proposal beside the law's schedule
            ws = wb.create_sheet("CBAM factor")
            _write_frame(ws, factors, formats=dict.fromkeys(factors.columns[1:], "0.000"))
            for i, v in enumerate(
                result.assumptions["cbam_factor_schedules"].values(), start=len(factors) + 3
            ):
                ws.cell(row=i, column=1, value=f"{v['name']}: {v['label']}")
        if record is not None:
            from cbam_calc.outputs.run_record import write_run_sheet

            write_run_sheet(wb, record)
        protect_cells(wb)  # every text cell: scenario, baseline and installation names are any text
        print_setup(wb)  # A4, fitted, headers repeated: as every workbook (xlsx_book)
        wb.save(tmp)

    return atomic_write(path, write, inputs=inputs, force=force)


def _write_instruments(ws, result) -> None:
    """The comparison sheet: what it rests on (the Art 9 draft, the price assumptions), then the
    table under two header rows, English and Chinese (the message catalogue)."""
    from openpyxl.styles import Font

    from cbam_calc.outputs.xlsx import number_format

    preamble = instrument_preamble(result, "en")
    zh = instrument_preamble(result, "zh")
    row = 1
    for en_line, zh_line in zip(preamble, zh):
        ws.cell(row=row, column=1, value=en_line)
        ws.cell(row=row + 1, column=1, value=zh_line)
        row += 2
    row += 1
    frame = instruments_frame(result, "en")
    frame.insert(1, "option_zh", [option_name(result, v, "zh") for v in result.instruments["option"]])
    for j, c in enumerate(frame.columns, start=1):
        key = "option" if c == "option_zh" else c
        en = ws.cell(row=row, column=j, value=instrument_header(key, "en"))
        zhc = ws.cell(row=row + 1, column=j, value=instrument_header(key, "zh"))
        en.font = zhc.font = Font(bold=True)
        ws.column_dimensions[en.column_letter].width = min(max(12, len(str(en.value)) + 2), 48)
    for i, values in enumerate(frame.itertuples(index=False, name=None), start=row + 2):
        for j, (c, v) in enumerate(zip(frame.columns, values), start=1):
            if isinstance(v, float) and np.isnan(v):
                v = None
            elif isinstance(v, np.generic):
                v = v.item()
            cell = ws.cell(row=i, column=j, value=v)
            fmt = "#,##0.00" if "price" in c else number_format(str(c))
            if fmt and isinstance(v, (int, float)) and not isinstance(v, bool):
                cell.number_format = fmt
    ws.freeze_panes = ws.cell(row=row + 2, column=3)


# ---------------------------------------------------------------------------- png
PNG_NAMES = ("levy_by_year.png", "cost_split.png")


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        from cbam_calc.core.errors import OptionError

        raise OptionError("--png needs matplotlib: pip install 'cbam-calc[charts]'") from None
    return plt


def check_png_output(folder: str | Path, *, force: bool = False, inputs: Iterable[str | Path] = ()) -> None:
    """Raise unless :func:`write_scenario_png` can write into ``folder``: matplotlib imports, the
    folder is a folder (or can be made), no chart is an input or exists without ``force``, and
    files can be created there. Called before anything is computed or written, so a missing
    matplotlib does not leave the scenario workbook written and the charts not."""
    from cbam_calc.core.errors import OutputError
    from cbam_calc.outputs.writers import check_output, check_writable, refuse_inputs

    _pyplot()
    out = Path(folder)
    inputs = list(inputs)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: --png writes the charts into a folder, and this is a file")
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
        raise OutputError(f"{out}: --png cannot make this folder: {parent} is a file")
    check_writable(parent, out)


def write_scenario_png(
    result, folder: str | Path, *, force: bool = False, inputs: Iterable[str | Path] = ()
) -> list[Path]:
    """The same two charts as PNG images (``PNG_NAMES`` in ``folder``), for slides (needs
    matplotlib: cbam-calc[charts])."""
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
    written = []

    pivot = levy_by_year(result)
    shown = chart_scenarios(result)
    fig, ax = plt.subplots(figsize=(11, 5.5), dpi=120)
    if len(shown) < pivot.shape[1]:
        ax.fill_between(
            pivot.index,
            pivot.min(axis=1) / 1e3,
            pivot.max(axis=1) / 1e3,
            alpha=0.15,
            label=f"range of all {pivot.shape[1]} scenarios",
        )
    for name in shown:
        ax.plot(
            pivot.index,
            pivot[name] / 1e3,
            marker="o",
            linewidth=2.2 if name == result.baseline else 1.2,
            label=name,
        )
    ax.set_title("EU CBAM levy by year, thousand EUR")
    ax.set_xlabel("year")
    ax.set_ylabel("thousand EUR")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.text(0.01, 0.01, result.rule_status, fontsize=6)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    written.append(_save(fig, out / PNG_NAMES[0], force, inputs))

    summary = _charted_first(scenario_summary(result), result).head(len(shown))
    fig, ax = plt.subplots(figsize=(11, 0.55 * len(summary) + 2), dpi=120)
    y = np.arange(len(summary))
    ax.barh(y, summary["domestic_cost_eur"] / 1e3, label="domestic carbon cost")
    ax.barh(y, summary["eu_levy_eur"] / 1e3, left=summary["domestic_cost_eur"] / 1e3, label="EU CBAM levy")
    ax.set_yticks(y, summary["scenario"], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("thousand EUR over the years")
    title = "Carbon cost: domestic and EU"
    if len(summary) < len(result.table["scenario"].unique()):
        title += f" ({len(summary)} of {len(result.table['scenario'].unique())} scenarios)"
    ax.set_title(title)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2)
    fig.text(0.01, 0.01, result.rule_status, fontsize=6)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    written.append(_save(fig, out / PNG_NAMES[1], force, inputs))
    plt.close("all")
    return written


def _charted_first(summary: pd.DataFrame, result) -> pd.DataFrame:
    shown = chart_scenarios(result)
    rank = {name: i for i, name in enumerate(shown)}
    key = summary["scenario"].map(lambda s: rank.get(s, len(rank)))
    return summary.assign(_k=key).sort_values("_k", kind="stable").drop(columns="_k")


def _save(fig, path: Path, force: bool, inputs: Iterable[str | Path] = ()) -> Path:
    return atomic_write(path, lambda tmp: fig.savefig(tmp, format="png"), inputs=inputs, force=force)
