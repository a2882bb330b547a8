"""The cost in a second currency (``--currency CNY``, ``summary.display_currency``) in every output
of ``cbam calc`` and ``cbam report``: the total and each sector's cost, the display rate of each
price period beside its EUR and CNY cost, and the note that these are DISPLAY rates (ECB
reference rates, period means), not the yearly rate Art 9 converts at. One set of rows here,
shown by the text summary (outputs.text), the workbook Summary (outputs.xlsx) and the HTML report
(outputs.html); the Lines columns (cost_cny ...) are the engine's (compute.pipeline).
"""

from __future__ import annotations

import pandas as pd

from cbam_calc.core.display import DISPLAY_CURRENCIES
from cbam_calc.core.labels import aside, heading, label, price_status, sector_name, term
from cbam_calc.core.messages import Message
from cbam_calc.outputs.period_saving import period_shown

FMT_RATE = "0.0000"  # a display rate as its table gives it (4 decimals; outputs.xlsx_columns)

RATE_DECIMALS = [None, None, 4, None, 0, 2, 2]  # of each column of rate_rows


def shown(period: str, lang: str) -> str:
    """A price period as the by-period table shows it; an application week '2027-W05' as it is
    ('2027年第05周' in Chinese)."""
    if "-W" in period:
        y, w = period.split("-W")
        return f"{y}年第{w}周" if lang == "zh" else period
    return period_shown(period, lang)


def note(dc, lang: str) -> str:
    """What the CNY figures are, and are not (the Art 9 rate)."""
    return Message("M_DISPLAY_RATE_NOTE", currency=dc.currency, data_to=dc.data_to).text(lang)


def headers(dc, lang: str) -> list[str]:
    c = dc.currency
    return [
        label("dc_period", lang),
        label("dc_rate_period", lang),
        label("dc_rate", lang, currency=c),
        label("dc_status", lang),
        label("dc_lines", lang),
        label("dc_cost_eur", lang),
        label("dc_cost", lang, currency=c),
    ]


def rate_rows(dc, lang: str) -> list[list]:
    """One row per price period: period, the period whose mean is shown, rate, status, lines,
    cost EUR, cost in the currency."""
    return [
        [
            shown(r.period, lang),
            shown(r.rate_period, lang),
            r.units_per_eur,
            price_status(r.status, lang),
            r.lines,
            r.cost_eur,
            r.cost,
        ]
        for r in dc.rates
    ]


def total_rows(dc, lang: str) -> list[tuple[str, float]]:
    """(label, cost) of the total, then of each sector: sums of the lines' figures."""
    c = dc.currency
    out = [(label("dc_total", lang, currency=c), dc.cost)]
    out += [
        (label("dc_sector_cost", lang, sector=sector_name(k, lang), currency=c), v)
        for k, v in dc.by_sector.items()
    ]
    return out


def column(dc) -> str:
    """The column of the cost in the currency in a batch's member and sector tables (cost_cny,
    compute.batch.with_display_currency)."""
    return f"cost_{dc.currency.lower()}"


# the columns :func:`column` names, one per display currency other than EUR
COST_COLUMNS = tuple(f"cost_{c.lower()}" for c in DISPLAY_CURRENCIES if c != "EUR")


def with_total(totals: dict, dc) -> dict:
    """A batch's ``totals`` with the cost in the currency under :func:`column` (for the total row of
    its tables by member and sector), where --currency gives one: the run's total, the sum of its
    lines' EUR cost x their period's rate, so the sum of the rows' figures (each row sums its own
    lines) whatever the rates of the periods."""
    return totals if dc is None else {**totals, column(dc): dc.cost}


def text_lines(dc, lang: str) -> list[str]:
    """The text summary's lines (none without --currency)."""
    if dc is None:
        return []
    out = ["", heading(label("dc_heading", lang, currency=dc.currency), lang)]
    out += [f"  {term(k, f'{v:,.2f}', lang)}" for k, v in total_rows(dc, lang)]
    comma = "，" if lang == "zh" else ", "
    for r in rate_rows(dc, lang):
        of = f"{label('dc_rate_period', lang)} {r[1]}"
        rate = f"{r[2]:.4f} {dc.currency}/EUR" + aside(f"{r[3]}{comma}{of}", lang)
        out.append(f"  {term(r[0], rate, lang)} | EUR {r[5]:,.2f} -> {dc.currency} {r[6]:,.2f}")
    out.append(f"  {note(dc, lang)}")
    return out


def write_summary_rows(w, dc, lang: str, fmt_money: str, fmt_int: str, span: int) -> None:
    """The workbook Summary's rows (after the headline): total and sectors, the rates table, the
    note. ``w``: the Summary sheet (outputs.xlsx_book.Sheet); formats passed in (no import of
    outputs.xlsx: no cycle)."""
    if dc is None:
        return
    w.write_row([label("dc_heading", lang, currency=dc.currency)], bold=True)
    for i, (k, v) in enumerate(total_rows(dc, lang)):
        w.write_row([k, v], [None, fmt_money], bold=i == 0)
    w.write_row(headers(dc, lang), bold=True, wrap=True)
    for r in rate_rows(dc, lang):
        w.write_row(r, [None, None, FMT_RATE, None, fmt_int, fmt_money, fmt_money])
    w.write_row([note(dc, lang)], span=span)
    w.write_row([])


def html_section(dc, lang: str, esc, table_html) -> str:
    """The HTML report's section ('' without --currency); ``esc`` and ``table_html`` are
    outputs.html's (passed in: no cycle)."""
    if dc is None:
        return ""
    totals = "".join(
        f'<tr><th>{esc(k)}</th><td class="n">{v:,.2f}</td></tr>' for k, v in total_rows(dc, lang)
    )
    rows = rate_rows(dc, lang)
    frame = pd.DataFrame(rows, columns=[str(i) for i in range(7)]) if rows else pd.DataFrame()
    table = table_html(frame, headers(dc, lang), decimals=RATE_DECIMALS) if rows else ""
    return (
        f"<section><h2>{esc(label('dc_heading', lang, currency=dc.currency))}</h2>"
        f"<table>{totals}</table>{table}"
        f'<p class="small">{esc(note(dc, lang))}</p></section>'
    )
