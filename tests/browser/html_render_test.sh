#!/usr/bin/env bash
# Opens every example's HTML report in headless Chromium (Debian's chromium):
# no console errors, headings in order (one h1, no level skipped), and a
# screenshot that is not blank, kept as a CI artefact in ARTEFACT_DIR.
# Exit 77 (ctest SKIP_RETURN_CODE) when chromium is absent, unless
# NETVET_BROWSER=1 (CI), where a missing browser is a failure.
# Usage: html_render_test.sh NETVET_BINARY SOURCE_DIR ARTEFACT_DIR
set -uo pipefail
netvet=$1; src=$2; artefacts=$3
browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z "$browser" ]]; then
  if [[ "${NETVET_BROWSER:-0}" == 1 ]]; then echo "FAIL: chromium not installed and NETVET_BROWSER=1"; exit 1; fi
  echo "SKIP: chromium not installed (apt-get install chromium)"; exit 77
fi
mkdir -p "$artefacts"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
ex=$src/examples
# name | network | proposal (or -) | jurisdiction | date: one report per example.
cases=(
  "nz-spark-5g-2018|$ex/nz-spark-5g-2018/network.yaml|$ex/nz-spark-5g-2018/proposal.yaml|NZ|2018-11-28"
  "uk-operator|$ex/uk-operator/network.yaml|-|UK|2024-01-01"
  "de-operator|$ex/de-operator/network.yaml|$ex/de-operator/proposal.yaml|DE|2027-01-01"
  "us-rural-carrier|$ex/us-rural-carrier/network.yaml|$ex/us-rural-carrier/proposal-expansion.yaml|US|2021-03-12"
  "ca-operator|$ex/ca-operator/network.yaml|$ex/ca-operator/proposal.yaml|CA|2024-06-29"
  "multi-jurisdiction|$ex/multi-jurisdiction/network.yaml|-|AU|2025-06-30"
  "4g-vs-5g|$ex/4g-vs-5g/network-5g.json|-|NZ|2025-06-30"
)
fail=0
for c in "${cases[@]}"; do
  IFS='|' read -r name net prop jur date <<<"$c"
  args=("$net" --jurisdiction "$jur" --date "$date" --format html -o "$work/$name.html")
  [[ "$prop" != - ]] && args+=(--proposal "$prop")
  NO_COLOR=1 NETVET_KB="$src/kb" "$netvet" assess "${args[@]}" >/dev/null 2>"$work/$name.err"
  rc=$?
  if [[ $rc -gt 1 || ! -s "$work/$name.html" ]]; then
    echo "FAIL $name: netvet assess exited $rc"; cat "$work/$name.err"; fail=1; continue
  fi
  flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
         --disable-component-update --disable-sync --user-data-dir="$work/profile" --enable-logging=stderr --v=0)
  (cd "$work" && timeout 90 "$browser" "${flags[@]}" --screenshot="$artefacts/$name.png" --window-size=1280,2400 \
    "file://$work/$name.html" >"$work/$name.shot.log" 2>&1)
  (cd "$work" && timeout 90 "$browser" "${flags[@]}" --dump-dom "file://$work/$name.html" \
    >"$work/$name.dom" 2>"$work/$name.dom.log")
  if grep -E "CONSOLE\(|Uncaught" "$work/$name.shot.log" "$work/$name.dom.log" >"$work/$name.console"; then
    echo "FAIL $name: console messages:"; head -20 "$work/$name.console"; fail=1
  fi
  /usr/bin/python3 - "$name" "$work/$name.dom" "$artefacts/$name.png" <<'PY' || fail=1
import struct, sys, zlib
from html.parser import HTMLParser
name, dom, png = sys.argv[1:4]

class Headings(HTMLParser):
    def __init__(self):
        super().__init__(); self.levels = []
    def handle_starttag(self, tag, attrs):
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit(): self.levels.append(int(tag[1]))
h = Headings(); h.feed(open(dom, encoding="utf-8").read())
lv = h.levels
ok = bool(lv) and lv[0] == 1 and lv.count(1) == 1 and all(b <= a + 1 for a, b in zip(lv, lv[1:]))
if not ok: print(f"FAIL {name}: headings out of order: {lv}"); sys.exit(1)

data = open(png, "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, w, hh, ct = 8, b"", 0, 0, 0
while pos < len(data):
    n, t = struct.unpack(">I4s", data[pos:pos + 8]); body = data[pos + 8:pos + 8 + n]
    if t == b"IHDR": w, hh, bd, ct = struct.unpack(">IIBB", body[:10])
    if t == b"IDAT": idat += body
    pos += 12 + n
bpp = {2: 3, 6: 4}.get(ct, 3); raw = zlib.decompress(idat); stride = w * bpp
prev = bytearray(stride); rows = []; i = 0
for _ in range(hh):
    f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0; b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(bytes(line)); prev = line
bg = rows[hh - 1][:3]
ink = sum(1 for r in rows[::4] for x in range(0, stride, bpp * 4) if r[x:x + 3] != bg)
print(f"{name}: {len(lv)} headings in order, screenshot {w}x{hh}, {ink} sampled non-background pixels")
sys.exit(0 if ink > 500 else 1)
PY
done
exit $fail
