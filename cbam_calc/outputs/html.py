"""The HTML report of ``cbam report -o report.html``, and the pieces the batch page
(:mod:`cbam_calc.outputs.html_batch`) is built from.
Long because: one page lays out every table, chart and assumption of a run, each a few lines.

Long because: the page's sections and the pieces the batch page shares are one layout, read together.

One self-contained file: styles inline, charts drawn here as inline SVG, no script, no font, image
or style sheet fetched from anywhere, so it reads offline and prints to PDF (A4, headers of long
tables repeated on each page). It shows the same tables as the workbook (cbam_calc.outputs.tables builds
both) and the assumptions box every output carries. It is a report, not a data dump: every table
shows its first rows (the highest levy first where ranked; MAX_HTML_*) with a note saying how many
there are and where all of them are (the workbook's sheet, ``--lines-out``), so a page of a million
lines stays a page, written in a fraction of a second from the rows it shows.

Every text that comes from an input or the reference data (file names, importer and installation
names, CN descriptions, rejected values and reasons, warnings) goes through :func:`esc`.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from cbam_calc.compute.aggregate import FIGURES
from cbam_calc.core.labels import (
    de_minimis_choice,
    de_minimis_outcome,
    importer_shown,
    label,
    line_headers,
    price_status,
)
from cbam_calc.core.sheets import sheet_name
from cbam_calc.law.de_minimis import threshold_t
from cbam_calc.outputs import display_currency, period_saving
from cbam_calc.outputs.reading import reading_items
from cbam_calc.outputs.tables import (
    art9_status_shown,
    column_label,
    country_names,
    display_keys,
    draft_rules_shown,
    lines_shown,
    parameters_shown,
    rejected_shown,
)
from cbam_calc.outputs.writers import write_text
from cbam_calc.outputs.xlsx import FMT_EUR, FMT_INT, FMT_RATIO, FMT_T, number_format

# A page is a report, not a data dump: every table shows its first rows (the highest levy first
# where ranked) and says how many there are and where all of them are (the workbook, --lines-out).
MAX_CHART_BARS = 20
MAX_HTML_LINES = 500  # lines
MAX_HTML_REJECTED = 200  # rejected rows
MAX_HTML_ROWS = 200  # rows of a grouping table (by CN code, importer, installation, member ...)
MAX_HTML_PARAMETERS = 500  # rows of the Parameters table
MAX_HTML_DE_MINIMIS = 200  # importer-years of the de minimis table
MAX_HTML_FILES = 500  # files of a batch (its Files table, its failed files)
MAX_BOX_DE_MINIMIS = 20  # de minimis outcomes spelt out in the assumptions box
BAR_COLOUR = "#1f6f8b"
BAR_COLOUR_2 = "#b5651d"

DECIMALS = {FMT_T: 3, FMT_EUR: 2, FMT_INT: 0, FMT_RATIO: 3, display_currency.FMT_RATE: 4}

# the page's style sheet, inlined into every page (no file is fetched when the page is read)
CSS = "\n" + (Path(__file__).with_name("report.css")).read_text(encoding="utf-8")


def esc(value: object) -> str:
    """Text safe inside HTML elements and attribute values."""
    return html.escape("" if value is None else str(value), quote=True)


def _num(value: object, decimals: int) -> str:
    if value is None or value is pd.NA:
        return "-"
    try:
        x = float(value)
    except (TypeError, ValueError):
        return esc(value)
    if math.isnan(x):
        return "-"
    return f"{x:,.{decimals}f}"


def _decimals(column: str) -> int | None:
    fmt = number_format(column)
    return DECIMALS.get(fmt) if fmt else None


def table_html(
    frame: pd.DataFrame,
    headers: Sequence[str] | None = None,
    *,
    decimals: Sequence[int | None] | None = None,
    total: Sequence[object] | None = None,
    nowrap: Sequence[str] = ("cn_code", "sector", "period", "price_period", "year"),
) -> str:
    """A table: numbers right-aligned with the workbook's decimals (by column unit), text escaped;
    codes in the ``nowrap`` columns kept on one line."""
    cols = [str(c) for c in frame.columns]
    heads = list(headers) if headers is not None else cols
    decs = list(decimals) if decimals is not None else [_decimals(c) for c in cols]
    numeric = [
        d is not None and pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
        for c, d in zip(frame.columns, decs)
    ]
    out = ["<table><thead><tr>"]
    out += [f'<th class="n">{esc(h)}</th>' if n else f"<th>{esc(h)}</th>" for h, n in zip(heads, numeric)]
    out.append("</tr></thead><tbody>")

    keep = [c in nowrap for c in cols]

    def row(values: Sequence[object], cls: str = "") -> str:
        cells = []
        for v, d, n, k in zip(values, decs, numeric, keep):
            if n:
                cells.append(f'<td class="n">{_num(v, d or 0)}</td>')
            else:
                td = '<td class="k">' if k else "<td>"
                cells.append(f"{td}{'' if _blank(v) else esc(v)}</td>")
        return f"<tr{cls}>{''.join(cells)}</tr>"

    out += [row(r) for r in frame.itertuples(index=False, name=None)]
    if total is not None:
        out.append(row(total, ' class="total"'))
    out.append("</tbody></table>")
    return "".join(out)


def _blank(v: object) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def _text_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)  # CJK characters are twice as wide


def _truncate(text: str, width: int) -> str:
    if _text_width(text) <= width:
        return text
    out, w = "", 0
    for ch in text:
        w += 2 if ord(ch) > 0x2E80 else 1
        if w > width - 1:
            break
        out += ch
    return out + "…"


def svg_bars(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    decimals: int = 0,
    colour: str = BAR_COLOUR,
    note: str = "",
) -> str:
    """A horizontal bar chart as inline SVG: one bar per label, in the order given, the value
    written after each bar, the full label in a tooltip where it had to be shortened."""
    n = len(values)
    width, label_w, value_w, row_h, top = 820, 300, 120, 22, 34
    area = width - label_w - value_w - 12
    height = top + n * row_h + 8
    vals = [0.0 if _blank(v) else max(float(v), 0.0) for v in values]
    vmax = max(vals, default=0.0) or 1.0
    title_text = esc(title) + (f' <tspan class="cv">({esc(note)})</tspan>' if note else "")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{esc(title)}">',
        f'<text x="0" y="18" class="ct">{title_text}</text>',
    ]
    for i, (lab, v) in enumerate(zip(labels, vals)):
        y = top + i * row_h
        w = v / vmax * area
        shown = _num(values[i], decimals)
        out.append(
            f"<g><title>{esc(lab)}: {shown}</title>"
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{esc(_truncate(str(lab), 44))}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" fill="{colour}"/>'
            f'<text x="{label_w + w + 5:.1f}" y="{y + 15}" class="cv">{shown}</text></g>'
        )
    out.append("</svg>")
    return "".join(out)


def _chart_of(
    frame: pd.DataFrame,
    keys: list[str],
    value: str,
    title: str,
    lang: str,
    names: dict[str, str],
    colour: str = BAR_COLOUR,
) -> str:
    """Chart of a ranked table's first rows (the highest, when ranked by ``value``); only the bars
    drawn get their keys shown (display_keys)."""
    data = frame.dropna(subset=[value])
    if value != "cost_eur":
        data = data.sort_values(value, ascending=False, kind="stable")
    top = display_keys(data.head(MAX_CHART_BARS), keys, lang, names)
    if top.empty:
        return ""
    note = label("chart_top", lang, n=len(top), total=len(data)) if len(data) > len(top) else ""
    key = keys[0]
    labels = top[key].astype(str).tolist()
    if key == "cn_code" and "description" in top.columns:
        labels = [f"{c} {d}" for c, d in zip(labels, top["description"].astype(str))]
    return svg_bars(
        labels,
        top[value].tolist(),
        title=title,
        decimals=0 if value == "cost_eur" else 2,
        colour=colour,
        note=note,
    )


def figures_section(
    heading: str,
    frame: pd.DataFrame,
    keys: list[str],
    lang: str,
    names: dict[str, str],
    charts: Sequence[tuple[str, str]] = (),
    total: dict | None = None,
    *,
    sheet: str = "",
    command: str = "",
) -> str:
    """A report table (cbam_calc.outputs.tables) with its charts: ``charts`` = (value column, title).
    The charts and the total row are of every row; the table shows the first MAX_HTML_ROWS (the
    highest levy: report tables are ranked) and a note naming the workbook's ``sheet`` (its key,
    core.sheets) that has them all and the ``command`` that writes it."""
    from cbam_calc.outputs.tables import without_empty_electricity

    frame = without_empty_electricity(frame)
    parts = [f"<section><h2>{esc(heading)}</h2>"]
    for i, (value, title) in enumerate(charts):
        colour = BAR_COLOUR if i == 0 else BAR_COLOUR_2
        parts.append(_chart_of(frame, keys, value, title, lang, names, colour))
    total_row = None
    if total is not None:
        figures = {*FIGURES, *display_currency.COST_COLUMNS}  # a batch's cost_cny (--currency CNY)
        total_row = [
            label("total", lang) if c == keys[0] else total.get(c, "") if c in figures else ""
            for c in frame.columns
        ]
    if len(frame) > MAX_HTML_ROWS:
        n = len(frame)
        where = sheet_name(sheet, lang)
        note = label("html_top_rows", lang, shown=MAX_HTML_ROWS, total=n, sheet=where, command=command)
        parts.append(f'<p class="small">{esc(note)}</p>')
    shown = display_keys(frame.head(MAX_HTML_ROWS), keys, lang, names)
    parts.append(table_html(shown, [column_label(str(c), lang) for c in shown.columns], total=total_row))
    parts.append("</section>")
    return "".join(parts)


def figures_sections(
    tables: Sequence,
    charts: dict[str, Sequence[tuple[str, str]]],
    totals: dict,
    lang: str,
    names: dict[str, str],
    command: str,
) -> list[str]:
    """A :func:`figures_section` per report table (cbam_calc.compute.aggregate.ReportTable) of a
    calc or a batch page: ``charts`` = table name -> (value column, label of its title), and the
    ``totals`` row under the table by sector."""
    return [
        figures_section(
            label(t.name, lang),
            t.frame,
            t.keys,
            lang,
            names,
            [(value, label(title, lang)) for value, title in charts.get(t.name, ())],
            totals if t.name == "by_sector" else None,
            sheet=t.sheet,
            command=command,
        )
        for t in tables
    ]


def cards(figs: dict, lang: str) -> str:
    items = [
        ("cost_eur", 2, True),
        ("eur_per_t", 2, False),
        ("certificates", 3, False),
        ("embedded_tco2e", 3, False),
        ("free_allocation_tco2e", 3, False),
        ("art9_reduction_tco2e", 3, False),
        ("net_mass_t", 3, False),
    ]
    if figs.get("electricity_mwh"):
        items.append(("electricity_mwh", 3, False))
    out = ['<div class="cards">']
    for key, d, main in items:
        cls = "card main" if main else "card"
        out.append(
            f'<div class="{cls}"><div class="k">{esc(label(key, lang))}</div>'
            f'<div class="v">{_num(figs.get(key), d)}</div></div>'
        )
    out.append("</div>")
    return "".join(out)


def assumptions_box(
    a,
    lang: str,
    *,
    de_minimis: list[str],
    warnings: Sequence[str],
    version: str,
    inputs: Sequence[tuple[str, str]],
    reference_sha: str,
    options=None,
    reference_as_of: str = "",
) -> str:
    """What every figure rests on: certificate prices and their status, the CSCF, the Art 9
    track and its draft status, de minimis, warnings, and what produced the report."""
    dl: list[str] = []

    def item(term: str, *descs: str) -> None:
        dl.append(f"<dt>{esc(term)}</dt>" + "".join(f"<dd>{d}</dd>" for d in descs))

    if reference_as_of:  # what every figure rests on, dated
        item(label("reference_as_of", lang), esc(reference_as_of))

    if a is not None:
        item(label("years", lang), esc(", ".join(map(str, a.years)) or "-"))
        if a.year_override:
            item(label("year_override", lang), esc(a.year_override))
        rows = pd.DataFrame(
            [
                (p.period, p.price_eur_per_tco2e, price_status(p.status, lang), p.lines, p.source_text(lang))
                for p in a.certificate_prices
            ],
            columns=["period", "price", "status", "lines", "source"],
        )
        price_table = table_html(
            rows,
            [label(k, lang) for k in ("period", "price", "status", "lines_short", "source")],
            decimals=[None, 2, None, 0, None],
        )
        item(label("prices", lang), price_table)
        if a.price_override_eur_per_tco2e is not None:
            item(label("price_override", lang), _num(a.price_override_eur_per_tco2e, 2))
        for term, value in reading_items(getattr(a, "reading", None), lang):
            item(term, esc(value))
        item(label("cbam_factor", lang), esc("; ".join(f"{y}: {v:g}" for y, v in a.cbam_factor.items())))
        cscf = []
        for y, v in a.cscf.items():
            status = a.cscf_status.get(y, "")
            if status == "projection":
                note = f' <span class="draft">({esc(label("cscf_projection", lang, years=y))})</span>'
            else:
                note = f" ({esc(label('cscf_law', lang))})" if status == "law" else ""
            cscf.append(f"{esc(y)}: {v:g}{note}")
        item(label("cscf", lang), "; ".join(cscf))
        item(
            label("art9_track", lang),
            f'{esc(a.art9_track)} <span class="draft">{esc(label("draft_short", lang))}</span>',
        )
        item(label("art9_status", lang), f'<span class="draft">{esc(art9_status_shown(a, lang))}</span>')
        item(label("draft", lang), *(esc(d) for d in draft_rules_shown(a, lang)))
        if a.art9_reference_prices:
            item(
                label("art9_reference_prices", lang),
                esc(
                    "; ".join(
                        f"{r.year}: {r.price_eur_per_tco2e:.2f} "
                        f"({price_status(r.status, lang)}; {r.averages_text(lang)})"
                        for r in a.art9_reference_prices
                    )
                ),
            )
        if a.fx_used:
            item(label("fx_used", lang), esc("; ".join(f"{k}: {v:g}" for k, v in a.fx_used.items())))
        if a.default_carbon_prices:
            item(
                label("default_carbon_prices", lang),
                esc("; ".join(f"{k}: {v:g} EUR/tCO2e" for k, v in a.default_carbon_prices.items())),
            )
        if a.benchmark_projection_years:
            item(label("benchmark_projection", lang), esc(", ".join(map(str, a.benchmark_projection_years))))
    if a is not None:
        item(label("de_minimis_choice", lang), esc(de_minimis_choice(a.de_minimis_mode, lang)))
    item(label("de_minimis", lang, threshold=threshold_t()), *(de_minimis or ["-"]))
    if warnings:
        item(label("warnings", lang), *(esc(w) for w in warnings))
    item(label("version", lang), esc(version))
    for name, sha in inputs:
        item(f"{label('input_sha', lang)}: {name}", f'<span class="sha">{esc(sha)}</span>')
    item(label("reference_sha", lang), f'<span class="sha">{esc(reference_sha)}</span>')
    return (
        f'<div class="assumptions"><h2>{esc(label("assumptions", lang))}</h2><dl>{"".join(dl)}</dl>'
        f'<p class="legal">{esc(label("not_legal_advice", lang))}</p></div>'
    )


def _as_of(date: str | None, undated, lang: str) -> str:
    """'2026-12-01 (cbam data lists each table and parameter)' for the assumptions box."""
    from cbam_calc.outputs.text import reference_as_of_notes

    notes = reference_as_of_notes(undated, lang, hint=True)
    return (date or "?") + (f" ({notes})" if notes else "")


def _de_minimis_lines(
    rows: pd.DataFrame, lang: str, enabled: bool, prefix_member: bool = False, scope: str = "file"
) -> list[str]:
    """The de minimis rows as conditionals: a file (or a batch) holds only its suppliers' share of
    an importer's imports (``scope``: file or batch)."""
    if not enabled:
        return [esc(label("de_minimis_off", lang))]
    out = []
    for r in rows.itertuples(index=False):
        who = importer_shown(str(r.importer), lang)
        who = f"{r.member}: {who}" if prefix_member else who
        outcome = de_minimis_outcome(
            bool(r.exempt), int(r.year), r.threshold_t, r.annex_i_mass_t, scope, lang
        )
        out.append(esc(f"{who} {r.year}: {outcome}"))
    return out


