#!/usr/bin/env bash
# Whole `netvet serve` processes, which the in-process tests cannot show:
#   durability   kill -9 during submissions and decisions (SQLite): everything the
#                server acknowledged is there after a restart, nothing half-written
#                is visible, and the audit chain verifies.
#   shared-queue two servers on one PostgreSQL take jobs from one queue
#                (FOR UPDATE SKIP LOCKED): every job runs exactly once, both take
#                some. Skips (exit 77) when NETVET_TEST_PG is not set.
#   audit-anchor `netvet audit head` and `audit verify --expect-head/--anchors`:
#                a head the log no longer reaches fails verify (exit 1), a
#                malformed one is bad input (exit 2). Tampering itself is in store_test.
# Usage: processes_test.sh NETVET SOURCE_DIR durability|shared-queue|audit-anchor
set -euo pipefail
netvet=$1 src=$2 which=$3
work=$(mktemp -d /tmp/netvet-proc.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# start NAME DB [serve options...]: starts a server, sets $base_NAME.
start() {
  local name=$1 db=$2; shift 2
  NETVET_NO_REEXEC=1 "$netvet" serve --db "$db" --port 0 --name "$name" "$@" 2>"$work/$name.log" &
  pids+=($!)
  eval "pid_$name=$!"
  for _ in $(seq 300); do grep -q "listening on" "$work/$name.log" && break; sleep 0.05; done
  grep -q "listening on" "$work/$name.log" || { cat "$work/$name.log" >&2; fail "server $name did not start"; }
  eval "base_$name=$(grep -o 'http://[0-9.:]*' "$work/$name.log" | head -1)/api/v1"
}
api() { curl -sS --max-time 30 -X "$2" -H "Authorization: Bearer $1" -H 'Content-Type: application/json' ${4:+--data-binary "$4"} -w '\n%{http_code}' "$3"; }
body=$(jq -n --rawfile net "$src/examples/nz-spark-5g-2018/network.yaml" --rawfile prop "$src/examples/nz-spark-5g-2018/proposal.yaml" \
  '{title: "5G", jurisdiction: "NZ", date: "2018-11-28", network: $net, proposal: $prop}')

case $which in
durability)
  db=$work/netvet.db
  OP=$("$netvet" admin user add --db "$db" --name op --role operator --tenant spark 2>/dev/null)
  AP=$("$netvet" admin user add --db "$db" --name ap --role approver --tenant gcsb --clearance TOP-SECRET 2>/dev/null)
  start one "$db"
  # Submit until killed; each acknowledged (201) id is written down.
  : >"$work/acked"
  (
    while true; do
      out=$(api "$OP" POST "$base_one/notifications" "$body" 2>/dev/null) || continue
      [[ $(tail -1 <<<"$out") == 201 ]] && head -n -1 <<<"$out" | jq -r .id >>"$work/acked"
    done
  ) &
  submitter=$!
  pids+=($submitter)
  # Decide the assessed ones meanwhile, noting each acknowledged decision.
  : >"$work/decided"
  for _ in $(seq 60); do
    for id in $(cat "$work/acked"); do
      grep -qx "$id" "$work/decided" && continue
      out=$(api "$AP" POST "$base_one/notifications/$id/decision" '{"outcome":"significant-risk","reason":"r"}' 2>/dev/null) || continue
      [[ $(tail -1 <<<"$out") == 200 ]] && echo "$id" >>"$work/decided"
    done
    [[ $(wc -l <"$work/acked") -ge 8 && $(wc -l <"$work/decided") -ge 3 ]] && break
    sleep 0.1
  done
  kill -9 "$pid_one"
  kill "$submitter" 2>/dev/null || true; wait "$submitter" 2>/dev/null || true
  acked=$(wc -l <"$work/acked"); decided=$(wc -l <"$work/decided")
  [[ $acked -ge 1 ]] || fail "no submission was acknowledged before the kill"
  start two "$db"
  for id in $(cat "$work/acked"); do
    out=$(api "$AP" GET "$base_two/notifications/$id")
    [[ $(tail -1 <<<"$out") == 200 ]] || fail "acknowledged notification $id lost after kill -9"
    v=$(head -n -1 <<<"$out")
    [[ $(jq '.proposals | length' <<<"$v") == 1 ]] || fail "notification $id has no proposal (half-written)"
    [[ $(jq '.assessments | length' <<<"$v") -ge 1 ]] || fail "notification $id has no assessment job (half-written)"
  done
  for id in $(cat "$work/decided"); do
    state=$(api "$AP" GET "$base_two/notifications/$id" | head -n -1 | jq -r .state)
    [[ $state == decided ]] || fail "acknowledged decision on $id lost after kill -9 (state $state)"
  done
  # Every notification that exists at all is whole (also the unacknowledged ones).
  all=$(api "$AP" GET "$base_two/notifications?limit=200" | head -n -1)
  for id in $(jq -r '.items[].id' <<<"$all"); do
    v=$(api "$AP" GET "$base_two/notifications/$id" | head -n -1)
    [[ $(jq '.proposals | length' <<<"$v") == 1 && $(jq '.history | length' <<<"$v") -ge 2 ]] \
      || fail "notification $id is half-written"
  done
  kill "$pid_two"; wait "$pid_two" 2>/dev/null || true
  "$netvet" audit verify --db "$db" || fail "the audit chain does not verify after kill -9"
  echo "durability: $acked acknowledged submissions and $decided decisions survived kill -9"
  ;;
