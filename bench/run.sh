#!/usr/bin/env bash
# bench/run.sh BUILD_DIR: every netvet benchmark in one run (`make bench`).
# Measures, prints and exits non-zero only when results disagree or a step
# fails; it never asserts timings (the machine is shared and noisy). Record the
# printed tables in bench/RESULTS.md.
#
#   1. memory bandwidth (streaming read and copy), for the bound in RESULTS.md
#   2. end to end: `netvet generate` then `netvet assess` at 10^4, 10^5, 10^6
#      components: wall time (median of BENCH_REPEAT) and peak RSS (/usr/bin/time -v)
#   3. the same generated graphs, exported as an edge list: exposure,
#      attribution and shortest paths in netvet (graph_bench) vs python-igraph,
#      graph-tool and NetworkX (bench/graph_compare.py; checksums must agree)
#   4. every other executable bench/*.sh a stage adds (e.g. plan_bench.sh), each given BUILD_DIR
#
# Environment: BENCH_SIZES (components, default "10000 100000 1000000"),
# BENCH_REPEAT (default 5), BENCH_OUT (work directory, default a temp dir),
# BENCH_JURISDICTION / BENCH_DATE for the assess step (default UK 2026-01-01),
# BENCH_PARTS (default "bandwidth e2e graph extra": which of 1-4 to run),
# BENCH_FAMILIES for the end-to-end step (topology families of `netvet
# generate`, a ":shuffle" suffix for ids in random order; default "default",
# e.g. "default default:shuffle one-way one-way:shuffle core-trees").
set -euo pipefail
build=$(realpath "${1:-build}")
here=$(cd "$(dirname "$0")" && pwd)
netvet=$build/src/cli/netvet
gb=$build/bench/graph_bench
py=/usr/bin/python3  # Debian's python3-igraph / python3-graph-tool live here, not in pyenv
sizes=${BENCH_SIZES:-"10000 100000 1000000"}
repeat=${BENCH_REPEAT:-5}
jur=${BENCH_JURISDICTION:-UK}
date=${BENCH_DATE:-2026-01-01}
parts=${BENCH_PARTS:-"bandwidth e2e graph extra"}
families=${BENCH_FAMILIES:-default}
out=${BENCH_OUT:-$(mktemp -d /tmp/netvet-bench.XXXXXX)}
mkdir -p "$out"
export NETVET_KB=${NETVET_KB:-$here/../kb}
run_part() { [[ " $parts " == *" $1 "* ]]; }
need=("$netvet")
if run_part bandwidth || run_part graph; then need+=("$gb"); fi
for f in "${need[@]}"; do [[ -x $f ]] || { echo "bench: $f not built (cmake -DNETVET_BENCH=ON)"; exit 2; }; done

echo "== machine"
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB RAM"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)   commit: $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo '?')"
if run_part bandwidth; then
  echo
  echo "== memory bandwidth"
  "$gb" bandwidth --mb 512
fi

# Components per generated site (measured: ~3.25), so sites = components / 3.25.
sites_for() { echo $(( $1 * 100 / 325 )); }

# Runs a command under /usr/bin/time -v; prints "wall_s peak_MB".
measure() {
  local log=$out/time.log
  local rc=0
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || rc=$?
  # netvet assess exits 1 when it finds risk: that is a result, not a failure.
  if (( rc > 1 )); then echo "bench: failed ($rc): $*" >&2; tail -5 "$log" >&2; return 1; fi
  awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,t,":"); s=(n==3)?t[1]*3600+t[2]*60+t[3]:t[1]*60+t[2]}
              /Maximum resident set size/{m=$2/1024} END{printf "%.3f %.0f\n", s, m}' "$log"
}

median() { sort -n | awk '{a[NR]=$1} END{print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
range() { sort -n | awk '{a[NR]=$1} END{print a[1] "-" a[NR]}'; }

fail=0
if run_part e2e; then
echo
echo "== end to end: netvet generate, then netvet assess --jurisdiction $jur --date $date (median of $repeat)"
printf '%-20s %-12s %-10s %12s %12s %12s %12s %12s %12s\n' family components sites generate_s gen_peak_MB assess_s assess_range assess_peak_MB json_MB
for fam in $families; do
for n in $sizes; do
  s=$(sites_for "$n")
  net=$out/net-${fam/:/-}-$n.json
  gen=(--family "${fam%%:*}")
  [[ $fam == *:shuffle ]] && gen+=(--shuffle)
  [[ $fam == zoo* ]] && gen+=(--backbone "$here/../../shared/fixtures/topology-zoo/graphml/Cogentco.graphml")
  read -r gs gm < <(measure "$netvet" generate --sites "$s" --hrv-share 0.3 --seed 1 "${gen[@]}" -o "$net")
  walls=() peak=0
  for ((r = 0; r < repeat; r++)); do
    read -r w m < <(measure "$netvet" assess "$net" --jurisdiction "$jur" --date "$date" --format json -o "$out/assess-$n.json")
    walls+=("$w")
    (( m > peak )) && peak=$m
  done
  aw=$(printf '%s\n' "${walls[@]}" | median)
  ar=$(printf '%s\n' "${walls[@]}" | range)
  comps=$("$py" -c "import json,sys; print(len(json.load(open(sys.argv[1]))['components']))" "$net" 2>/dev/null || echo "?")
  printf '%-20s %-12s %-10s %12s %12s %12s %12s %12s %12s\n' "$fam" "$comps" "$s" "$gs" "$gm" "$aw" "$ar" "$peak" \
    "$(( $(stat -c %s "$net") / 1048576 ))"
  rm -f "$net"
done
done
fi

if run_part graph; then
echo
echo "== graph queries side by side (median of $repeat; graph construction untimed for every tool)"
for n in $sizes; do
  s=$(sites_for "$n")
  d=$out/graph-$n
  mkdir -p "$d"
  echo
  echo "-- ~$n components"
  "$gb" export --sites "$s" --hrv-share 0.3 --seed 1 "$d"
  "$py" "$here/graph_compare.py" "$d" --graph-bench "$gb" --repeat "$repeat" || fail=1
done
fi

if run_part extra; then
for extra in "$here"/*.sh; do
  [[ -x $extra && $(basename "$extra") != run.sh ]] || continue
  echo
  echo "== $(basename "$extra")"
  "$extra" "$build" || fail=1
done
fi

echo
echo "work files in $out"
exit $fail
