#!/usr/bin/env bash
# bench/plan_bench.sh BUILD_DIR: time to an optimal mitigation plan for
# generated UK-like operators, and the greedy mode's cost gap on the same cases.
# Measures and prints; never asserts timings. Record results in bench/RESULTS.md.
#
# Cases (PLAN_CASES, default "bx bx-cells uk"):
# - bx: `netvet generate --sites N --hrv-share P --seed S --country GB`
#   (default 20000 sites, 45%, seed 1) under a bench-only pack "BX" (written
#   below, beside a copy of the real vendors.yaml) with the four rule shapes
#   of the UK regime plus a management rule: high-risk share of RAN sites <=
#   35% (share_cap, by sites), no high-risk vendor in the 5G/4G core
#   (exclude), none within 3 km of sensitive locations (exclusion_zone), and
#   no access path from high-risk management systems to the 5G core unless it
#   crosses a protected link (isolation). Planned on 2026-01-01.
# - bx-cells: the same network and pack with the cap measured in cells (one
#   unit per radio, one to three per site).
# - uk: the real KB (kb/, every UK rule, portfolios and what must change
#   together) on `netvet generate --sites N --hrv-share P --seed 3`, planned
#   `-j UK --date 2023-01-01 --until 2028-01-01` (every checkpoint 2023-2028).
# Costs: kb/costs.yaml (illustrative placeholders).
#
# Environment: PLAN_SITES (default 20000), PLAN_SHARE (default 0.45),
# PLAN_SEED (bx cases, default 1), PLAN_UK_SEED (default 3), PLAN_RUNS (runs
# per case and mode, default 5: the machine is shared, so medians are printed
# with every run's wall time and the load average), PLAN_CASES, BENCH_OUT
# (work directory, default a temp dir).
#
# Each run sets NETVET_PLAN_PROFILE=1, so plan() prints its phases (build,
# solve, verify, ...) to stderr; the median of each phase is printed too.
set -euo pipefail
build=$(realpath "${1:-build}")
here=$(cd "$(dirname "$0")" && pwd)
netvet=$build/src/cli/netvet
sites=${PLAN_SITES:-20000}
share=${PLAN_SHARE:-0.45}
seed=${PLAN_SEED:-1}
uk_seed=${PLAN_UK_SEED:-3}
runs=${PLAN_RUNS:-5}
cases=${PLAN_CASES:-bx bx-cells uk}
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
mkdir -p "$out/kb-cells/jurisdictions"
cp "$out"/kb/vendors.yaml "$out"/kb/VERSION "$out"/kb/costs.yaml "$out/kb-cells/"
sed 's/measure: sites/measure: cells/' "$out/kb/jurisdictions/bx.yaml" > "$out/kb-cells/jurisdictions/bx.yaml"
echo "commit $(git -C "$here/.." rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

