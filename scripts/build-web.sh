#!/usr/bin/env bash
# Builds the web UI (web/ -> web/dist) that `netvet serve` serves at /, when npm
# is installed; without npm the service runs API-only and this says so.
# Skips `npm ci` and the bundle when nothing they depend on changed.
set -euo pipefail
cd "$(dirname "$0")/../web"
if ! command -v npm >/dev/null 2>&1; then
  echo "build-web: npm not found: the web UI is not built (netvet serve serves the API only; scripts/setup.sh installs npm)" >&2
  exit 0
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1   # Debian's chromium is used, never a downloaded one
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
if [[ ! -f dist/index.html ]] || [[ -n $(find src index.html package-lock.json vite.config.ts tsconfig.json -newer dist/index.html -print -quit) ]]; then
  npm run --silent build -- --logLevel warn
fi
