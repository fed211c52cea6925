#!/usr/bin/env bash
# NETVET_PROFILE=1 adds one stderr line per phase (phase=NAME ms=T) to assess
# and graph, and changes no byte of their output.
# Usage: profile_test.sh NETVET_BINARY SOURCE_DIR
set -uo pipefail
netvet=$1; root=$2
export NETVET_KB="$root/kb" NO_COLOR=1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
"$netvet" generate --sites 300 --hrv-share 0.3 --seed 5 -o "$tmp/net.json" || exit 1

check() {  # name, phases..., -- command args
  local name=$1; shift
  local phases=()
  while [[ $1 != -- ]]; do phases+=("$1"); shift; done
  shift
  "$netvet" "$@" >"$tmp/plain.out" 2>"$tmp/plain.err"; local rc1=$?
  NETVET_PROFILE=1 "$netvet" "$@" >"$tmp/prof.out" 2>"$tmp/prof.err"; local rc2=$?
  if [[ $rc1 != "$rc2" ]]; then echo "$name: exit $rc1 without, $rc2 with NETVET_PROFILE"; fail=1; fi
  if ! cmp -s "$tmp/plain.out" "$tmp/prof.out"; then echo "$name: stdout differs with NETVET_PROFILE=1"; fail=1; fi
  if grep -q '^phase=' "$tmp/plain.err"; then echo "$name: phase lines without NETVET_PROFILE"; fail=1; fi
  if grep -v '^phase=[a-z-]* ms=[0-9]*\.[0-9]\{3\}$' "$tmp/prof.err" | grep -vxFf "$tmp/plain.err" | grep -q .; then
    echo "$name: stderr with NETVET_PROFILE=1 has lines that are neither phases nor the plain run's:"
    cat "$tmp/prof.err"; fail=1
  fi
  for p in "${phases[@]}"; do
    if ! grep -q "^phase=$p ms=" "$tmp/prof.err"; then echo "$name: no phase=$p line:"; cat "$tmp/prof.err"; fail=1; fi
  done
}

# The NZ proposal: its isolation rule asks attribution (inside the rules phase).
nz=$root/examples/nz-spark-5g-2018
check assess-nz load graph-build rules attribution exposure report -- \
  assess "$nz/network.yaml" --proposal "$nz/proposal.yaml" --jurisdiction NZ --date 2018-11-28 --format json
check assess-text load graph-build rules exposure report -- \
  assess "$tmp/net.json" --jurisdiction UK --date 2026-01-01
check graph-exposure load graph-build exposure attribution paths blast-radius report -- \
  graph exposure "$tmp/net.json" --jurisdiction UK --date 2026-01-01 --format json
check graph-paths load graph-build paths report -- \
  graph paths "$tmp/net.json" --jurisdiction UK --date 2026-01-01
# Any other value leaves the output alone too.
NETVET_PROFILE=0 "$netvet" graph paths "$tmp/net.json" --jurisdiction UK --date 2026-01-01 >/dev/null 2>"$tmp/zero.err"
if grep -q '^phase=' "$tmp/zero.err"; then echo "NETVET_PROFILE=0 printed phases"; fail=1; fi
[[ $fail == 0 ]] && echo "profile: ok"
exit $fail