def de_minimis_frame(
    rows: pd.DataFrame, lang: str, with_member: bool, scope: str = "file", enabled: bool = True
) -> tuple[pd.DataFrame, list[str]]:
    """The de minimis table: one row per importer and year, its outcome worded as a conditional
    (``scope``: file or batch; a batch by importer lists the members it sums)."""
    cols = (["member"] if with_member else []) + [
        "importer",
        "year",
        "annex_i_mass_t",
        "threshold_t",
        "exempt",
    ]
    shown = rows[cols].copy()
    shown["importer"] = [importer_shown(str(i), lang) for i in shown["importer"]]
    shown["exempt"] = [
        de_minimis_outcome(bool(e), int(y), t, m, scope, lang) if enabled else label("de_minimis_off", lang)
        for e, y, t, m in zip(rows["exempt"], rows["year"], rows["threshold_t"], rows["annex_i_mass_t"])
    ]
    heads = [
        *([label("de_minimis_members" if scope == "batch" else "member", lang)] if with_member else []),
        label("importer", lang),
        label("year", lang),
        label("annex_i_mass", lang),
        label("threshold", lang),
        label("outcome", lang),
    ]
    return shown, heads


def _page(title: str, lang: str, body: list[str]) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="cbam-calc">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def _small_table_section(
    heading: str, frame: pd.DataFrame, headers: list[str], note: str = "", cls=""
) -> str:
    attr = f' class="{cls}"' if cls else ""
    return (
        f"<section{attr}><h2>{esc(heading)}</h2>"
        + (f'<p class="small">{esc(note)}</p>' if note else "")
        + table_html(frame, headers)
        + "</section>"
    )


