"""How the inputs were read, as the assumptions of every output state it: the columns the user
mapped (--column FIELD=HEADER) and the import dates estimated from export dates
(--from-export-date DAYS). One list of (label, value) items that the text summary, the xlsx
Summary and the HTML assumptions box each lay out in their own way, so they cannot disagree."""

from __future__ import annotations

from cbam_calc.core.labels import label


def reading_items(reading, lang: str = "en") -> list[tuple[str, str]]:
    """(label, value) of each reading choice that changes the figures; none for a default read.
    ``reading``: Assumptions.reading (a ReadOptions)."""
    items: list[tuple[str, str]] = []
    if reading is None:
        return items
    if reading.columns:
        items.append(
            (label("columns_mapped", lang), "; ".join(f"{f}={h}" for f, h in reading.columns.items()))
        )
    if reading.from_export_date_days is not None:
        items.append(
            (
                label("import_date_estimated", lang),
                label("export_plus_days", lang, days=reading.from_export_date_days),
            )
        )
    return items
