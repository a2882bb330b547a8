"""The xlsx report of ``cbam calc -o`` and ``cbam report -o report.xlsx``: Summary, Lines, By
sector, By CN code, By country, By importer and By installation (where the input names them), By
period, Actual vs default, Rejected, Parameters. Long because: the Summary (headline, assumptions,
prices, instruments, who and when) and the table sheets are written by one set of primitives
(write_table, write_figures_sheet, write_headline) that also write the consolidated workbook of
``cbam batch`` (cbam_calc.outputs.batch_report).

Written through cbam_calc.outputs.xlsx_book (the Rust-backed writer, XlsxWriter where its wheel
is missing: streamed, bounded memory), with frozen headers, number formats (tCO2e to 3 decimals,
EUR to cents, years as plain integers) and column widths from a sample of each column (CJK counted
double; long headers wrapped), both in outputs.xlsx_columns, native charts, outputs.print_layout."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

import pandas as pd

from cbam_calc.core.labels import (
    de_minimis_choice,
    de_minimis_outcome,
    header_key,
    importer_shown,
    label,
    line_headers,
    price_status,
    sector_name,
)
from cbam_calc.core.sheets import sheet_name
from cbam_calc.law.de_minimis import threshold_t
from cbam_calc.outputs import display_currency, period_saving
from cbam_calc.outputs.prepared import write_prepared_rows
from cbam_calc.outputs.reading import reading_items
from cbam_calc.outputs.tables import (
    REJECTED_KEYED,
    art9_status_shown,
    draft_rules_shown,
    lines_shown,
    parameters_shown,
    rejected_shown,
)
from cbam_calc.outputs.writers import atomic_write
from cbam_calc.outputs.xlsx_book import Book, Sheet
from cbam_calc.outputs.xlsx_columns import (  # re-exported: html, batch_report import them from here
    FMT_EUR,
    FMT_INT,
    FMT_RATIO,
    FMT_T,
    HEADER_ONE_LINE,
    LINES_MAX_WIDTH,
    MAX_WIDTH,
    TABLE_HEADER_LINE,
    TABLE_MAX_WIDTH,
    fits_one_page,
    number_format,
    set_widths,
    widths_for,
)
from cbam_calc.outputs.xlsx_columns import (
    FMT_YEAR as FMT_YEAR,
)

EXCEL_MAX_ROWS = 1_048_576
# rows of one sheet, its header included: a table longer than that (Lines, Rejected, Parameters)
# continues on "Lines (2)", "Lines (3)"... with the header repeated (a test makes it small)
SHEET_MAX_ROWS = EXCEL_MAX_ROWS
# figures of the Summary sheet's tables, and their formats
SUMMARY_FIGURES = [
    "net_mass_t",
    "embedded_tco2e",
    "free_allocation_tco2e",
    "art9_reduction_tco2e",
    "certificates",
    "cost_eur",
    "eur_per_t",
]
SUMMARY_COLUMNS = 12  # the widest of its tables: By CN code
SUMMARY_SPAN = SUMMARY_COLUMNS - 1  # a long text of the Summary wraps up to its last column
SUMMARY_FORMATS = [FMT_T, FMT_T, FMT_T, FMT_T, FMT_T, FMT_EUR, FMT_EUR]


def write_table(
    wb: Book,
    title: str,
    df: pd.DataFrame,
    formats: list[str | None] | None = None,
    big: bool = False,
    headers: list[str] | None = None,
    max_width: int = MAX_WIDTH,
    header_line: int = HEADER_ONE_LINE,
    page_header_line: int | None = None,
) -> Sheet:
    """A sheet with a bold frozen header row and one row per record; returns the sheet. ``big``:
    a constant-memory sheet (Lines, Rejected, Parameters), which can hold no chart. ``headers``:
    shown instead of the column names (renaming a million-line frame would copy it).
    ``page_header_line``: headers wrap over that many columns instead of ``header_line`` where the
    table would not print on one page across otherwise (:func:`xlsx_columns.fits_one_page`)."""
    heads = [str(c) for c in (headers or df.columns)]
    ws = wb.add_sheet(title, big=big)
    ws.freeze_header()
    fmts = formats or [number_format(header_key(h)) for h in heads]  # a zh header has no unit
    widths = widths_for(df, headers=heads, formats=fmts, max_width=max_width, header_line=header_line)
    if page_header_line is not None and not fits_one_page(widths):
        widths = widths_for(
            df, headers=heads, formats=fmts, max_width=max_width, header_line=page_header_line
        )
    set_widths(ws, widths)
    ws.formats = fmts
    ws.write_row(heads, formats=[None] * len(heads), bold=True, wrap=True)
    ws.write_frame(df, fmts)
    return ws


def split_names(key: str, rows: int, lang: str = "en") -> list[str]:
    """The sheets a table of ``rows`` rows is written on: sheet ``key`` (core.sheets) in ``lang``,
    then its continuation sheets, ``Lines (2)``... (``明细行（2）``...)."""
    per = SHEET_MAX_ROWS - 1
    count = max(1, -(-rows // per))
    return [sheet_name(key, lang, part) for part in range(1, count + 1)]


def continued_notes(tables: dict[str, int], lang: str = "en") -> list:
    """The Summary's warning for each table (sheet key: rows) that continues on more sheets."""
    from cbam_calc.core.messages import Message

    out = []
    for key, rows in tables.items():
        names = split_names(key, rows, lang)
        if len(names) > 1:
            out.append(
                Message(
                    "W_SHEET_CONTINUED",
                    sheet=names[0],
                    rows=f"{rows:,}",
                    limit=f"{SHEET_MAX_ROWS - 1:,}",
                    sheets=", ".join(names[1:]),
                )
            )
    return out


