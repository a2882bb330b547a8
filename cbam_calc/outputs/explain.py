"""``cbam explain``: every step of one line, with its numbers and its legal source."""

from __future__ import annotations

import json
import math

import pandas as pd

from cbam_calc.core.errors import OptionError
from cbam_calc.core.messages import Message
from cbam_calc.law import art9, free_allocation, prices
from cbam_calc.law.citations import citation
from cbam_calc.law.de_minimis import threshold_t
from cbam_calc.law.parameters import parameter

# The source of each step (data/parameters/citations.yaml and the parameter files)
SRC_EMISSIONS = citation("embedded_emissions_direct_only")
SRC_DEFAULTS = citation("default_value_incl_markup")
SRC_ANNEX_IV = citation("default_value_annex_iv")
SRC_BENCHMARK = citation("benchmark")
SRC_SEFA = citation("sefa")
SRC_SEFA_COMPLEX = citation("sefa_complex")
SRC_FAA = citation("faa")
SRC_ART9 = f"Art 9 DRAFT implementing regulation of {art9.draft_act()[0]} (not law)"
SRC_CERTS = citation("certificates")
SRC_DE_MINIMIS = citation("de_minimis")
SRC_PRICE = citation("certificate_price")


def _f(x: float, d: int = 3) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:,.{d}f}"


def _cn(c: str) -> str:
    return f"{c[:4]} {c[4:6]} {c[6:]}"


def _template_product(x, templates):
    """The communication template and product row a line took figures from (None, None if none)."""
    file = str(x.get("template_file", "") or "")
    if not file or not templates:
        return None, None
    for t in templates:
        if t.file == file:
            for p in t.products:
                if p.row == int(x["template_row"]):
                    return t, p
    return None, None