REJECTED_LABELS = ("file", "sheet", "row", "column", "value", "reason")
PARAMETER_LABELS = ("parameter", "key", "value", "unit", "status", "source", "effective_from")
HTML_LINE_COLUMNS = [
    "row",
    "cn_code",
    "description",
    "country_iso2",
    "net_mass_t",
    "emissions_data",
    "see_tco2e_per_t",
    "embedded_tco2e",
    "free_allocation_tco2e",
    "art9_reduction_tco2e",
    "certificates",
    "price_period",
    "price_eur_per_tco2e",
    "cost_eur",
    "cost_cny",  # --currency CNY only (at the display rate beside it)
    "display_rate_cny_per_eur",
    "display_rate_status",
    "notes",
]


def first_rows_note(total: int, limit: int, lang: str, sheet: str, command: str) -> str:
    """'The first 200 of 1,000,000 rows are shown here; all of them are in the Rejected sheet of
    the workbook (cbam report FILE -o report.xlsx).' where a table has more than ``limit`` rows
    (``sheet``: the key of the workbook's sheet, core.sheets, named in ``lang``)."""
    if total <= limit:
        return ""
    where = sheet_name(sheet, lang)
    return label("html_first_rows", lang, shown=limit, total=total, sheet=where, command=command)


def _joined(*notes: str) -> str:
    return " ".join(n for n in notes if n)