def write_long_table(
    wb: Book,
    key: str,
    df: pd.DataFrame,
    formats: list[str | None] | None = None,
    headers: list[str] | None = None,
    max_width: int = MAX_WIDTH,
    header_line: int = HEADER_ONE_LINE,
    lang: str = "en",
) -> None:
    """A table that may be longer than a sheet (Lines, Rejected, Parameters; ``key``: its sheet's,
    core.sheets): constant-memory sheets of at most SHEET_MAX_ROWS rows each, named in ``lang``
    by :func:`split_names`."""
    per = SHEET_MAX_ROWS - 1
    names = split_names(key, len(df), lang)
    if len(names) == 1:
        write_table(wb, names[0], df, formats, True, headers, max_width, header_line)
        return
    for k, name in enumerate(names):
        part = df.iloc[k * per : (k + 1) * per]
        write_table(wb, name, part, formats, True, headers, max_width, header_line)


CHART_MAX_BARS = 20
CHART_WIDTH_CM = 13  # beside its table on one landscape page
CHART_BELOW_ROWS = 10  # a table of at most this many rows has its chart below it


def write_figures_sheet(
    wb,
    sheet: str,
    frame: pd.DataFrame,
    keys: list[str],
    lang: str,
    *,
    chart_title: str | None = None,
    chart_value: str = "cost_eur",
) -> None:
    """A report table (cbam_calc.outputs.tables: key columns + figures) as a sheet with translated
    headers, number formats by unit, and a native bar chart of its first rows (the table is
    ranked, so these are the highest)."""
    from cbam_calc.outputs.tables import column_label, country_names, display_keys, without_empty_electricity

    shown = without_empty_electricity(display_keys(frame, keys, lang, country_names(lang)))
    formats = [number_format(str(c)) for c in shown.columns]
    value_col = list(shown.columns).index(chart_value) if chart_value in shown.columns else None
    category_col = list(shown.columns).index(keys[0])
    shown.columns = [column_label(str(c), lang) for c in shown.columns]
    ws = write_table(wb, sheet, shown, formats, max_width=TABLE_MAX_WIDTH, page_header_line=TABLE_HEADER_LINE)
    if chart_title and value_col is not None and len(shown):
        bars = min(len(shown), CHART_MAX_BARS)
        below = len(shown) <= CHART_BELOW_ROWS
        # on paper the table only where the chart is beside it (as the Summary's): it would
        # print on a page of its own across, the ranked table above holding its figures
        ws.print_charts = below
        ws.bar_chart(  # horizontal: long names stay readable; the highest on top, as in the table
            title=chart_title,
            values=(value_col, 1, bars),
            categories=(category_col, 1, bars),
            name=(0, value_col),
            # below a short table (on the first screen, and on its printed page), beside a long one
            anchor=(len(shown) + 2, 0) if below else (1, len(shown.columns) + 1),
            axis_title="EUR" if chart_value == "cost_eur" else "EUR/t",
            horizontal=True,
            size_cm=(max(6.0, 0.6 * bars + 2), CHART_WIDTH_CM),
        )


