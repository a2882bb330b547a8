"""The xlsx report of ``cbam calc -o`` and ``cbam report -o report.xlsx``: Summary, Lines, By
sector, By CN code, By country, By importer and By installation (where the input names them),
Rejected, Parameters. The primitives here (SheetWriter, write_table, write_figures_sheet) also
write the consolidated workbook of ``cbam batch`` (cbam_calc.outputs.batch_report).

Written with openpyxl in write-only mode (streamed, bounded memory), with frozen headers,
number formats (tCO2e to 3 decimals, EUR to cents), column widths and a native Excel chart.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from cbam_calc.core.labels import (
    de_minimis_choice,
    de_minimis_outcome,
    importer_shown,
    label,
    line_headers,
    sector_name,
)
from cbam_calc.law.de_minimis import threshold_t
from cbam_calc.outputs.reading import reading_items
from cbam_calc.outputs.tables import rejected_shown
from cbam_calc.outputs.writers import atomic_write, xlsx_row

FMT_T = "#,##0.000"
FMT_EUR = "#,##0.00"
FMT_RATIO = "0.000"
FMT_INT = "#,##0"
EXCEL_MAX_ROWS = 1_048_576
INTEGER_COLUMNS = (
    "row",
    "year",
    "quarter",
    "lines",
    "rows_read",
    "rank_cost",
    "rank_eur_per_t",
    "files",
    "rejected",
)
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
SUMMARY_FORMATS = [FMT_T, FMT_T, FMT_T, FMT_T, FMT_T, FMT_EUR, FMT_EUR]


def number_format(column: str) -> str | None:
    """Number format of a computed column, from the unit in its name."""
    c = column.lower()
    if c in INTEGER_COLUMNS:
        return FMT_INT  # before the units: rank_eur_per_t is a rank, not EUR
    if c.endswith(("_eur", "eur_per_t", "eur_per_tco2e")) or c.startswith("eur_per_t"):
        return FMT_EUR
    if c.endswith(("_tco2e", "_per_t", "net_mass_t", "_mwh")) or c == "certificates":
        return FMT_T
    if c in ("cbam_factor", "cscf", "default_markup_rate"):
        return FMT_RATIO
    return None


def _plain(v: object) -> object:
    """A value openpyxl can write: NaN/NA to empty, numpy scalars to Python (text is made safe by
    ``writers.xlsx_value`` as the cell is written)."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, np.generic):
        v = v.item()
        if isinstance(v, float) and math.isnan(v):
            return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    return v


class SheetWriter:
    """Appends rows to a write-only sheet, with a number format per column."""

    def __init__(self, ws, formats: list[str | None] | None = None):
        self.ws = ws
        self.formats = formats or []
        self.row = 0

    def append(
        self, values: Iterable[object], formats: list[str | None] | None = None, bold: bool = False
    ) -> int:
        fmts = formats if formats is not None else self.formats
        self.ws.append(xlsx_row(self.ws, [_plain(v) for v in values], fmts, bold))
        self.row += 1
        return self.row


def _set_widths(ws, widths: dict[int, int], minimum: int = 8) -> None:
    from openpyxl.utils import get_column_letter

    for i, w in widths.items():
        ws.column_dimensions[get_column_letter(i + 1)].width = max(minimum, w + 2)


def _frame_rows(df: pd.DataFrame) -> Iterable[list]:
    for row in df.itertuples(index=False, name=None):
        yield list(row)


def _widths_for(df: pd.DataFrame, sample: int = 200) -> dict[int, int]:
    from cbam_calc.outputs.text import _width  # CJK characters take two columns in Excel too

    head = df.head(sample)
    out = {}
    for i, c in enumerate(df.columns):
        vals = head[c].map(
            lambda v: (
                len(f"{v:,.3f}")
                if isinstance(v, float) and not math.isnan(v)
                else _width(str(v))
                if v is not None
                else 0
            )
        )
        out[i] = min(max([_width(str(c)), *(vals.tolist() or [0])]), 60)
    return out


def write_table(wb, title: str, df: pd.DataFrame, formats: list[str | None] | None = None):
    """A sheet with a bold frozen header row and one row per record; returns the sheet."""
    ws = wb.create_sheet(title)
    ws.freeze_panes = "A2"
    _set_widths(ws, _widths_for(df))
    fmts = formats or [number_format(str(c)) for c in df.columns]
    w = SheetWriter(ws, fmts)
    w.append([str(c) for c in df.columns], formats=[None] * len(df.columns), bold=True)
    for values in _frame_rows(df):
        w.append(values)
    return ws


