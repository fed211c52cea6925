#!/usr/bin/env bash
# Runs every fuzz target in BUILD_DIR/tests/fuzz for SECONDS each, seeded from tests/cases
# and examples (copied into a scratch corpus so the tree stays clean).
set -euo pipefail
build=${1:-build-fuzz}; seconds=${2:-20}
root=$(cd "$(dirname "$0")/../.." && pwd)
status=0
for bin in "$build"/tests/fuzz/fuzz_*; do
  [[ -x "$bin" ]] || continue
  name=$(basename "$bin")
  corpus=$(mktemp -d)
  case "$name" in
    *plan_yaml*) cp "$root"/kb/costs.yaml "$root"/kb/portfolios.yaml "$root"/kb/constraints.yaml "$root"/tests/cases/plan/*/*.yaml "$corpus"/ 2>/dev/null || true ;;
    *role_map*) cp "$root"/kb/role-map.yaml "$corpus"/; find "$root/tests/cases" -name '*role*.yaml' -size -64k -exec cp --backup=numbered {} "$corpus"/ \; ;;
    *yaml*|*proposal*) find "$root/examples" "$root/tests/cases" -name '*.yaml' -size -64k -exec cp --backup=numbered {} "$corpus"/ \; ;;
    *json*|*netbox*|*cyclonedx*) find "$root/examples" "$root/tests/cases" -name '*.json' -size -64k -exec cp --backup=numbered {} "$corpus"/ \; ;;
    *csv*) # no CSV files in the tree: seeds in the shapes the importer reads (docs/import.md)
      printf 'id,function,vendor,site,generation,subscribers,parent,tags\r\ngnb-1,gnb,"Huawei Technologies Co., Ltd.",akl,5g-nsa,12000,,"edge; rural"\r\nb1,gnb,HiSilicon,akl,,,gnb-1,\r\n' >"$corpus/components.csv"
      printf 'a,b,interface,protection\ngnb-1,"core, amf",n2,encrypted;integrity\n' >"$corpus/links.csv"
      printf 'id,name,lat,lon,region\nakl,"Auckland ""CBD""",-36.8485,174.7633,Auckland\n' >"$corpus/sites.csv" ;;
    *topology_zoo*) find "$root/../shared/fixtures/topology-zoo" -name '*.graphml' -size -64k -exec cp --backup=numbered {} "$corpus"/ \; 2>/dev/null || true ;;
  esac
  echo "fuzz: $name for ${seconds}s ($(ls "$corpus" | wc -l) seeds)"
  if ! "$bin" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 "$corpus" >"$corpus.log" 2>&1; then
    echo "fuzz: $name FAILED"; tail -40 "$corpus.log"; status=1
  fi
  rm -rf "$corpus" "$corpus.log"
done
exit $status
