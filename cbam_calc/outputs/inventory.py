"""``cbam data``: the inventory of what every figure rests on, as text or JSON.

The inventory itself is :func:`cbam_calc.law.inventory.reference_files`; this module only shows it.
"""

from __future__ import annotations

import json

from cbam_calc import __version__
from cbam_calc.core.labels import inventory_status, label
from cbam_calc.core.messages import Message
from cbam_calc.law.inventory import ReferenceFile, reference_data_as_of, reference_files, status_zh, titles_zh
from cbam_calc.law.reference import ReferenceData, reference_data

KINDS = ("law table", "parameter", "market data")


def _span(start: str, end: str, lang: str) -> str:
    if start and end:
        return Message("M_INV_SPAN", start=start, end=end).text(lang)
    return Message("M_INV_FROM", start=start).text(lang) if start else "-"


def _effective(f: ReferenceFile, lang: str) -> str:
    if f.kind == "market data":
        return _span(f.effective_from, f.effective_to, lang) if f.effective_from else "-"
    return _span(f.effective_from, f.effective_to, lang)


def _status(f: ReferenceFile, lang: str) -> str:
    """The file's status: its own words (status_detail) or its status words, for market data each
    with its count of rows ('projection 9, published 3')."""
    if lang == "en":
        return f.status_detail or f.status
    if f.status_detail:
        return status_zh(f.path) or f.status_detail
    if f.status == "no data rows":
        return label("inv_no_rows", lang)
    words = [part.rpartition(" ") if part[-1:].isdigit() else (part, "", "") for part in f.status.split(", ")]
    return "，".join(f"{inventory_status(w, lang)}{' ' + n if n else ''}" for w, _, n in words)


def _entry(f: ReferenceFile, lang: str) -> list[str]:
    sep = "：" if lang == "zh" else ": "
    rows = label("inv_dated_values" if f.kind == "parameter" else "inv_rows", lang)
    market = f.kind == "market data"
    title = titles_zh().get(f.path, {}).get("title", f.title) if lang == "zh" else f.title
    updated = f.updated or Message("M_INV_UNKNOWN", why=f.updated_note_text(lang)).text(lang)
    out = [
        f"  {f.path}{sep}{title}",
        f"    {label('inv_source' if market else 'inv_act', lang)}{sep}{f.act or '-'}",
    ]
    if f.version:
        out.append(f"    {label('inv_version', lang)}{sep}{f.version}")
    out.append(
        f"    {label('inv_covers' if market else 'inv_effective', lang)}{sep}{_effective(f, lang)}"
        f" | {label('inv_status', lang)}{sep}{_status(f, lang)}"
        f" | {rows}{sep}{'-' if f.rows is None else f.rows}"
        f" | {label('inv_updated', lang)}{sep}{updated}"
    )
    if f.superseded_by:
        out.append(f"    {label('inv_superseded_by', lang)}{sep}{f.superseded_by}")
    out.append(f"    sha256{sep}{f.sha256}")
    return out


def inventory_text(ref: ReferenceData | None = None, lang: str = "en") -> str:
    """Every reference table and parameter, grouped by kind, with the data's date and hash, in
    ``lang`` (the acts and sources as they are cited)."""
    ref = ref or reference_data()
    files = reference_files(ref)
    out = [
        f"cbam-calc {__version__} | {reference_data_as_of(ref).text(lang)}",
        f"{label('inv_sha_all', lang)}{'：' if lang == 'zh' else ': '}{ref.fingerprint}",
    ]
    for kind in KINDS:
        group = [f for f in files if f.kind == kind]
        if group:
            out += ["", label(f"inv_kind_{kind}", lang)]
            for f in group:
                out += _entry(f, lang)
    out += ["", Message("M_INV_LEGEND").text(lang)]
    return "\n".join(out)


def inventory_json(ref: ReferenceData | None = None) -> str:
    """One JSON object: the version, the date and hash of the whole set, and every file."""
    ref = ref or reference_data()
    as_of = reference_data_as_of(ref)
    doc = {
        "cbam_calc_version": __version__,
        "reference_data_as_of": as_of.date,
        "undated_files": as_of.undated,
        "reference_data_sha256": ref.fingerprint,
        "files": [f.model_dump() for f in reference_files(ref)],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)


def inventory_report(fmt: str = "text", ref: ReferenceData | None = None, lang: str = "en") -> str:
    """What ``cbam data`` prints: :func:`inventory_text` in ``lang`` or, with ``fmt="json"``,
    :func:`inventory_json` (an API: English)."""
    return inventory_json(ref) if fmt == "json" else inventory_text(ref, lang)
