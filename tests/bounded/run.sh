#!/usr/bin/env bash
# Hostile inputs from issue 13 that once ran for minutes or took GBs. Each is
# generated here (nothing big is committed) and read by netvet under a ulimit
# on CPU seconds and address space; it must end with exit 2 and say why on
# stderr. Not a timing assertion: the bounds are several times what the
# bounded reader needs, and a reader that is quadratic again, or that keeps
# memory in proportion to a hostile file, runs into them (and is killed, or
# fails to allocate) instead of exiting 2.
# Usage: run.sh NETVET_BINARY CASE         (CASE: see the case statement below)
set -uo pipefail
netvet=$(realpath "$1"); case_name=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
export NETVET_KB="$root/kb" NO_COLOR=1
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cpu=10            # CPU seconds
mem_mb=1024       # address space, MiB
want_rc=2
assess=(assess --jurisdiction NZ --date 2020-01-01)
case $case_name in
  json-empty-components)  # 50 MB of {} under "components", one line: stopped by the row limit
    { printf '{"netvet": 1, "components": ['; yes '{},' | head -n 16666666 | tr -d '\n'; printf '{}]}'; } > "$work/n.json"
    args=("${assess[@]}" "$work/n.json"); want='rows is over the limit of'
    ;;
  json-empty-components-unlimited)  # the same with the row and memory limits lifted: 16.7M errors, counted in linear time
    mem_mb=3072  # the columns are reserved for 16.7M rows (untouched, but address space)
    { printf '{"netvet": 1, "components": ['; yes '{},' | head -n 16666666 | tr -d '\n'; printf '{}]}'; } > "$work/n.json"
    args=(--max-rows 100000000 --max-memory 64G "${assess[@]}" "$work/n.json"); want='16666617 more error(s) not shown'
    ;;
  json-dangling-one-line)  # 2.4 MB on one line, 120000 links to components that do not exist
    { printf '{"netvet": 1, "components": [{"id": "a", "function": "gnb"}], "links": ['
      seq 1 119999 | awk '{printf "[\"a\",\"x%d\",\"n2\"],", $1}'; printf '["a","x","n2"]]}'; } > "$work/n.json"
    args=("${assess[@]}" "$work/n.json"); want='119950 more error(s) not shown'
    ;;
  yaml-empty-maps)  # 50 MB of "- {}": refused before yaml-cpp's tree outgrows the memory limit
    yes -- '- {}' | head -c 50000000 > "$work/n.yaml"
    args=("${assess[@]}" "$work/n.yaml"); want='more than the memory limit of'
    ;;
  yaml-empty-maps-low-limit)  # the same under --max-memory 64M and a lower ulimit: the limit is what bounds it
    yes -- '- {}' | head -c 50000000 > "$work/n.yaml"
    mem_mb=512
    args=(--max-memory 64M "${assess[@]}" "$work/n.yaml"); want='more than the memory limit of'
    ;;
  dev-zero)  # a device that never ends: read up to the size limit (1 GiB), then refused
    mem_mb=2048 cpu=30  # the kernel zeroes 1 GiB twice (pages, then the read): system time on a VM
    args=("${assess[@]}" /dev/zero); want='over the limit of 1073741824 bytes'
    ;;
  pipe)  # a pipe that never ends, with a lower size limit
    mkfifo "$work/pipe"
    (yes -- '- {}' > "$work/pipe" 2>/dev/null &)
    args=(--max-bytes 100M "${assess[@]}" "$work/pipe"); want='over the limit of 104857600 bytes'
    ;;
  *) echo "unknown case $case_name"; exit 2 ;;
esac
(
  ulimit -t "$cpu" -v $((mem_mb * 1024))
  exec "$netvet" "${args[@]}"
) > "$work/out" 2> "$work/err"
rc=$?
fail=0
if [[ $rc != "$want_rc" ]]; then echo "exit code $rc, expected $want_rc (over ${cpu} s CPU or ${mem_mb} MiB address space?)"; fail=1; fi
if ! grep -qF -- "$want" "$work/err"; then echo "stderr does not say: $want"; fail=1; fi
if ((fail)); then echo "--- stderr (tail):"; tail -c 2000 "$work/err"; echo "case failed: $case_name"; fi
exit $fail
