#!/usr/bin/env bash
# bench/graph_families.sh BUILD_DIR: netvet's graph queries against python-igraph,
# graph-tool and NetworkX on every topology family of `netvet generate`
# (docs/graph.md, "Topology families"), ids in generation order and shuffled,
# at each size; prints one markdown table per family (the form of
# bench/RESULTS.md). Measures and prints; exits non-zero only when checksums
# disagree or a step fails. Never asserts timings.
#
# Environment: FAMILIES (default "default one-way core-trees zoo"), SHUFFLE
# (default "no yes"), SIZES (components, default "1000 10000 100000 1000000"),
# REPEAT (default 5), TOOLS (default igraph,graph-tool,networkx), OUT (work
# directory, default a temp dir), BACKBONE (the zoo family's Topology Zoo file,
# default ../shared/fixtures/topology-zoo/graphml/Cogentco.graphml; the zoo
# family is skipped, saying so, when it is absent).
set -euo pipefail
build=$(realpath "${1:-build}")
here=$(cd "$(dirname "$0")" && pwd)
gb=$build/bench/graph_bench
py=/usr/bin/python3  # Debian's python3-igraph / python3-graph-tool live here
families=${FAMILIES:-"default one-way core-trees zoo"}
shuffles=${SHUFFLE:-"no yes"}
sizes=${SIZES:-"1000 10000 100000 1000000"}
repeat=${REPEAT:-5}
tools=${TOOLS:-igraph,graph-tool,networkx}
backbone=${BACKBONE:-$here/../../shared/fixtures/topology-zoo/graphml/Cogentco.graphml}
out=${OUT:-$(mktemp -d /tmp/netvet-families.XXXXXX)}
mkdir -p "$out"
[[ -x $gb ]] || { echo "graph_families: $gb not built (cmake -DNETVET_BENCH=ON)"; exit 2; }
json=$out/results.jsonl
: >"$json"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "commit: $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo '?')   start: $(date -u +%FT%TZ)"
fail=0
for fam in $families; do
  extra=()
  if [[ $fam == zoo ]]; then
    if [[ ! -f $backbone ]]; then echo "zoo: skipped: no backbone at $backbone (the Topology Zoo fixture is absent)"; continue; fi
    extra=(--backbone "$backbone")
  fi
  for shuf in $shuffles; do
    label=$fam; flag=()
    if [[ $shuf == yes ]]; then label="$fam shuffled"; flag=(--shuffle); fi
    for size in $sizes; do
      sites=$(( size * 100 / 325 ))  # ~3.25 components per site
      d=$out/${fam}-${shuf}-${size}
      mkdir -p "$d"
      "$gb" export --sites "$sites" --hrv-share 0.3 --seed 1 --family "$fam" "${extra[@]}" "${flag[@]}" "$d" >/dev/null
      echo "== $label, $size components: load $(cut -d' ' -f1-3 /proc/loadavg)"
      "$py" "$here/graph_compare.py" "$d" --graph-bench "$gb" --repeat "$repeat" --tools "$tools" \
        --bfs-max-nodes 20000 --label "$label" --json-out "$json" || fail=1
      rm -f "$d"/*.u32
    done
  done
done
echo "end: $(date -u +%FT%TZ)"
"$py" - "$json" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
tools = [t for t in ("netvet", "igraph", "graph-tool", "networkx") if any(t in r["tools"] for r in rows)]
for label in dict.fromkeys(r["label"] for r in rows):
    print(f"\n#### {label}\n")
    print("wall / CPU ms, medians; peers' attribution: the faster of their methods\n")
    print("| nodes | edges | sources | targets | load | query | " + " | ".join(tools) + " | checksum |")
    print("|---:|---:|---:|---:|---:|---|" + "---:|" * len(tools) + "---:|")
    for r in (x for x in rows if x["label"] == label):
        first = True
        for q in ("exposure", "attribution", "paths"):
            cells = []
            for t in tools:
                v = r["tools"].get(t)
                if not v:
                    cells.append("–")
                    continue
                ms, cpu = v[q][0], v[q][2] if len(v[q]) > 2 and v[q][2] is not None else float("nan")
                f = lambda x: f"{x:.2f}" if x < 100 else f"{x:.0f}"
                cell = f"{f(ms)} / {f(cpu)}"
                if q == "attribution" and t != "netvet" and "attribution-method" in v:
                    cell += f" ({v['attribution-method']})"
                cells.append(cell)
            head = (f"{r['nodes']:,} | {r['edges']:,} | {r['sources']:,} | {r['targets']:,} | {r['load']:.1f}"
                    if first else " | | | |")
            print(f"| {head} | {q} | " + " | ".join(cells) + f" | {r['tools']['netvet'][q][1]:,} |")
            first = False
        b = r.get("build", {})
        if b:
            ms = lambda k: f"{b[k]:.1f}" if k in b else "–"
            print(f"| | | | | | netvet build | {ms('build_ms')} / {ms('build_cpu_ms')} ms + reverse index"
                  f" {ms('reverse_index_ms')} / {ms('reverse_index_cpu_ms')} ms{' (renumbered)' if b.get('relabelled') else ''}"
                  + " |" * (len(tools) + 1))
PY
exit $fail
