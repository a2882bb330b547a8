#!/usr/bin/env bash
# Rebuild the README's screenshots of the HTML reports with headless Chromium (Debian: apt-get
# install chromium). Run from anywhere; writes docs/report/*.png.
set -euo pipefail
cd "$(dirname "$0")/.."
CBAM=${CBAM:-.venv/bin/cbam}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$CBAM" report samples/shipments_cn_steel.xlsx -o "$tmp/report.html"
"$CBAM" batch samples/association --html "$tmp/association.html" >/dev/null
shoot() {  # page, png, height
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$tmp/profile-$(basename "$2")" --hide-scrollbars \
    --window-size=1280,"$3" --screenshot="$2" "file://$1" 2>/dev/null
}
shoot "$tmp/report.html" docs/report/report_html.png 1750
shoot "$tmp/association.html" docs/report/association_html.png 2300
