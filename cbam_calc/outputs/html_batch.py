"""The HTML report of ``cbam batch --html``: members ranked by levy, the groupings, every file.

The page is built from the pieces of :mod:`cbam_calc.outputs.html` (page, tables, charts, the
assumptions box), so a batch page and a calc page look and print alike.
"""

from __future__ import annotations

import pandas as pd

from cbam_calc.compute.batch import dm_scope
from cbam_calc.core.labels import label
from cbam_calc.core.messages import Message, render
from cbam_calc.outputs import display_currency
from cbam_calc.outputs import html as page
from cbam_calc.outputs.html import (
    _as_of,
    _footer,
    _page,
    _parameters_section,
    _rejected_section,
    _small_table_section,
    assumptions_box,
    box_de_minimis_lines,
    cards,
    de_minimis_section,
    esc,
    figures_sections,
    first_rows_note,
    instruments_section,
)
from cbam_calc.outputs.tables import country_names, files_summary, sources_summary

BATCH_CHARTS = {
    "by_member": [("cost_eur", "chart_cost_by_member"), ("eur_per_t", "chart_eur_per_t_by_member")],
    "by_product": [("cost_eur", "chart_cost_by_product")],
    "by_sector": [("cost_eur", "chart_cost_by_sector")],
    "by_country": [("cost_eur", "chart_cost_by_country")],
}


FILE_STATUS = {"ok": "status_ok", "failed": "status_failed", "duplicate": "status_duplicate"}


def files_frame(batch, lang: str, limit: int | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Every file of a batch (the first ``limit``): member, status, counts, cost, message and
    SHA-256."""
    rows = pd.DataFrame(
        [
            (
                f.member,
                f.file,
                f.sheet or "",
                label(FILE_STATUS.get(f.status, "status_failed"), lang),
                f.rows_read,
                f.lines,
                f.rejected,
                f.cost_eur,
                f.eur_per_t,
                f.message.text(lang) if isinstance(f.message, Message) else f.message,
                f.sha256,
            )
            for f in batch.files[:limit]
        ],
        columns=[
            "member",
            "file",
            "sheet",
            "status",
            "rows_read",
            "lines",
            "rejected",
            "cost_eur",
            "eur_per_t",
            "message",
            "sha256",
        ],
    )
    heads = [
        label(k, lang)
        for k in (
            "member",
            "file",
            "sheet",
            "file_status",
            "rows_read",
            "lines",
            "rejected",
            "cost_eur",
            "eur_per_t",
            "message",
            "sha",
        )
    ]
    return rows, heads


def batch_html(batch, lang: str = "en") -> str:
    """The consolidated report of a batch, as one self-contained page. Every table shows its first
    rows and says where all of them are: the sheets of the consolidated workbook (``cbam batch
    ... -o batch.xlsx``)."""
    names = country_names(lang)
    counts = files_summary(batch, lang)
    command = label("xlsx_command_batch", lang)
    body = [
        f"<header><h1>{esc(label('batch_title', lang))}</h1>",
        f'<p class="meta">{esc(label("batch_of", lang, files=len(batch.files), where=batch.where))}</p>',
        f'<p class="meta">{esc(counts)}</p>',
        page.prepared_html(batch.prepared, lang),
        *([f'<p class="meta">{esc(sources)}</p>'] if (sources := sources_summary(batch, lang)) else []),
        f'<p class="legal">{esc(label("not_legal_advice", lang))}</p></header>',
        f"<section><h2>{esc(label('headline', lang))}</h2>{cards(batch.totals, lang)}</section>",
        instruments_section(batch.instruments, lang),  # '' where no member names an instrument
        # --currency CNY: total, sectors, the rate of each price period and the note ('' else)
        display_currency.html_section(batch.display_currency, lang, esc, page.table_html),
    ]
    if batch.failed:
        items = "".join(
            f"<li>{esc(render(f.message, lang))}</li>" for f in batch.failed[: page.MAX_HTML_FILES]
        )
        more = first_rows_note(len(batch.failed), page.MAX_HTML_FILES, lang, "files", command)
        more = f'<p class="small">{esc(more)}</p>' if more else ""
        heading = esc(label("failed_files", lang))
        body.append(f'<section class="alert"><h2>{heading}</h2><ul>{items}</ul>{more}</section>')
    dm = batch.de_minimis
    exempt = dm[dm["exempt"].astype(bool)] if len(dm) else dm
    dm_lines = [
        esc(f"{label('importers_exempt', lang)}: {len(exempt)} / {len(dm)}"),
        *box_de_minimis_lines(
            exempt,
            lang,
            bool(batch.options.de_minimis),
            prefix_member=True,
            scope=dm_scope(batch),
            sheet="de_minimis",
            command=command,
        ),
    ]
    body.append(
        assumptions_box(
            batch.assumptions,
            lang,
            de_minimis=dm_lines,
            warnings=[f"{w.text(lang)} [{label('warning_files', lang, n=n)}]" for w, n in batch.warnings],
            version=batch.version,
            inputs=[],
            reference_sha=batch.reference_data_sha256,
            reference_as_of=_as_of(batch.reference_data_as_of, batch.reference_data_undated, lang),
        )
    )
    # the total row by sector: with --currency CNY, its CNY too
    totals = display_currency.with_total(batch.totals, batch.display_currency)
    body += figures_sections(batch.tables(), BATCH_CHARTS, totals, lang, names, command)
    if len(dm):
        body.append(
            de_minimis_section(
                dm,
                lang,
                with_member=True,
                scope=dm_scope(batch),
                enabled=bool(batch.options.de_minimis),
                sheet="de_minimis",
                command=command,
            )
        )
    frame, heads = files_frame(batch, lang, limit=page.MAX_HTML_FILES)
    note = first_rows_note(len(batch.files), page.MAX_HTML_FILES, lang, "files", command)
    body.append(_small_table_section(label("files", lang), frame, heads, note, "wide"))
    if len(batch.rejected):
        note = label("rejected_capped", lang, cap=batch.rejected_cap, total=batch.rejected_total)
        body.append(_rejected_section(batch.rejected, lang, note, command=command))
    body.append(_parameters_section(batch.parameters, lang, command=command))
    body.append(_footer(batch.version, lang))
    return _page(label("batch_title", lang), lang, body)
