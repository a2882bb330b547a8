"""CSV files saved in a legacy encoding (issue 12, "text in another legacy encoding"), each beside
its UTF-8 equivalent: the same shipments, the same importer names, so a file read in the right
encoding must give the same lines, EUR and de minimis groups as ``<name>_utf8.csv``.

- cp1252.csv: Excel "CSV" on a French or German Windows (Société Générale Négoce, Müller ...)
- latin1.csv: ISO-8859-1 (a Unix export): Ørsted Stål, Fußgänger Métaux
- shift_jis.csv: Excel on Japanese Windows (株式会社トヨタ通商, 三井物産)
- cp1254.csv: Excel on Turkish Windows (Ereğli Demir ve Çelik, İskenderun)
- gbk.csv: Excel on Chinese Windows: read as GB18030 without any option
- utf16_unicode_text.txt: Excel's "Unicode text" (UTF-16 LE with BOM, tab-separated, CRLF)

Two importers per file: one over the 50 t de minimis threshold, one under it, so a garbled or
split importer name would change the groups. tests/inputs/test_hostile_habits_encoding.py
states what each must give (the files past 256 KiB are built by the tests: this corpus stays
a few KB).
"""

from __future__ import annotations

from pathlib import Path

AREA = "habits/encoding"

HEADER = ["cn_code", "country", "net_mass_t", "import_date", "installation", "importer"]

# name -> (encoding, importer over the threshold, importer under it, installation)
FILES = {
    "cp1252": ("cp1252", "Société Générale Négoce", "Müller Stahlhandel GmbH", "Hütte Nord – Ofen 2"),
    "latin1": ("latin-1", "Ørsted Stål A/S", "Fußgänger Métaux SA", "Aciérie de Lönnholm"),
    "shift_jis": ("shift_jis", "株式会社トヨタ通商", "三井物産", "名古屋製鉄所 第2高炉"),
    "cp1254": ("cp1254", "Ereğli Demir ve Çelik", "İskenderun Demir Çelik", "Karabük Çelikhane"),
    "gbk": ("gbk", "河北钢铁集团有限公司", "宝山钢铁股份有限公司", "唐山第二炼钢厂"),
}


def rows(big: str, small: str, installation: str) -> list[list[str]]:
    """Shipments of 7208 39 00 from CN: ``big`` imports 60 t (not exempt), ``small`` 12 t."""
    return [
        ["7208 39 00", "CN", "35", "2026-02-10", installation, big],
        ["7208 39 00", "CN", "25", "2026-03-12", installation, big],
        ["7208 39 00", "CN", "12", "2026-04-02", f"{installation}, Halle 3", small],
    ]


def text(name: str, sep: str = ",", end: str = "\n") -> str:
    """The file's text: values holding the delimiter quoted, as Excel writes them."""
    _, big, small, installation = FILES[name]
    quoted = [[f'"{v}"' if sep in v else v for v in r] for r in [HEADER, *rows(big, small, installation)]]
    return end.join(sep.join(r) for r in quoted) + end


def build(folder: Path) -> None:
    for name, (encoding, *_) in FILES.items():
        (folder / f"{name}.csv").write_bytes(text(name).encode(encoding))
        (folder / f"{name}_utf8.csv").write_bytes(text(name).encode("utf-8"))
    unicode_text = text("cp1252", sep="\t", end="\r\n")
    (folder / "utf16_unicode_text.txt").write_bytes(unicode_text.encode("utf-16"))
