"""``cbam data``: the inventory of what every figure rests on, as text or JSON.

The inventory itself is :func:`cbam_calc.law.inventory.reference_files`; this module only shows it.
"""

from __future__ import annotations

import json

from cbam_calc import __version__
from cbam_calc.law.inventory import ReferenceFile, reference_data_as_of, reference_files
from cbam_calc.law.reference import ReferenceData, reference_data

KINDS = {
    "law table": "Law tables (cbam_calc/data)",
    "parameter": "Parameters (cbam_calc/data/parameters)",
    "market data": "Prices and exchange rates (reference_prices)",
}


def _effective(f: ReferenceFile) -> str:
    if f.kind == "market data":
        return f"{f.effective_from} to {f.effective_to}" if f.effective_from else "-"
    if f.effective_from and f.effective_to:
        return f"{f.effective_from} to {f.effective_to}"
    return f"from {f.effective_from}" if f.effective_from else "-"


def _entry(f: ReferenceFile) -> list[str]:
    rows = "dated values" if f.kind == "parameter" else "rows"
    market = f.kind == "market data"
    out = [
        f"  {f.path}: {f.title}",
        f"    {'source' if market else 'act'}: {f.act or '-'}",
    ]
    if f.version:
        out.append(f"    version: {f.version}")
    out.append(
        f"    {'covers' if market else 'effective'}: {_effective(f)} | status: {f.status_detail or f.status}"
        f" | {rows}: {'-' if f.rows is None else f.rows}"
        f" | updated: {f.updated or 'unknown (' + f.updated_note + ')'}"
    )
    if f.superseded_by:
        out.append(f"    superseded by: {f.superseded_by}")
    out.append(f"    sha256: {f.sha256}")
    return out


def inventory_text(ref: ReferenceData | None = None) -> str:
    """Every reference table and parameter, grouped by kind, with the data's date and hash."""
    ref = ref or reference_data()
    files = reference_files(ref)
    out = [
        f"cbam-calc {__version__} | {reference_data_as_of(ref).text()}",
        f"reference data SHA-256 (every file): {ref.fingerprint}",
    ]
    for kind, heading in KINDS.items():
        group = [f for f in files if f.kind == kind]
        if group:
            out += ["", heading]
            for f in group:
                out += _entry(f)
    out += [
        "",
        "status: law, draft, proposal (not law: scenarios only), projection (not a real figure), "
        "superseded (kept only to explain old reports); for prices, the status of their rows",
    ]
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


def inventory_report(fmt: str = "text", ref: ReferenceData | None = None) -> str:
    """What ``cbam data`` prints: :func:`inventory_text` or, with ``fmt="json"``, :func:`inventory_json`."""
    return inventory_json(ref) if fmt == "json" else inventory_text(ref)
