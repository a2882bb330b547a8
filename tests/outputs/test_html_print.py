"""The HTML reports printed to PDF by a real browser (headless Chromium, A4) and read back with
poppler's `pdftotext`: every column of the Lines table is on the page (its headers, as the library
heads them in the language of the report, and its cost values under the cost header), nothing
runs off the right edge of a page, and the first page holds the headline figures and the
assumptions. Skipped, with the reason, where Chromium or pdftotext is missing (CI installs
Debian's `chromium` and `poppler-utils` in .ci/run; `fonts-wqy-microhei` for the Chinese page)."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import SAMPLES

from cbam_calc.compute.batch import run_batch
from cbam_calc.compute.calculate import calculate
from cbam_calc.core.labels import label
from cbam_calc.core.labels import line_headers as lines_headers  # the Lines headers, as the workbook's
from cbam_calc.core.model import CalcOptions
from cbam_calc.outputs.html import HTML_LINE_COLUMNS, MAX_HTML_LINES, calc_html
from cbam_calc.outputs.html_batch import batch_html

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM = next((p for p in map(shutil.which, BROWSERS) if p), None)
PDFTOTEXT = shutil.which("pdftotext")

pytestmark = [
    pytest.mark.slow,  # starts a headless Chromium per page
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="no Chromium binary found (tried chromium, chromium-browser, google-chrome): "
        "install Debian's package with `apt-get install chromium` to print the HTML reports",
    ),
    pytest.mark.skipif(
        PDFTOTEXT is None,
        reason="no pdftotext found: install poppler-utils (`apt-get install poppler-utils`) "
        "to read the printed PDF back",
    ),
]

STEEL = SAMPLES / "shipments_cn_steel.xlsx"


def print_pdf(tmp: Path, page: Path) -> Path:
    """Chromium's print to PDF of a file:// page, with a fresh profile and no network."""
    profile = tmp / f"profile-{page.stem}"
    profile.mkdir()
    pdf = tmp / f"{page.stem}.pdf"
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--proxy-server=127.0.0.1:9",
        f"--user-data-dir={profile}",
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        page.resolve().as_uri(),
    ]
    proc = subprocess.run(cmd, capture_output=True, timeout=120)
    assert proc.returncode == 0 and pdf.exists(), proc.stderr.decode(errors="replace")[-2000:]
    return pdf


@dataclass
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class Page:
    width: float
    height: float
    words: list[Word]


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)