def _rejected_section(rejected: pd.DataFrame, lang: str, note: str = "", *, command: str = "") -> str:
    """The first MAX_HTML_REJECTED rejected rows (their reasons rendered for those alone)."""
    # the columns a reader needs (not the reasons' codes and parameters), the reasons in lang
    cols = [c for c in rejected.columns if c in REJECTED_LABELS or c == "member"]
    shown = rejected_shown(rejected.head(MAX_HTML_REJECTED), lang, cols)
    heads = [label(c, lang) for c in cols]
    note = _joined(note, first_rows_note(len(rejected), MAX_HTML_REJECTED, lang, "rejected", command))
    return _small_table_section(label("rejected_rows", lang), shown, heads, note, "appendix")


def _parameters_section(params: pd.DataFrame, lang: str, *, command: str = "") -> str:
    """The first MAX_HTML_PARAMETERS parameters used (a realistic file uses thousands)."""
    if params.empty:
        return ""
    heads = [label(c, lang) if c in PARAMETER_LABELS else c for c in params.columns]
    values = parameters_shown(params.head(MAX_HTML_PARAMETERS), lang).copy()
    # values of every kind (ratios, prices, t/t): as many digits as the data file gives
    values["value"] = values["value"].map(lambda v: f"{v:g}" if isinstance(v, float) else v)
    note = first_rows_note(len(params), MAX_HTML_PARAMETERS, lang, "parameters", command)
    return _small_table_section(label("parameters", lang), values, heads, note, cls="appendix")


