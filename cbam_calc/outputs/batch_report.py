"""Outputs of ``cbam batch``: the text summary, the JSON, and the consolidated workbook.

The workbook is written with the primitives of :mod:`cbam_calc.outputs.xlsx` (through the one
writer of cbam_calc.outputs.xlsx_book: streamed, frozen headers, number formats by unit, native
charts) and the tables of :meth:`BatchResult.tables`,
the same the HTML page shows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from cbam_calc.compute.aggregate import GROUPINGS
from cbam_calc.compute.batch import de_minimis_mode, dm_scope
from cbam_calc.core.labels import (
    de_minimis_choice,
    de_minimis_outcome,
    heading,
    importer_shown,
    label,
    separator,
    term,
)
from cbam_calc.core.messages import render
from cbam_calc.core.sheets import sheet_name
from cbam_calc.law.de_minimis import threshold_t
from cbam_calc.outputs import display_currency
from cbam_calc.outputs.prepared import prepared_items, write_prepared_rows
from cbam_calc.outputs.tables import (
    column_label,
    country_names,
    display_keys,
    files_summary,
    rejected_reasons,
    sources_summary,
    template_lines,
)
from cbam_calc.outputs.text import (
    _n,
    _pad,
    _width,
    assumptions_line,
    cost_line,
    instrument_lines,
    price_groups,
    reference_as_of,
)
from cbam_calc.outputs.writers import json_ready

MAX_TEXT_ROWS = 15  # rows of each grouping in the text summary; the workbook and JSON have all
MAX_TEXT_REJECTED = 10

TEXT_FIGURES = [
    ("lines", "lines_short", 0),
    ("net_mass_t", None, 1),
    ("embedded_tco2e", None, 1),
    ("certificates", "certificates_short", 1),
    ("cost_eur", None, 2),
    ("eur_per_t", None, 2),
]
TEXT_UNITS = {"net_mass_t": "t", "embedded_tco2e": "tCO2e", "cost_eur": "EUR", "eur_per_t": "EUR/t"}
TABLE_OF = {
    "member": "by_member",
    "cn_code": "by_product",
    "sector": "by_sector",
    "country": "by_country",
    "importer": "by_importer",
    "installation": "by_installation",
    "year": "by_year",
}


def _table_text(frame: pd.DataFrame, keys: list[str], lang: str, total: dict | None) -> list[str]:
    names = country_names(lang)
    shown = display_keys(frame, keys, lang, names).head(MAX_TEXT_ROWS)
    key = keys[0]
    head = [column_label(key, lang)]
    if "rank_eur_per_t" in shown.columns:
        head.append(label("rank_eur_per_t", lang))
    head += [label(lbl, lang) if lbl else TEXT_UNITS[c] for c, lbl, _ in TEXT_FIGURES]
    cny = "cost_cny" in shown.columns  # --currency CNY: members and sectors, at display rates
    if cny:
        head.append(label("cost_cny_display", lang))
    rows = []
    for r in shown.to_dict("records"):
        name = str(r[key])
        if key == "cn_code":
            name = f"{name} {_short(str(r.get('description', '')), 36)}"
        cells = [_short(name, 48)]
        if "rank_eur_per_t" in shown.columns:
            rank = r["rank_eur_per_t"]
            cells.append("-" if pd.isna(rank) else str(int(rank)))
        cells += [_n(None if pd.isna(r[c]) else r[c], d) for c, _, d in TEXT_FIGURES]
        if cny:
            cells.append(_n(None if pd.isna(r["cost_cny"]) else r["cost_cny"], 2))
        rows.append(cells)
    if total is not None:
        cells = [label("total", lang)] + ([""] if "rank_eur_per_t" in shown.columns else [])
        cells += [_n(total[c], d) for c, _, d in TEXT_FIGURES]
        if cny:
            cells.append(_n(total.get("cost_cny"), 2))
        rows.append(cells)
    widths = [max(_width(r[i]) for r in [head, *rows]) for i in range(len(head))]
    out = [
        "  ".join(_pad(c, w, left=i == 0) for i, (c, w) in enumerate(zip(r, widths))) for r in [head, *rows]
    ]
    if len(frame) > MAX_TEXT_ROWS:
        out.append(label("batch_more_rows", lang, n=len(frame) - MAX_TEXT_ROWS))
    return out


def _short(text: str, width: int) -> str:
    return text if _width(text) <= width else text[: max(1, width - 3)] + "..."


def batch_text(batch, lang: str = "en", by: Iterable[str] = ("member", "sector", "cn_code")) -> str:
    """The summary printed on stdout: counts, assumptions, the tables asked for with --by,
    de minimis per importer, failed files and warnings. No timing: the same text every run."""
    where = label("batch_of", lang, files=len(batch.files), where=batch.where)
    out = [f"cbam-calc {batch.version} | {label('batch_header', lang)}{where}"]
    out.append(reference_as_of(batch.reference_data_as_of, batch.reference_data_undated, lang, hint=True))
    # who and when (the version and the reference data's date are on the two lines above)
    prepared = prepared_items(batch.prepared, lang, as_of=False, version=False, sep=separator(lang))
    out += [term(k, v, lang) for k, v in prepared]
    out.append(files_summary(batch, lang))
    sources = sources_summary(batch, lang)
    if sources:
        out.append(sources)
    a = batch.assumptions
    if a is not None:
        out.append(assumptions_line(a, lang))
        if a.reading.skip_hidden:
            out.append(label("skip_hidden", lang))
    members = batch.members()
    tables = {t.name: t for t in batch.tables()}
    dc = batch.display_currency  # --currency CNY: the totals row of CNY too
    totals = display_currency.with_total(batch.totals, dc)
    for g in by:
        name = TABLE_OF[g]
        out.append("")
        if name == "by_member":
            out.append(heading(label("top_members", lang), lang))
            out += _table_text(members, ["member"], lang, totals)
        elif name in tables:
            t = tables[name]
            out.append(heading(label(name, lang), lang))
            out += _table_text(t.frame, t.keys, lang, totals if name == "by_sector" else None)
        else:
            out.append(heading(label(name, lang), lang))
            out += _table_text(batch.groupings[g], GROUPINGS[g], lang, None)
    t = batch.totals
    out.append("")
    out.append(cost_line(t["cost_eur"], t["eur_per_t"], lang))
    out.extend(display_currency.text_lines(dc, lang))  # --currency CNY: totals, rates, the note
    if a is not None:
        out.append(term(label("prices", lang), price_groups(a.certificate_prices, lang), lang))
    if batch.instruments is not None:  # the members' carbon price paid by instrument, summed
        out.extend(instrument_lines(batch.instruments, lang))
    dm = batch.de_minimis
    out.append(term(label("de_minimis_choice", lang), de_minimis_choice(de_minimis_mode(batch), lang), lang))
    if batch.options.de_minimis and len(dm):
        exempt = dm[dm["exempt"].astype(bool)]
        counted = f"{label('importers_exempt', lang)} {len(exempt)} / {len(dm)}"
        out.append(term(label("de_minimis", lang, threshold=threshold_t()), counted, lang))
        for r in exempt.itertuples(index=False):
            outcome = de_minimis_outcome(
                True, int(r.year), r.threshold_t, r.annex_i_mass_t, dm_scope(batch), lang
            )
            out.append(
                "  " + term(term(r.member, importer_shown(str(r.importer), lang), lang), outcome, lang)
            )
    if batch.failed:
        out.append("")
        out.append(heading(label("failed_files", lang), lang))
        out += [f"  {render(f.message, lang)}" for f in batch.failed]
    if batch.warnings:
        out.append("")
        out.append(heading(label("warnings", lang), lang))
        out += [f"  - {w.text(lang)} [{label('warning_files', lang, n=n)}]" for w, n in batch.warnings]
    if len(batch.rejected):
        out.append("")
        out.append(heading(label("rejected_rows", lang), lang))
        shown = batch.rejected.head(MAX_TEXT_REJECTED)
        for r, reason in zip(shown.itertuples(index=False), rejected_reasons(shown, lang)):
            value = f" '{r.value}'" if r.value != "" else ""
            comma = "，" if lang == "zh" else ", "
            where = comma.join(
                (str(r.file), f"{label('row', lang)} {r.row}", f"{label('column', lang)} '{r.column}'")
            )
            out.append("  " + term(where + value, reason, lang))
        if batch.rejected_total > MAX_TEXT_REJECTED:
            more, sheet = batch.rejected_total - MAX_TEXT_REJECTED, sheet_name("rejected", lang)
            out.append("  " + label("more_rejected", lang, n=more, report="-o", sheet=sheet))
    out.append("")
    out.append(label("not_legal_advice", lang))
    return "\n".join(out)


def _records(df: pd.DataFrame) -> list[dict]:
    return json_ready(df.astype(object).where(df.notna(), None))


def batch_json(batch, by: Iterable[str] = ("member", "sector", "cn_code", "country")) -> str:
    """One JSON object: who and when, counts, totals, each --by grouping, files, de minimis,
    assumptions."""
    out: dict = {
        **({"prepared": batch.prepared.model_dump(mode="json")} if batch.prepared is not None else {}),
        "cbam_calc_version": batch.version,
        "inputs": batch.where,
        "files_count": len(batch.files),
        "failed_count": len(batch.failed),
        "rows_read": batch.rows_read,
        "lines": batch.lines,
        "rejected": batch.rejected_total,
        "totals": batch.totals,
    }
    for g in by:
        out[f"by_{g}"] = _records(batch.members() if g == "member" else batch.groupings[g])
    out["files"] = [
        {k: v for k, v in f.__dict__.items() if k != "seconds"}  # no timing: the same JSON every run
        for f in batch.files
    ]
    out["failed_files"] = [{"file": f.file, "member": f.member, "message": f.message} for f in batch.failed]
    out["de_minimis"] = _records(batch.de_minimis)
    if batch.instruments is not None:  # only when a member names an instrument, as in cbam calc
        out["instruments"] = batch.instruments.model_dump(mode="json")
    if batch.display_currency is not None:  # --currency CNY, as in cbam calc
        out["display_currency"] = batch.display_currency.model_dump(mode="json")
    if batch.templates is not None:  # --emissions: the templates and the lines by SEE source
        out["templates"] = [{**t, "lines": n} for t, n in template_lines(batch)]
        out["lines_by_source"] = [{"source": s, "file": f, "lines": n} for s, f, n in batch.lines_by_source]
    out["assumptions"] = batch.assumptions.model_dump(mode="json") if batch.assumptions else None
    out["warnings"] = [  # code and params beside the English of before
        {"warning": str.__str__(w), "files": n, **w.to_json()} for w, n in batch.warnings
    ]
    out["reference_data_sha256"] = batch.reference_data_sha256
    out["reference_data_as_of"] = batch.reference_data_as_of
    out["reference_data_undated"] = batch.reference_data_undated
    return json.dumps(out, ensure_ascii=False, indent=2)


# ---------------------------------------------------------------------------- workbook
BATCH_CHARTS = {
    "by_member": "chart_cost_by_member",
    "by_product": "chart_cost_by_product",
    "by_sector": "chart_cost_by_sector",
    "by_country": "chart_cost_by_country",
    "by_importer": "chart_cost_by_importer",
    "by_installation": "chart_cost_by_installation",
}


def write_batch_xlsx(
    batch,
    path: str | Path,
    *,
    lang: str = "en",
    inputs: Iterable[str | Path] = (),
    force: bool = False,
    record: dict | None = None,
) -> Path:
    """The consolidated workbook: Summary, Members, Products, By sector, By country, By importer
    and By installation (where named), De minimis, Files, Rejected, Parameters, and Run
    (``record``, run_record.make_batch_record: what ``cbam calc --check`` reads)."""
    from cbam_calc.outputs.html import de_minimis_frame
    from cbam_calc.outputs.html_batch import files_frame
    from cbam_calc.outputs.xlsx import (
        FMT_EUR,
        FMT_INT,
        FMT_T,
        FMT_YEAR,
        SUMMARY_SPAN,
        continued_notes,
        parameters_in,
        reference_as_of_row,
        rejected_sheet,
        summary_sheet,
        write_assumptions,
        write_book,
        write_figures_sheet,
        write_headline,
        write_instruments,
        write_long_table,
        write_table,
    )
    from cbam_calc.outputs.xlsx_book import Book

    def write(wb: Book) -> None:
        w = summary_sheet(wb, lang)
        w.write_row([label("batch_title", lang)], bold=True)
        w.write_row([label("not_legal_advice", lang)])
        w.write_row([])
        w.write_row([label("report_of", lang), batch.where])
        w.write_row([label("files", lang), len(batch.files)], [None, FMT_INT])
        w.write_row([label("status_failed", lang), len(batch.failed)], [None, FMT_INT])
        w.write_row([label("rows_read", lang), batch.rows_read], [None, FMT_INT])
        w.write_row([label("lines", lang), batch.lines], [None, FMT_INT])
        w.write_row([label("rejected", lang), batch.rejected_total], [None, FMT_INT])
        sources = sources_summary(batch, lang)
        if sources:
            w.write_row([sources])
            for t, n in template_lines(batch):
                w.write_row(
                    [label("batch_template_row", lang), t["file"], n, t["installation"], t["sha256"]],
                    [None, None, FMT_INT],
                )
        w.write_row(reference_as_of_row(batch.reference_data_as_of, batch.reference_data_undated, lang))
        write_prepared_rows(w, batch.prepared, lang)  # who and when
        w.write_row([])
        sectors = batch.groupings["sector"].to_dict("records")
        write_headline(w, batch.totals, sectors, lang)
        # --currency CNY: total, sectors, the rate of each price period and the note
        display_currency.write_summary_rows(w, batch.display_currency, lang, FMT_EUR, FMT_INT, SUMMARY_SPAN)
        if batch.assumptions is not None:  # on the first printed page, with the headline
            write_assumptions(w, batch.assumptions, lang)
        if batch.instruments is not None:  # the members' carbon price paid by instrument, summed
            write_instruments(w, batch.instruments, lang)
        if batch.failed:
            w.write_row([label("failed_files", lang)], bold=True)
            for f in batch.failed:
                w.write_row([f.file, render(f.message, lang)])
            w.write_row([])
        dm = batch.de_minimis
        if len(dm):
            exempt = dm[dm["exempt"].astype(bool)]
            w.write_row([label("de_minimis", lang, threshold=threshold_t())], bold=True)
            w.write_row([label("importers_exempt", lang), f"{len(exempt)} / {len(dm)}"])
            for r in exempt.itertuples(index=False):
                outcome = de_minimis_outcome(
                    True, int(r.year), r.threshold_t, r.annex_i_mass_t, dm_scope(batch), lang
                )
                w.write_row(
                    [
                        f"{r.member}: {importer_shown(str(r.importer), lang)} {r.year}",
                        r.annex_i_mass_t,
                        outcome,
                    ]
                )
            w.write_row([])
        notes = continued_notes({"rejected": len(batch.rejected), "parameters": len(batch.parameters)}, lang)
        if batch.warnings or notes:
            w.write_row([label("warnings", lang)], bold=True)
            for msg, n in batch.warnings:
                w.write_row([msg.text(lang), label("warning_files", lang, n=n)])
            for msg in notes:
                w.write_row([msg.text(lang)])
            w.write_row([])
        w.write_row([label("version", lang), batch.version])
        w.write_row([label("reference_sha", lang), batch.reference_data_sha256])

        for t in batch.tables():
            title = label(BATCH_CHARTS[t.name], lang) if t.name in BATCH_CHARTS else None
            write_figures_sheet(wb, sheet_name(t.sheet, lang), t.frame, t.keys, lang, chart_title=title)
        shown, heads = de_minimis_frame(
            dm, lang, with_member=True, scope=dm_scope(batch), enabled=bool(batch.options.de_minimis)
        )
        shown.columns = heads
        write_table(wb, sheet_name("de_minimis", lang), shown, [None, None, FMT_YEAR, FMT_T, FMT_T, None])
        frame, heads = files_frame(batch, lang)
        formats = [None, None, None, None, FMT_INT, FMT_INT, FMT_INT, FMT_EUR, FMT_EUR, None, None]
        frame.columns = heads
        write_table(wb, sheet_name("files", lang), frame, formats)
        rej = rejected_sheet(batch.rejected, lang, ("member", "row", "column", "value", "reason"))
        write_long_table(wb, "rejected", rej, lang=lang)
        write_long_table(wb, "parameters", parameters_in(batch.parameters, lang), lang=lang)

    return write_book(
        path, write, version=batch.version, record=record, inputs=inputs, force=force, lang=lang
    )
