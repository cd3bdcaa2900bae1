#!/usr/bin/env bash
# The whole suite on SQLite, then on PostgreSQL. Under CI=true an unreachable PostgreSQL fails the run.
set -uo pipefail
cd "$(dirname "$0")/.."
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432/pingan}"
PYTEST=".venv/bin/pytest"

echo "== SQLite =="
DATABASE_URL="sqlite:///$(pwd)/.test-sqlite.sqlite3" "$PYTEST" -q -p no:cacheprovider "$@"
sqlite_rc=$?

echo "== PostgreSQL =="
if .venv/bin/python scripts/pg_ready.py "$PG_URL"; then
  DATABASE_URL="$PG_URL" "$PYTEST" -q -p no:cacheprovider "$@"
  pg_rc=$?
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL 不可达（$PG_URL），CI 环境下视为失败。" >&2
  pg_rc=1
else
  echo "PostgreSQL 不可达（$PG_URL），本地运行跳过 PostgreSQL 测试。" >&2
  pg_rc=0
fi

if [ $sqlite_rc -ne 0 ] || [ $pg_rc -ne 0 ]; then
  echo "测试失败：SQLite=$sqlite_rc PostgreSQL=$pg_rc" >&2
  exit 1
fi
