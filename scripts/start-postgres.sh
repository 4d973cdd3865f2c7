#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on 127.0.0.1 for the store tests, and print its URL.
# Installs Debian's postgresql package if the machine has none.
set -euo pipefail
PORT=${PGPORT_TEST:-54329}
DATA=${PGDATA_TEST:-/tmp/dyadwatch-pg}
if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
if ! as_postgres "$BIN/pg_isready -q -h 127.0.0.1 -p $PORT"; then
  rm -rf "$DATA" && mkdir -p "$DATA"
  [ "$(id -u)" = 0 ] && chown postgres "$DATA"
  as_postgres "$BIN/initdb -D $DATA -U dyadwatch --auth=trust >/dev/null" >&2
  as_postgres "$BIN/pg_ctl -s -D $DATA -o '-p $PORT -k /tmp -c listen_addresses=127.0.0.1' -l $DATA/log -w start" >&2
fi
as_postgres "$BIN/psql -q -h 127.0.0.1 -p $PORT -U dyadwatch -d postgres -c 'DROP DATABASE IF EXISTS dyadwatch_test' -c 'CREATE DATABASE dyadwatch_test'" >&2
echo "postgresql+psycopg://dyadwatch@127.0.0.1:$PORT/dyadwatch_test"
