# Pingan: `make run` serves the demo, `make test` runs the whole suite on SQLite and PostgreSQL.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
SCALE ?= small
PG_URL ?= postgres://postgres@127.0.0.1:5432/pingan
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: setup browser run serve migrate demo test test-sqlite test-postgres mutants bench lint clean

# Installs into .venv only when requirements changed (a stamp file records the last install).
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

# ECharts (and any browser library) from npm into node_modules/, served by the app through STATICFILES_DIRS.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

setup: $(VENV)/.installed node_modules/.installed

migrate: setup
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py seed_demo --scale $(SCALE)

# The background-job worker (django-tasks' db_worker) runs beside gunicorn: Ctrl-C reaches both (one process
# group); the EXIT trap also stops the worker when gunicorn ends any other way, and waits for it to finish the
# job it is running (a second Ctrl-C stops it at once; the job's writes roll back).
run: demo
	$(PY) manage.py collectstatic --noinput -v0
	@$(PY) manage.py demo_accounts
	@echo "平安 Pingan 演示：http://$(HOST):$(PORT)/（后台任务进程一并启动，Ctrl-C 一并停止）"
	@$(PY) manage.py case_reminders --schedule
	@$(PY) manage.py scan_alerts --schedule
	@$(PY) manage.py db_worker --no-reload --interval 1 & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(VENV)/bin/gunicorn pingan.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile - --timeout 120

# Debian's chromium and fonts-noto-cjk for the browser tests (apt-get when missing; under CI=true missing fails).
browser:
	@bash scripts/browser.sh

test: setup browser
	@bash scripts/test.sh

# Mutation testing of the rules in core (scripts/mutants.toml); slow, never part of `make test`.
# GROUPS="calendar ledgers" runs some groups; REF=HEAD mutates the last commit instead of the working tree.
mutants: setup
	$(PY) scripts/mutants.py $(if $(REF),--ref $(REF)) $(GROUPS)

test-sqlite: setup
	$(VENV)/bin/pytest -q -p no:cacheprovider

test-postgres: setup
	DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -q -p no:cacheprovider

bench: setup
	@bash bench/run.sh

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache
