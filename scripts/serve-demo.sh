#!/usr/bin/env bash
# The New Zealand journey against a real `netvet serve`, step by step, with curl:
# Spark notifies its 5G proposal, the engine assesses it, a GCSB assessor adds a
# SECRET finding, the approver decides significant risk, Spark sees the decision
# and how much was withheld (never the secret), submits a mitigation plan, which
# is re-assessed and accepted. Usage: scripts/serve-demo.sh [path/to/netvet] [DB]
# (DB: a SQLite file or postgresql://...; default a new SQLite file in a temp folder).
set -euo pipefail
cd "$(dirname "$0")/.."
netvet=${1:-build/src/cli/netvet}
work=$(mktemp -d /tmp/netvet-serve-demo.XXXXXX)
db=${2:-$work/netvet.db}
server_pid=
cleanup() { [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
user() { "$netvet" admin user add --db "$db" --name "$1" --role "$2" --tenant "$3" --clearance "$4" 2>/dev/null; }

step "Users (netvet admin user add prints each API token once)"
OP=$(user spark-ops operator spark UNCLASSIFIED)
AS=$(user gcsb-assessor assessor gcsb SECRET)
AP=$(user gcsb-director approver gcsb TOP-SECRET)
AU=$(user igis-auditor auditor igis TOP-SECRET)
"$netvet" admin user list --db "$db"

step "netvet serve --db $db --port 0"
"$netvet" serve --db "$db" --port 0 2>"$work/serve.log" &
server_pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/serve.log" && break; sleep 0.1; done
base=$(grep -o 'http://[0-9.:]*' "$work/serve.log" | head -1)/api/v1
cat "$work/serve.log"
api() {  # api TOKEN METHOD PATH [JSON]
  curl -sS -X "$2" -H "Authorization: Bearer $1" -H 'Content-Type: application/json' ${4:+--data-binary "$4"} "$base$3"
}

step "Spark (operator) notifies the 5G proposal"
body=$(jq -n --rawfile net examples/nz-spark-5g-2018/network.yaml --rawfile prop examples/nz-spark-5g-2018/proposal.yaml \
  '{title: "5G RAN (Huawei) with MEC edge user plane", jurisdiction: "NZ", date: "2018-11-28", network: $net, proposal: $prop}')
id=$(api "$OP" POST /notifications "$body" | jq -r .id)
echo "notification $id"

step "The engine assesses it as a job"
for _ in $(seq 200); do
  st=$(api "$AS" GET "/notifications/$id" | jq -r '.assessments[0].status')
  [[ $st == done || $st == failed ]] && break; sleep 0.1
done
api "$AS" GET "/notifications/$id" | jq '{state, assessments, findings: [.findings[] | {id, severity, title}]}'
first=$(api "$AS" GET "/notifications/$id" | jq -r '.findings[0].id')

step "A GCSB assessor adds a SECRET finding"
secret=$(api "$AS" POST "/notifications/$id/findings" \
  '{"title": "Vendor assessment (GCSB holdings)", "message": "SECRET: what only the agency knows", "classification": "SECRET", "severity": "critical"}' | jq -r .id)
echo "finding $secret (SECRET)"

step "The approver decides: significant risk"
api "$AP" POST "/notifications/$id/decision" \
  "{\"outcome\": \"significant-risk\", \"reason\": \"SECRET: the classified reasons\", \"classification\": \"SECRET\", \"reasons\": [$first, $secret]}" \
  | jq '{state, decision}'

step "Spark sees the decision and what was withheld, not the secret"
api "$OP" GET "/notifications/$id" | tee "$work/operator.json" | jq '{state, decision, withheld, findings: [.findings[] | {id, classification, title}]}'
if grep -q "what only the agency knows\|the classified reasons" "$work/operator.json"; then
  echo "FAIL: a SECRET byte reached the operator" >&2; exit 1
fi
echo "(no SECRET content in the operator's view)"

step "Spark submits a mitigation plan (Nokia RAN instead of Huawei); it is re-assessed"
plan=$(sed 's/vendor: Huawei/vendor: Nokia/' examples/nz-spark-5g-2018/proposal.yaml)
api "$OP" POST "/notifications/$id/plans" "$(jq -n --arg p "$plan" '{proposal: $p, reason: "Nokia RAN"}')" | jq '{state, plan_version}'
for _ in $(seq 200); do
  st=$(api "$AP" GET "/notifications/$id" | jq -r '.assessments[1].status')
  [[ $st == done || $st == failed ]] && break; sleep 0.1
done
a2=$(api "$AP" GET "/notifications/$id" | jq -r '.assessments[1].id')
api "$AP" GET "/assessments/$a2" | jq '.determination'

step "The approver accepts the mitigated proposal"
api "$AP" POST "/notifications/$id/accept" '{"reason": "The revised proposal removes the risk"}' | jq '{state, decision}'

step "The audit log (auditor) and its verification"
api "$AU" GET "/audit?limit=200" | jq -r '.items[] | "\(.seq)\t\(.actor)\t\(.action)\t\(.subject)"'
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
"$netvet" audit verify --db "$db"
