#!/usr/bin/env bash
# Times `netvet assess` (load + assess) on a synthetic national network of ~100,000
# components and ~300,000 links, from JSON and from YAML, under a KB pack whose rules
# have no isolation kind (graph metrics still run). Prints the median of N runs.
# Usage: bench/load_assess.sh [NETVET] [RUNS]    (default build/src/cli/netvet, 5)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
netvet=$(realpath "${1:-$root/build/src/cli/netvet}"); runs=${2:-5}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
"$netvet" generate --sites 30800 --hrv-share 0.4 --seed 1 -o gen.json
# netvet generate gives ~2.1 links per component; add X2 links between neighbouring
# RAN units (as real networks have) to reach ~300,000 links.
python3 - <<'PY'
import json
d = json.load(open("gen.json"))
ran = [c["id"] for c in d["components"] if c["function"] in ("du", "enb", "gnb")]
need = 300000 - len(d["links"])
i = 0
while need > 0 and len(ran) > 2:
    d["links"].append([ran[i % len(ran)], ran[(i + 1 + i // len(ran)) % len(ran)], "x2"])
    i += 1; need -= 1
json.dump(d, open("net.json", "w"))
# Same network as block YAML (one row per line, like a hand-written file).
with open("net.yaml", "w") as f:
    f.write("netvet: 1\noperator: %s\ncountry: %s\n" % (json.dumps(d.get("operator", "x")), d.get("country", "NZ")))
    for key in ("sites", "components", "links"):
        f.write(key + ":\n")
        for row in d.get(key, []):
            f.write("  - " + json.dumps(row, ensure_ascii=False) + "\n")
print(len(d["components"]), "components,", len(d["links"]), "links")
PY
# A pack without isolation rules: the in-tree NZ pack minus its isolation rule would
# change the KB; instead use the UK pack (share caps, deadlines, exclusions: no isolation).
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
for f in net.json net.yaml; do
  cmd=("$netvet" assess "$f" --jurisdiction UK --date 2023-10-28 --format json -o out.json)
  m=$(for ((i = 0; i < runs; i++)); do
    s=$(date +%s.%N); "${cmd[@]}" || [[ $? == 1 ]]; e=$(date +%s.%N)
    echo "$e - $s" | bc
  done | median)
  printf "%s: median %.3f s over %d runs  (netvet assess %s --jurisdiction UK --date 2023-10-28 --format json -o out.json)\n" "$f" "$m" "$runs" "$f"
done
