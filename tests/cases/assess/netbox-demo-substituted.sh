#!/usr/bin/env bash
# Shared `prepare` of the netbox-demo-substituted-* cases (issue 11): the NetBox
# demo dump (../shared/fixtures/netbox, read in place, never copied into the
# repo) with Juniper renamed Huawei and Cisco renamed "ZTE Corporation", imported
# into $CASE_TMP/network.json. Argument: a role map (optional).
set -euo pipefail
src="$FIXTURES/netbox/netbox-demo-v3.6.json"
if [[ ! -f $src ]]; then
  echo "skipped: the NetBox demo fixture $src is absent" >&2
  exit 77
fi
sed -e 's/"name": "Juniper",/"name": "Huawei",/' -e 's/"name": "Cisco",/"name": "ZTE Corporation",/' "$src" \
  > "$CASE_TMP/netbox.json"
grep -q '"name": "ZTE Corporation",' "$CASE_TMP/netbox.json"  # the substitution must have happened
"$NETVET" import netbox "$CASE_TMP/netbox.json" ${1:+--role-map "$1"} -o "$CASE_TMP/network.json"
