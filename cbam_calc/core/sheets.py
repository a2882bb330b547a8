"""The sheets of the workbooks cbam-calc writes and reads back (``cbam calc -o``, ``cbam report``,
``cbam batch -o``, ``cbam report --for-importer``): each sheet has a key, and its name in each
language is a label (cbam_calc.core.labels, ``sheet_*``). Writers name a sheet by its key in the
report's language; readers of our own workbooks (``cbam calc --check``: outputs/check.py,
report_check.py, run_record.py) find it by its key in either language, so a Chinese report, an
English one and one written before the names were translated (English names, any language) all
check.

A table longer than a sheet continues on more sheets: ``Lines (2)``, ``Lines (3)``... in English,
``明细行（2）``... in Chinese (:func:`sheet_name` with ``part``).

The run record's sheet (key ``run``) is named ``Run`` in every language, a choice: it holds the
record that programs read (keys and JSON, not prose; English in every report), any cbam-calc
version and any script finds it by that one name, and the scenario workbook names it so too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from cbam_calc.core.labels import LANGS, label

# key -> label key of its names
SHEETS: dict[str, str] = {
    "summary": "sheet_summary",
    "lines": "sheet_lines",
    "by_sector": "sheet_by_sector",
    "by_cn_code": "sheet_by_cn_code",
    "by_country": "sheet_by_country",
    "by_importer": "sheet_by_importer",
    "by_installation": "sheet_by_installation",
    "by_period": "ps_sheet_period",
    "saving": "ps_sheet_saving",
    "rejected": "sheet_rejected",
    "parameters": "sheet_parameters",
    "members": "sheet_members",
    "products": "sheet_products",
    "de_minimis": "sheet_de_minimis",
    "files": "sheet_files",
    "cover": "sheet_cover",
    "notes": "sheet_notes",
    "run": "sheet_run",
}
RUN = "run"
RECORD_ROW = (
    "record_json"  # the Run sheet row holding the run record as JSON (outputs.run_sheet), in every language
)
# how a continuation sheet is named, by language (``part``: 2, 3, ...)
CONTINUED = {"en": "{name} ({part})", "zh": "{name}（{part}）"}
_CONTINUED = re.compile(r"^(?P<name>.+?)(?: \((?P<en>\d+)\)|（(?P<zh>\d+)）)$")
EXCEL_MAX_NAME = 31
EXCEL_FORBIDDEN = set("[]:*?/\\")


def sheet_name(key: str, lang: str = "en", part: int = 1) -> str:
    """The name of sheet ``key`` in ``lang``; ``part`` > 1: its continuation sheet."""
    name = label(SHEETS[key], lang)
    return name if part == 1 else CONTINUED["zh" if lang == "zh" else "en"].format(name=name, part=part)


def sheet_names(key: str) -> tuple[str, ...]:
    """The names of sheet ``key`` in every language (one where they are the same)."""
    return tuple(dict.fromkeys(label(SHEETS[key], lang) for lang in LANGS))


def _by_name() -> dict[str, str]:
    out: dict[str, str] = {}
    for key in SHEETS:
        for name in sheet_names(key):
            out.setdefault(name, key)
    return out


def sheet_key(name: str) -> tuple[str, int] | None:
    """(key, part) of a sheet named ``name`` in either language (``Lines (2)``: lines, 2); None
    for a name that is no sheet of ours."""
    key = _BY_NAME.get(name)
    if key is not None:
        return key, 1
    m = _CONTINUED.match(name)
    if m and m.group("name") in _BY_NAME:
        return _BY_NAME[m.group("name")], int(m.group("en") or m.group("zh"))
    return None


def find_sheet(sheetnames: Iterable[str], key: str, part: int = 1) -> str | None:
    """The name of sheet ``key`` (its ``part``) among a workbook's ``sheetnames``, in either
    language; None where it has none."""
    for name in sheetnames:
        if sheet_key(name) == (key, part):
            return name
    return None


def sheet_parts(sheetnames: Iterable[str], key: str) -> list[str]:
    """Sheet ``key`` and its continuation sheets among ``sheetnames``, in order of part."""
    found = [(k[1], n) for n in sheetnames if (k := sheet_key(n)) is not None and k[0] == key]
    return [n for _, n in sorted(found)]


def same_sheet(name: str, sheetnames: Iterable[str]) -> str | None:
    """The sheet among ``sheetnames`` that is sheet ``name`` (the same key and part, in either
    language; a name that is no sheet of ours: that name itself), or None."""
    names = list(sheetnames)
    if name in names:
        return name
    key = sheet_key(name)
    return find_sheet(names, *key) if key is not None else None


_BY_NAME = _by_name()