run() {  # run NAME KB NETWORK ARGS...: PLAN_RUNS timed plans; wall time, peak RSS and phases of each
  local name=$1 kb=$2 net=$3; shift 3
  echo "$name: NETVET_KB=$kb netvet plan $(basename "$net") $*"
  for i in $(seq 1 "$runs"); do
    NETVET_KB=$kb NETVET_PLAN_PROFILE=1 /usr/bin/time -f "%e %M" -o "$out/$name.$i.time" "$netvet" plan "$net" \
      --format json -o "$out/$name.json" "$@" 2> "$out/$name.$i.phases" || true
    cut -d' ' -f1-3 /proc/loadavg > "$out/$name.$i.load"
  done
  python3 - "$out" "$name" "$runs" <<'PY'
import json, re, statistics, sys
out, name, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
p = json.load(open(f"{out}/{name}.json"))
walls, rss, loads, phases, rounds = [], [], [], {}, {}
for i in range(1, runs + 1):
    w, m = open(f"{out}/{name}.{i}.time").read().split()[-2:]
    walls.append(float(w)); rss.append(int(m) // 1024)
    loads.append(open(f"{out}/{name}.{i}.load").read().split()[0])
    this = {}  # phase -> summed seconds in this run (CBC rounds repeat "solve.cbc")
    for line in open(f"{out}/{name}.{i}.phases"):
        if mt := re.match(r"plan phase (\S+)\s+([0-9.]+) s", line):
            this[mt[1]] = this.get(mt[1], 0) + float(mt[2])
            rounds[mt[1]] = rounds.get(mt[1], 0) + 1
        elif mt := re.match(r"plan total\s+([0-9.]+) s\s+\((\d+) variables, (\d+) constraints", line):
            this["plan() total"] = float(mt[1])
            size = f"{mt[2]} variables, {mt[3]} constraints"
    for k, v in this.items():
        phases.setdefault(k, []).append(v)
med = statistics.median
print(f"{name:<12} status={p['status']:<9} cost={p['cost']['total']:>14,.0f}  lower_bound={p['lower_bound']:>14,.0f}"
      f"  actions={len(p['actions']):>6}  sites={p['cost']['site_visit_count']}  verified={p['verified']}"
      f"  checkpoints re-assessed={len(p.get('reassessment', []))}")
print(f"             wall median {med(walls):.2f} s (range {min(walls):.2f}-{max(walls):.2f}; runs: {' '.join(f'{w:.2f}' for w in walls)}), "
      f"peak RSS median {med(rss):.0f} MB, 1-min load at each run: {' '.join(loads)}; {size}")
for k, v in phases.items():
    n = rounds.get(k, runs) // runs
    print(f"             {k:<22} median {med(v):7.3f} s" + (f"  ({n} rounds per run)" if n > 1 else ""))
PY
}
gap() {  # gap EXACT GREEDY: the greedy plan's cost over the optimum
  python3 - "$out/$1.json" "$out/$2.json" <<'PY'
import json, sys
e, g = (json.load(open(f)) for f in sys.argv[1:3])
opt, gr = e['cost']['total'], g['cost']['total']
if opt > 0 and e['status'] == 'optimal':
    print(f"             greedy gap to the optimum: {100*(gr-opt)/opt:.3f}%  (reported gap to its LP bound: {100*g['gap']:.3f}%)")
PY
}
net=$out/network-$sites.json
case " $cases " in *" bx"*)
  "$netvet" generate --sites "$sites" --hrv-share "$share" --seed "$seed" --country GB -o "$net"
  echo "bx network: $sites sites, hrv share $share, seed $seed, $(stat -c %s "$net") bytes";;
esac
for c in $cases; do
  case $c in
    bx) run bx "$out/kb" "$net" --jurisdiction BX --date 2026-01-01
        run bx-greedy "$out/kb" "$net" --jurisdiction BX --date 2026-01-01 --fast
        gap bx bx-greedy;;
    bx-cells) run bx-cells "$out/kb-cells" "$net" --jurisdiction BX --date 2026-01-01
        run bx-cells-greedy "$out/kb-cells" "$net" --jurisdiction BX --date 2026-01-01 --fast
        gap bx-cells bx-cells-greedy;;
    uk) uk_net=$out/network-uk-$sites.json
        "$netvet" generate --sites "$sites" --hrv-share "$share" --seed "$uk_seed" -o "$uk_net"
        echo "uk network: $sites sites, hrv share $share, seed $uk_seed, $(stat -c %s "$uk_net") bytes"
        run uk "$here/../kb" "$uk_net" -j UK --date 2023-01-01 --until 2028-01-01
        run uk-greedy "$here/../kb" "$uk_net" -j UK --date 2023-01-01 --until 2028-01-01 --fast
        gap uk uk-greedy;;
    *) echo "unknown case $c (bx, bx-cells, uk)" >&2; exit 2;;
  esac
done
echo "work directory: $out"
