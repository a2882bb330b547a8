"""CSV bodies that lost, invented or mis-split rows (issue 11, "Rows lost" and "Silent choices"),
and CSV files that ended in an internal error: one file per case, each a few hundred bytes.

tests/inputs/test_hostile_csv.py states what each must give. Every data line is a computable
7208 39 00 shipment from CN, so "lines computed" counts exactly the rows the reader kept.
"""

from __future__ import annotations

from pathlib import Path

AREA = "csv"

HEADER = "cn_code,country,net_mass_t,import_date"
LINE = "7208 39 00,CN,{mass},2026-02-{day:02d}"


def _lines(n: int, start: int = 100) -> list[str]:
    return [LINE.format(mass=start + i, day=1 + i % 28) for i in range(n)]


def _text(*lines: str, end: str = "\n") -> str:
    return end.join(lines) + end


# a title line above the header holding a character str.splitlines() breaks on, CR/LF do not
BREAKERS = {"vt": "\v", "ff": "\f", "fs": "\x1c", "nel": "\x85", "u2028": "\u2028"}


def build(folder: Path) -> None:
    def put(name: str, text: str, encoding: str = "utf-8") -> None:
        (folder / name).write_bytes(text.encode(encoding))

    for key, ch in BREAKERS.items():
        put(f"title_{key}.csv", _text(f"Shipments 2026{ch}Hebei Steel", HEADER, *_lines(2)))
    put("title_vt_crlf.csv", _text("Shipments 2026\vHebei Steel", HEADER, *_lines(2), end="\r\n"))
    put("title_vt_cr.csv", _text("Shipments 2026\vHebei Steel", HEADER, *_lines(2), end="\r"))
    put("title_vt_utf16.csv", _text("Shipments 2026\vHebei Steel", HEADER, *_lines(2)), "utf-16")
    # a free-text note opens a quote on the first shipment and never closes it: 100 rows
    note = [f"{ln},ok" for ln in _lines(100)]
    note[0] = note[0].replace(",ok", ',"Hebei, 2 coils')
    put("unclosed_quote.csv", _text(HEADER + ",note", *note))
    put("unclosed_quote_crlf.csv", _text(HEADER + ",note", *note, end="\r\n"))
    put("unclosed_quote_utf16.csv", _text(HEADER + ",note", *note), "utf-16")
    last = [f"{ln},ok" for ln in _lines(5)]
    last[-1] = last[-1].replace(",ok", ',"never closed')
    put("unclosed_quote_last.csv", _text(HEADER + ",note", *last))
    # a quoted title over two lines is one record: the header is the next line, not a shipment
    put("quoted_title.csv", _text('"Shipments', '2026"', HEADER, *_lines(2)))
    # a note over two lines (quote closed) is one row; the rows after it keep their line numbers
    multi = [f"{ln}," for ln in _lines(3)]
    multi[0] += '"first line\nsecond line"'
    put("multiline_note.csv", _text(HEADER + ",note", *multi))
    put("duplicate_header.csv", _text("cn_code,country,net_mass_t,net_mass_t,import_date",
                                      "7208 39 00,CN,100,200,2026-02-10"))  # fmt: skip
    semi = [ln.replace(",", ";") for ln in [HEADER, *_lines(2)]]
    put("sep_line.csv", _text("sep=;", *semi))
    put("sep_line_crlf_bom.csv", "\ufeff" + _text("sep=;", *semi, end="\r\n"))
    put("trailing_delimiter.csv", _text(HEADER, *[ln + "," for ln in _lines(3)]))
    put("trailing_delimiter_semicolon.csv", _text(*[ln + ";" for ln in semi], end="\r\n"))
    put("empty.csv", "")
    put("bom_only.csv", "\ufeff")
    put("header_only.csv", _text(HEADER))
    put("blank_lines.csv", _text(HEADER, "", _lines(1)[0], "", "", *_lines(1, 200)))
