"""What ``cbam emissions`` prints: the figures read from installations' communication templates, as
a table for a person (each product row with the cell of each figure), JSON for programs (every
field and its cell), or CSV (one row per product)."""

from __future__ import annotations

import csv
import io
import json
from functools import cache
from pathlib import Path

from cbam_calc.core.labels import aside, heading, label, term
from cbam_calc.core.messages import Message, render
from cbam_calc.inputs.comm_template import COMMUNICATION, PRODUCTS, CommTemplate, TemplateProduct, TemplateSet
from cbam_calc.law.scope import spaced
from cbam_calc.outputs.writers import neutralise

DECIMALS = 4  # the table's; JSON and CSV keep every digit the template computed

# (label key, field, kind) of the table's product columns; kind: text, number, route
TABLE_COLUMNS = (
    ("tpl_row", "row", "text"),
    ("tpl_cn_code", "cn_code", "cn"),
    ("tpl_product", "product_name", "text"),
    ("tpl_process", "process", "text"),
    ("tpl_see_direct", "see_direct", "number"),
    ("tpl_see_indirect", "see_indirect", "number"),
    ("tpl_see_total", "see_total", "number"),
    ("tpl_default_share", "default_share", "number"),
    ("tpl_electricity", "embedded_electricity", "number"),
    ("tpl_cp_due", "cp_due", "number"),
    ("tpl_currency", "cp_currency", "text"),
    ("tpl_rebate", "rebate_amount", "number"),
    ("tpl_effective_cp", "effective_cp_due", "number"),
    ("tpl_route", "route", "route"),
)
MAX_TEXT = 32  # a product or process name is cut in the table (never in JSON or CSV)
# the qualifying parameters' names in Chinese, by field (the template's English header otherwise)
QUALIFYING_ZH = Path(__file__).resolve().parent.parent / "locale" / "zh_CN" / "template_columns.yaml"


@cache
def qualifying_names_zh() -> dict[str, str]:
    from cbam_calc.law.parameters import load_yaml

    return {str(k): str(v) for k, v in load_yaml(QUALIFYING_ZH.read_text(encoding="utf-8")).items()}


def qualifying_name(field: str, lang: str) -> str:
    """A qualifying parameter as the text names it: its field in English (as --format json keys
    it), its Chinese name in Chinese."""
    return qualifying_names_zh().get(field, field) if lang == "zh" else field


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)  # CJK characters take two columns


def _pad(text: str, width: int, left: bool) -> str:
    pad = " " * (width - _width(text))
    return text + pad if left else pad + text


def _shown(p: TemplateProduct, name: str, kind: str) -> str:
    value = getattr(p, name)
    if kind == "number":
        return "" if value is None else f"{value:,.{DECIMALS}f}"
    if kind == "cn":
        return spaced(value)
    if kind == "route":
        if value:
            return value
        return "/".join(p.route_choices) + "?" if p.route_choices else "-"
    text = str(value)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _table(template: CommTemplate, lang: str) -> list[str]:
    heads = [label(key, lang) for key, _, _ in TABLE_COLUMNS]
    rows = [[_shown(p, name, kind) for _, name, kind in TABLE_COLUMNS] for p in template.products]
    widths = [max(_width(h), *(_width(r[i]) for r in rows)) for i, h in enumerate(heads)]
    left = [kind != "number" for _, _, kind in TABLE_COLUMNS]
    out = ["  " + "  ".join(_pad(h, w, lf) for h, w, lf in zip(heads, widths, left)).rstrip()]
    for p, r in zip(template.products, rows):
        out.append("  " + "  ".join(_pad(v, w, lf) for v, w, lf in zip(r, widths, left)).rstrip())
        if p.qualifying:
            comma = "，" if lang == "zh" else ", "
            given = comma.join(
                f"{qualifying_name(k, lang)} {_value(v)}{aside(p.cells[k], lang)}"
                for k, v in p.qualifying.items()
            )
            out.append(f"      {term(label('tpl_qualifying', lang), given, lang)}")
        if not p.route and p.route_choices:
            out.append(f"      {term(label('tpl_route', lang), render(p.route_note, lang), lang)}")
    first = template.products[0]
    cells = ("，" if lang == "zh" else ", ").join(
        f"{label(key, lang)} {first.cells[name].rstrip('0123456789')}"
        for key, name, kind in TABLE_COLUMNS
        if name in first.cells and name != "row"
    )
    out.append(f"  {term(label('tpl_cells', lang, sheet=PRODUCTS), cells, lang)}")
    return out


def _value(v) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def template_text(template: CommTemplate, lang: str = "en") -> str:
    """One template: its version, installation, period and product rows."""
    inst = template.installation
    version = label("tpl_template", lang, version=template.version or "?")
    if template.version_date:
        version += aside(template.version_date, lang)
    lines = [term(template.file, version, lang)]
    place = ", ".join(x for x in (inst.street, inst.city, inst.country) if x)
    parts = [inst.name, inst.economic_activity, place]
    if inst.unlocode:
        parts.append(f"UN/LOCODE {inst.unlocode}")
    if inst.latitude or inst.longitude:
        parts.append(f"{inst.latitude} {inst.longitude}".strip())
    cells = f"{COMMUNICATION} {inst.cells['name']}:{inst.cells['period_end']}"
    shown = " | ".join(p for p in parts if p) + aside(cells, lang)
    lines.append(f"  {term(label('tpl_installation', lang), shown, lang)}")
    if inst.period_start or inst.period_end:
        lines.append(f"  {term(label('tpl_period', lang), f'{inst.period_start} - {inst.period_end}', lang)}")
    if template.products:
        lines += _table(template, lang)
    else:
        lines.append(f"  {label('tpl_no_products', lang)}")
    return "\n".join(lines)


def templates_text(result: TemplateSet, lang: str = "en") -> str:
    """Every template read, then the files skipped and the templates not read, then warnings."""
    blocks = [template_text(t, lang) for t in result.templates]
    n_products = sum(len(t.products) for t in result.templates)
    if result.templates:
        blocks.append(label("tpl_read", lang, n=len(result.templates), products=n_products))
    else:
        blocks.append(label("tpl_none", lang))
    tail = []
    if result.skipped:
        tail.append(heading(label("tpl_skipped", lang), lang))
        tail += [f"  - {term(f, render(why, lang), lang)}" for f, why in result.skipped]
    if result.failed:
        tail.append(heading(label("tpl_failed", lang), lang))
        tail += [f"  - {render(why, lang)}" for _, why in result.failed]
    if result.warnings:
        tail.append(heading(label("warnings", lang), lang))
        tail += [f"  - {render(w, lang)}" for w in result.warnings]
    if tail:
        blocks.append("\n".join(tail))
    return "\n\n".join(blocks) + "\n"


def templates_json(result: TemplateSet) -> str:
    """One JSON object: every template with every field and its cell, skipped and failed files."""
    doc = {
        "templates": [t.to_json() for t in result.templates],
        "skipped": [{"file": f, "reason": str(why), **why.to_json()} for f, why in result.skipped],
        "failed": [
            {"file": f, "error": str(why), **Message.plain(why).to_json()} for f, why in result.failed
        ],
        "warnings": [{"text": str(w), **w.to_json()} for w in result.warnings],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n"


def templates_csv(result: TemplateSet) -> str:
    """One row per product of every template, with the cell of each figure; text a spreadsheet
    would evaluate starts with an apostrophe."""
    frame = result.products_frame()
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(list(frame.columns))
    for record in frame.itertuples(index=False):
        writer.writerow(["" if v is None or v != v else neutralise(v) for v in record])
    return buf.getvalue()
