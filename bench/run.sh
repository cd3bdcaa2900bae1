#!/usr/bin/env bash
# make bench: every bench/bench_*.py in turn, against PostgreSQL (the production database). Each benchmark
# prints its own numbers and the ratio to a baseline measured in the same run. Never part of make test.
# BENCH=dashboard bash bench/run.sh runs only the benchmarks whose file name contains "dashboard".
set -uo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/pingan_bench}"
export DJANGO_SETTINGS_MODULE=pingan.settings
# The benchmarks import files past the web's row cap (1,000,000 people rows): an administrator's import.
export PINGAN_LEDGER_MAX_ROWS="${PINGAN_LEDGER_MAX_ROWS:-5000000}"
.venv/bin/python bench/prepare.py || exit 1
status=0
for script in bench/bench_*.py; do
  [ -e "$script" ] || continue
  case "$script" in *"${BENCH:-}"*) ;; *) continue ;; esac
  echo "== $script =="
  .venv/bin/python "$script" "$@" || status=1
done
exit $status