def de_minimis_section(
    dm: pd.DataFrame, lang: str, *, with_member: bool, scope: str, enabled: bool, sheet: str, command: str
) -> str:
    """The de minimis table: its first MAX_HTML_DE_MINIMIS importer-years (one per importer and
    year: thousands in an association's file)."""
    shown, heads = de_minimis_frame(
        dm.head(MAX_HTML_DE_MINIMIS), lang, with_member=with_member, scope=scope, enabled=enabled
    )
    note = first_rows_note(len(dm), MAX_HTML_DE_MINIMIS, lang, sheet, command)
    return _small_table_section(label("de_minimis", lang, threshold=threshold_t()), shown, heads, note)


def box_de_minimis_lines(
    rows: pd.DataFrame,
    lang: str,
    enabled: bool,
    *,
    prefix_member: bool = False,
    scope: str = "file",
    sheet: str,
    command: str,
) -> list[str]:
    """The de minimis outcomes of the assumptions box: the first MAX_BOX_DE_MINIMIS, then how many
    more there are and where all of them are."""
    out = _de_minimis_lines(rows.head(MAX_BOX_DE_MINIMIS), lang, enabled, prefix_member, scope)
    if enabled and len(rows) > MAX_BOX_DE_MINIMIS:
        n, where = len(rows) - MAX_BOX_DE_MINIMIS, sheet_name(sheet, lang)
        more = label("html_more_items", lang, n=n, sheet=where, command=command)
        out.append(esc(more))
    return out


