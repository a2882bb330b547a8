"""How every workbook prints (issue 14, "Sendable"): the page set-up of the sheets the xlsx writers
of cbam_calc.outputs.xlsx_book write (:func:`setup_sheet`, both backends) and of the openpyxl
workbooks built in memory (:func:`print_setup`: the scenario workbook, the input template).

Presentation choices, not law: A4, landscape where the sheet is wider than a portrait page,
fitted to the page width but never below MIN_PRINT_SCALE (a wider sheet flows onto more pages
across instead of shrinking to unreadable), its header rows repeated on every page.
"""

from __future__ import annotations

import math

# Applied to every sheet in one place: Book.close (xlsx_book), print_setup for openpyxl.
PAPER_A4 = 9  # the paper code of A4 in the xlsx page set-up (ECMA-376 paperSize)
A4_IN = (8.27, 11.69)  # A4 portrait, width and height in inches
MIN_PRINT_SCALE = 0.70
MARGINS_IN = {"left": 0.4, "right": 0.4, "top": 0.55, "bottom": 0.55, "header": 0.3, "footer": 0.3}
DEFAULT_WIDTH = 8.43  # characters: a column whose width was not set
# how far the fitted width may be from the exact pages across: a page breaks between columns,
# so a page holds a little less than its width
PAGE_FILL = 0.92
MAX_FIT_PAGES = 32_767  # the most pages down a fit can ask for (0: as many as the rows need)
ROW_PT = 15  # the default row height, points
EMU_PER_PX, EMU_PER_PT = 9_525, 12_700  # the drawing units of OOXML (English Metric Units)
CM_PX = 360_000 / EMU_PER_PX  # a chart's size was given in cm (openpyxl): pixels at 96 dpi


def width_px(chars: float) -> int:
    """Pixels of a column ``chars`` characters wide (Excel's rule for its default font)."""
    return int(chars * 7 + 5) if chars >= 1 else int(chars * 12 + 0.5)


def page_layout(widths_px: list[int], height_pt: float) -> tuple[bool, int, int]:
    """(landscape, pages across, pages down) of a print area ``widths_px`` wide and
    ``height_pt`` high: portrait where it fits a portrait page at full scale, landscape
    otherwise; as few pages across and down as keep the scale at MIN_PRINT_SCALE or above (the
    scale is then the smaller that fits those pages, and at most 100 %)."""
    width_pt = sum(widths_px) * 0.75
    margins = MARGINS_IN["left"] + MARGINS_IN["right"]
    landscape = width_pt > (A4_IN[0] - margins) * 72
    page_w, page_h = (A4_IN[1], A4_IN[0]) if landscape else A4_IN
    page_w = (page_w - margins) * 72
    page_h = (page_h - MARGINS_IN["top"] - MARGINS_IN["bottom"]) * 72
    across = (
        1
        if width_pt * MIN_PRINT_SCALE <= page_w
        else math.ceil(width_pt * MIN_PRINT_SCALE / (page_w * PAGE_FILL))
    )
    down = max(1, math.ceil(height_pt * MIN_PRINT_SCALE / (page_h * PAGE_FILL)))
    return landscape, across, down if down <= MAX_FIT_PAGES else 0


def print_setup(wb) -> None:
    """The print set-up of :meth:`Sheet.print_setup` on every sheet of an openpyxl workbook built
    in memory (the scenario workbook, the input template), called once it is finished: a
    sheet's used range, column widths and charts give the orientation and the pages across and
    down; the rows above its frozen pane are repeated on every page."""
    from openpyxl.utils.cell import coordinate_from_string

    for ws in wb.worksheets:
        frozen = ws.freeze_panes
        header_rows = coordinate_from_string(frozen)[1] - 1 if frozen else 0
        _print_setup_openpyxl(ws, header_rows)


