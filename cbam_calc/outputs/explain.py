"""``cbam explain``: every step of one line, with its numbers and its legal source."""

from __future__ import annotations

import json
import math

import pandas as pd

from cbam_calc.core.errors import OptionError
from cbam_calc.core.labels import glossed
from cbam_calc.core.messages import Message, render
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
SRC_ART9 = Message("M_EX_SRC_ART9", date=art9.draft_act()[0])
SRC_CERTS = citation("certificates")
SRC_DE_MINIMIS = citation("de_minimis")
SRC_PRICE = citation("certificate_price")


def _f(x: float, d: int = 3) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:,.{d}f}"


def _cn(c: str) -> str:
    return f"{c[:4]} {c[4:6]} {c[6:]}"


def _joined(parts: list) -> Message | str:
    """Parts of a working line, one after the other (each in the language shown)."""
    if len(parts) <= 1:
        return parts[0] if parts else ""
    return Message("M_EX_PARTS", **{f"p{i}": parts[i] if i < len(parts) else "" for i in range(4)})


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
            Message(
                "E_NO_SUCH_LINE",
                row=row,
                first=min(first, *rejected["row"].tolist()) if len(rejected) else first,
                last=max(last, *rejected["row"].tolist()) if len(rejected) else last,
            )
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
    M = Message
    step(
        M("M_EX_T_GOOD"),
        M(
            "M_EX_GOOD",
            cn=_cn(x["cn_code"]),
            desc=f" {str(desc).strip()}" if str(desc).strip() else "",
            sector=x["sector"],
            country=x["country_iso2"],
            mass=_f(mass),
            unit=unit,
            when=when,
            year=year,
        ),
        M("M_EX_DIRECT_ONLY") if x["direct_only"] else M("M_EX_DIRECT_INDIRECT"),
        SRC_EMISSIONS,
    )
    see = float(x["see_tco2e_per_t"])
    if x["emissions_data"] == "actual":
        ind = x["see_indirect_tco2e_per_t"]
        if x["direct_only"]:
            parts = [M("M_EX_SEE_ACTUAL_DIRECT", see=_f(x["see_direct_tco2e_per_t"]), unit=unit)]
            if not pd.isna(ind) and ind > 0:
                parts.append(M("M_EX_SEE_INDIRECT_NOT_COUNTED", see=_f(ind)))
        else:
            parts = [M("M_EX_SEE_ACTUAL", direct=_f(x["see_direct_tco2e_per_t"]), indirect=_f(ind))]
        source = SRC_EMISSIONS
        if product is not None and took.startswith("SEE"):
            parts.append(
                M(
                    "M_EX_SEE_FROM_TEMPLATE",
                    where=template.where(product, "see_direct"),
                    cell=product.cells["see_indirect"],
                )
            )
        elif "emissions_source" in x.index:
            parts.append(M("M_EX_SEE_FROM_SOURCE", source=x["emissions_source"]))
            if product is not None:
                parts.append(M("M_EX_SEE_WIN_OVER", file=template.file, row=product.row))
        step(
            M("M_EX_T_SEE_ACTUAL"),
            _joined(parts),
            M("M_EX_SEE_RESULT", see=_f(see), unit=unit),
            source,
        )
    else:
        table = x["default_table"]
        name = {
            "country": M("M_EX_TABLE_COUNTRY", name=x["default_table_name"]),
            "other": M("M_EX_TABLE_OTHER"),
            "annex_iv": M("M_EX_TABLE_ANNEX_IV"),
        }.get(table, table)
        rounding = parameter("default_markup").extra["rounding"]
        mode = rounding["mode"].replace("_", " ")
        value = (
            M("M_EX_VALUE_DIRECT")
            if x["direct_only"] and table != "annex_iv"
            else M("M_EX_VALUE_ANNEX_IV")
            if table == "annex_iv"
            else M("M_EX_VALUE_TOTAL")
        )
        step(
            M("M_EX_T_SEE_DEFAULT"),
            M(
                "M_EX_DEFAULT",
                table=name,
                heading=x["default_cn_prefix"],
                value=value,
                rate=f"{float(x['default_markup_rate']):.0%}",
                year=year,
                rounding=M("M_EX_ROUND_HALF_UP") if mode == "half up" else mode,
                decimals=rounding["decimals"],
            ),
            M("M_EX_SEE_RESULT", see=_f(see), unit=unit),
            SRC_ANNEX_IV if table == "annex_iv" else SRC_DEFAULTS,
        )
    step(
        M("M_EX_T_EMBEDDED"),
        f"M x SEE = {_f(mass)} x {_f(see)}",
        M("M_EX_TCO2E", value=_f(x["embedded_tco2e"])),
        SRC_EMISSIONS,
    )
    if not free_allocation.receives_free_allocation(x["sector"]):
        step(M("M_EX_T_FAA"), M("M_EX_NO_FREE_ALLOCATION"), M("M_EX_FAA_ZERO"), SRC_FAA)
    else:
        proj = [M("M_EX_BM_PROJECTION")] if x.get("benchmark_projection") else []
        if free_allocation.benchmark_revision_pending([year])[0]:
            proj.append(M("M_EX_BM_REVISION", note=free_allocation.benchmark_revision_note()))
        route = (
            [M("M_EX_BM_ROUTE", route=x["benchmark_route"], basis=x["benchmark_route_basis"])]
            if x["benchmark_route"]
            else []
        )
        if product is not None and "route " in took:  # the template's processes block decided it
            route.append(M("M_EX_BM_ROUTE_TEMPLATE", note=product.route_note, file=template.file))
        step(
            M("M_EX_T_BENCHMARK"),
            M(
                "M_EX_BM_COLUMN_A" if x["benchmark_column"] == "A" else "M_EX_BM_COLUMN_B",
                route=_joined(route),
                period=x["benchmark_period"],
                projection=_joined(proj),
            ),
            M("M_EX_BM_RESULT", value=_f(x["benchmark_tco2e_per_t"])),
            SRC_BENCHMARK,
        )
        term = float(x["precursor_sefa_term_tco2e_per_t"])
        has_prec = term > 0
        _, cscf_projection = free_allocation.cscf([year])
        cscf_src = (
            M("M_EX_CSCF_PROJECTION", year=year)
            if cscf_projection[0]
            else M("M_EX_CSCF_LAW", year=year, title=parameter("cscf").references[0]["title"])
        )
        step(
            M("M_EX_T_SEFA"),
            M(
                "M_EX_SEFA",
                year=year,
                factor=f"{float(x['cbam_factor']):g}",
                cscf=f"{float(x['cscf']):g}",
                bm=_f(x["benchmark_tco2e_per_t"]),
                precursors=M("M_EX_PRECURSORS", term=_f(term, 6)) if has_prec else "",
            ),
            M("M_EX_SEFA_RESULT", value=_f(x["sefa_tco2e_per_t"], 6)),
            _joined(
                [
                    SRC_SEFA_COMPLEX
                    if has_prec
                    else M("M_EX_SRC_CBAM_FACTOR", src=SRC_SEFA, citation=parameter("cbam_factor").citation),
                    "; ",
                    cscf_src,
                ]
            ),
        )
        step(
            M("M_EX_T_FAA"),
            f"M x SEFA = {_f(mass)} x {_f(x['sefa_tco2e_per_t'], 6)}",
            M("M_EX_FAA_RESULT", value=_f(x["free_allocation_tco2e"])),
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
        paid = []
        if product is not None and "carbon price due" in took:
            paid.append(
                M(
                    "M_EX_PAID_TEMPLATE",
                    due=_f(product.cp_due, 2),
                    currency=product.cp_currency,
                    unit=unit,
                    where=template.where(product, "cp_due"),
                    rebate=_f(product.rebate_amount, 2),
                    rebate_cell=product.cells["rebate_amount"],
                    currency_cell=product.cells["cp_currency"],
                )
            )
        if str(x.get("carbon_price_source", "")).endswith("not evidenced"):
            paid.append(M("M_EX_PAID_NOT_EVIDENCED"))
        step(
            M("M_EX_T_ART9_ACTUAL"),
            M(
                "M_EX_ART9_ACTUAL",
                paid=_f(x["carbon_price_paid_eur_per_t"], 2),
                ref=_f(x["reference_price_eur_per_tco2e"], 2),
                mass=_f(mass),
                detail=_joined(paid),
            ),
            M("M_EX_R_RESULT", value=_f(x["art9_reduction_tco2e"])),
            SRC_ART9,
        )
    elif track == "default":
        step(
            M("M_EX_T_ART9_DEFAULT"),
            M(
                "M_EX_ART9_DEFAULT",
                price=_f(x["default_carbon_price_eur_per_tco2e"], 2),
                see=_f(see),
                ref=_f(x["reference_price_eur_per_tco2e"], 2),
                mass=_f(mass),
            ),
            M("M_EX_R_RESULT", value=_f(x["art9_reduction_tco2e"])),
            SRC_ART9,
        )
    else:
        step(M("M_EX_T_ART9"), M("M_EX_ART9_NONE"), M("M_EX_R_ZERO"), SRC_ART9)
    formula = (
        f"max(0, {_f(x['embedded_tco2e'])} - {_f(x['free_allocation_tco2e'])} - "
        f"{_f(x['art9_reduction_tco2e'])})"
    )
    if x["de_minimis_exempt"]:
        step(
            M("M_EX_T_CERTIFICATES"),
            M("M_EX_CERTIFICATES_EXEMPT", formula=formula, year=year, threshold=f"{threshold_t(year):g}"),
            M("M_EX_N_ZERO"),
            SRC_DE_MINIMIS,
        )
    else:
        step(
            M("M_EX_T_CERTIFICATES"),
            formula,
            M("M_EX_N_RESULT", value=_f(x["certificates"])),
            SRC_CERTS,
        )
    key = str(x["price_period"])
    used = {p.period: p for p in result.summary.assumptions.certificate_prices}.get(key)
    stand_in = (
        M("M_EX_PRICE_STAND_IN", period=used.source_period) if used and used.source_period != key else ""
    )
    weekly = M("M_EX_WEEKLY", convention=prices.weekly_convention()) if "-W" in key else ""
    step(
        M("M_EX_T_PRICE"),
        M(
            "M_EX_PRICE",
            period=prices.describe_period(key),
            status=x["price_status"],
            stand_in=stand_in,
            weekly=weekly,
        ),
        M("M_EX_PRICE_RESULT", value=_f(x["price_eur_per_tco2e"], 2)),
        SRC_PRICE,
    )
    step(
        M("M_EX_T_COST"),
        f"N x P = {_f(x['certificates'])} x {_f(x['price_eur_per_tco2e'], 2)}",
        M("M_EX_COST_RESULT", cost=_f(x["cost_eur"], 2), per_t=_f(x["cost_eur_per_t"], 2), unit=unit),
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


# Fixed phrases of the text in English and Chinese; formulas and figures stay as they are, the acts
# are cited in their English titles with a Chinese gloss (core.labels.glossed).
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
    zh = lang == "zh"
    for s in ex["steps"]:
        title = (s.get("title_zh") or render(s["title"], lang)) if zh else s["title"]
        formula = s.get("formula_zh", s["formula"]) if zh else s["formula"]
        result = s.get("result_zh", s["result"]) if zh else s["result"]
        out.append(f"{s['step']:>2}. {title}")
        out.append(f"    {render(formula, lang)}")
        out.append(f"    = {render(result, lang)}")
        out.append(f"    [{glossed(render(s['source'], lang), lang)}]")
    if ex.get("notes"):
        out.append(_say("notes", lang, notes=render(ex["notes"], lang)))
    a = ex["assumptions"]
    status = a["art9_status"] if lang == "en" else art9.status_message().text(lang)
    out.append(_say("art9", lang, track=a["art9_track"], status=status))
    if a["cscf_status"] == "projection":
        out.append(_say("cscf", lang, year=ex["year"], value=ex["cscf"]))
    return "\n".join(out)


def explain_json(ex: dict) -> str:
    return json.dumps(ex, ensure_ascii=False, indent=2, default=str)
