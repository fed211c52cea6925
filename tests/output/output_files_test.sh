#!/usr/bin/env bash
# Output files (`-o`), end to end: the umask is respected, a report holding
# anything above UNCLASSIFIED is 0600, only regular files and symlinks are
# replaced (a FIFO or a device is an error, exit 2, and is left as it was),
# and `-o -` is standard output.
# Usage: output_files_test.sh NETVET_BINARY SOURCE_DIR
set -uo pipefail
netvet=$(realpath "$1"); src=$(realpath "$2")
export NETVET_KB="$src/kb" NO_COLOR=1
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
fail=0
check() {  # check NAME WANT GOT
  if [[ "$2" != "$3" ]]; then echo "FAIL $1: expected '$2', got '$3'"; fail=1; else echo "ok   $1"; fi
}
mode() { stat -c %a "$1"; }
ex="$src/examples/nz-spark-5g-2018"
overlay="$src/tests/cases/assess/disclosure-secret/overlay.yaml"
assess=(assess "$ex/network.yaml" --proposal "$ex/proposal.yaml" --jurisdiction NZ --date 2018-11-28)

# The umask decides a new unclassified file's mode.
(umask 022 && "$netvet" generate --sites 5 --seed 1 -o g022.json)
check "new file under umask 022" 644 "$(mode g022.json)"
(umask 077 && "$netvet" generate --sites 5 --seed 1 -o g077.json)
check "new file under umask 077" 600 "$(mode g077.json)"
# A replaced unclassified file keeps its mode.
chmod 640 g022.json
(umask 022 && "$netvet" generate --sites 5 --seed 2 -o g022.json)
check "replaced file keeps its mode" 640 "$(mode g022.json)"

# A SECRET finding shown at clearance SECRET: 0600 whatever the umask, also over a 0644 file.
(umask 022 && "$netvet" "${assess[@]}" --kb-overlay "$overlay" --clearance SECRET --verbose -o secret.txt)  # verbose: titles
check "SECRET report exit" 1 "$?"
grep -q ZULU-OVERLAY-TITLE secret.txt; check "SECRET report holds the finding" 0 "$?"
check "SECRET report is 0600 under umask 022" 600 "$(mode secret.txt)"
touch old.json && chmod 644 old.json
(umask 000 && "$netvet" "${assess[@]}" --kb-overlay "$overlay" --clearance SECRET -f json -o old.json)
check "SECRET report over a 0644 file is 0600" 600 "$(mode old.json)"
# The same overlay read at UNCLASSIFIED: nothing classified shown, the umask decides.
(umask 022 && "$netvet" "${assess[@]}" --kb-overlay "$overlay" -o public.txt)
check "UNCLASSIFIED report under umask 022" 644 "$(mode public.txt)"
# graph filters through the same disclosure: at UNCLASSIFIED nothing classified
# is shown and the umask decides; at SECRET the overlay's vendor rating is shown, 0600.
rating="$src/tests/cases/assess/disclosure-canary/overlay.yaml"
(umask 022 && "$netvet" graph exposure "$ex/network.yaml" --jurisdiction NZ --date 2018-11-28 \
   --kb-overlay "$rating" -o graph.txt)
check "graph with an overlay, read at UNCLASSIFIED" 644 "$(mode graph.txt)"
(umask 022 && "$netvet" graph exposure "$ex/network.yaml" --jurisdiction NZ --date 2018-11-28 \
   --kb-overlay "$rating" --clearance SECRET -o graph-secret.txt)
check "graph with an overlay, read at SECRET" 600 "$(mode graph-secret.txt)"

# Only regular files and symlinks are replaced.
mkfifo fifo
"$netvet" generate --sites 5 --seed 1 -o fifo 2>err.txt
check "FIFO: exit 2" 2 "$?"
grep -q "not a regular file" err.txt; check "FIFO: says why" 0 "$?"
[[ -p fifo ]]; check "FIFO: still a FIFO" 0 "$?"
mkdir dir
"$netvet" generate --sites 5 --seed 1 -o dir 2>/dev/null
check "directory: exit 2" 2 "$?"
if mknod null c 1 3 2>/dev/null; then  # root: a device node of our own, never /dev/null itself
  "$netvet" generate --sites 5 --seed 1 -o null 2>/dev/null
  check "device: exit 2" 2 "$?"
  [[ -c null ]]; check "device: still a device" 0 "$?"
else
  echo "skip device node (mknod needs root)"
fi
echo target > target.txt
ln -s target.txt link.json
"$netvet" generate --sites 5 --seed 1 -o link.json
check "symlink: exit 0" 0 "$?"
[[ -f link.json && ! -L link.json ]]; check "symlink: replaced by the file" 0 "$?"
check "symlink: target untouched" target "$(cat target.txt)"

# `-o -` is standard output, and no file named "-" appears.
"$netvet" generate --sites 5 --seed 1 -o - > stdout.json
check "-o -: exit 0" 0 "$?"
cmp -s stdout.json g077.json; check "-o -: same bytes as the file" 0 "$?"
[[ ! -e ./- ]]; check "-o -: no file named -" 0 "$?"
# No temporary file is left beside any output.
check "no temporaries left" 0 "$(ls -A | grep -c '\.tmp\.')"
exit $fail