def pdf_pages(pdf: Path) -> list[Page]:
    """Every word of every page with its box (pdftotext -bbox; points from the top left)."""
    out = subprocess.run([PDFTOTEXT, "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    pages = []
    for w, h, body in PAGE.findall(out.decode("utf-8")):
        words = [Word(html.unescape(t), *map(float, box)) for *box, t in WORD.findall(body)]
        pages.append(Page(float(w), float(h), in_reading_order(words)))
    return pages


def layout_text(pdf: Path, page: int) -> str:
    cmd = [PDFTOTEXT, "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"]
    return subprocess.run(cmd, capture_output=True, check=True).stdout.decode("utf-8")


def header_columns(words: list[Word], top: float, bottom: float) -> list[tuple[str, float, float]]:
    """The header row (words whose middle is between ``top`` and ``bottom``: a CJK font's boxes
    reach above and below the line) as its columns, left to right: the words of
    one header cell (wrapped over several lines) overlap in x or sit a space apart on a line;
    cells are further apart (their padding). Each column: (its text without spaces, x0, x1)."""
    cells = sorted((w for w in words if top < (w.y0 + w.y1) / 2 < bottom), key=lambda w: w.x0)
    columns: list[list[Word]] = []
    for w in cells:
        if columns and w.x0 <= max(c.x1 for c in columns[-1]) + 2.5:  # a space at 7.5 px is ~1.6 pt
            columns[-1].append(w)
        else:
            columns.append([w])
    return [
        ("".join(w.text for w in in_reading_order(col)), min(w.x0 for w in col), max(w.x1 for w in col))
        for col in columns
    ]


def in_reading_order(words: list[Word]) -> list[Word]:
    """Words line by line (a line: words whose middles are within half a word's height: a CJK
    font's boxes are taller than a Latin one's on the same line), left to right in a line."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.y0 + w.y1) / 2):
        mid = (w.y0 + w.y1) / 2
        if lines and abs(mid - (lines[-1][0].y0 + lines[-1][0].y1) / 2) < (w.y1 - w.y0) / 2:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [w for line in lines for w in sorted(line, key=lambda w: w.x0)]


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def first_of(page: Page, text: str) -> Word:
    return next(w for w in page.words if w.text == text)


EXPORTER = "Hebei Jinhai Export Trading Co., Ltd."


@pytest.fixture(scope="module")
def steel():
    return calculate(STEEL, CalcOptions(exporter=EXPORTER))


@pytest.fixture(scope="module", params=["en", "zh"])
def printed(request, steel, tmp_path_factory):
    lang = request.param
    tmp = tmp_path_factory.mktemp(f"print-{lang}")
    page = tmp / f"report-{lang}.html"
    page.write_text(calc_html(steel, lang), encoding="utf-8")
    pdf = print_pdf(tmp, page)
    return lang, pdf, pdf_pages(pdf)


def lines_pages(pages: list[Page], lang: str) -> list[int]:
    """The pages of the Lines table: from its heading (a section starting a page) to the next
    section's heading (the Parameters)."""
    heading = squeezed(label("lines_table", lang))
    after = squeezed(label("parameters", lang))

    def starts(p: Page, text: str) -> bool:
        return squeezed("".join(w.text for w in p.words[:12])).startswith(text)

    start = next(i for i, p in enumerate(pages) if starts(p, heading))
    end = next((i for i, p in enumerate(pages) if i > start and starts(p, after)), len(pages))
    return list(range(start, end))


def test_print_lines_table_has_every_column_and_the_cost_values(printed, steel):
    """Chromium's A4 print used to cut the Lines table at the right edge (the cost column lost)."""
    lang, pdf, pages = printed
    lines = steel.first_lines(MAX_HTML_LINES)
    cols = [c for c in HTML_LINE_COLUMNS if c in lines.columns]
    assert "cost_eur" in cols
    expected = [squeezed(h) for h in lines_headers(cols, lang)]
    first_row = str(lines["row"].iloc[0])
    seen_costs: set[str] = set()
    which = lines_pages(pages, lang)
    assert which, "no Lines heading in the PDF"
    for n, i in enumerate(which):
        p = pages[i]
        assert p.width > p.height, f"page {i + 1}: the Lines table prints landscape"
        left = min(w.x0 for w in p.words)
        if n == 0:  # the heading, then the header row, then the first line
            top = next(w for w in p.words if w.text == squeezed(label("lines_table", lang))).y1
            body = next(w for w in p.words if w.y0 > top and w.text == first_row and w.x0 < left + 20)
        else:  # the header row repeated at the top of each page (thead as table-header-group)
            top = p.words[0].y0 - 0.5
            body = next(w for w in p.words if w.text.isdigit() and w.x0 < left + 20 and w.y0 > top + 10)
        columns = header_columns(p.words, top, body.y0 - 0.5)
        assert [c[0] for c in columns] == expected, (i + 1, layout_text(pdf, i + 1)[:3000])
        cost_x1 = columns[cols.index("cost_eur")][2]
        # the cost values right-aligned under their header
        seen_costs |= {w.text for w in p.words if w.y0 > body.y0 - 1 and abs(w.x1 - cost_x1) < 3}
    costs = {f"{v:,.2f}" for v in lines["cost_eur"]}
    assert costs <= seen_costs, sorted(costs - seen_costs)


def test_print_nothing_runs_off_the_right_edge(printed):
    """Every word inside its page. Chromium clips what overflows the page's content box rather than
    printing it past the edge, so a cut column shows as missing (the header test above), not here:
    this catches what is drawn off the page (a chart or table wider than the sheet)."""
    lang, _, pages = printed
    for i, p in enumerate(pages):
        over = [w.text for w in p.words if w.x1 > p.width + 0.5 or w.x0 < -0.5]
        assert not over, f"page {i + 1} ({lang}): {over[:10]}"


def test_print_first_page_has_the_headline_figures_and_the_assumptions(printed, steel):
    lang, _, pages = printed
    s = steel.summary
    first = {w.text for w in pages[0].words}
    assert f"{s.cost_eur:,.2f}" in first and f"{s.certificates:,.3f}" in first
    text = "".join(w.text for w in pages[0].words)
    assert squeezed(label("assumptions", lang)) in text
    # the box's last items (what produced the report) and its closing legal note are on page 1
    assert s.reference_data_sha256 in first
    # who and when, at the top (issue 14)
    assert squeezed(label("exporter", lang) + EXPORTER) in text
    assert squeezed(label("date_prepared", lang) + s.prepared.date_prepared) in text
    assert squeezed(label("not_legal_advice", lang)) in text
    assert pages[0].height > pages[0].width  # the summary prints portrait


def test_print_batch_page_stays_within_the_page(steel, tmp_path):
    page = tmp_path / "batch.html"
    page.write_text(batch_html(run_batch([SAMPLES / "association"])), encoding="utf-8")
    pages = pdf_pages(print_pdf(tmp_path, page))
    assert 2 <= len(pages) <= 30
    for i, p in enumerate(pages):
        over = [w.text for w in p.words if w.x1 > p.width + 0.5]
        assert not over, f"page {i + 1}: {over[:10]}"


def test_print_footer_is_no_page_of_its_own(printed):
    """The footer (not legal advice, version) follows the last wide table on its landscape page,
    not alone on a portrait page of its own."""
    lang, _, pages = printed
    last = pages[-1]
    assert last.width > last.height, f"{lang}: the last page is a portrait page with {len(last.words)} words"