shared-queue)
  [[ -n ${NETVET_TEST_PG:-} ]] || { echo "skip: no PostgreSQL (eval \"\$(scripts/test-postgres.sh start)\"; CI does)"; exit 77; }
  export PGOPTIONS="--client-min-messages=warning"
  schema=proc$$
  psql -q "$NETVET_TEST_PG" -c "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema" >/dev/null
  sep='?'; [[ $NETVET_TEST_PG == *\?* ]] && sep='&'
  db="$NETVET_TEST_PG${sep}options=-csearch_path%3D$schema"
  OP=$("$netvet" admin user add --db "$db" --name op --role operator --tenant spark 2>/dev/null)
  # An API-only server takes the submissions...
  start api "$db" --workers 0
  n=12
  for i in $(seq $n); do
    [[ $(api "$OP" POST "$base_api/notifications" "$body" | tail -1) == 201 ]] || fail "submission $i refused"
  done
  # ...and two worker servers share the queue.
  start w1 "$db" --workers 1
  start w2 "$db" --workers 1
  for _ in $(seq 600); do
    left=$(psql -tA "$db" -c "SELECT count(*) FROM assessments WHERE status <> 'done'")
    [[ $left == 0 ]] && break
    sleep 0.1
  done
  [[ $left == 0 ]] || fail "$left jobs not done after 60 s"
  starts=$(psql -tA "$db" -c "SELECT count(*) FROM audit WHERE action = 'assessment.start'")
  distinct=$(psql -tA "$db" -c "SELECT count(DISTINCT subject) FROM audit WHERE action = 'assessment.start'")
  by=$(psql -tA "$db" -c "SELECT detail::json->>'worker', count(*) FROM audit WHERE action = 'assessment.start' GROUP BY 1 ORDER BY 1")
  echo "$by"
  [[ $starts == "$n" && $distinct == "$n" ]] || fail "$n jobs, $starts starts of $distinct distinct jobs (one job ran twice?)"
  [[ $(wc -l <<<"$by") == 2 ]] || fail "one server took every job: $by"
  grep -q '^w1/' <<<"$by" && grep -q '^w2/' <<<"$by" || fail "jobs were not shared: $by"
  psql -q "$NETVET_TEST_PG" -c "DROP SCHEMA $schema CASCADE" >/dev/null
  echo "shared-queue: $n jobs, each run once, shared by two servers"
  ;;
audit-anchor)
  db=$work/netvet.db
  "$netvet" admin user add --db "$db" --name one --role operator --tenant spark >/dev/null 2>&1
  head=$("$netvet" audit head --db "$db")
  [[ $head =~ ^[0-9]+:[0-9a-f]{64}$ ]] || fail "audit head printed '$head', not SEQ:HASH"
  echo "$head" >"$work/anchors"
  "$netvet" admin user add --db "$db" --name two --role operator --tenant spark >/dev/null 2>&1
  "$netvet" audit head --db "$db" >>"$work/anchors"
  out=$("$netvet" audit verify --db "$db" --anchors "$work/anchors" --expect-head "$head") || fail "verify with anchors: $out"
  # A head beyond the log: what a deletion of the newest entries looks like to verify.
  seq=${head%%:*} hash=${head#*:}
  set +e
  out=$("$netvet" audit verify --db "$db" --expect-head "$((seq + 40)):$hash"); rc=$?
  set -e
  [[ $rc == 1 && $out == *"were deleted"* ]] || fail "a head past the log's end: exit $rc, '$out'"
  set +e
  "$netvet" audit verify --db "$db" --expect-head "not-a-head" 2>"$work/err"; rc=$?
  set -e
  [[ $rc == 2 ]] && grep -q "is not a head SEQ:HASH" "$work/err" || fail "a malformed head: exit $rc, $(cat "$work/err")"
  echo "audit-anchor: head $head verified, a missing tail and a malformed head refused"
  ;;
*) echo "usage: processes_test.sh NETVET SOURCE_DIR durability|shared-queue|audit-anchor" >&2; exit 2 ;;
esac
