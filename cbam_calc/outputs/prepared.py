"""Who and when a report is of (``summary.prepared``, issue 14), as the rows every output shows at
its top: the exporter (--exporter), the installations the input names, the period its lines cover,
the date prepared, the reference data's date and the cbam-calc version."""

from __future__ import annotations

from cbam_calc.core.labels import label

MAX_INSTALLATIONS_SHOWN = 5  # an association's file names hundreds: the first, then how many more


def installations_shown(names: list[str], lang: str, sep: str = "; ") -> str:
    # "and 1 more" would take the room of the one name it hides
    n = len(names) if len(names) <= MAX_INSTALLATIONS_SHOWN + 1 else MAX_INSTALLATIONS_SHOWN
    shown, more = sep.join(names[:n]), len(names) - n
    return shown + (f" {label('installations_more', lang, n=more)}" if more > 0 else "")


def period_shown(prepared, lang: str) -> str:
    if prepared.first_import is None:
        return "-"
    years = ", ".join(map(str, prepared.years)) or "-"
    return label("period_value", lang, first=prepared.first_import, last=prepared.last_import, years=years)


def prepared_items(
    prepared, lang: str, *, as_of: bool = True, version: bool = True, sep: str = "; "
) -> list[tuple[str, str]]:
    """(label, text) of each item: the exporter and installations only where known; ``as_of`` and
    ``version``: with the reference data's date and the version (an output that shows them at its
    top already leaves them out); ``sep`` between the installations (the terminal's in the
    language's own punctuation; the reports' cells as written before, which --check compares)."""
    if prepared is None:  # a summary of before
        return []
    out = []
    if prepared.exporter:
        out.append((label("exporter", lang), prepared.exporter))
    if prepared.installations:
        out.append((label("installations", lang), installations_shown(prepared.installations, lang, sep)))
    out.append((label("period_covered", lang), period_shown(prepared, lang)))
    out.append((label("date_prepared", lang), prepared.date_prepared))
    if as_of:
        out.append((label("reference_as_of", lang), prepared.reference_data_as_of or "?"))
    if version:
        out.append((label("version", lang), prepared.cbam_calc_version))
    return out


def write_prepared_rows(w, prepared, lang: str) -> None:
    """Who and when on a workbook's Summary (``w``: its row writer), after the reference data's
    date. The date prepared differs between runs: a metadata row for --check
    (report_check.METADATA_KEYS), like the version."""
    for k, v in prepared_items(prepared, lang, as_of=False):
        w.write_row([k, v])