# ---------------------------------------------------------------------------- cbam report
CALC_CHARTS = {
    "by_sector": [("cost_eur", "chart_cost_by_sector")],
    "by_cn_code": [("cost_eur", "chart_cost_by_cn")],
    "by_country": [("cost_eur", "chart_cost_by_country")],
}


def calc_html(result, lang: str = "en") -> str:
    """The report of one run, as one self-contained page."""
    from cbam_calc.compute.aggregate import calc_tables
    from cbam_calc.outputs.text import template_messages

    s = result.summary
    names = country_names(lang)
    files = ", ".join(Path(f.file).name + "".join(f" ({n})" for n in f.notes(lang)) for f in s.inputs)
    figs = s.model_dump()
    counts = label("computed_lines", lang, lines=s.lines, rejected=s.rejected, rows=s.rows_read)
    command = label("xlsx_command_calc", lang)
    body = [
        f"<header><h1>{esc(label('title', lang))}</h1>",
        f'<p class="meta">{esc(label("report_of", lang))}: {esc(files)}</p>',
        f'<p class="meta">{esc(counts)}</p>',
        prepared_html(s.prepared, lang),
        # with --emissions: the lines by source of their SEE, and what unevidenced prices due
        # would deduct, as the text summary and the xlsx Summary say them
        *(f'<p class="meta">{esc(m.text(lang))}</p>' for m in template_messages(s.templates)),
        f'<p class="legal">{esc(label("not_legal_advice", lang))}</p></header>',
        f"<section><h2>{esc(label('headline', lang))}</h2>{cards(figs, lang)}</section>",
        instruments_section(s.instruments, lang),
        display_currency.html_section(s.display_currency, lang, esc, table_html),  # --currency CNY
    ]
    dm = pd.DataFrame([d.model_dump() for d in s.de_minimis])
    body.append(
        assumptions_box(
            s.assumptions,
            lang,
            de_minimis=box_de_minimis_lines(
                dm, lang, s.assumptions.de_minimis, sheet="summary", command=command
            )
            if len(dm)
            else [],
            warnings=[w.text(lang) for w in s.warning_messages()],
            version=s.cbam_calc_version,
            inputs=[(Path(f.file).name, f.sha256) for f in s.inputs],
            reference_sha=s.reference_data_sha256,
            reference_as_of=_as_of(s.reference_data_as_of, s.reference_data_undated, lang),
        )
    )
    body += figures_sections(calc_tables(result), CALC_CHARTS, figs, lang, names, command)
    body.append(period_saving_sections(s, lang))  # by period; actual against default
    if len(dm):
        body.append(
            de_minimis_section(
                dm,
                lang,
                with_member=False,
                scope="file",
                enabled=s.assumptions.de_minimis,
                sheet="summary",
                command=command,
            )
        )
    if len(result.rejected):
        body.append(_rejected_section(result.rejected, lang, command=command))
    body.append(_lines_section(result, lang, command))
    body.append(_parameters_section(result.parameters, lang, command=command))
    body.append(_footer(s.cbam_calc_version, lang))
    return _page(f"{label('title', lang)}: {files}", lang, body)


