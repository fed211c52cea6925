#!/usr/bin/env bash
# Renders netvet's HTML report in headless Chromium and checks the screenshot
# is there and not blank. Exit 77 (ctest SKIP_RETURN_CODE) when chromium is absent.
# Usage: html_render_test.sh NETVET_BINARY SOURCE_DIR
set -uo pipefail
netvet=$1; src=$2
browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z "$browser" ]]; then echo "SKIP: chromium not installed (apt-get install chromium)"; exit 77; fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
NO_COLOR=1 "$netvet" --kb "$src/kb" assess "$src/examples/nz-spark-5g-2018/network.yaml" \
  --proposal "$src/examples/nz-spark-5g-2018/proposal.yaml" --jurisdiction NZ --date 2018-11-28 \
  --format html -o "$work/report.html"
rc=$?
if [[ $rc -gt 1 ]]; then echo "FAIL: netvet assess exited $rc"; exit 1; fi
[[ -s "$work/report.html" ]] || { echo "FAIL: no report.html"; exit 1; }
(cd "$work" && timeout 90 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$work/profile" \
  --screenshot="$work/out.png" --window-size=1280,2000 "file://$work/report.html" >"$work/chromium.log" 2>&1)
[[ -s "$work/out.png" ]] || { echo "FAIL: no screenshot"; tail -20 "$work/chromium.log"; exit 1; }
# Not blank: decode the PNG and count pixels that are not the background colour.
/usr/bin/python3 - "$work/out.png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, w, h, ct = 8, b"", 0, 0, 0
while pos < len(data):
    n, t = struct.unpack(">I4s", data[pos:pos + 8]); body = data[pos + 8:pos + 8 + n]
    if t == b"IHDR": w, h, bd, ct = struct.unpack(">IIBB", body[:10])
    if t == b"IDAT": idat += body
    pos += 12 + n
bpp = {2: 3, 6: 4}.get(ct, 3); raw = zlib.decompress(idat); stride = w * bpp
prev = bytearray(stride); rows = []; i = 0
for _ in range(h):
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
bg = rows[h - 1][:3]
ink = sum(1 for r in rows[::4] for x in range(0, stride, bpp * 4) if r[x:x + 3] != bg)
print(f"screenshot {w}x{h}, {ink} sampled non-background pixels")
sys.exit(0 if ink > 500 else 1)
PY