def calc_table_sheets(wb, result, lang: str) -> None:
    """The grouping sheets of a calc report (By sector, By CN code, By country, By importer and
    By installation where the input names them), each with its chart."""
    from cbam_calc.compute.aggregate import calc_tables

    charts = {
        "by_sector": "chart_cost_by_sector",
        "by_cn_code": "chart_cost_by_cn",
        "by_country": "chart_cost_by_country",
        "by_importer": "chart_cost_by_importer",
        "by_installation": "chart_cost_by_installation",
    }
    for t in calc_tables(result):
        title = label(charts[t.name], lang) if t.name in charts else None
        write_figures_sheet(wb, sheet_name(t.sheet, lang), t.frame, t.keys, lang, chart_title=title)


def write_summary_sheet(wb, result, lang: str, notes: Iterable = ()) -> None:
    """The Summary sheet; ``notes``: warnings of the workbook itself (a table continued on more
    sheets), after the run's."""
    s = result.summary
    notes = list(notes)
    w = summary_sheet(wb, lang)
    w.write_row([label("title", lang)], bold=True)
    w.write_row([label("not_legal_advice", lang)], span=SUMMARY_SPAN)
    w.write_row([])
    for f in s.inputs:
        w.write_row([label("file", lang), f.file])
        if f.sheet:
            w.write_row([label("sheet", lang), f.sheet])
        if f.encoding_shown:
            w.write_row([label("encoding", lang), f.encoding_shown])
    w.write_row([label("rows_read", lang), s.rows_read], [None, FMT_INT])
    w.write_row([label("lines", lang), s.lines], [None, FMT_INT])
    w.write_row([label("rejected", lang), s.rejected], [None, FMT_INT])
    w.write_row(reference_as_of_row(s.reference_data_as_of, s.reference_data_undated, lang))
    write_prepared_rows(w, s.prepared, lang)  # who and when
    w.write_row([])
    write_headline(w, s.model_dump(), [g.model_dump() for g in s.by_sector], lang)
    display_currency.write_summary_rows(w, s.display_currency, lang, FMT_EUR, FMT_INT, SUMMARY_SPAN)  # CNY
    write_assumptions(w, s.assumptions, lang)  # on the first printed page, with the headline
    if s.templates is not None:  # --emissions: lines by SEE source, prices due not evidenced
        from cbam_calc.outputs.text import template_messages

        for m in template_messages(s.templates):
            w.write_row([m.text(lang)])
        w.write_row([])
    if s.instruments is not None:  # instruments named: the carbon price paid, recognised and not
        write_instruments(w, s.instruments, lang)

    w.write_row([label("by_cn_code", lang)], bold=True)
    w.write_row(
        [
            label("cn_code", lang),
            label("description", lang),
            label("sector", lang),
            label("lines", lang),
            *(label(k, lang) for k in SUMMARY_FIGURES),
            label("eur_per_t_before_exemption", lang),
        ],
        bold=True,
        wrap=True,
    )
    for g in s.by_cn_code:
        w.write_row(
            [
                f"{g.cn_code[:4]} {g.cn_code[4:6]} {g.cn_code[6:]}",
                g.description,
                sector_name(g.sector, lang),
                g.lines,
                *(getattr(g, k) for k in SUMMARY_FIGURES),
                g.eur_per_t_before_exemption,
            ],
            [None, None, None, FMT_INT, *SUMMARY_FORMATS, FMT_EUR],
        )
    w.write_row([])

    if s.de_minimis:
        w.write_row([label("de_minimis", lang, threshold=threshold_t())], bold=True)
        for d in s.de_minimis:
            w.write_row(
                [
                    f"{importer_shown(d.importer, lang)} {d.year}",
                    d.annex_i_mass_t,
                    de_minimis_outcome(d.exempt, d.year, d.threshold_t, d.annex_i_mass_t, "file", lang)
                    if s.assumptions.de_minimis
                    else label("de_minimis_off", lang),
                ],
                [None, FMT_T, None],
                span=SUMMARY_SPAN,
            )
        w.write_row([])
    if s.warnings or notes:
        w.write_row([label("warnings", lang)], bold=True)
        for msg in [*s.warning_messages(), *notes]:
            w.write_row([msg.text(lang)])
        w.write_row([])
    w.write_row([label("version", lang), s.cbam_calc_version])
    w.write_row([label("reference_sha", lang), s.reference_data_sha256])
    for f in s.inputs:
        w.write_row([f"{label('input_sha', lang)} {Path(f.file).name}", f.sha256])


