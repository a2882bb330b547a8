"""The xlsx report of ``cbam calc -o report.xlsx``: Summary, Lines, Rejected, Parameters.

Written with openpyxl in write-only mode (streamed, bounded memory), with frozen headers,
number formats (tCO2e to 3 decimals, EUR to cents), column widths and a native Excel chart.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from cbam_calc.i18n import label, sector_name
from cbam_calc.io.writers import atomic_write, neutralise

FMT_T = "#,##0.000"
FMT_EUR = "#,##0.00"
FMT_RATIO = "0.000"
FMT_INT = "#,##0"
EXCEL_MAX_ROWS = 1_048_576


def number_format(column: str) -> str | None:
    """Number format of a computed column, from the unit in its name."""
    c = column.lower()
    if c.endswith(("_eur", "eur_per_t", "eur_per_tco2e")):
        return FMT_EUR
    if c.endswith(("_tco2e", "_per_t", "net_mass_t", "_mwh")) or c == "certificates":
        return FMT_T
    if c in ("cbam_factor", "cscf", "default_markup_rate"):
        return FMT_RATIO
    if c in ("row", "year", "quarter", "lines", "rows_read"):
        return FMT_INT
    return None


def _plain(v: object) -> object:
    """A value openpyxl can write: NaN/NA to empty, numpy scalars to Python, text neutralised."""
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
    return neutralise(v)


class SheetWriter:
    """Appends rows to a write-only sheet, with a number format per column."""

    def __init__(self, ws, formats: list[str | None] | None = None):
        from openpyxl.cell import WriteOnlyCell

        self.ws = ws
        self.cell = WriteOnlyCell
        self.formats = formats or []
        self.row = 0

    def append(
        self, values: Iterable[object], formats: list[str | None] | None = None, bold: bool = False
    ) -> int:
        from openpyxl.styles import Font

        fmts = formats if formats is not None else self.formats
        out = []
        for i, raw in enumerate(values):
            v = _plain(raw)
            f = fmts[i] if i < len(fmts) else None
            numeric = isinstance(v, (int, float)) and not isinstance(v, bool)
            if (f is not None and numeric) or bold:
                c = self.cell(self.ws, value=v)
                if f is not None and numeric:
                    c.number_format = f
                if bold:
                    c.font = Font(bold=True)
                out.append(c)
            else:
                out.append(v)
        self.ws.append(out)
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
    head = df.head(sample)
    out = {}
    for i, c in enumerate(df.columns):
        vals = head[c].map(
            lambda v: (
                len(f"{v:,.3f}")
                if isinstance(v, float) and not math.isnan(v)
                else len(str(v))
                if v is not None
                else 0
            )
        )
        out[i] = min(max([len(str(c)), *(vals.tolist() or [0])]), 60)
    return out


def write_table(wb, title: str, df: pd.DataFrame, formats: list[str | None] | None = None) -> None:
    """A sheet with a bold frozen header row and one row per record."""
    ws = wb.create_sheet(title)
    ws.freeze_panes = "A2"
    _set_widths(ws, _widths_for(df))
    fmts = formats or [number_format(str(c)) for c in df.columns]
    w = SheetWriter(ws, fmts)
    w.append([str(c) for c in df.columns], formats=[None] * len(df.columns), bold=True)
    for values in _frame_rows(df):
        w.append(values)


def write_summary_sheet(wb, result, lang: str) -> None:
    from openpyxl.chart import BarChart, Reference

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
    w.append([label("rows_read", lang), s.rows_read], [None, FMT_INT])
    w.append([label("lines", lang), s.lines], [None, FMT_INT])
    w.append([label("rejected", lang), s.rejected], [None, FMT_INT])
    w.append([])
    headline = [
        ("net_mass_t", s.net_mass_t, FMT_T),
        ("electricity_mwh", s.electricity_mwh, FMT_T),
        ("embedded_tco2e", s.embedded_tco2e, FMT_T),
        ("free_allocation_tco2e", s.free_allocation_tco2e, FMT_T),
        ("art9_reduction_tco2e", s.art9_reduction_tco2e, FMT_T),
        ("certificates", s.certificates, FMT_T),
        ("cost_eur", s.cost_eur, FMT_EUR),
        ("eur_per_t", s.eur_per_t, FMT_EUR),
    ]
    for key, value, fmt in headline:
        if key == "electricity_mwh" and not value:
            continue
        w.append([label(key, lang), value], [None, fmt], bold=key == "cost_eur")
    w.append([])

    figure_keys = [
        "net_mass_t",
        "embedded_tco2e",
        "free_allocation_tco2e",
        "art9_reduction_tco2e",
        "certificates",
        "cost_eur",
        "eur_per_t",
    ]
    figure_fmts = [FMT_T, FMT_T, FMT_T, FMT_T, FMT_T, FMT_EUR, FMT_EUR]
    w.append([label("by_sector", lang)], bold=True)
    w.append(
        [label("sector", lang), label("lines", lang), *(label(k, lang) for k in figure_keys)],
        bold=True,
    )
    first = w.row + 1
    for g in s.by_sector:
        w.append(
            [sector_name(g.sector, lang), g.lines, *(getattr(g, k) for k in figure_keys)],
            [None, FMT_INT, *figure_fmts],
        )
    last = w.row
    w.append(
        [
            label("total", lang),
            s.lines,
            s.net_mass_t,
            s.embedded_tco2e,
            s.free_allocation_tco2e,
            s.art9_reduction_tco2e,
            s.certificates,
            s.cost_eur,
            s.eur_per_t,
        ],
        [None, FMT_INT, *figure_fmts],
        bold=True,
    )
    if s.by_sector:
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

    w.append([label("by_cn_code", lang)], bold=True)
    w.append(
        [
            label("cn_code", lang),
            label("description", lang),
            label("sector", lang),
            label("lines", lang),
            *(label(k, lang) for k in figure_keys),
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
                *(getattr(g, k) for k in figure_keys),
            ],
            [None, None, None, FMT_INT, *figure_fmts],
        )
    w.append([])

    a = s.assumptions
    w.append([label("assumptions", lang)], bold=True)
    w.append([label("years", lang), ", ".join(map(str, a.years))])
    if a.year_override:
        w.append([label("year_override", lang), a.year_override])
    for y, v in a.cbam_factor.items():
        w.append([f"{label('cbam_factor', lang)} {y}", v], [None, FMT_RATIO])
    for y, v in a.cscf.items():
        note = f" ({label('provisional', lang)})" if a.cscf_provisional else ""
        w.append([f"{label('cscf', lang)} {y}{note}", v], [None, FMT_RATIO])
    w.append([label("art9_track", lang), a.art9_track])
    w.append([label("art9_status", lang), a.art9_status])
    for d in a.draft_rules_in_force:
        w.append([label("draft", lang), d])
    if a.price_override_eur_per_tco2e is not None:
        w.append([label("price_override", lang), a.price_override_eur_per_tco2e], [None, FMT_EUR])
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
    if s.de_minimis:
        w.append([label("de_minimis", lang)], bold=True)
        for d in s.de_minimis:
            w.append(
                [
                    f"{d.importer} {d.year}",
                    d.annex_i_mass_t,
                    label("exempt" if d.exempt else "not_exempt", lang),
                ],
                [None, FMT_T, None],
            )
        w.append([])
    if s.warnings:
        w.append([label("warnings", lang)], bold=True)
        for msg in s.warnings:
            w.append([msg])
        w.append([])
    w.append([label("version", lang), s.cbam_calc_version])
    w.append([label("reference_sha", lang), s.reference_data_sha256])
    for f in s.inputs:
        w.append([f"{label('input_sha', lang)} {Path(f.file).name}", f.sha256])


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
        from cbam_calc.errors import OutputError

        raise OutputError(
            f"{len(result.lines):,} lines do not fit in one Excel sheet "
            f"({EXCEL_MAX_ROWS - 1:,} rows): write them with --lines-out lines.csv "
            "and keep -o for the summary of a smaller run"
        )

    def write(tmp: Path) -> None:
        wb = openpyxl.Workbook(write_only=True)
        write_summary_sheet(wb, result, lang)
        write_table(wb, "Lines", result.lines)
        rej = result.rejected.rename(
            columns={c: label(c, lang) for c in ("row", "column", "value", "reason")}
        )
        write_table(wb, "Rejected", rej)
        write_table(wb, "Parameters", result.parameters)
        if record is not None:
            from cbam_calc.run_record import write_run_sheet

            write_run_sheet(wb, record)
        wb.properties.creator = f"cbam-calc {result.summary.cbam_calc_version}"
        wb.save(tmp)

    return atomic_write(path, write, inputs=inputs, force=force)
