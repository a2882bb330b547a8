"""Two tables exporters asked for (issue 14), in every output of ``cbam calc``: certificates and
cost by period (``summary.by_period``, compute.periods) and actual data against default values by
CN code (``summary.actual_vs_default``, compute.default_saving). One set of rows and headers here,
shown by the text summary, the workbook (a sheet each) and the HTML report (a section each).
"""

from __future__ import annotations

import pandas as pd

from cbam_calc.core.labels import label, price_status

PERIOD_COLUMNS = ["period", "lines", "certificates", "cost_eur", "eur_per_certificate", "price_status"]
SAVING_COLUMNS = [
    "cn_code",
    "description",
    "lines",
    "net_mass_t",
    "default_see_tco2e_per_t",
    "actual_see_tco2e_per_t",
    "default_certificates",
    "certificates",
    "default_cost_eur",
    "cost_eur",
    "saving_eur",
    "saving_eur_per_t",
]
# decimals of each column as shown (the workbook's formats by unit give the same)
DECIMALS = {
    "lines": 0,
    "certificates": 3,
    "cost_eur": 2,
    "eur_per_certificate": 2,
    "net_mass_t": 3,
    "default_see_tco2e_per_t": 3,
    "actual_see_tco2e_per_t": 3,
    "default_certificates": 3,
    "default_cost_eur": 2,
    "saving_eur": 2,
    "saving_eur_per_t": 2,
}


def headers(columns: list[str], lang: str) -> list[str]:
    return [label(f"ps_{c}", lang) for c in columns]


def period_shown(period: str, lang: str) -> str:
    """'2026Q1' as '2026 Q1' ('2026年第1季度'), '2027-02' as is ('2027年02月')."""
    if "Q" in period:
        y, q = period.split("Q")
        return f"{y}年第{q}季度" if lang == "zh" else f"{y} Q{q}"
    if "-" in period and lang == "zh":
        y, m = period.split("-")[:2]
        return f"{y}年{m}月"
    return period


def period_frame(summary, lang: str = "en") -> tuple[pd.DataFrame, list] | None:
    """The periods table (PERIOD_COLUMNS) and its total row; None without periods. A projected
    period's status says so."""
    rows = summary.by_period
    if not rows:
        return None
    frame = pd.DataFrame(
        [
            [
                period_shown(p.period, lang),
                p.lines,
                p.certificates,
                p.cost_eur,
                p.eur_per_certificate,
                price_status(p.price_status, lang)
                + (label("ps_projection_mark", lang) if p.projection and p.price_status != "projection" else ""),
            ]
            for p in rows
        ],
        columns=PERIOD_COLUMNS,
    )
    certs = float(sum(p.certificates for p in rows))
    cost = round(float(sum(p.cost_eur for p in rows)), 2)
    total = [label("total", lang), int(sum(p.lines for p in rows)), certs, cost, cost / certs if certs else None, ""]
    return frame, total


def saving_frame(summary, lang: str = "en") -> tuple[pd.DataFrame, list] | None:
    """The actual-against-default table (SAVING_COLUMNS) and its total row; None where no line
    has actual data."""
    a = summary.actual_vs_default
    if a is None:
        return None
    frame = pd.DataFrame(
        [[getattr(p, c) for c in SAVING_COLUMNS] for p in a.products], columns=SAVING_COLUMNS
    ).astype({"saving_eur_per_t": float})
    total = [
        label("total", lang),
        "",
        a.lines,
        a.net_mass_t,
        None,
        None,
        float(frame["default_certificates"].sum()),
        float(frame["certificates"].sum()),
        a.default_cost_eur,
        a.cost_eur,
        a.saving_eur,
        a.saving_eur_per_t,
    ]
    return frame, total


