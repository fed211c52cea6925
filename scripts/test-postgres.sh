#!/usr/bin/env bash
# A throwaway PostgreSQL 15 for the store and server tests: its own data
# directory under /tmp, listening only on a unix socket there (no TCP port, so
# several checkouts cannot collide), fsync off (test data is disposable).
#
#   eval "$(scripts/test-postgres.sh start)"   # exports NETVET_TEST_PG=postgresql://...
#   make test                                  # the PostgreSQL variants now run
#   scripts/test-postgres.sh stop              # stops it and removes its directory
#
# As root (CI) the server runs as the postgres user, which Debian's package creates.
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
state=${NETVET_PG_STATE:-/tmp/netvet-pg.state}
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
  start)
    [[ -x $bin/initdb ]] || { echo "test-postgres: $bin/initdb not found: install postgresql-15 (scripts/setup.sh)" >&2; exit 1; }
    dir=$(mktemp -d /tmp/netvet-pg.XXXXXX)
    [[ $(id -u) -eq 0 ]] && chown postgres "$dir"
    as_pg "$bin/initdb" -D "$dir/data" -A trust -U netvet --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-k $dir -c listen_addresses='' -c fsync=off -c max_connections=200" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "$dir" >"$state"
    echo "export NETVET_TEST_PG='postgresql://netvet@/postgres?host=$dir'"
    ;;
  stop)
    [[ -f $state ]] || exit 0
    dir=$(cat "$state")
    as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir" "$state"
    ;;
  *)
    echo "usage: scripts/test-postgres.sh start|stop" >&2
    exit 2
    ;;
esac
