"""Hostile and formula-bearing workbooks (issue 11): hand-built xlsx and ods, a few KB each.

Formula cells the fast reader would read as values (attributes in another order, ``<x:c>``
prefixes, XlsxWriter's ``<v>0</v>`` under fullCalcOnLoad, shared and array formulas), values that
are real (Excel's cached empty string, an inline string), tiny files whose cells span billions of
cells (a far cell with no, a false or a true ``<dimension>``, cells without references, ods repeat
counts), LibreOffice's legitimate trailing repeats, and hidden sheets. tests/inputs/
test_hostile_workbooks.py asserts what each one gives.
"""

from __future__ import annotations

from pathlib import Path

from _zipfixed import write_zip

AREA = "workbooks"

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
HEADER = ("cn_code", "country", "net_mass_t", "import_date", "installation")


def _content_types(n: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(n)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{sheets}</Types>"
    )


def xlsx(
    path: Path, sheets: list[tuple[str, str, str]], *, calc: str = "", prefix: str = "", rels_prefix: str = ""
) -> None:
    """A workbook of ``sheets`` (name, extra attributes of <sheet> such as state="hidden", sheet
    XML); ``calc`` goes into workbook.xml (a <calcPr/>); ``prefix`` writes workbook.xml with a
    namespace prefix (``x:``), as the Open XML SDK does."""
    p = prefix
    xmlns = f'xmlns:{p[:-1]}="{MAIN}"' if p else f'xmlns="{MAIN}"'
    entries = "".join(
        f'<{p}sheet name="{name}" sheetId="{i + 1}" {attrs} r:id="rId{i + 1}"/>'
        for i, (name, attrs, _) in enumerate(sheets)
    )
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8"?><{p}workbook {xmlns} xmlns:r="{REL}">'
        f"<{p}sheets>{entries}</{p}sheets>{calc}</{p}workbook>"
    )
    rels = "".join(
        f'<Relationship Id="rId{i + 1}" Type="{REL}/worksheet" '
        f'Target="{rels_prefix}worksheets/sheet{i + 1}.xml"/>'
        for i in range(len(sheets))
    )
    parts = {
        "[Content_Types].xml": _content_types(len(sheets)),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">{rels}</Relationships>'
        ),
    }
    for i, (_, _, xml) in enumerate(sheets):
        parts[f"xl/worksheets/sheet{i + 1}.xml"] = xml
    write_zip(path, parts)


def sheet(rows: str, *, dimension: str = "", prefix: str = "") -> str:
    p = prefix
    xmlns = f'xmlns:{p[:-1]}="{MAIN}"' if p else f'xmlns="{MAIN}"'
    dim = f'<{p}dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {xmlns}>{dim}'
        f"<{p}sheetData>{rows}</{p}sheetData></{p}worksheet>"
    )


def text(ref: str, value: str, p: str = "") -> str:
    return f'<{p}c r="{ref}" t="inlineStr"><{p}is><{p}t>{value}</{p}t></{p}is></{p}c>'


def number(ref: str, value: float, p: str = "") -> str:
    return f'<{p}c r="{ref}"><{p}v>{value}</{p}v></{p}c>'


def row(r: int, cells: str, p: str = "") -> str:
    return f'<{p}row r="{r}">{cells}</{p}row>'


def header_row(p: str = "") -> str:
    return row(1, "".join(text(f"{c}1", h, p) for c, h in zip("ABCDE", HEADER, strict=True)), p)


def shipment(r: int, mass: str | None = None, p: str = "", installation: str = "") -> str:
    """A steel line on row ``r``; ``mass`` replaces the net_mass_t cell (column C) when given."""
    c = mass if mass is not None else number(f"C{r}", 100, p)
    inst = installation or text(f"E{r}", "Hebei No 1", p)
    return row(
        r,
        text(f"A{r}", "7208 51 20", p) + text(f"B{r}", "CN", p) + c + text(f"D{r}", "2026-02-10", p) + inst,
        p,
    )


def one_sheet(path: Path, rows: str, **kw) -> None:
    prefix = kw.pop("prefix", "")
    calc = kw.pop("calc", "")
    rels = kw.pop("rels_prefix", "")
    xlsx(
        path,
        [("Shipments", "", sheet(rows, prefix=prefix, **kw))],
        calc=calc,
        prefix=prefix,
        rels_prefix=rels,
    )


