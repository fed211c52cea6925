#!/usr/bin/env bash
# `netvet serve` under wrk: GET of an assessment and of a notification-list page,
# each for DURATION seconds with CONNECTIONS connections on THREADS wrk threads,
# against a fresh SQLite database (or DB=postgresql://...). Also times a large
# notification end to end (submit -> assessed) against `netvet assess` on the
# same files, and the list again once that notification is on its page.
# ROUNDS runs each wrk measurement that many times, alternating the requests,
# so the two are compared under the same load. Measures and prints; asserts nothing.
# Usage: bench/serve_bench.sh BUILD_DIR   (env: DURATION=10 CONNECTIONS=16 THREADS=2 SITES=30769 ROUNDS=1)
set -euo pipefail
build=${1:-build}
netvet=$build/src/cli/netvet
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "serve_bench: wrk not installed (NETVET_BENCH=1 scripts/setup.sh)" >&2; exit 1; }
work=$(mktemp -d /tmp/netvet-serve-bench.XXXXXX)
db=${DB:-$work/netvet.db}
pid=
trap '[[ -n $pid ]] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT
duration=${DURATION:-10} conns=${CONNECTIONS:-16} threads=${THREADS:-2} sites=${SITES:-30769} rounds=${ROUNDS:-1}

OP=$("$netvet" admin user add --db "$db" --name bench-op --role operator --tenant spark 2>/dev/null)
NETVET_NO_REEXEC=1 "$netvet" serve --db "$db" --port 0 --rate 100000000 --threads 8 2>"$work/serve.log" &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/serve.log" && break; sleep 0.1; done
base=$(grep -o 'http://[0-9.:]*' "$work/serve.log" | head -1)/api/v1
auth="Authorization: Bearer $OP"
body=$(jq -n --rawfile net examples/nz-spark-5g-2018/network.yaml --rawfile prop examples/nz-spark-5g-2018/proposal.yaml \
  '{title: "5G", jurisdiction: "NZ", date: "2018-11-28", network: $net, proposal: $prop}')
for _ in $(seq 60); do curl -sf -X POST -H "$auth" -H "Content-Type: application/json" --data-binary "$body" "$base/notifications" >/dev/null; done
until [[ $(curl -sf -H "$auth" "$base/notifications/60" | jq -r '.assessments[0].status') == done ]]; do sleep 0.2; done

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), backend $("$netvet" --version) on ${DB:+PostgreSQL}${DB:-SQLite}"
# The server's own CPU time per request (utime + stime, in clock ticks), a
# figure the machine's load does not inflate as much as wall-clock throughput.
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
measure() {
  local path=$1
  echo "== GET /api/v1$path: wrk -t$threads -c$conns -d${duration}s (load $(cut -d' ' -f1 /proc/loadavg))"
  before=$(cpu)
  wrk -t"$threads" -c"$conns" -d"${duration}s" --latency -H "$auth" "$base$path" >"$work/wrk.out"
  after=$(cpu)
  grep -E "Requests/sec|Latency|50%|90%|99%|Non-2xx|requests in" "$work/wrk.out"
  n=$(grep -o '^ *[0-9]* requests in' "$work/wrk.out" | grep -o '[0-9]*' | head -1)
  awk -v t=$((after - before)) -v hz="$hz" -v n="$n" 'BEGIN{printf "server CPU: %.2f ms per request (%.0f requests/s per core)\n", 1000*t/hz/n, n*hz/t}'
}
for _ in $(seq "$rounds"); do
  for path in "/assessments/1" "/notifications?limit=50"; do measure "$path"; done
done

echo "== a large notification: $sites sites (netvet generate --seed 1), UK, 2026-01-01"
"$netvet" generate --sites "$sites" --hrv-share 0.3 --seed 1 -o "$work/big.json" >/dev/null 2>&1
comps=$(jq '.components | length' "$work/big.json")
start=$(date +%s.%N)
NETVET_NO_REEXEC=1 "$netvet" assess "$work/big.json" --jurisdiction UK --date 2026-01-01 --format json >/dev/null || true
cli=$(awk "BEGIN{print $(date +%s.%N) - $start}")
start=$(date +%s.%N)
id=$(curl -sf -X POST -H "$auth" -F 'meta={"title": "big", "jurisdiction": "UK", "date": "2026-01-01"};type=application/json' \
  -F network=@"$work/big.json" "$base/notifications" | jq -r .id)
posted=$(awk "BEGIN{print $(date +%s.%N) - $start}")
until st=$(curl -sf -H "$auth" "$base/notifications/$id" | jq -r '.assessments[0].status'); [[ $st == done || $st == failed ]]; do sleep 0.05; done
svc=$(awk "BEGIN{print $(date +%s.%N) - $start}")
echo "components $comps: netvet assess (CLI) ${cli}s; POST (multipart upload, checked, stored) ${posted}s; POST + engine job until done ${svc}s (status $st)"

echo "== the list with that notification on its page"
for _ in $(seq "$rounds"); do measure "/notifications?limit=50&after=$((id - 50))"; done