CHART_MAX_BARS = 20


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
    from openpyxl.chart import BarChart, Reference

    from cbam_calc.outputs.tables import column_label, country_names, display_keys

    shown = display_keys(frame, keys, lang, country_names(lang))
    if "electricity_mwh" in shown.columns and not shown["electricity_mwh"].fillna(0).any():
        shown = shown.drop(columns="electricity_mwh")
    formats = [number_format(str(c)) for c in shown.columns]
    value_col = list(shown.columns).index(chart_value) + 1 if chart_value in shown.columns else None
    category_col = list(shown.columns).index(keys[0]) + 1
    shown.columns = [column_label(str(c), lang) for c in shown.columns]
    ws = write_table(wb, sheet, shown, formats)
    if chart_title and value_col and len(shown):
        bars = min(len(shown), CHART_MAX_BARS)
        chart = BarChart()
        chart.type = "bar"  # horizontal: long names stay readable
        chart.title = chart_title
        chart.legend = None
        chart.y_axis.title = "EUR" if chart_value == "cost_eur" else "EUR/t"
        chart.x_axis.scaling.orientation = "maxMin"  # the highest on top, as in the table
        chart.add_data(Reference(ws, min_col=value_col, min_row=1, max_row=bars + 1), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=category_col, min_row=2, max_row=bars + 1))
        chart.height, chart.width = max(6.0, 0.6 * bars + 2), 18
        ws.add_chart(chart, f"{_column_letter(len(shown.columns) + 2)}2")


def _column_letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i)


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
        write_figures_sheet(wb, t.sheet, t.frame, t.keys, lang, chart_title=title)