def write_instruments(w: Sheet, figures, lang: str) -> None:
    """The carbon price paid abroad by instrument (``summary.instruments``), each with its
    treatment and the rule's source, the total, and the note that Art 9 rests on a draft act."""
    from cbam_calc.outputs import instruments as shown

    w.write_row([label("instruments_heading", lang)], bold=True)
    w.write_row(shown.headers(lang, source=True), bold=True, wrap=True)
    formats = [None, None, None, None, FMT_INT, FMT_EUR, FMT_EUR, FMT_EUR, FMT_T, None]
    for r in shown.rows(figures, lang, source=True):
        w.write_row(r, formats)
    w.write_row([shown.draft_note(lang)])
    w.write_row([])


def summary_sheet(wb: Book, lang: str = "en") -> Sheet:
    """The Summary sheet (first column wide for the labels, the tables' headers wrapped). Its
    print is the tables, one page wide: the chart beside them is on screen (and printed with the
    By sector sheet), so the headline figures and the assumptions fit the first page."""
    w = wb.add_sheet(sheet_name("summary", lang))
    w.set_width(0, 46)
    for col in range(1, SUMMARY_COLUMNS):
        w.set_width(col, 14)
    w.print_charts = False
    return w


def reference_as_of_row(date: str | None, undated, lang: str) -> list:
    """The Summary row 'Reference data as of | 2026-12-01 | (what it is)'."""
    from cbam_calc.outputs.text import reference_as_of_notes

    return [label("reference_as_of", lang), date or "", reference_as_of_notes(undated, lang, hint=True)]