def period_saving_sections(summary, lang: str) -> str:
    """A section for each table of outputs.period_saving (by period, actual against default), with
    its total row and notes ('' where neither has rows)."""
    out = []
    for heading, _, (frame, total), columns, notes in period_saving.tables(summary, lang):
        decimals = [period_saving.DECIMALS.get(c) for c in columns]
        out.append(
            f"<section><h2>{esc(label(heading, lang))}</h2>"
            + table_html(frame, period_saving.headers(columns, lang), decimals=decimals, total=total)
            + "".join(f'<p class="small">{esc(n)}</p>' for n in notes)
            + "</section>"
        )
    return "".join(out)


def prepared_html(prepared, lang: str) -> str:
    """Who and when the report is of (outputs/prepared.py), at the top of the page."""
    from cbam_calc.outputs.prepared import prepared_items

    items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in prepared_items(prepared, lang))
    return f'<dl class="prepared">{items}</dl>' if items else ""


def instruments_section(figures, lang: str) -> str:
    """The carbon price paid abroad by instrument (``summary.instruments``), each with its
    treatment and the rule's source, the total, and the note that Art 9 rests on a draft act;
    '' where no instrument is named."""
    if figures is None:
        return ""
    from cbam_calc.outputs import instruments as shown

    body = shown.rows(figures, lang, source=True)
    frame = pd.DataFrame(body[:-1], columns=[str(i) for i in range(len(body[0]))])
    heads = shown.headers(lang, source=True)
    decimals = [None, None, None, None, 0, 2, 2, 2, 3, None]
    note = f'<p class="small draft">{esc(shown.draft_note(lang))}</p>'
    return (
        f"<section><h2>{esc(label('instruments_heading', lang))}</h2>"
        + table_html(frame, heads, decimals=decimals, total=body[-1])
        + note
        + "</section>"
    )


def _lines_section(result, lang: str, command: str) -> str:
    """The first MAX_HTML_LINES lines, built alone (CalcResult.first_lines: not the table of a
    million), the columns a reader needs, and where every line is."""
    lines = result.first_lines(MAX_HTML_LINES)
    if not len(lines):
        return ""
    cols = [c for c in HTML_LINE_COLUMNS if c in lines.columns]
    note = ""
    if result.summary.lines > MAX_HTML_LINES:
        total = result.summary.lines
        where = sheet_name("lines", lang)
        note = label(
            "html_first_lines", lang, shown=MAX_HTML_LINES, total=total, sheet=where, command=command
        )
    shown = lines_shown(lines[cols], lang)
    return _small_table_section(
        label("lines_table", lang), shown, line_headers(cols, lang), note, "appendix lines"
    )


def _footer(version: str, lang: str) -> str:
    return (
        f'<footer><p class="legal">{esc(label("not_legal_advice", lang))}</p>'
        f'<p class="small">cbam-calc {esc(version)}</p></footer>'
    )


def write_html(
    page: str, path: str | Path, *, inputs: Sequence[str | Path] = (), force: bool = False
) -> Path:
    return write_text(page, path, inputs=inputs, force=force)
