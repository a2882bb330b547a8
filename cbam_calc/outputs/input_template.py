"""``cbam template``: an empty input workbook with the columns cbam-calc reads and how to fill them."""

from __future__ import annotations

from pathlib import Path

from cbam_calc.inputs.columns import COLUMNS, ColumnSpec
from cbam_calc.outputs.print_layout import print_setup
from cbam_calc.outputs.writers import atomic_write, protect_cells

# The header each column gets in a Chinese template (any listed alias is accepted on input).
ZH_HEADERS = {
    "cn_code": "商品编码",
    "country": "原产国",
    "net_mass_t": "净重(吨)",
    "net_mass_kg": "净重(千克)",
    "import_date": "进口日期",
    "quarter": "进口季度",
    "see_direct": "直接排放(tCO2e/t)",
    "see_indirect": "间接排放(tCO2e/t)",
    "route": "生产路线",
    "installation": "生产设施",
    "importer": "进口商",
    "destination": "目的国",
    "carbon_price_paid": "已付碳价",
    "carbon_price_currency": "碳价币种",
    "carbon_price_basis": "碳价计价基础",
    "carbon_price_rebate": "碳价返还",
    "carbon_price_free_share": "免费配额比例",
    "carbon_price_evidenced": "已证明",
    "precursor_mass_t_per_t": "前体质量",
    "precursor_sefa_tco2e_per_t": "前体sefa",
    "precursor_benchmark_tco2e_per_t": "前体基准值",
}
# Alternatives kept out of the template: net_mass_kg (net_mass_t), quarter and export_date
# (import_date), precursor_sefa (precursor_benchmark, which follows the year).
TEMPLATE_COLUMNS = [
    c
    for c in COLUMNS
    if c.name not in ("net_mass_kg", "quarter", "export_date", "precursor_sefa_tco2e_per_t")
]

TEXT = {
    "en": {
        "sheet": "Shipments",
        "help": "Instructions",
        "column": "Column",
        "required": "Required",
        "meaning": "What to enter",
        "example": "Example",
        "names": "Other accepted headers",
        "yes": "yes",
        "no": "no",
        "intro": (
            "One row per customs line or product batch. Leave see_direct and see_indirect "
            "blank to use the EU default values (IR 2025/2621 as amended by IR 2026/1740, with the "
            "mark-up of the year). "
            "Then run: cbam calc this_file.xlsx -o report.xlsx"
        ),
    },
    "zh": {
        "sheet": "出口明细",  # any name: cbam calc reads the first visible sheet
        "help": "填写说明",
        "column": "列名",
        "required": "必填",
        "meaning": "填写内容",
        "example": "示例",
        "names": "其他可接受的列名",
        "yes": "是",
        "no": "否",
        "intro": (
            "每行一个报关行或一批产品。直接排放和间接排放留空时，使用欧盟默认值（IR 2025/2621，"
            "经 IR 2026/1740 修订，含当年加成）。然后运行：cbam calc 本文件.xlsx -o report.xlsx"
        ),
    },
}


def header(c: ColumnSpec, lang: str) -> str:
    return ZH_HEADERS.get(c.name, c.name) if lang == "zh" else c.name


def write_template(path: str | Path, *, lang: str = "en", force: bool = False) -> Path:
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill

    t = TEXT[lang]

    def write(tmp: Path) -> None:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = t["sheet"]
        required = PatternFill("solid", fgColor="FFF2CC")
        for i, c in enumerate(TEMPLATE_COLUMNS, start=1):
            cell = ws.cell(row=1, column=i, value=header(c, lang))
            cell.font = Font(bold=True)
            if c.required or c.name in ("net_mass_t", "import_date"):
                cell.fill = required
            ws.column_dimensions[cell.column_letter].width = max(14, len(header(c, lang)) + 4)
        ws.freeze_panes = "A2"
        for row in range(2, 1002):  # keep CN codes as text so leading digits and spaces survive
            ws.cell(row=row, column=1).number_format = "@"
        helpws = wb.create_sheet(t["help"])
        helpws.append([t["intro"]])
        helpws.append([])
        helpws.append([t["column"], t["required"], t["meaning"], t["example"], t["names"]])
        for cell in helpws[3]:
            cell.font = Font(bold=True)
        for c in COLUMNS:
            needed = c.required or c.name in ("net_mass_t", "import_date")
            helpws.append(
                [
                    header(c, lang),
                    t["yes"] if needed else t["no"],
                    c.help_zh if lang == "zh" else c.help_en,
                    (c.example_zh or c.example) if lang == "zh" else c.example,
                    ", ".join([c.name, *c.aliases]),
                ]
            )
        for col, width in zip("ABCDE", (22, 9, 70, 18, 80)):
            helpws.column_dimensions[col].width = width
        for row in helpws.iter_rows(min_row=4):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        protect_cells(wb)  # as every writer: no text is ever evaluated
        print_setup(wb)  # A4, fitted, headers repeated: as every workbook (xlsx_book)
        wb.save(tmp)

    return atomic_write(path, write, force=force)
