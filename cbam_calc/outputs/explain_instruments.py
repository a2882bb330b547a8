"""``cbam explain``: the carbon pricing instruments of one line under the DRAFT Art 9 (issue 16).

Each instrument row of the line (its per-line columns, or the rows of a carbon-prices table or
communication template that apply to it) with its unit, mechanism, use, share covered, price, its
treatment and the rule's source, the caps applied with their numbers, and the resulting
P_paid,eff. The rows are put through :func:`cbam_calc.law.instruments.treat` again, for this line
alone: the rule the engine applies, not a copy of it. English and Chinese.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from cbam_calc.compute.instrument_totals import rule_source
from cbam_calc.law import instruments, prices
from cbam_calc.law.reference import reference_data

PHRASES = {
    "title": ("Carbon pricing instruments (Art 9, DRAFT)", "碳定价工具（第9条，草案）"),
    "row": (
        "#{i} {unit}, mechanism {mechanism}, use {use}, share covered {share}, price {price} {currency}"
        "{basis}{free}{rebate}{rate}: net {net} EUR/t",
        "#{i} {unit}，机制 {mechanism}，用途 {use}，覆盖比例 {share}，价格 {price} {currency}"
        "{basis}{free}{rebate}{rate}：净额 {net} 欧元/吨",
    ),
    "from": (" (from {source} {file}, row {row})", "（来自 {source} {file} 第 {row} 行）"),
    "per_tco2e": ("/tCO2e", "/tCO2e"),
    "per_t": ("/t of good", "/吨产品"),
    "free": (", free allocation {v}", "，免费配额 {v}"),
    "rebate": (", rebate {v}", "，返还 {v}"),
    "rate": (", {rate} {currency}/EUR", "，{rate} {currency}/欧元"),
    "treatment": (
        "    treatment: {text}; recognised {rec} EUR/t, not recognised {unrec} EUR/t",
        "    处理方式：{text}；认可 {rec} 欧元/吨，未认可 {unrec} 欧元/吨",
    ),
    "offset_cap": (
        "    cap: credits of {mechanism} cover {given} of the emissions, above its offset limit of {limit} "
        "({basis}): kept {limit} / {given} = {kept}",
        "    上限：{mechanism} 的碳信用覆盖 {given} 的排放，超过其抵销上限 {limit}（{basis}）："
        "保留 {limit} / {given} = {kept}",
    ),
    "paris_cap": (
        "    cap: Paris Art 6 units cover {given} of the emissions, above the draft's {limit} cap: kept "
        "{limit} / {given} = {kept}",
        "    上限：《巴黎协定》第6条单位覆盖 {given} 的排放，超过草案 {limit} 的上限："
        "保留 {limit} / {given} = {kept}",
    ),
    "source": ("    source: {source}", "    来源：{source}"),
    "result": ("P_paid,eff = {terms} = {total} EUR/t", "P_paid,eff = {terms} = {total} 欧元/吨"),
    "not_applied": (
        "the carbon-prices rows are not yet applied to this run's figures (see the warnings)",
        "碳价表各行尚未计入本次计算的数字（见警告）",
    ),
    "not_named": ("not named", "未注明"),
    "carbon-prices sheet": ("carbon-prices sheet", "碳价工作表"),
    "carbon-prices file": ("carbon-prices file", "碳价文件"),
    "template": ("communication template", "沟通模板"),
    "verified_emissions": ("of the verified emissions", "经核查排放量"),
    "compliance_obligation": ("of the compliance obligation", "履约义务"),
    "compliance": ("compliance", "履约"),
    "voluntary": ("voluntary", "自愿"),
}


def _say(key: str, lang: str, **fmt) -> str:
    en, zh = PHRASES[key]
    return (zh if lang == "zh" else en).format(**fmt)


def _pct(x: float) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x * 100:.4g} %"


def _named(code: str, table: dict, lang: str) -> str:
    """A unit or mechanism as the report's language names it, its code in brackets (the code is
    what the input and the Lines table say)."""
    if not code:
        return _say("not_named", lang)
    entry = table.get(code)
    name = (entry.zh if lang == "zh" else entry.en) if entry is not None else code
    return f"{name} [{code}]"


def _n(x: float, d: int = 4) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:,.{d}f}"


def _rows_of_line(result, label) -> dict | None:
    """The instrument rows of the validated line ``label``, in the form of ``treat``, and how each
    is shown (its source where a table gave it); None where the line gives no instrument."""
    validated = getattr(result, "validated", None)
    if validated is None:
        return None
    lines = validated.lines.loc[[label]]
    join = result.carbon_prices
    if join is not None and len(join.pairs) and label in set(join.pairs["line"].tolist()):
        from cbam_calc.inputs.carbon_prices import treat_rows

        t = treat_rows(join, lines)
        inst = join.instruments.iloc[t.instrument]
        return {
            "instrument": np.asarray(t.instrument),
            "unit": t.unit,
            "mechanism": t.mechanism,
            "voluntary": t.voluntary,
            "use": inst["use"].astype(str).to_numpy(dtype=object),
            "share": t.share_covered,
            "price": t.price,
            "per_tco2e": t.per_tco2e,
            "free": t.free_allocation_share,
            "rebate": t.rebate,
            "currency": np.asarray(t.currency, dtype=object),
            "from": [(str(r.source), str(r.file), int(r.row)) for r in inst.itertuples(index=False)],
            "table": True,
        }
    if "carbon_price_unit" not in lines.columns:
        return None
    price = lines["carbon_price_paid"].to_numpy(dtype=float)
    if not (price[0] > 0):
        return None
    use = str(lines["carbon_price_use"].astype(str).iloc[0])
    return {
        "unit": instruments.unit_codes(lines["carbon_price_unit"].astype(str).to_numpy(dtype=object)),
        "mechanism": instruments.mechanism_codes(
            lines["carbon_price_mechanism"].astype(str).to_numpy(dtype=object)
        ),
        "voluntary": np.array([use == instruments.VOLUNTARY]),
        "use": np.array([use], dtype=object),
        "share": lines["carbon_price_share_covered"].to_numpy(dtype=float),
        "price": price,
        "per_tco2e": lines["carbon_price_per_tco2e"].to_numpy(dtype=bool),
        "free": lines["carbon_price_free_share"].to_numpy(dtype=float),
        "rebate": lines["carbon_price_rebate"].to_numpy(dtype=float),
        "currency": lines["carbon_price_currency"].astype(str).to_numpy(dtype=object),
        "from": [None],
        "table": False,
    }


def instrument_step(result, x: pd.Series, lang: str = "en") -> dict | None:
    """The step of the line ``x`` (a row of the Lines table) that shows its instruments, with its
    text in ``lang`` (``formula`` lines, ``result``, ``source``); None where it names none."""
    validated = getattr(result, "validated", None)
    if validated is None:
        return None
    hit = validated.lines.index[validated.lines["row"].to_numpy() == int(x["row"])]
    if not len(hit):
        return None
    rows = _rows_of_line(result, hit[0])
    if rows is None:
        return None
    k = len(rows["price"])
    year = int(x["year"])
    ref = reference_data()
    rate = np.full(k, np.nan)
    for i, c in enumerate(rows["currency"]):
        if c:
            r = prices.fx_rate(ref, str(c), year, result.options.fx)
            rate[i] = np.nan if r is None else r.units_per_eur
        elif not rows["price"][i] > 0:
            rate[i] = 1.0
    t = instruments.treat(
        np.zeros(k, dtype=np.int64),
        rows["unit"],
        rows["mechanism"],
        rows["voluntary"],
        [str(x["country_iso2"])] * k,
        rows["share"],
        rows["price"],
        rows["per_tco2e"],
        np.full(k, float(x["see_tco2e_per_t"])),
        rows["free"],
        rows["rebate"],
        rate,
    )
    engine = _engine_treatment(result, hit[0], rows)
    if engine is not None:  # the table's rows as the engine treated them (its rates, its caps)
        t, rate = engine
    units, mechs = instruments.known_units(), instruments.known_mechanisms()
    share = np.nan_to_num(np.asarray(rows["share"], dtype=float), nan=1.0)
    lines: list[str] = []
    for i in range(k):
        u = units[rows["unit"][i]] if rows["unit"][i] >= 0 else ""
        m = mechs[t.mechanism[i]] if t.mechanism[i] >= 0 else ""
        use = str(rows["use"][i] or "")
        currency = str(rows["currency"][i] or "")
        text = _say(
            "row",
            lang,
            i=i + 1,
            unit=_named(u, instruments.units(), lang),
            mechanism=_named(m, instruments.mechanisms(), lang),
            use=_say(use, lang) if use in ("compliance", "voluntary") else _say("not_named", lang),
            share=_pct(share[i]),
            price=_n(float(rows["price"][i]), 2),
            currency=currency,
            basis=_say("per_tco2e" if rows["per_tco2e"][i] else "per_t", lang),
            free=_say("free", lang, v=_pct(rows["free"][i])) if not np.isnan(rows["free"][i]) else "",
            rebate=_say("rebate", lang, v=_n(float(rows["rebate"][i]), 2))
            if not np.isnan(rows["rebate"][i])
            else "",
            rate=_say("rate", lang, rate=f"{rate[i]:g}", currency=currency)
            if currency and currency != "EUR" and not np.isnan(rate[i])
            else "",
            net=_n(float(t.net_eur_per_t[i])),
        )
        where = rows["from"][i]
        if where is not None:
            source = _say(where[0], lang) if where[0] in PHRASES else where[0]
            text += _say("from", lang, source=source, file=where[1], row=where[2])
        lines.append(text)
        reason = int(t.reason[i])
        lines.append(
            _say(
                "treatment",
                lang,
                text=instruments.reason_message(reason).text(lang),
                rec=_n(float(t.recognised_eur_per_t[i])),
                unrec=_n(float(t.unrecognised_eur_per_t[i])),
            )
        )
        lines.extend(_caps(t, rows, share, i, m, lang))
        lines.append(_say("source", lang, source=rule_source(u, m, instruments.REASONS[reason])))
    total = float(t.recognised_eur_per_t.sum())
    terms = " + ".join(_n(float(v)) for v in t.recognised_eur_per_t)
    if rows["table"] and "W_CP_NOT_APPLIED" in result.summary.warning_codes:
        lines.append(_say("not_applied", lang))
    return {
        "title": _say("title", "en"),
        "title_zh": _say("title", "zh"),
        "formula": "\n    ".join(lines),
        "result": _say("result", lang, terms=terms, total=_n(total)),
        "source": rule_source("", "", "recognised"),
        "instruments": [
            {
                "unit": units[rows["unit"][i]] if rows["unit"][i] >= 0 else "",
                "mechanism": mechs[t.mechanism[i]] if t.mechanism[i] >= 0 else "",
                "use": str(rows["use"][i] or ""),
                "share_covered": float(share[i]),
                "price": float(rows["price"][i]),
                "currency": str(rows["currency"][i] or ""),
                "per_tco2e": bool(rows["per_tco2e"][i]),
                "net_eur_per_t": float(t.net_eur_per_t[i]),
                "kept": float(t.kept[i]),
                "treatment": instruments.REASONS[int(t.reason[i])],
                "recognised_eur_per_t": float(t.recognised_eur_per_t[i]),
                "unrecognised_eur_per_t": float(t.unrecognised_eur_per_t[i]),
                "source": rule_source(
                    units[rows["unit"][i]] if rows["unit"][i] >= 0 else "",
                    mechs[t.mechanism[i]] if t.mechanism[i] >= 0 else "",
                    instruments.REASONS[int(t.reason[i])],
                ),
            }
            for i in range(k)
        ],
        "p_paid_eff_eur_per_t": total,
    }


def _engine_treatment(result, label, rows: dict):
    """The engine's treatment of the line's carbon-prices rows (``result.instrument_rows``) and
    their rates, where it holds the same rows in the same order; None otherwise."""
    held = getattr(result, "instrument_rows", None)
    if held is None or "instrument" not in rows:
        return None
    idx = np.flatnonzero(np.asarray(held.line_label) == label)
    if not np.array_equal(np.asarray(held.instrument)[idx], rows["instrument"]):
        return None
    t = held.treatment
    fields = {f: np.asarray(getattr(t, f))[idx] for f in t.__dataclass_fields__}
    return type(t)(**fields), np.asarray(held.units_per_eur, dtype=float)[idx]


def _caps(t, rows, share: np.ndarray, i: int, mechanism: str, lang: str) -> list[str]:
    """The caps that cut row ``i``, with their numbers: the draft's Paris Art 6 cap over the
    Art 6 rows of the same mechanism, then the mechanism's own offset limit over its credit rows
    (after the Paris cap), as law.instruments.treat applies them."""
    if int(t.reason[i]) not in (instruments.ABOVE_PARIS_CAP, instruments.ABOVE_OFFSET_LIMIT):
        return []
    same = t.mechanism == t.mechanism[i]
    unit = np.asarray(rows["unit"], dtype=np.int64)
    known, us = instruments.known_units(), instruments.units()
    credit = same & np.array([u >= 0 and us[known[u]].credit for u in unit])
    art6 = credit & np.array([u >= 0 and us[known[u]].paris_article6 for u in unit])
    cap = instruments.paris_cap_share()
    given6 = float(share[art6].sum())
    k6 = np.where(art6, min(1.0, cap / given6) if given6 > 0 else 1.0, 1.0)
    out = []
    if art6[i] and k6[i] < 1.0:
        out.append(_say("paris_cap", lang, given=_pct(given6), limit=_pct(cap), kept=_pct(float(k6[i]))))
    km = float(t.kept[i]) / float(k6[i]) if k6[i] > 0 else 1.0
    m = instruments.mechanisms().get(mechanism)
    if m is not None and m.offset_limit_share is not None and km < 1.0 - 1e-12:
        out.append(
            _say(
                "offset_cap",
                lang,
                mechanism=_named(mechanism, instruments.mechanisms(), lang),
                given=_pct(float((share * k6)[credit].sum())),
                limit=_pct(float(m.offset_limit_share)),
                basis=_say(m.offset_limit_basis, lang),
                kept=_pct(km),
            )
        )
    return out