def write_headline(w: Sheet, figs: dict, sectors: list[dict], lang: str) -> None:
    """Headline figures, the by-sector table with its total, and a native chart of cost by
    sector (``figs`` and each of ``sectors`` hold the figures of report.FIGURES)."""
    for key, fmt in (
        ("net_mass_t", FMT_T),
        ("electricity_mwh", FMT_T),
        ("embedded_tco2e", FMT_T),
        ("free_allocation_tco2e", FMT_T),
        ("art9_reduction_tco2e", FMT_T),
        ("certificates", FMT_T),
        ("cost_eur", FMT_EUR),
        ("eur_per_t", FMT_EUR),
    ):
        if key == "electricity_mwh" and not figs.get(key):
            continue
        w.write_row([label(key, lang), figs.get(key)], [None, fmt], bold=key == "cost_eur")
    w.write_row([])

    w.write_row([label("by_sector", lang)], bold=True)
    w.write_row(
        [label("sector", lang), label("lines", lang), *(label(k, lang) for k in SUMMARY_FIGURES)],
        bold=True,
        wrap=True,
    )
    first = w.row + 1
    for g in sectors:
        w.write_row(
            [sector_name(g["sector"], lang), g["lines"], *(g[k] for k in SUMMARY_FIGURES)],
            [None, FMT_INT, *SUMMARY_FORMATS],
        )
    last = w.row
    w.write_row(
        [label("total", lang), figs["lines"], *(figs[k] for k in SUMMARY_FIGURES)],
        [None, FMT_INT, *SUMMARY_FORMATS],
        bold=True,
    )
    if sectors:  # rows first..last (1-based) hold the sectors, column H their cost
        w.bar_chart(
            title=label("chart_cost_by_sector", lang),
            values=(7, first - 1, last - 1),
            categories=(0, first - 1, last - 1),
            name=(first - 2, 7),
            anchor=(1, SUMMARY_COLUMNS),  # beside the tables, outside the printed area
            axis_title="EUR",
            horizontal=False,
            size_cm=(7.5, 16),
        )
    w.write_row([])


def write_assumptions(w: Sheet, a, lang: str) -> None:
    """The assumptions block of a Summary sheet: years, factors, CSCF, Art 9 and its draft status,
    and every certificate price used with its status and source."""
    w.write_row([label("assumptions", lang)], bold=True)
    w.write_row([label("years", lang), ", ".join(map(str, a.years))])
    if a.year_override:
        w.write_row([label("year_override", lang), a.year_override])
    if a.reading.skip_hidden:
        w.write_row([label("skip_hidden", lang)])
    for y, v in a.cbam_factor.items():
        w.write_row([f"{label('cbam_factor', lang)} {y}", v], [None, FMT_RATIO])
    for y, v in a.cscf.items():
        status = a.cscf_status.get(y, "")
        note = (
            label("cscf_projection", lang, years=y)
            if status == "projection"
            else label("cscf_law", lang)
            if status == "law"
            else ""
        )
        w.write_row([f"{label('cscf', lang)} {y}" + (f" ({note})" if note else ""), v], [None, FMT_RATIO])
    w.write_row([label("art9_track", lang), a.art9_track])
    w.write_row([label("art9_status", lang), art9_status_shown(a, lang)], span=SUMMARY_SPAN)
    w.write_row([label("de_minimis_choice", lang), de_minimis_choice(a.de_minimis_mode, lang)])
    for d in draft_rules_shown(a, lang):
        w.write_row([label("draft", lang), d], span=SUMMARY_SPAN)
    for r in a.art9_reference_prices:
        w.write_row(
            [
                f"{label('art9_reference_prices', lang)} {r.year}",
                r.price_eur_per_tco2e,
                f"{price_status(r.status, lang)}: {r.averages_text(lang)}",
            ],
            [None, FMT_EUR, None],
        )
    if a.price_override_eur_per_tco2e is not None:
        w.write_row([label("price_override", lang), a.price_override_eur_per_tco2e], [None, FMT_EUR])
    for term, value in reading_items(a.reading, lang):
        w.write_row([term, value])
    w.write_row([])
    w.write_row([label("prices", lang)], bold=True)
    w.write_row(
        [
            label("period", lang),
            label("price", lang),
            label("status", lang),
            label("lines", lang),
            label("source", lang),
        ],
        bold=True,
        wrap=True,
    )
    for p in a.certificate_prices:
        w.write_row(
            [p.period, p.price_eur_per_tco2e, price_status(p.status, lang), p.lines, p.source_text(lang)],
            [None, FMT_EUR, None, FMT_INT, None],
            span=SUMMARY_SPAN,  # the source, whole on the printed page
        )
    w.write_row([])


