"""The carbon price paid abroad by instrument (``summary.instruments``), as every summary output
shows it: one table in the report's language, each instrument and mechanism by its name in the
reference table (carbon_pricing.yaml), each treatment by its message (M_INSTRUMENT_*), the price
recognised split into what Art 9 deducts and what it does not, with why (M_PRICE_STATE_*: only
the actual track with an evidenced price deducts the price paid), and the note that Art 9 rests on
a draft act. Nothing at all where no instrument is named."""

from __future__ import annotations

from cbam_calc.core.labels import label
from cbam_calc.law import art9, instruments

COLUMNS = (
    "instrument",
    "mechanism",
    "treatment",
    "price_state",
    "instrument_lines",
    "recognised_deducted_eur",
    "recognised_not_deducted_eur",
    "unrecognised_eur",
    "instrument_reduction",
)
TEXTS = (0, 1, 2, 3)  # the columns of :func:`rows` that are text (the rest: lines, EUR, tCO2e)
LINES, EURS = 4, (5, 6, 7)


def unit_name(code: str, lang: str = "en") -> str:
    """A unit's name in the reference table ('' : not named, a binding price)."""
    u = instruments.units().get(code)
    if u is None:
        return code or label("instrument_unnamed", lang)
    return u.zh if lang == "zh" else u.en


def mechanism_name(code: str, lang: str = "en") -> str:
    m = instruments.mechanisms().get(code)
    if m is None:
        return code or "-"
    return m.zh if lang == "zh" else m.en


def treatment_text(treatment: str, lang: str = "en") -> str:
    """What the draft Art 9 does with it, in ``lang`` (M_INSTRUMENT_<treatment>)."""
    if treatment not in instruments.REASONS:
        return treatment
    return instruments.reason_message(instruments.REASONS.index(treatment)).text(lang)


def state_text(state: str, lang: str = "en") -> str:
    """What Art 9 does with the price paid on the lines of a row, in ``lang`` (M_PRICE_STATE_<state>)."""
    if state not in art9.PRICE_STATES:
        return state or "-"  # '': the rows recognise nothing, there is nothing to deduct
    return art9.price_state_message(art9.PRICE_STATES.index(state)).text(lang)


def draft_note(lang: str = "en") -> str:
    date, doc = art9.draft_act()
    return label("instruments_draft", lang, date=date, doc=doc)


def headers(lang: str = "en", source: bool = False) -> list[str]:
    return [label(c, lang) for c in COLUMNS] + ([label("rule_source", lang)] if source else [])


def rows(figures, lang: str = "en", source: bool = False) -> list[list]:
    """One row per instrument, treatment and line state, then the total: names and texts in
    ``lang``, figures as numbers (lines; EUR recognised and deducted, recognised and not deducted,
    not recognised; tCO2e). A row's recognised price is in one of the two recognised columns, by
    its line state."""
    deducted = art9.PRICE_STATES[art9.PRICE_DEDUCTED]
    out = [
        [
            unit_name(t.unit, lang),
            mechanism_name(t.mechanism, lang),
            treatment_text(t.treatment, lang),
            state_text(t.line_state, lang),
            t.lines,
            t.recognised_eur if t.line_state == deducted else 0.0,
            0.0 if t.line_state == deducted else t.recognised_eur,
            t.unrecognised_eur,
            t.art9_reduction_tco2e,
            *([t.source] if source else []),
        ]
        for t in figures.by_instrument
    ]
    out.append(
        [
            label("total", lang),
            "",
            "",
            "",
            "",  # no total of lines: a line paying through several instruments is in several rows
            figures.recognised_deducted_eur,
            figures.recognised_not_deducted_eur,
            figures.unrecognised_eur,
            figures.art9_reduction_tco2e,
            *([""] if source else []),
        ]
    )
    return out


def shown(value, column: int) -> str:
    """A cell of :func:`rows` as text: lines as integers, EUR to the cent, tCO2e to 3 decimals."""
    if isinstance(value, str):
        return value
    if column == LINES:
        return f"{int(value):,}"
    return f"{value:,.2f}" if column in EURS else f"{value:,.3f}"