def explain_line(result, row: int, templates=None) -> dict:
    """The steps of the line read from ``row`` of the input, or why it was rejected.
    ``templates``: the communication templates of the run (a TemplateSet or list): each figure
    taken from one names its file, sheet and cell."""
    lines, rejected = result.lines, result.rejected
    hit = lines[lines["row"] == row]
    if hit.empty:
        rej = rejected[rejected["row"] == row]
        if not rej.empty:
            r = rej.iloc[0]
            return {
                "row": int(row),
                "status": "rejected",
                "column": r["column"],
                "value": r["value"],
                "reason": r["reason"],
                "steps": [],
                "code": r.get("code", ""),  # the reason's message code, to show it in --lang
                "params": json.loads(r["params"]) if r.get("params") else {},
            }
        first, last = (int(lines["row"].min()), int(lines["row"].max())) if len(lines) else (0, 0)
        raise OptionError(
            f"--line {row}: no such data row in the input (data rows run from "
            f"{min(first, *rejected['row'].tolist()) if len(rejected) else first} to "
            f"{max(last, *rejected['row'].tolist()) if len(rejected) else last}; "
            "the header is not a data row)"
        )
    x = hit.iloc[0]
    desc = x["description"]
    tset = getattr(templates, "templates", templates)
    template, product = _template_product(x, tset)
    took = str(x.get("template_use", "") or "")
    steps: list[dict] = []

    def step(title: str, formula: str, value: str, source: str) -> None:
        steps.append(
            {
                "step": len(steps) + 1,
                "title": title,
                "formula": formula,
                "result": value,
                "source": source,
            }
        )

    year = int(x["year"])
    mass = float(x["net_mass_t"])
    unit = "MWh" if x["sector"] == "electricity" else "t"
    day = x.get("import_date_used")
    when = (
        pd.Timestamp(day).date().isoformat()
        if day is not None and not pd.isna(day)
        else f"{year}Q{int(x['quarter'])}"
    )
    step(
        "The good",
        f"CN {_cn(x['cn_code'])} {desc}".strip() + f", sector {x['sector']}, origin {x['country_iso2']}, "
        f"{_f(mass)} {unit}, imported {when} (rules of {year})",
        "Annex II good: direct emissions only" if x["direct_only"] else "direct + indirect emissions count",
        SRC_EMISSIONS,
    )
    see = float(x["see_tco2e_per_t"])
    if x["emissions_data"] == "actual":
        ind = x["see_indirect_tco2e_per_t"]
        if x["direct_only"]:
            formula = f"actual SEE_direct = {_f(x['see_direct_tco2e_per_t'])} tCO2e/{unit}"
            if not pd.isna(ind) and ind > 0:
                formula += f" (indirect {_f(ind)} given, not counted: Annex II)"
        else:
            formula = f"actual SEE = direct {_f(x['see_direct_tco2e_per_t'])} + indirect {_f(ind)}"
        source = SRC_EMISSIONS
        if product is not None and took.startswith("SEE"):
            formula += (
                f"; from {template.where(product, 'see_direct')} (direct) and cell "
                f"{product.cells['see_indirect']} (indirect)"
            )
        elif "emissions_source" in x.index:
            formula += f"; from the {x['emissions_source']}"
            if product is not None:
                formula += f" (they win over {template.file}, row {product.row})"
        step(
            "Specific embedded emissions (actual)",
            formula,
            f"SEE = {_f(see)} tCO2e/{unit}",
            source,
        )
    else:
        table = x["default_table"]
        name = {
            "country": f"table {x['default_table_name']}",
            "other": "table Other Countries and Territories (no value for the country)",
            "annex_iv": "Annex IV (country of production unknown)",
        }.get(table, table)
        rounding = parameter("default_markup").extra["rounding"]
        value = (
            "published direct value (Annex II: direct part only)"
            if x["direct_only"] and table != "annex_iv"
            else "published value"
            if table == "annex_iv"
            else "published total incl. indirect"
        )
        step(
            "Specific embedded emissions (default value)",
            f"{name}, CN heading {x['default_cn_prefix']}; {value} x (1 + "
            f"{float(x['default_markup_rate']):.0%} mark-up of {year}), rounded "
            f"{rounding['mode'].replace('_', ' ')} to {rounding['decimals']} decimals",
            f"SEE = {_f(see)} tCO2e/{unit}",
            SRC_ANNEX_IV if table == "annex_iv" else SRC_DEFAULTS,
        )
    step(
        "Embedded emissions",
        f"M x SEE = {_f(mass)} x {_f(see)}",
        f"{_f(x['embedded_tco2e'])} tCO2e",
        SRC_EMISSIONS,
    )
    if not free_allocation.receives_free_allocation(x["sector"]):
        step(
            "Free allocation adjustment",
            "electricity receives no free allocation",
            "FAA = 0",
            SRC_FAA,
        )
    else:
        proj = " (2028-2030 value reused: projection)" if x.get("benchmark_projection") else ""
        if free_allocation.benchmark_revision_pending([year])[0]:
            proj += f"; {free_allocation.benchmark_revision_note()}"
        route = (
            f", route {x['benchmark_route']} ({free_allocation.ROUTE_LABELS.get(x['benchmark_route'], '')}: "
            f"{x['benchmark_route_basis']})"
            if x["benchmark_route"]
            else ""
        )
        if product is not None and "route " in took:  # the template's processes block decided it
            route += f"; {product.route_note} ({template.file}, sheet Summary_Communication)"
        step(
            "CBAM benchmark",
            f"Column {x['benchmark_column']} ("
            + ("actual data" if x["benchmark_column"] == "A" else "default values")
            + f"){route}, period {x['benchmark_period']}{proj}",
            f"BM = {_f(x['benchmark_tco2e_per_t'])} tCO2e/t",
            SRC_BENCHMARK,
        )
        term = float(x["precursor_sefa_term_tco2e_per_t"])
        has_prec = term > 0
        prec = f" + precursors m x SEFA_i {_f(term, 6)}" if has_prec else ""
        _, cscf_projection = free_allocation.cscf([year])
        cscf_src = (
            f"CSCF {year}: projection, no value set by law"
            if cscf_projection[0]
            else f"CSCF {year}: {parameter('cscf').references[0]['title']}"
        )
        step(
            "Specific embedded free allocation",
            f"CBAM factor {year} x CSCF x BM = {float(x['cbam_factor']):g} x {float(x['cscf']):g} x "
            f"{_f(x['benchmark_tco2e_per_t'])}{prec}",
            f"SEFA = {_f(x['sefa_tco2e_per_t'], 6)} tCO2e/t",
            (
                SRC_SEFA_COMPLEX
                if has_prec
                else SRC_SEFA + f"; CBAM factor: {parameter('cbam_factor').citation}"
            )
            + f"; {cscf_src}",
        )
        step(
            "Free allocation adjustment",
            f"M x SEFA = {_f(mass)} x {_f(x['sefa_tco2e_per_t'], 6)}",
            f"FAA = {_f(x['free_allocation_tco2e'])} tCO2e",
            SRC_FAA,
        )
    from cbam_calc.outputs.explain_instruments import instrument_step

    held = instrument_step(result, x, "en")
    if held is not None:  # each instrument row, its treatment, caps and source (Art 9, DRAFT)
        zh = instrument_step(result, x, "zh")
        step(held["title"], held["formula"], held["result"], held["source"])
        steps[-1].update(
            title_zh=held["title_zh"],
            formula_zh=zh["formula"],
            result_zh=zh["result"],
            instruments=held["instruments"],
            p_paid_eff_eur_per_t=held["p_paid_eff_eur_per_t"],
        )
    track = x["art9_track"]
    if track == "actual":
        paid = ""
        if product is not None and "carbon price due" in took:
            paid = (
                f"; price due {_f(product.cp_due, 2)} {product.cp_currency}/{unit} "
                f"({template.where(product, 'cp_due')}), rebate {_f(product.rebate_amount, 2)} (cell "
                f"{product.cells['rebate_amount']}), currency cell {product.cells['cp_currency']}"
            )
        if str(x.get("carbon_price_source", "")).endswith("not evidenced"):
            paid += "; a price due, NOT evidenced as paid: no deduction until it is (--evidenced)"
        step(
            "Art 9 reduction (actual track, DRAFT)",
            f"P_paid,eff / P_ref x M = {_f(x['carbon_price_paid_eur_per_t'], 2)} / "
            f"{_f(x['reference_price_eur_per_tco2e'], 2)} x {_f(mass)}, capped so N >= 0{paid}",
            f"R = {_f(x['art9_reduction_tco2e'])} tCO2e",
            SRC_ART9,
        )
    elif track == "default":
        step(
            "Art 9 reduction (default track, DRAFT)",
            f"P_default x SEE / P_ref x M = {_f(x['default_carbon_price_eur_per_tco2e'], 2)} x "
            f"{_f(see)} / {_f(x['reference_price_eur_per_tco2e'], 2)} x {_f(mass)}, capped so N >= 0",
            f"R = {_f(x['art9_reduction_tco2e'])} tCO2e",
            SRC_ART9,
        )
    else:
        step("Art 9 reduction", "no carbon price paid recognised for this line", "R = 0", SRC_ART9)
    formula = (
        f"max(0, {_f(x['embedded_tco2e'])} - {_f(x['free_allocation_tco2e'])} - "
        f"{_f(x['art9_reduction_tco2e'])})"
    )
    if x["de_minimis_exempt"]:
        step(
            "Certificates",
            formula + f"; exempt if this importer's imports of CBAM goods in {year}, from all suppliers, "
            f"stay at or under {threshold_t(year):g} t (this file: at or under it)",
            "N = 0",
            SRC_DE_MINIMIS,
        )
    else:
        step("Certificates", formula, f"N = {_f(x['certificates'])} certificates (tCO2e)", SRC_CERTS)
    key = str(x["price_period"])
    used = {p.period: p for p in result.summary.assumptions.certificate_prices}.get(key)
    stand_in = f", {used.source_period} figure" if used and used.source_period != key else ""
    weekly = f"; {prices.weekly_convention()}" if "-W" in key else ""
    step(
        "Certificate price",
        f"{prices.describe_period(key)} ({x['price_status']}{stand_in}){weekly}",
        f"P = {_f(x['price_eur_per_tco2e'], 2)} EUR/tCO2e",
        SRC_PRICE,
    )
    step(
        "Cost",
        f"N x P = {_f(x['certificates'])} x {_f(x['price_eur_per_tco2e'], 2)}",
        f"{_f(x['cost_eur'], 2)} EUR ({_f(x['cost_eur_per_t'], 2)} EUR per {unit})",
        SRC_CERTS,
    )
    return {
        "row": int(row),
        "status": "computed",
        "cn_code": x["cn_code"],
        "year": year,
        "cscf": float(x["cscf"]),
        "steps": steps,
        "notes": x["notes"],
        **(
            {"emissions_source": str(x["emissions_source"]), "template_use": took}
            if "emissions_source" in x.index
            else {}
        ),
        "assumptions": {
            "art9_track": result.summary.assumptions.art9_track,
            "art9_status": result.summary.assumptions.art9_status,
            "cscf_status": result.summary.assumptions.cscf_status.get(year, ""),
        },
    }