def _formulas(folder: Path) -> None:
    # attributes in another order, no value: the old check looked for <c r="..."> only
    one_sheet(
        folder / "formula_attribute_order.xlsx",
        header_row() + shipment(2, '<c s="0" r="C2"><f>40+60</f></c>') + shipment(3),
    )
    # the Open XML SDK writes every element with a prefix
    p = "x:"
    one_sheet(
        folder / "formula_prefixed.xlsx",
        header_row(p) + shipment(2, '<x:c r="C2"><x:f>40+60</x:f><x:v/></x:c>', p) + shipment(3, p=p),
        prefix=p,
    )
    # XlsxWriter: a placeholder 0 as cached value, and a request to recalculate on load
    one_sheet(
        folder / "formula_full_calc_on_load.xlsx",
        header_row() + shipment(2, '<c r="C2"><f>40+60</f><v>0</v></c>') + shipment(3),
        calc='<calcPr calcId="124519" fullCalcOnLoad="1"/>',
    )
    one_sheet(
        folder / "formula_full_calc_on_load_prefixed.xlsx",
        header_row(p) + shipment(2, '<x:c r="C2"><x:f>40+60</x:f><x:v>0</x:v></x:c>', p) + shipment(3, p=p),
        calc='<x:calcPr calcId="191029" fullCalcOnLoad="1"/>',
        prefix=p,
    )
    # a shared formula (its first cell carries the text, the others only si) and an array
    # formula whose cell attributes span several lines, none with a value
    one_sheet(
        folder / "formula_shared_and_array.xlsx",
        header_row()
        + shipment(2, '<c r="C2" s="1"><f t="shared" ref="C2:C3" si="0">40+60</f></c>')
        + shipment(3, '<c r="C3" s="1"><f t="shared" si="0"/></c>')
        + shipment(4, '<c\n   r="C4"\n   s="1"\n><f t="array" ref="C4">SUM(40,60)</f>\n</c>')
        + shipment(5),
    )

    # cells without references (some streaming writers omit r=): the formula's position is
    # counted, as the reader counts it
    def plain(v: str) -> str:
        return f'<c t="inlineStr"><is><t>{v}</t></is></c>'

    line = [plain("7208 51 20"), plain("CN"), "{mass}", plain("2026-02-10"), plain("Hebei")]
    one_sheet(
        folder / "formula_without_references.xlsx",
        "<row>"
        + "".join(plain(h) for h in HEADER)
        + "</row><row>"
        + "".join(line).format(mass="<c><f>40+60</f></c>")
        + "</row><row>"
        + "".join(line).format(mass="<c><v>100</v></c>")
        + "</row>",
    )
    # values that are values: Excel's cached empty string (t="str", <v/>), a formula whose cached
    # value is an inline string, and a formula with its number cached
    one_sheet(
        folder / "formula_cached_values.xlsx",
        header_row()
        + shipment(2, installation='<c r="E2" t="str"><f>IF(A2="","x","")</f><v/></c>')
        + shipment(3, installation='<c r="E3" t="str"><f>""</f><v></v></c>')
        + shipment(4, installation='<c r="E4" t="inlineStr"><f>"Hebei"</f><is><t>Hebei</t></is></c>')
        + shipment(5, '<c r="C5" s="2"><f>40+60</f><v>100</v></c>'),
    )


def _extents(folder: Path) -> None:
    far = row(1048576, '<c r="XFD1048576"><v>1</v></c>')
    body = header_row() + shipment(2) + shipment(3)
    one_sheet(folder / "far_cell_no_dimension.xlsx", body + far)
    one_sheet(folder / "far_cell_false_dimension.xlsx", body + far, dimension="A1:E3")
    # the dimension is true: A1 and BA1000000 are both written, 52 million cells apart
    one_sheet(
        folder / "sparse_true_dimension.xlsx",
        body + row(1000000, '<c r="BA1000000"><v>1</v></c>'),
        dimension="A1:BA1000000",
    )
    # cells and rows without references take the next position: a million empty rows, then a
    # row of 100 cells (the bound must count them, not look for references)
    one_sheet(
        folder / "implicit_positions.xlsx",
        body + "<row/>" * 1_000_000 + "<row>" + "<c><v>1</v></c>" * 100 + "</row>",
    )
    # the relationship reaches the sheet through "../xl/": the guard must find the part the
    # reader opens, whatever way the path is written
    one_sheet(folder / "far_cell_part_via_dotdot.xlsx", body + far, rels_prefix="../xl/")
    # just under the sparse limit (5 x 799,999 cells): read, and the reader's memory stays bounded
    one_sheet(folder / "sparse_at_the_limit.xlsx", body + row(799999, '<c r="E799999"><v>1</v></c>'))
    # a cell far to the right on row 2 only: A1:XFD3 is 49,152 cells, a normal sheet
    one_sheet(folder / "wide_but_small.xlsx", body.replace("</row>", '<c r="XFD1"><v>1</v></c></row>', 1))


ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"'
)


