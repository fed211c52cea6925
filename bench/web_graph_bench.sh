#!/usr/bin/env bash
# The web UI's graph page on a national notification, in Debian's headless
# chromium: generates ~10^5 components (netvet generate --sites 30800), notifies
# them to a real `netvet serve` on SQLite (multipart), waits for the assessment,
# then opens /notifications/ID/graph RUNS times in fresh browser contexts and
# times navigation -> the first frame Cytoscape draws (web/bench/graph-open.mjs).
# Prints each run, the first (cold) open, and the median and range of the
# others. Measures; asserts nothing.
# Usage: bench/web_graph_bench.sh BUILD_DIR   (env: SITES=30800 RUNS=5 ROLE=operator)
set -euo pipefail
build=$(realpath "${1:-build}")
netvet=$build/src/cli/netvet
root=$(cd "$(dirname "$0")/.." && pwd)
sites=${SITES:-30800} runs=${RUNS:-5} role=${ROLE:-operator}
[[ -f $root/web/dist/index.html ]] || { echo "web_graph_bench: the UI is not built (make build with npm)" >&2; exit 1; }
[[ -x ${NETVET_CHROMIUM:-/usr/bin/chromium} ]] || { echo "web_graph_bench: no chromium (NETVET_BROWSER=1 scripts/setup.sh)" >&2; exit 1; }
work=$(mktemp -d /tmp/netvet-web-bench.XXXXXX)
pid=
trap '[[ -n $pid ]] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT
db=$work/netvet.db
tenant=spark; [[ $role == operator ]] || tenant=gcsb
tok=$("$netvet" admin user add --db "$db" --name bench --role "$role" --tenant "$tenant" --clearance SECRET 2>/dev/null)
op=$tok
[[ $role == operator ]] || op=$("$netvet" admin user add --db "$db" --name bench-op --role operator --tenant spark 2>/dev/null)
NETVET_NO_REEXEC=1 "$netvet" serve --db "$db" --port 0 --web-root "$root/web/dist" 2>"$work/serve.log" &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/serve.log" && break; sleep 0.1; done
base=$(grep -o 'http://[0-9.:]*' "$work/serve.log" | head -1)
"$netvet" generate --sites "$sites" --seed 1 -o "$work/big.json" >/dev/null 2>&1
comps=$(jq '.components | length' "$work/big.json")
id=$(curl -sf -X POST -H "Authorization: Bearer $op" -F 'meta={"title": "national", "jurisdiction": "UK", "date": "2026-01-01"};type=application/json' \
  -F network=@"$work/big.json" "$base/api/v1/notifications" | jq -r .id)
until st=$(curl -sf -H "Authorization: Bearer $op" "$base/api/v1/notifications/$id" | jq -r '.assessments[0].status'); [[ $st == done || $st == failed ]]; do sleep 0.2; done
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $comps components, $sites sites; reader: $role; commit $(git -C "$root" rev-parse --short HEAD)"
echo "chromium: $(${NETVET_CHROMIUM:-/usr/bin/chromium} --version 2>/dev/null)"
(cd "$root/web" && node bench/graph-open.mjs "$base/notifications/$id/graph" "$tok" "$runs") | tee "$work/runs.jsonl"
# The first open renders the view on the server; later opens find it kept.
jq -rs '"first open (the server renders the view): navigation -> graph drawn \(.[0].drawn_ms) ms, its GET .../graph \(.[0].graph_request_ms) ms"' "$work/runs.jsonl"
jq -rs '.[1:] | [.[].drawn_ms] | sort | "later opens: navigation -> graph drawn median \(.[length/2|floor]) ms, range \(.[0])-\(.[-1]) ms over \(length) runs"' "$work/runs.jsonl"
jq -rs '.[1:] | [.[].fetched_ms] | sort | "later opens: navigation -> graph data parsed median \(.[length/2|floor]) ms, range \(.[0])-\(.[-1]) ms"' "$work/runs.jsonl"
jq -rs '.[1:] | [.[].graph_request_ms] | sort | "later opens: GET .../graph median \(.[length/2|floor]) ms, range \(.[0])-\(.[-1]) ms"' "$work/runs.jsonl"
