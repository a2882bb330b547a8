"""The plain-text summary ``cbam calc`` prints, and the JSON of ``--format json``."""

from __future__ import annotations

import json
from pathlib import Path

from cbam_calc.core.labels import (
    aside,
    de_minimis_choice,
    de_minimis_outcome,
    importer_shown,
    items,
    label,
    price_status,
    sector_name,
    separator,
    term,
)
from cbam_calc.core.labels import (
    heading as as_heading,
)
from cbam_calc.core.sheets import sheet_name
from cbam_calc.law.de_minimis import threshold_t
from cbam_calc.outputs import display_currency, period_saving
from cbam_calc.outputs.prepared import prepared_items
from cbam_calc.outputs.reading import reading_items
from cbam_calc.outputs.tables import rejected_reasons

MAX_REJECTED_SHOWN = 10


def _n(x: float | None, decimals: int) -> str:
    return "-" if x is None else f"{x:,.{decimals}f}"


def summary_text(result, lang: str = "en", report: str | Path | None = None) -> str:
    """The summary a user reads on the terminal; ``report``: the workbook written with -o, where
    the rejected rows not shown here are listed."""
    s = result.summary
    a = s.assumptions
    out: list[str] = []
    for f in s.inputs:
        sheet_word = label("sheet", lang).lower()
        comma = "，" if lang == "zh" else ", "
        where = f.file + (f"{comma}{sheet_word} {f.sheet}" if f.sheet else "")
        if f.encoding_shown:  # read as GB18030 or as --encoding said: the user sees which
            where += f" | {term(label('encoding', lang), f.encoding_shown, lang)}"
        out.append(f"cbam-calc {s.cbam_calc_version} | {where}")
    out.append(reference_as_of(s.reference_data_as_of, s.reference_data_undated, lang, hint=True))
    # who and when (the version and the reference data's date are on the two lines above)
    prepared = prepared_items(s.prepared, lang, as_of=False, version=False, sep=separator(lang))
    out += [term(k, v, lang) for k, v in prepared]
    out.append(label("computed_lines", lang, lines=s.lines, rejected=s.rejected, rows=s.rows_read))
    out.append(assumptions_line(a, lang))
    if a.reading.skip_hidden:
        out.append(label("skip_hidden", lang))
    out.append("")
    head = [
        label("sector", lang),
        "t",
        "tCO2e",
        "FAA tCO2e",
        "Art 9 tCO2e",
        label("certificates_short", lang),
        "EUR",
        "EUR/t",
    ]
    rows = [
        [
            sector_name(g.sector, lang),
            _n(g.net_mass_t or g.electricity_mwh, 1),
            _n(g.embedded_tco2e, 1),
            _n(g.free_allocation_tco2e, 1),
            _n(g.art9_reduction_tco2e, 1),
            _n(g.certificates, 1),
            _n(g.cost_eur, 2),
            _n(
                g.eur_per_t
                if g.sector != "electricity"
                else (g.cost_eur / g.electricity_mwh if g.electricity_mwh else None),
                2,
            ),
        ]
        for g in s.by_sector
    ]
    rows.append(
        [
            label("total", lang),
            _n(s.net_mass_t, 1),
            _n(s.embedded_tco2e, 1),
            _n(s.free_allocation_tco2e, 1),
            _n(s.art9_reduction_tco2e, 1),
            _n(s.certificates, 1),
            _n(s.cost_eur, 2),
            _n(s.eur_per_t, 2),
        ]
    )
    widths = [max(_width(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for r in [head, *rows]:
        out.append("  ".join(_pad(c, w, left=i == 0) for i, (c, w) in enumerate(zip(r, widths))))
    if any(g.sector == "electricity" for g in s.by_sector):
        out.append("(electricity in MWh, EUR per MWh)")
    out.append("")
    out.append(cost_line(s.cost_eur, s.eur_per_t, lang))
    out.append(term(label("prices", lang), price_groups(a.certificate_prices, lang), lang))
    out.extend(display_currency.text_lines(s.display_currency, lang))  # --currency CNY
    out.extend(period_saving_lines(s, lang))  # by period; actual against default (issue 14)
    out.extend(term(name, value, lang) for name, value in reading_items(a.reading, lang))
    out.extend(m.text(lang) for m in template_messages(s.templates))
    out.extend(instrument_lines(s.instruments, lang))
    if a.art9_reference_prices:
        shown = [
            f"{r.year} {r.price_eur_per_tco2e:.2f}"
            + aside(term(price_status(r.status, lang), r.averages_text(lang), lang), lang)
            for r in a.art9_reference_prices
        ]
        out.append(term(label("art9_reference_prices", lang), items(shown, lang), lang))
    out.append(term(label("de_minimis_choice", lang), de_minimis_choice(a.de_minimis_mode, lang), lang))
    exempt = [d for d in s.de_minimis if d.exempt]
    if exempt:
        shown = [
            term(
                importer_shown(d.importer, lang),
                de_minimis_outcome(True, d.year, d.threshold_t, d.annex_i_mass_t, "file", lang),
                lang,
            )
            for d in exempt
        ]
        out.append(term(label("de_minimis", lang, threshold=threshold_t()), items(shown, lang), lang))
    if s.warnings:
        out.append("")
        out.append(as_heading(label("warnings", lang), lang))
        out.extend(f"  - {w.text(lang)}" for w in s.warning_messages())
    if len(result.rejected):
        out.append("")
        out.append(as_heading(label("rejected_rows", lang), lang))
        shown = result.rejected.head(MAX_REJECTED_SHOWN)
        reasons = rejected_reasons(shown, lang)
        for r, reason in zip(shown.itertuples(index=False), reasons):
            value = f" '{r.value}'" if r.value != "" else ""
            comma = "，" if lang == "zh" else ", "
            where = f"{label('row', lang)} {r.row}{comma}{label('column', lang)} '{r.column}'"
            out.append("  " + term(where + value, reason, lang))
        if len(result.rejected) > MAX_REJECTED_SHOWN:
            more, sheet = len(result.rejected) - MAX_REJECTED_SHOWN, sheet_name("rejected", lang)
            if report is not None:
                out.append("  " + label("more_rejected", lang, n=more, report=report, sheet=sheet))
            else:
                out.append("  " + label("more_rejected_no_report", lang, n=more, sheet=sheet))
    out.append("")
    out.append(label("not_legal_advice", lang))
    return "\n".join(out)


def period_saving_lines(summary, lang: str = "en") -> list[str]:
    """By period and actual against default (outputs.period_saving), as the text summary prints
    them; the products' descriptions and certificates stay in the workbook (a terminal is narrow)."""
    out: list[str] = []
    for heading, _, (frame, total), columns, notes in period_saving.tables(summary, lang):
        shown = [c for c in columns if c not in period_saving.NOT_IN_TEXT.get(heading, ())]
        head = [label(f"ps_{c}", lang) for c in shown]
        body = [[period_saving.cell(r[c], c) for c in shown] for _, r in frame.iterrows()]
        body.append([period_saving.cell(v, c) for v, c in zip(total, columns) if c in shown])
        widths = [max(_width(r[i]) for r in [head, *body]) for i in range(len(shown))]
        out += ["", as_heading(label(heading, lang), lang)]
        for r in [head, *body]:
            cells = [_pad(c, w, left=i == 0) for i, (c, w) in enumerate(zip(r, widths))]
            out.append(("  " + "  ".join(cells)).rstrip())
        out += ["  " + n for n in notes]
    return out


def template_messages(templates) -> list:
    """What the communication templates did (``summary.templates``), as messages: lines by the
    source of their SEE, and the deduction unevidenced prices due would bring once evidenced."""
    from cbam_calc.core.messages import Message

    if templates is None:
        return []
    from cbam_calc.inputs.template_match import SOURCE_DEFAULT, SOURCE_SHIPMENT

    # the two sources that are no file are said in words of each language, never as the raw key
    coded = {SOURCE_SHIPMENT: "M_SEE_SOURCE_SHIPMENT", SOURCE_DEFAULT: "M_SEE_SOURCE_DEFAULT"}
    out = [
        Message(coded[c.source], n=c.lines)
        if c.source in coded and not c.file
        else Message("M_SEE_SOURCE", source=c.file or c.source, n=c.lines)
        for c in templates.lines_by_source
    ]
    if templates.unevidenced_lines:
        out.append(
            Message(
                "M_ONCE_EVIDENCED",
                n=templates.unevidenced_lines,
                tco2e=f"{templates.once_evidenced_tco2e:,.3f}",
                eur=f"{templates.once_evidenced_eur:,.2f}",
            )
        )
    return out


def instrument_lines(figures, lang: str = "en") -> list[str]:
    """The carbon price paid abroad by instrument (``summary.instruments``): a table, the
    treatment and the line state last (their texts are long), and the note that Art 9 rests on a
    draft act; nothing where no instrument is named."""
    if figures is None:
        return []
    from cbam_calc.outputs import instruments as shown_instruments

    order = [0, 1, 4, 5, 6, 7, 8, 2, 3]  # the texts of the treatment and the line state last
    head = shown_instruments.headers(lang)
    body = [[shown_instruments.shown(r[i], i) for i in order] for r in shown_instruments.rows(figures, lang)]
    table = [[head[i] for i in order], *body]
    widths = [max(_width(r[i]) for r in table) for i in range(len(order))]
    out = ["", as_heading(label("instruments_heading", lang), lang)]
    left = [c in shown_instruments.TEXTS for c in order]
    for r in table:
        cells = [_pad(c, w, left=le) for c, w, le in zip(r, widths, left)]
        out.append("  " + "  ".join(cells).rstrip())
    out.append("  " + shown_instruments.draft_note(lang))
    out.append("")
    return out


def assumptions_line(a, lang: str = "en") -> str:
    """'Year(s) of import: 2026 | CBAM factor 0.975 | CSCF 1 | Art 9: auto (DRAFT)' in ``lang``."""
    years = ", ".join(map(str, a.years)) or "-"
    factors = ", ".join(f"{v:g}" for v in a.cbam_factor.values())
    cscf = ", ".join(f"{v:g}" for v in a.cscf.values())
    return (
        f"{term(label('years', lang), years, lang)} | {label('factor_short', lang)} {factors} | CSCF {cscf}"
        + cscf_note(a, lang)
        + f" | {term(label('art9_short', lang), a.art9_track, lang)}{aside(label('draft_short', lang), lang)}"
    )


def cost_line(cost_eur: float | None, eur_per_t: float | None, lang: str = "en") -> str:
    """'CBAM cost (EUR): 2,167,485.74  |  EUR per t of goods: 155.62' in ``lang``."""
    return (
        f"{term(label('cost_eur', lang), _n(cost_eur, 2), lang)}  |  "
        f"{term(label('eur_per_t', lang), _n(eur_per_t, 2), lang)}"
    )


def reference_as_of(date: str | None, undated=(), lang: str = "en", hint: bool = False) -> str:
    """'Reference data as of 2026-12-01', naming any file without an update date; ``hint``: where
    to see each file (cbam data)."""
    notes = reference_as_of_notes(undated, lang, hint)
    return f"{label('reference_as_of', lang)} {date or '?'}" + aside(notes, lang)


def reference_as_of_notes(undated=(), lang: str = "en", hint: bool = False) -> str:
    """What goes with the date: the files without one, and where to see each file."""
    notes = [label("reference_undated", lang, n=len(undated), files=", ".join(undated))] if undated else []
    if hint:
        notes.append(label("reference_as_of_hint", lang))
    return items(notes, lang)


def cscf_note(a, lang: str = "en") -> str:
    """' (2031, 2032: projection, no value set by law)' where the CSCF of a year is a projection."""
    years = [str(y) for y, status in a.cscf_status.items() if status == "projection"]
    return aside(label("cscf_projection", lang, years=", ".join(years)), lang) if years else ""


def price_groups(prices, lang: str = "en") -> str:
    """'2026Q1 75.36 (published); 2026Q4 82.32 (projection, for 2026-W53); 2030 99.00 (projection,
    20 periods)': one entry per price row used, and the periods it stands in for."""
    groups: dict[tuple, list] = {}
    for p in prices:
        groups.setdefault((p.source_period, p.price_eur_per_tco2e, p.status), []).append(p)
    parts = []
    for (src, price, status), ps in groups.items():
        finer = [p.period for p in ps if p.period != src]
        if not finer:
            periods = ""
        elif len(ps) == 1:
            periods = label("price_for_period", lang, period=finer[0])
        else:
            periods = label("price_for_periods", lang, n=len(ps))
        parts.append(f"{src} {price:.2f}" + aside(f"{price_status(status, lang)}{periods}", lang))
    return items(parts, lang)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)  # CJK characters take two columns


def _pad(text: str, width: int, left: bool) -> str:
    pad = " " * (width - _width(text))
    return text + pad if left else pad + text


def summary_json(result) -> str:
    """One JSON object: the summary, with plain JSON numbers; who and when (``prepared``) first, as
    every report shows it at its top."""
    data = result.summary.model_dump(mode="json")
    if "prepared" in data:
        data = {"prepared": data.pop("prepared"), **data}
    return json.dumps(data, ensure_ascii=False, indent=2)
