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
    *plan_yaml*) cp "$root"/kb/costs.yaml "$root"/kb/portfolios.yaml "$root"/tests/cases/plan/*/*.yaml "$corpus"/ 2>/dev/null || true ;;
    *role_map*) cp "$root"/kb/role-map.yaml "$corpus"/; find "$root/tests/cases" -name '*role*.yaml' -size -64k -exec cp {} "$corpus"/ \; ;;
    *yaml*|*proposal*) find "$root/examples" "$root/tests/cases" -name '*.yaml' -size -64k -exec cp {} "$corpus"/ \; ;;
    *json*|*netbox*|*cyclonedx*) find "$root/examples" "$root/tests/cases" -name '*.json' -size -64k -exec cp {} "$corpus"/ \; ;;
    *csv*) find "$root/tests/cases" -name '*.csv' -size -64k -exec cp {} "$corpus"/ \; ;;
    *topology_zoo*) find "$root/../shared/fixtures/topology-zoo" -name '*.graphml' -size -64k -exec cp {} "$corpus"/ \; 2>/dev/null || true ;;
  esac
  echo "fuzz: $name for ${seconds}s ($(ls "$corpus" | wc -l) seeds)"
  if ! "$bin" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 "$corpus" >"$corpus.log" 2>&1; then
    echo "fuzz: $name FAILED"; tail -40 "$corpus.log"; status=1
  fi
  rm -rf "$corpus" "$corpus.log"
done
exit $status
