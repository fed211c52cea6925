#!/usr/bin/env bash
# ctest's entry to the browser journeys (web/e2e/journeys.spec.ts): builds the
# UI if needed, then runs Playwright in Debian's chromium against a real
# `netvet serve` that the test setup starts. Screenshots go to OUT/screenshots.
# Usage: run.sh NETVET SOURCE_DIR OUT. Exit 77 (skip) without npm or chromium.
set -euo pipefail
netvet=$(realpath "$1") src=$(realpath "$2") out=$(realpath -m "$3")  # absolute: the tests run from web/
chromium=${NETVET_CHROMIUM:-/usr/bin/chromium}
command -v npm >/dev/null 2>&1 || { echo "skip: npm is not installed (scripts/setup.sh installs it)"; exit 77; }
[[ -x $chromium ]] || { echo "skip: no chromium at $chromium (NETVET_BROWSER=1 scripts/setup.sh installs it; CI does)"; exit 77; }
node_major=$(node -p 'process.versions.node.split(".")[0]')
((node_major >= 20)) || { echo "skip: Playwright needs Node 20 or later, this is $(node --version)"; exit 77; }
"$src/scripts/build-web.sh"
rm -rf "$out" && mkdir -p "$out"
cd "$src/web"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 NETVET_BIN=$netvet NETVET_E2E_OUT=$out NETVET_CHROMIUM=$chromium
npx --no-install playwright test
echo "web e2e: screenshots in $out/screenshots"
