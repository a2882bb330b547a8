"""The HTML reports rendered by a real browser (headless Chromium): the page text, a screenshot
and a PDF print. Skipped, with the reason, where no Chromium is installed (CI installs Debian's
`chromium` in .ci/run)."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import SAMPLES

from cbam_calc.compute.batch import run_batch
from cbam_calc.compute.calculate import calculate
from cbam_calc.outputs.html import BAR_COLOUR, BAR_COLOUR_2, calc_html
from cbam_calc.outputs.html_batch import batch_html

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM = next((p for p in map(shutil.which, BROWSERS) if p), None)

pytestmark = [
    pytest.mark.slow,  # starts a headless Chromium per page
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="no Chromium binary found (tried chromium, chromium-browser, google-chrome): "
        "install Debian's package with `apt-get install chromium` to render the HTML reports",
    ),
]

STEEL = SAMPLES / "shipments_cn_steel.xlsx"


def chromium(tmp: Path, page: Path, *args: str) -> subprocess.CompletedProcess:
    """Headless Chromium on a file:// URL, with a fresh profile and no network at all (an
    unreachable proxy: a page that needed anything from the network would show it missing)."""
    profile = Path(tmp) / f"profile-{len(list(Path(tmp).glob('profile-*')))}"
    profile.mkdir()
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--proxy-server=127.0.0.1:9",
        f"--user-data-dir={profile}",
        *args,
        page.resolve().as_uri(),
    ]
    proc = subprocess.run(cmd, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    return proc


class Text(HTMLParser):
    """The text a reader sees, and the count of each element."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: dict[str, int] = {}
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        self._skip += tag in ("style", "title")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "title")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.parts))


def dom(tmp: Path, page: Path) -> Text:
    parsed = Text()
    parsed.feed(chromium(tmp, page, "--dump-dom").stdout.decode("utf-8"))
    return parsed


def colour_pixels(png: Path, hex_colour: str) -> int:
    from PIL import Image

    target = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    image = Image.open(png).convert("RGB")
    return sum(n for n, rgb in image.getcolors(maxcolors=1 << 24) if rgb == target)


@pytest.fixture(scope="module")
def steel_page(tmp_path_factory):
    result = calculate(STEEL)
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(calc_html(result), encoding="utf-8")
    return path, result


@pytest.fixture(scope="module")
def batch_page(tmp_path_factory):
    b = run_batch([SAMPLES / "association"])
    path = tmp_path_factory.mktemp("html") / "association.html"
    path.write_text(batch_html(b), encoding="utf-8")
    return path, b


def test_browser_shows_the_figures_and_the_assumptions(steel_page, tmp_path):
    path, result = steel_page
    s = result.summary
    page = dom(tmp_path, path)
    text = page.text
    assert "CBAM cost report" in text
    assert f"{s.cost_eur:,.2f}" in text and f"{s.eur_per_t:,.2f}" in text
    for g in s.by_cn_code:
        assert f"{g.cost_eur:,.2f}" in text, g.cn_code
    assert "Assumptions" in text and "75.36" in text and "published" in text and "projection" in text
    assert "2026: 1 (law)" in text  # CSCF, Decision (EU) 2026/1862
    assert "DRAFT: Art 9 implementing regulation not adopted" in text
    assert (  # a conditional (issue 12, Art 2a)
        "Acciai Padani S.r.l. (IT01234560987) 2026: exempt if this importer's imports of CBAM goods in "
        "2026, from all suppliers, stay at or under 50 t (this file: 42.8 t)" in text
    )
    assert hashlib.sha256(STEEL.read_bytes()).hexdigest() in text
    assert s.reference_data_sha256 in text
    assert "Not legal advice" in text
    # three charts; one bar per sector (1), per CN code (20, the chart's maximum) and per country (1)
    assert page.tags.get("svg") == 3
    assert page.tags.get("rect") == 1 + min(len(s.by_cn_code), 20) + 1


def test_browser_screenshot_draws_the_charts(steel_page, tmp_path):
    path, _ = steel_page
    png = tmp_path / "report.png"
    chromium(tmp_path, path, f"--screenshot={png}", "--window-size=1280,2000", "--hide-scrollbars")
    from PIL import Image

    image = Image.open(png)
    assert image.size == (1280, 2000)
    # the bars are drawn: thousands of pixels of the bar colour, not a blank or broken page
    assert colour_pixels(png, BAR_COLOUR) > 5_000
    grey = image.convert("L")
    dark = sum(grey.crop((0, 0, 1280, 200)).histogram()[:100])
    assert dark > 2_000  # the title and headline text at the top


def test_browser_prints_the_report_to_pdf(steel_page, tmp_path):
    path, _ = steel_page
    pdf = tmp_path / "report.pdf"
    chromium(tmp_path, path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    assert 2 <= pages <= 30, pages  # A4 pages: the tables flow over several, not one endless page


def test_browser_shows_the_consolidated_ranking(batch_page, tmp_path):
    path, b = batch_page
    page = dom(tmp_path, path)
    text = page.text
    ranked = list(b.members()["member"])
    start = text.index("Members, ranked by levy")
    positions = [text.index(m, start) for m in ranked]
    assert positions == sorted(positions)
    assert "broken_member.xlsx" in text
    assert "importers exempt: 1 / 11" in text
    assert f"{b.totals['cost_eur']:,.2f}" in text
    png = tmp_path / "batch.png"
    chromium(tmp_path, path, f"--screenshot={png}", "--window-size=1280,2600", "--hide-scrollbars")
    assert colour_pixels(png, BAR_COLOUR) > 5_000  # cost by member
    assert colour_pixels(png, BAR_COLOUR_2) > 2_000  # EUR per tonne by member
