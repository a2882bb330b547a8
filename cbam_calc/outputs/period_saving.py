"""Two tables exporters asked for (issue 14), in every output of ``cbam calc``: certificates and
cost by period (``summary.by_period``, compute.periods) and actual data against default values by
CN code (``summary.actual_vs_default``, compute.default_saving). One set of rows and headers here,
shown by the text summary (outputs.text), the workbook (a sheet each, outputs.xlsx) and the HTML
report (a section each, outputs.html).
"""

from __future__ import annotations

import pandas as pd

from cbam_calc.core.labels import label, price_status
from cbam_calc.core.sheets import sheet_name

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
# --currency CNY: the periods table's CNY columns (the sum of the lines' cost_cny, the rate beside)
PERIOD_CNY_COLUMNS = ["cost_cny", "display_rate_cny_per_eur", "display_rate_status"]
# columns of a table the text summary leaves to the workbook and HTML (a terminal is narrow)
NOT_IN_TEXT = {"ps_actual_vs_default": ("description", "default_certificates", "certificates")}
# decimals of each column as shown (the workbook's formats by unit give the same)
DECIMALS = {
    "lines": 0,
    "certificates": 3,
    "cost_eur": 2,
    "eur_per_certificate": 2,
    "cost_cny": 2,
    "display_rate_cny_per_eur": 4,
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
                + (
                    label("ps_projection_mark", lang)
                    if p.projection and p.price_status != "projection"
                    else ""
                ),
            ]
            for p in rows
        ],
        columns=PERIOD_COLUMNS,
    )
    certs = float(sum(p.certificates for p in rows))
    cost = round(float(sum(p.cost_eur for p in rows)), 2)
    total = [
        label("total", lang),
        int(sum(p.lines for p in rows)),
        certs,
        cost,
        cost / certs if certs else None,
        "",
    ]
    if any(p.cost_cny is not None for p in rows):  # --currency CNY
        frame["cost_cny"] = [p.cost_cny for p in rows]
        frame["display_rate_cny_per_eur"] = [p.display_rate_cny_per_eur for p in rows]
        frame["display_rate_status"] = [price_status(p.display_rate_status or "", lang) for p in rows]
        cny = round(float(sum(p.cost_cny or 0.0 for p in rows)), 2)
        total += [cny, cny / cost if cost else None, ""]
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


def cell(value, column: str) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "-"
    if isinstance(value, (int, float)) and not isinstance(value, bool) and column in DECIMALS:
        return f"{value:,.{DECIMALS[column]}f}"
    return str(value)


def tables(
    summary, lang: str = "en"
) -> list[tuple[str, str, tuple[pd.DataFrame, list], list[str], list[str]]]:
    """The tables that have rows: (heading key, sheet key (core.sheets), (frame, total row), columns,
    notes)."""
    out = []
    for heading, sheet, got, notes, columns in (
        ("ps_by_period", "by_period", period_frame(summary, lang), period_notes, PERIOD_COLUMNS),
        (
            "ps_actual_vs_default",
            "saving",
            saving_frame(summary, lang),
            saving_notes,
            SAVING_COLUMNS,
        ),
    ):
        if got is not None:
            if heading == "ps_by_period":  # its CNY columns where --currency CNY gave them
                columns = list(got[0].columns)
            out.append((heading, sheet, got, columns, notes(summary, lang)))
    return out


# the unit of each figure, which the workbook formats it by
UNITS = {c: "t" for c in DECIMALS} | {"lines": "int"}
UNITS |= dict.fromkeys(
    ("cost_eur", "eur_per_certificate", "default_cost_eur", "saving_eur", "saving_eur_per_t", "cost_cny"),
    "eur",
)


def write_sheets(wb, summary, lang: str, write_table, formats: dict[str, str]) -> None:
    """A sheet for each table, its total row and its notes after it. ``write_table``: the
    workbook's (outputs.xlsx, which calls this: passed in, not imported, as it imports this
    module); ``formats``: its number format of each unit of :data:`UNITS`."""
    for _, sheet, (frame, total), columns, notes in tables(summary, lang):
        fmts = [formats.get(UNITS.get(c, "")) for c in columns]
        ws = write_table(wb, sheet_name(sheet, lang), frame, fmts, headers=headers(columns, lang))
        ws.write_row(total, formats=fmts, bold=True)
        for row in ([], *([n] for n in notes)):
            ws.write_row(row)
