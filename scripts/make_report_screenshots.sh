#!/usr/bin/env bash
# Rebuild the README's screenshots of the reports: the HTML reports with headless Chromium (Debian:
# apt-get install chromium fonts-wqy-microhei), the workbook's Summary page as LibreOffice prints it
# (apt-get install libreoffice-calc poppler-utils), and the scenario charts as cbam scenario --png
# draws them (matplotlib; in Chinese with a CJK font such as fonts-wqy-microhei). Run from anywhere;
# writes docs/report/*.png and docs/scenario/*.png.
set -euo pipefail
cd "$(dirname "$0")/.."
CBAM=${CBAM:-.venv/bin/cbam}
export CBAM_DATE_PREPARED=${CBAM_DATE_PREPARED:-$(date +%F)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$CBAM" report samples/shipments_cn_steel.xlsx -o "$tmp/report.html" --exporter "Hebei Example Steel Co."
"$CBAM" report samples/shipments_cn_steel.xlsx -o "$tmp/report_zh.html" --lang zh --exporter "河北示例钢铁有限公司"
"$CBAM" report samples/shipments_cn_steel.xlsx -o "$tmp/report_zh.xlsx" --lang zh --exporter "河北示例钢铁有限公司"
"$CBAM" batch samples/association --html "$tmp/association.html" >/dev/null
shoot() {  # page, png, height
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$tmp/profile-$(basename "$2")" --hide-scrollbars \
    --window-size=1280,"$3" --screenshot="$2" "file://$1" 2>/dev/null
}
shoot "$tmp/report.html" docs/report/report_html.png 1750
shoot "$tmp/report_zh.html" docs/report/report_html_zh.png 1750
shoot "$tmp/association.html" docs/report/association_html.png 2300
# the workbook's first printed page (the Summary), as LibreOffice renders it on A4
soffice -env:UserInstallation="file://$tmp/lo" --headless --convert-to pdf --outdir "$tmp" \
  "$tmp/report_zh.xlsx" >/dev/null 2>&1
pdftoppm -png -r 100 -f 1 -l 1 -singlefile "$tmp/report_zh.pdf" docs/report/report_summary_zh
# the scenario charts of the default scenarios, in English and (the levy by year) in Chinese
"$CBAM" scenario samples/shipments_cn_steel.xlsx --png "$tmp/scenario" >/dev/null
"$CBAM" scenario samples/shipments_cn_steel.xlsx --png "$tmp/scenario_zh" --lang zh >/dev/null
cp "$tmp/scenario/levy_by_year.png" "$tmp/scenario/cost_split.png" docs/scenario/
cp "$tmp/scenario_zh/levy_by_year.png" docs/scenario/levy_by_year_zh.png