def ods(path: Path, tables: list[tuple], styles: str = "") -> None:
    """An OpenDocument spreadsheet of ``tables`` (name, rows and optionally more attributes)."""
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    body = "".join(
        f'<table:table table:name="{t[0]}"{t[2] if len(t) > 2 else ""}>{t[1]}</table:table>' for t in tables
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS} office:version="1.2">'
        f"<office:automatic-styles>{styles}</office:automatic-styles>"
        f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"
    )
    write_zip(
        path,
        {
            "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
            "META-INF/manifest.xml": manifest,
            "content.xml": content,
        },
    )


def _ods_text(v: str) -> str:
    return f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'


def _ods_number(v: float, repeat: int = 1) -> str:
    rep = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    value = f'office:value-type="float" office:value="{v}"'
    return f"<table:table-cell{rep} {value}><text:p>{v}</text:p></table:table-cell>"


def _ods_rows() -> str:
    cells = [_ods_text(h) for h in HEADER]
    line = [
        _ods_text("7208 51 20"),
        _ods_text("CN"),
        _ods_number(100),
        _ods_text("2026-02-10"),
        _ods_text("Hebei"),
    ]
    return (
        f"<table:table-row>{''.join(cells)}</table:table-row>"
        + 2 * f"<table:table-row>{''.join(line)}</table:table-row>"
    )


def _ods(folder: Path) -> None:
    # as LibreOffice saves a sheet: declared columns, then the rest of the sheet as one empty
    # repeated row of 1,024 empty cells (legitimate: nothing is there)
    trailing = (
        '<table:table-row table:style-name="ro1" table:number-rows-repeated="1048573">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    )
    columns = (
        '<table:table-column table:style-name="co1" table:number-columns-repeated="5" '
        'table:default-cell-style-name="Default"/>'
        '<table:table-column table:style-name="co1" table:number-columns-repeated="16379" '
        'table:default-cell-style-name="Default"/>'
    )
    ods(folder / "ods_libreoffice_trailing.ods", [("Shipments", columns + _ods_rows() + trailing)])
    # content repeated: one written cell is 100 columns x 1,000,000 rows
    bomb = (
        '<table:table-row table:number-rows-repeated="1000000">'
        f"{_ods_number(1, repeat=100)}</table:table-row>"
    )
    ods(folder / "ods_repeated_content.ods", [("Shipments", _ods_rows() + bomb)])
    # two million empty rows in the middle, then one cell: the reader fills the gap
    gap = (
        '<table:table-row table:number-rows-repeated="2000000">'
        '<table:table-cell table:number-columns-repeated="5"/></table:table-row>'
        f"<table:table-row>{_ods_number(1)}</table:table-row>"
    )
    ods(folder / "ods_gap.ods", [("Shipments", _ods_rows() + gap)])


def _hidden(folder: Path) -> None:
    old = header_row() + shipment(2, number("C2", 999))
    new = header_row() + shipment(2) + shipment(3)
    for state in ("hidden", "veryHidden"):
        xlsx(
            folder / f"{state}_first_sheet.xlsx",
            [("Old", f'state="{state}"', sheet(old)), ("Shipments", "", sheet(new))],
        )
    xlsx(folder / "all_sheets_hidden.xlsx", [("Old", 'state="hidden"', sheet(old))])
    # LibreOffice hides a sheet through its table style
    hidden_style = (
        '<style:style style:name="ta2" style:family="table">'
        '<style:table-properties table:display="false"/></style:style>'
    )
    ods(
        folder / "hidden_first_sheet.ods",
        [("Old", _ods_rows(), ' table:style-name="ta2"'), ("Shipments", _ods_rows())],
        styles=hidden_style,
    )


def build(folder: Path) -> None:
    _formulas(folder)
    _extents(folder)
    _ods(folder)
    _hidden(folder)
