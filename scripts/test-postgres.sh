#!/usr/bin/env bash
# Start a throwaway PostgreSQL on loopback, run the given command against it, then remove it.
# Usage: test-postgres.sh COMMAND...   (DATABASE_URL is set for the command)
set -euo pipefail
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pgbin/initdb" ] || { echo "PostgreSQL server binaries not found (install Debian's postgresql)"; exit 1; }
dir=$(mktemp -d /tmp/safepassage-pg.XXXXXX)
port=${SAFEPASSAGE_PG_PORT:-54329}
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  # PostgreSQL refuses to run as root; Debian's package creates the postgres user.
  chown postgres: "$dir"
  as_pg=(runuser -u postgres --)
fi
stop() {
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
"${as_pg[@]}" "$pgbin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
# Durability off: this database lives for one test run.
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o \
  "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
export DATABASE_URL="postgres://postgres@127.0.0.1:$port/safepassage"
export SAFEPASSAGE_PG_BIN="$pgbin"
"$@"
