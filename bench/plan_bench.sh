#!/usr/bin/env bash
# bench/plan_bench.sh BUILD_DIR: time to an optimal mitigation plan for a
# generated UK-like operator, and the greedy mode's cost gap on the same case.
# Measures and prints; never asserts timings. Record results in bench/RESULTS.md.
#
# The case: `netvet generate --sites N --hrv-share P` (default 20000 sites, 45%)
# assessed under a bench-only pack "BX" (written below, beside a copy of the
# real vendors.yaml) with the four rule shapes of the UK regime plus a
# management rule: high-risk share of RAN sites <= 35% (share_cap, by sites),
# no high-risk vendor in the 5G/4G core (exclude), none within 3 km of
# sensitive locations (exclusion_zone), and no access path from high-risk
# management systems to the 5G core unless it crosses a protected link
# (isolation). Costs: kb/costs.yaml (illustrative placeholders).
#
# Environment: PLAN_SITES (default 20000), PLAN_SHARE (default 0.45),
# PLAN_SEED (default 1), BENCH_OUT (work directory, default a temp dir).
set -euo pipefail
build=$(realpath "${1:-build}")
here=$(cd "$(dirname "$0")" && pwd)
netvet=$build/src/cli/netvet
sites=${PLAN_SITES:-20000}
share=${PLAN_SHARE:-0.45}
seed=${PLAN_SEED:-1}
out=${BENCH_OUT:-$(mktemp -d /tmp/netvet-plan-bench.XXXXXX)}
mkdir -p "$out/kb/jurisdictions"
cp "$here/../kb/vendors.yaml" "$here/../kb/VERSION" "$here/../kb/costs.yaml" "$out/kb/"
cite='{instrument: netvet plan benchmark, section: bench, url: "https://example.org/bench", fact: "bench/plan_bench.sh"}'
cat > "$out/kb/jurisdictions/bx.yaml" <<EOF
netvet-kb: 1
code: BX
name: Benchmark (UK-like rules)
authority: none (benchmark only)
vendor_risk:
  - {headquarters_in: [CN], reason: benchmark reading, citation: $cite}
rules:
  - {id: bx.access-cap, title: High-risk share of RAN sites at most 35%, kind: share_cap,
     where: {vendor.risk: high}, params: {max_percent: 35, measure: sites, scope: {domain: ran}},
     severity: high, binding: true, citation: $cite}
  - {id: bx.core-exclusion, title: No high-risk vendor in the core, kind: exclude,
     where: {vendor.risk: high, domain: [core-5g, core-4g]}, severity: high, binding: true, citation: $cite}
  - {id: bx.sensitive-sites, title: No high-risk vendor within 3 km of sensitive locations, kind: exclusion_zone,
     where: {vendor.risk: high}, params: {radius_km: 3}, severity: high, binding: true, citation: $cite}
  - {id: bx.mgmt-isolation, title: High-risk management cannot reach the 5G core, kind: isolation,
     where: {vendor.risk: high, domain: management}, params: {targets: {domain: core-5g}},
     severity: high, binding: true, citation: $cite}
EOF
export NETVET_KB=$out/kb
net=$out/network-$sites.json
"$netvet" generate --sites "$sites" --hrv-share "$share" --seed "$seed" --country GB -o "$net"
echo "network: $sites sites, hrv share $share, $(stat -c %s "$net") bytes"

run() {  # run NAME ARGS...: wall time and peak RSS of one plan
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$out/$name.time" "$netvet" plan "$net" --jurisdiction BX --date 2026-01-01 \
    --format json -o "$out/$name.json" "$@" || true
  read -r secs rss < "$out/$name.time"
  python3 - "$out/$name.json" "$name" "$secs" "$rss" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
print(f"{sys.argv[2]:<7} status={p['status']:<9} cost={p['cost']['total']:>14,.0f}  lower_bound={p['lower_bound']:>14,.0f}"
      f"  actions={len(p['actions']):>6}  verified={p['verified']}  wall={sys.argv[3]} s  rss={int(sys.argv[4])//1024} MB")
PY
}
run exact
run greedy --fast
python3 - "$out/exact.json" "$out/greedy.json" <<'PY'
import json, sys
e, g = (json.load(open(f)) for f in sys.argv[1:3])
opt, gr = e['cost']['total'], g['cost']['total']
if opt > 0:
    print(f"greedy gap to the optimum: {100*(gr-opt)/opt:.3f}%  (reported gap to its LP bound: {100*g['gap']:.3f}%)")
PY
echo "work directory: $out"
