"""Hostile copies of a communication template, made by editing one sheet's XML in a copy: every
other byte stays the Commission's, so each copy differs from a good template by the one thing a
test names (a formula without its cached value, a CN code, an empty SEE)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from conftest import REPO

TEMPLATES = REPO / "tests" / "data" / "templates"
EXAMPLES = sorted(p for p in TEMPLATES.glob("*.xlsx") if "Example" in p.name)
BLANK = TEMPLATES / "CBAM Communication template for installations_en_20241213.xlsx"
CEMENT = TEMPLATES / "1 CBAM SEE V2.1_Example Cement_final.xlsx"
ALUMINIUM = TEMPLATES / "6 CBAM SEE V2.1_Example Aluminium_final.xlsx"


def _sheet_part(z: zipfile.ZipFile, sheet: str) -> str:
    wb = z.read("xl/workbook.xml").decode()
    rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(
        rf'<sheet name="{re.escape(sheet)}" sheetId="\d+"(?: state="\w+")? r:id="(rId\d+)"', wb
    ).group(1)
    target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels
    )
    return "xl/" + target.group(1).lstrip("/").removeprefix("xl/")


def edit(src: Path, dest: Path, sheet: str, cells: dict[str, Callable[[str], str]]) -> Path:
    """A copy of ``src`` whose cells of ``sheet`` are replaced: ``cells`` maps a reference (I10)
    to a function of the cell's XML giving its new XML."""
    with zipfile.ZipFile(src) as z:
        part = _sheet_part(z, sheet)
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts[part].decode("utf-8")
    for ref, change in cells.items():
        # lazy attributes: an empty input cell (<c r="AR10" s="461"/>) ends at its own "/>"
        pattern = re.compile(rf'<c r="{ref}"(?:\s[^>]*?)?(?:/>|>.*?</c>)', re.S)
        m = pattern.search(xml)
        assert m, f"no cell {ref} in {sheet}"
        xml = xml[: m.start()] + change(m.group(0)) + xml[m.end() :]
    parts[part] = xml.encode("utf-8")
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return dest


def _attrs(cell: str) -> str:
    return re.match(r"<c ([^>]*?)/?>", cell).group(1)


def _without_type(cell: str) -> str:
    return re.sub(r'\st="\w+"', "", _attrs(cell))


def uncached(cell: str) -> str:
    """The cell's formula saved without its value (a script's save, never opened in Excel)."""
    f = re.search(r"<f(?:\s[^>]*)?(?:/>|>.*?</f>)", cell, re.S).group(0)
    return f"<c {_without_type(cell)}>{f}</c>"


def cached_empty(cell: str) -> str:
    """The cell's formula with Excel's cached empty string (=IF(...,"",...) that gave "")."""
    f = re.search(r"<f(?:\s[^>]*)?(?:/>|>.*?</f>)", cell, re.S)
    formula = f.group(0) if f else '<f>""</f>'
    return f'<c {_without_type(cell)} t="str">{formula}<v></v></c>'


def text(value: str) -> Callable[[str], str]:
    """The cell holding ``value`` as text (a typed entry; a formula's cached text reads the same)."""

    def change(cell: str) -> str:
        return f'<c {_without_type(cell)} t="inlineStr"><is><t>{value}</t></is></c>'

    return change


def number(value: float) -> Callable[[str], str]:
    """The cell holding the number ``value`` (a typed entry, or a formula's value written over it)."""

    def change(cell: str) -> str:
        return f"<c {_without_type(cell)}><v>{value!r}</v></c>"

    return change
