#!/usr/bin/env bash
# The whole test suite on a fresh machine: set-up (apt + venv), lint, types, then pytest with a
# throwaway PostgreSQL and Redis on loopback. Extra arguments go to pytest (e.g. -k roundtrip).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

PGBIN=/usr/lib/postgresql/15/bin
SVC=$(mktemp -d /tmp/nianbao-svc.XXXXXX)
chmod 755 "$SVC"
PGDATA=$SVC/pg
PGPORT=${NIANBAO_TEST_PGPORT:-55432}
REDISPORT=${NIANBAO_TEST_REDISPORT:-6390}
cleanup() {
  [ -f "$PGDATA/postmaster.pid" ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -s -w stop || true
  redis-cli -p "$REDISPORT" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$SVC"
}
trap cleanup EXIT

mkdir "$PGDATA" && chown postgres: "$PGDATA"
runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -s -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start
"$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres nianbao_test
redis-server --bind 127.0.0.1 --port "$REDISPORT" --daemonize yes --save '' --appendonly no \
  --dir "$SVC" --logfile "$SVC/redis.log" >/dev/null
for _ in $(seq 50); do redis-cli -p "$REDISPORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

export DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/nianbao_test"
export REDIS_URL="redis://127.0.0.1:$REDISPORT/0"
export OMP_THREAD_LIMIT=1

echo "== ruff"
.venv/bin/ruff check crawler spiders storage sitefarm tests bench
echo "== mypy"
.venv/bin/mypy
echo "== pytest"
.venv/bin/python -m pytest -q "$@"