def _print_setup_openpyxl(ws, header_rows: int) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.cell import coordinate_to_tuple

    last_row, last_col = 1, 1  # the cells holding a value (the template formats empty rows too)
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:
                last_row, last_col = max(last_row, cell.row), max(last_col, cell.column)
    px = []
    for c in range(1, last_col + 1):
        dim = ws.column_dimensions.get(get_column_letter(c))
        px.append(width_px(dim.width if dim is not None and dim.width else DEFAULT_WIDTH))
    for chart in getattr(ws, "_charts", []):  # the columns and rows a chart covers
        anchor = chart.anchor
        if isinstance(anchor, str):  # a cell
            row, col = (k - 1 for k in coordinate_to_tuple(anchor))
            left = sum(px[:col])
        elif hasattr(anchor, "_from"):  # a one-cell anchor
            row, col = anchor._from.row, anchor._from.col
            left = sum(px[:col])
        else:  # an absolute position (openpyxl's AbsoluteAnchor, in EMU: 9,525 a pixel, 12,700 a point)
            left, row = anchor.pos.x / EMU_PER_PX, int(anchor.pos.y / EMU_PER_PT / ROW_PT)
        while sum(px) < left + chart.width * CM_PX:
            px.append(width_px(DEFAULT_WIDTH))
        last_row = max(last_row, row + math.ceil(chart.height * CM_PX * 0.75 / ROW_PT))
    heights = sum((d.height or ROW_PT) - ROW_PT for r, d in ws.row_dimensions.items() if r <= last_row)
    landscape, across, down = page_layout(px, last_row * ROW_PT + heights)
    ws.page_setup.paperSize = PAPER_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = across
    ws.page_setup.fitToHeight = down
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    for side, inches in MARGINS_IN.items():
        setattr(ws.page_margins, side, inches)
    ws.print_area = f"A1:{get_column_letter(len(px))}{last_row}"
    if header_rows:
        ws.print_title_rows = f"1:{header_rows}"


def setup_sheet(sheet) -> None:
    """A4, margins, the print area (the cells written and the charts: text running past the
    last column, such as the Run sheet's record, is not printed beyond it), the header rows
    repeated, and landscape and pages across from the columns' widths (:func:`page_layout`), on
    a :class:`cbam_calc.outputs.xlsx_book.Sheet` of either writer."""
    last_col = max(sheet.columns - 1, 0)
    last_row = max(sheet.row - 1, 0)
    px = [width_px(sheet.widths.get(c, DEFAULT_WIDTH)) for c in range(last_col + 1)]
    for r, c, h, w in sheet.charts if sheet.print_charts else ():  # the cells a chart covers
        left = sum(width_px(sheet.widths.get(k, DEFAULT_WIDTH)) for k in range(c))
        while sum(px) < left + w:
            px.append(width_px(sheet.widths.get(len(px), DEFAULT_WIDTH)))
        last_row = max(last_row, r + math.ceil(h * 0.75 / ROW_PT))
    last_col = len(px) - 1
    if sheet.header_rows and sheet.row <= sheet.header_rows and not sheet.charts:
        # a table with no row (Rejected when nothing was rejected, which the Summary's first page
        # says): the print area is the empty row below its header, which prints no page
        last_row, last_col = sheet.header_rows, 0
        first_row = sheet.header_rows
    else:
        first_row = 0
    height = (last_row + 1) * ROW_PT + sum(h - ROW_PT for r, h in sheet.heights.items() if r <= last_row)
    landscape, across, down = page_layout(px, height)
    ws, rvgs = sheet.ws, sheet.book.writer == "rvgs"
    ws.set_paper_size(PAPER_A4) if rvgs else ws.set_paper(PAPER_A4)
    if landscape:
        ws.set_landscape()
    m = MARGINS_IN
    if rvgs:
        ws.set_margins(m["left"], m["right"], m["top"], m["bottom"], m["header"], m["footer"])
    else:
        ws.set_margins(m["left"], m["right"], m["top"], m["bottom"])
    area = (first_row, 0, last_row, last_col)
    ws.set_print_area(*area) if rvgs else ws.print_area(*area)
    if sheet.header_rows:
        head = (0, sheet.header_rows - 1)
        ws.set_repeat_rows(*head) if rvgs else ws.repeat_rows(*head)
    ws.set_print_fit_to_pages(across, down) if rvgs else ws.fit_to_pages(across, down)
