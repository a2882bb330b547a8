"""Slim copies of EU communication templates for the tests: the three sheets cbam-calc reads
(Summary_Products, Summary_Communication, VersionDocumentation), byte for byte, and what a reader
needs to open them (workbook, relationships, shared strings, styles); the 16 other sheets, their
drawings, comments and printer settings are left out. A template is 1.3 MB, its slim copy about
220 KB: the Commission's five examples and the blank template fit in the repository.

    python scripts/slim_templates.py ../shared/data/template/examples/*.xlsx \
        "../shared/data/template/CBAM Communication template for installations_en_20241213.xlsx" \
        tests/data/templates/

The copies are deterministic (fixed zip timestamps). The workbook's defined names are dropped (most
point into the sheets left out) and so is the calculation chain; the summary sheets keep their
formulas and the values Excel cached for them.
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent / "corpus"))
from _zipfixed import write_zip

KEEP = ("Summary_Products", "Summary_Communication", "VersionDocumentation")
SHARED = ("xl/sharedStrings.xml", "xl/styles.xml", "xl/theme/theme1.xml")


def _sheet_targets(workbook: bytes, rels: bytes) -> dict[str, tuple[str, str]]:
    """Sheet name -> (relationship id, part)."""
    targets = dict(re.findall(rb'<Relationship [^>]*?Id="(rId\d+)"[^>]*?Target="([^"]+)"', rels))
    targets |= {
        k: v for v, k in re.findall(rb'<Relationship [^>]*?Target="([^"]+)"[^>]*?Id="(rId\d+)"', rels)
    }
    out = {}
    for name, rid in re.findall(
        rb'<sheet name="([^"]+)" sheetId="\d+"(?: state="\w+")? r:id="(rId\d+)"', workbook
    ):
        target = targets[rid].decode()
        out[name.decode().replace("&amp;", "&")] = (
            rid.decode(),
            "xl/" + target.lstrip("/").removeprefix("xl/"),
        )
    return out


def slim(source: Path, dest: Path) -> None:
    with zipfile.ZipFile(source) as z:
        workbook = z.read("xl/workbook.xml")
        rels = z.read("xl/_rels/workbook.xml.rels")
        sheets = _sheet_targets(workbook, rels)
        kept = {name: sheets[name] for name in KEEP if name in sheets}
        kept_ids = {rid for rid, _ in kept.values()}
        kept_parts = {part for _, part in kept.values()}
        # the workbook: only the kept sheets, no defined names, no calculation chain
        wb = re.sub(
            rb'<sheet name="[^"]+" sheetId="\d+"(?: state="\w+")? r:id="(rId\d+)"/>',
            lambda m: m.group(0) if m.group(1).decode() in kept_ids else b"",
            workbook,
        )
        wb = re.sub(rb"<definedNames>.*?</definedNames>", b"", wb, flags=re.S)
        wb = re.sub(rb"<bookViews>.*?</bookViews>", b"", wb, flags=re.S)  # its active tab is gone
        shared_targets = {p.removeprefix("xl/") for p in SHARED}

        def keep_rel(m: re.Match) -> bytes:
            text = m.group(0)
            rid = re.search(rb'Id="(rId\d+)"', text).group(1).decode()
            target = re.search(rb'Target="([^"]+)"', text).group(1).decode()
            return text if rid in kept_ids or target in shared_targets else b""

        new_rels = re.sub(rb"<Relationship [^>]*/>", keep_rel, rels)
        parts: dict[str, bytes] = {}
        types = z.read("[Content_Types].xml")
        kept_all = {"xl/workbook.xml", *kept_parts, *SHARED}  # printer settings: a Default type
        types = re.sub(
            rb'<Override PartName="/([^"]+)"[^>]*/>',
            lambda m: m.group(0) if m.group(1).decode() in kept_all else b"",
            types,
        )
        parts["[Content_Types].xml"] = types
        root_rels = z.read("_rels/.rels")
        parts["_rels/.rels"] = re.sub(
            rb"<Relationship [^>]*/>",
            lambda m: m.group(0) if b"xl/workbook.xml" in m.group(0) else b"",
            root_rels,
        )
        parts["xl/workbook.xml"] = wb
        parts["xl/_rels/workbook.xml.rels"] = new_rels
        for name in SHARED:
            if name in z.namelist():
                parts[name] = z.read(name)
        for _, part in kept.values():
            parts[part] = z.read(part)  # byte for byte, with its own relationships (printer settings)
            sheet_rels = part.replace("worksheets/", "worksheets/_rels/") + ".rels"
            if sheet_rels in z.namelist():
                parts[sheet_rels] = z.read(sheet_rels)
                for target in re.findall(rb'Target="([^"]+)"', parts[sheet_rels]):
                    linked = str(Path("xl/worksheets", target.decode())).replace("xl/worksheets/../", "xl/")
                    parts[linked] = z.read(linked)
    write_zip(dest, parts)


def main(argv: list[str]) -> None:
    *sources, dest = argv
    out = Path(dest)
    out.mkdir(parents=True, exist_ok=True)
    for s in sources:
        src = Path(s)
        slim(src, out / src.name)
        print(f"{out / src.name}: {(out / src.name).stat().st_size:,} bytes (from {src.stat().st_size:,})")


if __name__ == "__main__":
    main(sys.argv[1:])