# Step titles and fixed phrases of the text for --lang zh; formulas, figures and the legal
# citations stay as they are (the acts are cited in their English titles).
TITLES_ZH = {
    "The good": "货物",
    "Specific embedded emissions (actual)": "单位隐含排放（实际数据）",
    "Specific embedded emissions (default value)": "单位隐含排放（默认值）",
    "Embedded emissions": "隐含排放",
    "Free allocation adjustment": "免费配额调整",
    "CBAM benchmark": "CBAM 基准值",
    "Specific embedded free allocation": "单位隐含免费配额",
    "Art 9 reduction (actual track, DRAFT)": "第9条扣减（实际路径，草案）",
    "Art 9 reduction (default track, DRAFT)": "第9条扣减（默认路径，草案）",
    "Art 9 reduction": "第9条扣减",
    "Certificates": "应缴证书",
    "Certificate price": "证书价格",
    "Cost": "成本",
}
PHRASES = {
    "row": ("row {row}: CN {cn}", "第 {row} 行：CN {cn}"),
    "rejected": (
        "row {row} was rejected: column '{column}'{value}: {reason}",
        "第 {row} 行被拒绝：列 '{column}'{value}：{reason}",
    ),
    "notes": ("notes: {notes}", "备注：{notes}"),
    "art9": ("Art 9 track: {track} ({status})", "第9条计算路径：{track}（{status}）"),
    "cscf": (
        "CSCF {year}: {value:g} is a projection (no value set by law)",
        "跨行业修正系数 CSCF {year}：{value:g} 为预测值（法律未设定）",
    ),
}