def rejected_sheet(
    rejected: pd.DataFrame, lang: str, labelled: Iterable[str] = ("row", "column", "value", "reason")
) -> pd.DataFrame:
    """The Rejected sheet: the reasons in ``lang``, each reason's code kept for programs (its
    parameters are not shown), the ``labelled`` columns under their label; in Chinese the file,
    sheet and code columns too (tables.REJECTED_KEYED: English keeps their keys)."""
    shown = rejected_shown(rejected, lang, [c for c in rejected.columns if c != "params"])
    names = {c: label(c, lang) for c in labelled}
    if lang == "zh":
        names |= {c: label(k, lang) for c, k in REJECTED_KEYED.items()}
    return shown.rename(columns=names)


def parameters_in(params: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The Parameters table with Chinese headers for --lang zh (the English keys otherwise, as
    programs reading the sheet expect)."""
    return parameters_shown(params, lang).rename(columns=lambda c: label(c, lang)) if lang == "zh" else params


def write_book(
    path: str | Path,
    sheets: Callable[[Book], None],
    *,
    version: str,
    record: dict | None = None,
    inputs: Iterable[str | Path] = (),
    force: bool = False,
    lang: str = "en",
) -> Path:
    """Write a workbook atomically, never over an input (writers.atomic_write): ``sheets(book)``
    adds its sheets to a :class:`Book` of the temporary file; then the Run sheet of ``record`` in
    ``lang`` (outputs.run_sheet)
    (run_record.make_record / make_batch_record; what ``cbam calc --check`` reads), its figures in
    the workbooks' number formats, the creator ``cbam-calc VERSION``, and every sheet's print
    set-up as the book is closed. The one way the calc, batch and importer workbooks are written.
    Here, not in xlsx_book: it needs run_record and xlsx_columns, which import xlsx_book."""
    from cbam_calc.outputs.run_sheet import write_run_sheet

    def write(tmp: Path) -> None:
        book = Book(tmp)
        sheets(book)
        if record is not None:
            write_run_sheet(book, record, number_format, lang)
        book.set_creator(f"cbam-calc {version}")
        book.close()

    return atomic_write(path, write, inputs=inputs, force=force)


def write_report(
    result,
    path: str | Path,
    *,
    lang: str = "en",
    inputs: Iterable[str] = (),
    force: bool = False,
    record: dict | None = None,
) -> Path:
    """Write the calc workbook atomically; ``record`` (run_record.make_record) adds the Run sheet
    that ``cbam calc --check`` reads. Lines (Rejected, Parameters) over Excel's rows per sheet
    continue on "Lines (2)"..., and the Summary says so."""

    def write(wb: Book) -> None:
        sizes = {"lines": result.lines, "rejected": result.rejected, "parameters": result.parameters}
        write_summary_sheet(wb, result, lang, continued_notes({k: len(v) for k, v in sizes.items()}, lang))
        lines = result.lines
        write_long_table(
            wb,
            "lines",
            lines_shown(lines, lang),
            headers=line_headers(lines.columns, lang),
            max_width=LINES_MAX_WIDTH,
            header_line=0,
            lang=lang,
        )
        calc_table_sheets(wb, result, lang)
        formats = {"eur": FMT_EUR, "t": FMT_T, "int": FMT_INT}  # by period; actual vs default
        narrow = partial(write_table, max_width=TABLE_MAX_WIDTH, page_header_line=TABLE_HEADER_LINE)
        period_saving.write_sheets(wb, result.summary, lang, narrow, formats)
        write_long_table(wb, "rejected", rejected_sheet(result.rejected, lang), lang=lang)
        write_long_table(wb, "parameters", parameters_in(result.parameters, lang), lang=lang)

    version = result.summary.cbam_calc_version
    return write_book(path, write, version=version, record=record, inputs=inputs, force=force, lang=lang)
