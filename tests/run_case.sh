#!/usr/bin/env bash
# Runs one golden case: tests/cases/<stage>/<case>/ holds
#   cmd              the netvet arguments, paths relative to the case folder;
#                    lines starting with '#' describe the case (and trace it to the fact sheet)
#   expected.stdout  (optional) exact stdout
#   expected.stderr  (optional) exact stderr
#   expected.exit    (optional) exit code, default 0
#   prepare          (optional, executable) builds inputs before the command runs:
#                    it gets NETVET (the binary), CASE_TMP (a fresh folder, removed
#                    afterwards; cmd may name files in it as $CASE_TMP/...) and
#                    FIXTURES (../shared/fixtures, or $NETVET_FIXTURES); exit 77
#                    skips the case (say why on stderr), e.g. when a fixture is absent
#   plus the input files the command names.
# The input digest (sha256 over inputs *and* KB content) is masked when comparing,
# so a KB edit does not churn every golden file; src/assess/assess_test.cc pins
# the digest itself (known answer, changes with every input).
# Usage: run_case.sh NETVET_BINARY CASE_DIR.  UPDATE=1 rewrites the expected files
# from the actual output (read the diff, then say why in the commit).
set -uo pipefail
netvet=$(realpath "$1"); dir=$2
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$dir" || exit 2
args=$(grep -v '^#' cmd | tr '\n' ' ')
out=$(mktemp); err=$(mktemp); CASE_TMP=$(mktemp -d); trap 'rm -rf "$out" "$err" "$CASE_TMP"' EXIT
export CASE_TMP
if [[ -x prepare ]]; then
  NETVET="$netvet" NETVET_KB="$root/kb" FIXTURES="${NETVET_FIXTURES:-$root/../shared/fixtures}" ./prepare >"$err" 2>&1
  prc=$?
  if ((prc == 77)); then cat "$err"; exit 77; fi
  if ((prc != 0)); then echo "prepare failed ($prc):"; cat "$err"; exit 1; fi
fi
NETVET_KB="$root/kb" NO_COLOR=1 eval "\"$netvet\" $args" >"$out" 2>"$err"
rc=$?
if [[ "${UPDATE:-0}" == 1 ]]; then
  # The case's temporary folder is written as <tmp>: it differs on every run.
  [[ -f expected.stdout || -s "$out" ]] && sed "s|$CASE_TMP|<tmp>|g" "$out" > expected.stdout
  [[ -f expected.stderr || -s "$err" ]] && sed "s|$CASE_TMP|<tmp>|g" "$err" > expected.stderr
  echo "$rc" > expected.exit
  echo "updated $dir"; exit 0
fi
fail=0
want_rc=$(cat expected.exit 2>/dev/null || echo 0)
if [[ "$rc" != "$want_rc" ]]; then echo "exit code $rc, expected $want_rc"; fail=1; fi
for s in stdout stderr; do
  f=$out; [[ $s == stderr ]] && f=$err
  mask='s/sha256:[0-9a-f]\{64\}/sha256:<digest>/g'
  if [[ -f expected.$s ]] && ! diff -u --label expected.$s --label actual.$s <(sed "$mask" expected.$s) <(sed "$mask; s|$CASE_TMP|<tmp>|g" "$f"); then
    fail=1
  fi
done
if ((fail)); then echo "--- stderr was:"; head -c 4000 "$err"; echo "case failed: $dir (UPDATE=1 to accept)"; fi
exit $fail
