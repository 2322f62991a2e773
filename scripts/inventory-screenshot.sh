#!/usr/bin/env bash
# Regenerates docs/img/inventory.png, the picture of the access-review sheet that README.md
# and docs/inventory.md show: the `html` inventory of examples/ (as of 2026-11-27, the
# examples' date) in headless Chromium at 1280×800, the size tests/inventory/browser.rs
# measures it at.
#
#   scripts/inventory-screenshot.sh
#
# Needs Chromium (Debian's `chromium`; .ci/install-tools installs it, or set CHROMIUM).
# Offline: the page is a local file and loads nothing; host names resolve to nothing.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$chromium" ]; then
  echo "no Chromium: install Debian's chromium (.ci/install-tools) or set CHROMIUM" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --quiet
target/debug/bridgelint inventory --now 2026-11-27 --format html -o "$work/sheet.html" examples/
mkdir -p docs/img
"$chromium" --headless --no-sandbox --disable-gpu --no-first-run --disable-extensions \
  --disable-background-networking --disable-component-update --disable-sync --no-pings \
  --host-resolver-rules='MAP * ~NOTFOUND' --proxy-server=127.0.0.1:9 \
  --user-data-dir="$work/profile" --hide-scrollbars --window-size=1280,800 \
  --screenshot="$work/inventory.png" "file://$work/sheet.html" 2>/dev/null
mv "$work/inventory.png" docs/img/inventory.png
echo "wrote docs/img/inventory.png"