def _say(key: str, lang: str, **fmt) -> str:
    en, zh = PHRASES[key]
    return (zh if lang == "zh" else en).format(**fmt)


def explain_text(ex: dict, lang: str = "en") -> str:
    if ex["status"] == "rejected":
        value = f" '{ex['value']}'" if ex["value"] else ""
        reason = Message.from_json(ex["reason"], ex.get("code", ""), ex.get("params")).text(lang)
        return _say("rejected", lang, row=ex["row"], column=ex["column"], value=value, reason=reason)
    out = [_say("row", lang, row=ex["row"], cn=_cn(ex["cn_code"]))]
    for s in ex["steps"]:
        zh = lang == "zh"
        title = s.get("title_zh") or TITLES_ZH.get(s["title"], s["title"]) if zh else s["title"]
        out.append(f"{s['step']:>2}. {title}")
        out.append(f"    {s.get('formula_zh', s['formula']) if zh else s['formula']}")
        out.append(f"    = {s.get('result_zh', s['result']) if zh else s['result']}")
        out.append(f"    [{s['source']}]")
    if ex.get("notes"):
        out.append(_say("notes", lang, notes=ex["notes"]))
    a = ex["assumptions"]
    out.append(_say("art9", lang, track=a["art9_track"], status=a["art9_status"]))
    if a["cscf_status"] == "projection":
        out.append(_say("cscf", lang, year=ex["year"], value=ex["cscf"]))
    return "\n".join(out)


def explain_json(ex: dict) -> str:
    return json.dumps(ex, ensure_ascii=False, indent=2, default=str)