def write_summary_sheet(wb, result, lang: str) -> None:
    s = result.summary
    ws = wb.create_sheet("Summary")
    w = SheetWriter(ws)
    ws.column_dimensions["A"].width = 46
    for col in "BCDEFGHIJ":
        ws.column_dimensions[col].width = 18
    w.append([label("title", lang)], bold=True)
    w.append([label("not_legal_advice", lang)])
    w.append([])
    for f in s.inputs:
        w.append([label("file", lang), f.file])
        if f.sheet:
            w.append([label("sheet", lang), f.sheet])
        if f.encoding_shown:
            w.append([label("encoding", lang), f.encoding_shown])
    w.append([label("rows_read", lang), s.rows_read], [None, FMT_INT])
    w.append([label("lines", lang), s.lines], [None, FMT_INT])
    w.append([label("rejected", lang), s.rejected], [None, FMT_INT])
    w.append(reference_as_of_row(s.reference_data_as_of, s.reference_data_undated, lang))
    w.append([])
    write_headline(w, s.model_dump(), [g.model_dump() for g in s.by_sector], lang)

    w.append([label("by_cn_code", lang)], bold=True)
    w.append(
        [
            label("cn_code", lang),
            label("description", lang),
            label("sector", lang),
            label("lines", lang),
            *(label(k, lang) for k in SUMMARY_FIGURES),
            label("eur_per_t_before_exemption", lang),
        ],
        bold=True,
    )
    for g in s.by_cn_code:
        w.append(
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
    w.append([])

    write_assumptions(w, s.assumptions, lang)
    if s.de_minimis:
        w.append([label("de_minimis", lang, threshold=threshold_t())], bold=True)
        for d in s.de_minimis:
            w.append(
                [
                    f"{importer_shown(d.importer, lang)} {d.year}",
                    d.annex_i_mass_t,
                    de_minimis_outcome(d.exempt, d.year, d.threshold_t, d.annex_i_mass_t, "file", lang)
                    if s.assumptions.de_minimis
                    else label("de_minimis_off", lang),
                ],
                [None, FMT_T, None],
            )
        w.append([])
    if s.warnings:
        w.append([label("warnings", lang)], bold=True)
        for msg in s.warning_messages():
            w.append([msg.text(lang)])
        w.append([])
    w.append([label("version", lang), s.cbam_calc_version])
    w.append([label("reference_sha", lang), s.reference_data_sha256])
    for f in s.inputs:
        w.append([f"{label('input_sha', lang)} {Path(f.file).name}", f.sha256])


def reference_as_of_row(date: str | None, undated, lang: str) -> list:
    """The Summary row 'Reference data as of | 2026-12-01 | (what it is)'."""
    from cbam_calc.outputs.text import reference_as_of_notes

    return [label("reference_as_of", lang), date or "", reference_as_of_notes(undated, lang, hint=True)]


def write_headline(w: SheetWriter, figs: dict, sectors: list[dict], lang: str) -> None:
    """Headline figures, the by-sector table with its total, and a native chart of cost by
    sector (``figs`` and each of ``sectors`` hold the figures of report.FIGURES)."""
    from openpyxl.chart import BarChart, Reference

    ws = w.ws
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
        w.append([label(key, lang), figs.get(key)], [None, fmt], bold=key == "cost_eur")
    w.append([])

    w.append([label("by_sector", lang)], bold=True)
    w.append(
        [label("sector", lang), label("lines", lang), *(label(k, lang) for k in SUMMARY_FIGURES)],
        bold=True,
    )
    first = w.row + 1
    for g in sectors:
        w.append(
            [sector_name(g["sector"], lang), g["lines"], *(g[k] for k in SUMMARY_FIGURES)],
            [None, FMT_INT, *SUMMARY_FORMATS],
        )
    last = w.row
    w.append(
        [label("total", lang), figs["lines"], *(figs[k] for k in SUMMARY_FIGURES)],
        [None, FMT_INT, *SUMMARY_FORMATS],
        bold=True,
    )
    if sectors:
        chart = BarChart()
        chart.type = "col"
        chart.title = label("chart_cost_by_sector", lang)
        chart.y_axis.title = "EUR"
        chart.legend = None
        chart.add_data(Reference(ws, min_col=8, min_row=first - 1, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
        chart.height, chart.width = 7.5, 16
        ws.add_chart(chart, "L2")
    w.append([])


def write_assumptions(w: SheetWriter, a, lang: str) -> None:
    """The assumptions block of a Summary sheet: years, factors, CSCF, Art 9 and its draft status,
    and every certificate price used with its status and source."""
    w.append([label("assumptions", lang)], bold=True)
    w.append([label("years", lang), ", ".join(map(str, a.years))])
    if a.year_override:
        w.append([label("year_override", lang), a.year_override])
    if a.reading.skip_hidden:
        w.append([label("skip_hidden", lang)])
    for y, v in a.cbam_factor.items():
        w.append([f"{label('cbam_factor', lang)} {y}", v], [None, FMT_RATIO])
    for y, v in a.cscf.items():
        status = a.cscf_status.get(y, "")
        note = (
            label("cscf_projection", lang, years=y)
            if status == "projection"
            else label("cscf_law", lang)
            if status == "law"
            else ""
        )
        w.append([f"{label('cscf', lang)} {y}" + (f" ({note})" if note else ""), v], [None, FMT_RATIO])
    w.append([label("art9_track", lang), a.art9_track])
    w.append([label("art9_status", lang), a.art9_status])
    w.append([label("de_minimis_choice", lang), de_minimis_choice(a.de_minimis_mode, lang)])
    for d in a.draft_rules_in_force:
        w.append([label("draft", lang), d])
    for r in a.art9_reference_prices:
        w.append(
            [
                f"{label('art9_reference_prices', lang)} {r.year}",
                r.price_eur_per_tco2e,
                f"{r.status}: {r.averages}",
            ],
            [None, FMT_EUR, None],
        )
    if a.price_override_eur_per_tco2e is not None:
        w.append([label("price_override", lang), a.price_override_eur_per_tco2e], [None, FMT_EUR])
    for term, value in reading_items(a.reading, lang):
        w.append([term, value])
    w.append([])
    w.append([label("prices", lang)], bold=True)
    w.append(
        [
            label("period", lang),
            label("price", lang),
            label("status", lang),
            label("lines", lang),
            label("source", lang),
        ],
        bold=True,
    )
    for p in a.certificate_prices:
        w.append(
            [p.period, p.price_eur_per_tco2e, p.status, p.lines, p.source],
            [None, FMT_EUR, None, FMT_INT, None],
        )
    w.append([])


def rejected_sheet(
    rejected: pd.DataFrame, lang: str, labelled: Iterable[str] = ("row", "column", "value", "reason")
) -> pd.DataFrame:
    """The Rejected sheet: the reasons in ``lang``, each reason's code kept for programs (its
    parameters are not shown), the ``labelled`` columns under their label."""
    shown = rejected_shown(rejected, lang, [c for c in rejected.columns if c != "params"])
    return shown.rename(columns={c: label(c, lang) for c in labelled})


def parameters_in(params: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The Parameters table with Chinese headers for --lang zh (the English keys otherwise, as
    programs reading the sheet expect)."""
    return params.rename(columns=lambda c: label(c, lang)) if lang == "zh" else params


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
    that ``cbam calc --check`` reads."""
    import openpyxl

    if len(result.lines) + 1 > EXCEL_MAX_ROWS:
        from cbam_calc.core.errors import OutputError

        raise OutputError(
            f"{len(result.lines):,} lines do not fit in one Excel sheet "
            f"({EXCEL_MAX_ROWS - 1:,} rows): write them with --lines-out lines.csv "
            "and keep -o for the summary of a smaller run"
        )

    def write(tmp: Path) -> None:
        wb = openpyxl.Workbook(write_only=True)
        write_summary_sheet(wb, result, lang)
        lines = result.lines
        write_table(wb, "Lines", lines.set_axis(line_headers(lines.columns, lang), axis=1))
        calc_table_sheets(wb, result, lang)
        write_table(wb, "Rejected", rejected_sheet(result.rejected, lang))
        write_table(wb, "Parameters", parameters_in(result.parameters, lang))
        if record is not None:
            from cbam_calc.outputs.run_record import write_run_sheet

            write_run_sheet(wb, record)
        wb.properties.creator = f"cbam-calc {result.summary.cbam_calc_version}"
        wb.save(tmp)

    return atomic_write(path, write, inputs=inputs, force=force)