def saving_notes(summary, lang: str = "en") -> list[str]:
    """How the comparison is made, and which products' actual data cost more."""
    a = summary.actual_vs_default
    if a is None:
        return []
    out = [label("ps_saving_method", lang)]
    if a.negative:
        out.append(label("ps_negative", lang, codes=", ".join(a.negative)))
    return out


def period_notes(summary, lang: str = "en") -> list[str]:
    out = [label("ps_period_method", lang)]
    if any(p.projection for p in summary.by_period or []):
        out.append(label("ps_projection_note", lang))
    return out


def _cell(value, column: str) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "-"
    if isinstance(value, (int, float)) and not isinstance(value, bool) and column in DECIMALS:
        return f"{value:,.{DECIMALS[column]}f}"
    return str(value)


def text_lines(summary, lang: str = "en") -> list[str]:
    """Both tables as the text summary prints them (nothing for a table without rows)."""
    from cbam_calc.outputs.text import _pad, _width

    out: list[str] = []
    for heading, got, notes, columns in (
        ("ps_by_period", period_frame(summary, lang), period_notes, PERIOD_COLUMNS),
        ("ps_actual_vs_default", saving_frame(summary, lang), saving_notes, SAVING_COLUMNS),
    ):
        if got is None:
            continue
        frame, total = got
        shown = [c for c in columns if c != "description"]  # long texts stay in the workbook
        head = [label(f"ps_{c}", lang) for c in shown]
        body = [[_cell(r[c], c) for c in shown] for _, r in frame.iterrows()]
        body.append([_cell(v, c) for v, c in zip(total, columns) if c != "description"])
        widths = [max(_width(r[i]) for r in [head, *body]) for i in range(len(shown))]
        out += ["", label(heading, lang) + ":"]
        out += ["  " + "  ".join(_pad(c, w, left=i == 0) for i, (c, w) in enumerate(zip(r, widths))) for r in [head, *body]]
        out += ["  " + n for n in notes(summary, lang)]
    return out


def write_sheets(wb, summary, lang: str) -> None:
    """A sheet for each table (By period, Actual vs default) with its total row and notes."""
    from cbam_calc.outputs.xlsx import FMT_EUR, FMT_INT, FMT_T, write_table

    formats = {"lines": FMT_INT, "cost_eur": FMT_EUR, "eur_per_certificate": FMT_EUR, "default_cost_eur": FMT_EUR}
    formats |= {"saving_eur": FMT_EUR, "saving_eur_per_t": FMT_EUR}
    for sheet, got, notes, columns in (
        ("ps_sheet_period", period_frame(summary, lang), period_notes, PERIOD_COLUMNS),
        ("ps_sheet_saving", saving_frame(summary, lang), saving_notes, SAVING_COLUMNS),
    ):
        if got is None:
            continue
        frame, total = got
        fmts = [formats.get(c, FMT_T if c in DECIMALS else None) for c in columns]
        ws = write_table(wb, label(sheet, lang), frame, fmts, headers=headers(columns, lang))
        ws.write_row(total, formats=fmts, bold=True)
        ws.write_row([])
        for n in notes(summary, lang):
            ws.write_row([n])


def html_sections(summary, lang: str) -> str:
    """A section for each table, with its total row and notes ('' where neither has rows)."""
    from cbam_calc.outputs.html import esc, table_html

    out = []
    for heading, got, notes, columns in (
        ("ps_by_period", period_frame(summary, lang), period_notes, PERIOD_COLUMNS),
        ("ps_actual_vs_default", saving_frame(summary, lang), saving_notes, SAVING_COLUMNS),
    ):
        if got is None:
            continue
        frame, total = got
        decimals = [DECIMALS.get(c) for c in columns]
        out.append(
            f"<section><h2>{esc(label(heading, lang))}</h2>"
            + table_html(frame, headers(columns, lang), decimals=decimals, total=total)
            + "".join(f'<p class="small">{esc(n)}</p>' for n in notes(summary, lang))
            + "</section>"
        )
    return "".join(out)
