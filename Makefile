# The two commands: `make run` and `make test`. Both create .venv and install what is missing.
# The newest Python 3.11+ here builds it (3.13, else 3.12, else 3.11); `make test PYTHON=python3.11
# VENV=.venv-3.11` keeps a second version's virtualenv beside the first.
ifndef PYTHON
PYTHON := $(shell scripts/find-python.sh)
endif
PYTHON_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# pytest-xdist processes for `make test`, each with a test database of its own ("auto": one per core).
TEST_WORKERS ?= auto
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test install install-test system-deps migrate seed worker lint bench bench-pages bench-pages-quick bench-sweep bench-autosave bench-api bench-import bench-connectors api-schema clean

# A virtualenv made with another Python version is made anew.
$(VENV)/.python-$(PYTHON_VERSION):
	@test -n "$(PYTHON_VERSION)" || { echo "No usable Python (PYTHON=$(PYTHON))" >&2; exit 1; }
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	touch $@

$(VENV)/.installed: pyproject.toml $(VENV)/.python-$(PYTHON_VERSION)
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.python-$(PYTHON_VERSION)
	$(PIP) install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

# axe-core for the accessibility checks in the browser tests, from the npm registry at the version
# the lockfile pins (npm comes with scripts/system-deps.sh).
AXE := tests/vendor/node_modules/axe-core/axe.min.js
$(AXE): tests/vendor/package-lock.json | system-deps
	npm ci --prefix tests/vendor --no-audit --no-fund --silent
	touch $@

install: $(VENV)/.installed system-deps
install-test: $(VENV)/.installed-test system-deps $(AXE)


system-deps:
	@scripts/system-deps.sh

migrate: install
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput

# `make run PORT=8001` serves on another port; links in e-mails and calendars (SITE_URL) follow it.
PORT ?= 8000
run: install
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo
	DEBUG=$${DEBUG:-1} PORT=$(PORT) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Tests run on PostgreSQL when it answers on 127.0.0.1 (as on the project's machines and CI),
# otherwise on SQLite; DATABASE_URL in the environment wins.
test: install-test
	@if [ -z "$$DATABASE_URL" ] && pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
		export DATABASE_URL=postgres://postgres@127.0.0.1:5432/sms_tracker; \
		echo "Testing against PostgreSQL on 127.0.0.1:5432"; \
	fi; \
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

worker: install
	$(VENV)/bin/celery -A sms_tracker worker --loglevel=info

lint: install-test
	$(VENV)/bin/ruff check .

bench: install
	$(PY) bench/report_render.py

# Page throughput as a ratio to the login page: 100x data on PostgreSQL, gunicorn, DEBUG off
# (bench/pages.py; BENCH_DATABASE_URL, BENCH_PORT). The quick variant: demo data, no server.
bench-pages: install
	$(PY) bench/pages.py $(BENCH_ARGS)

bench-pages-quick: install
	$(PY) bench/pages.py --in-process $(BENCH_ARGS)

# The API's task list and answers endpoints at the 100x data set: req/s and queries per request
# (bench/api.py; its own database sms_bench_api, BENCH_DATABASE_URL / BENCH_PORT to change).
bench-api: install
	$(PY) bench/api.py $(BENCH_ARGS)

# The OpenAPI 3 schema, generated and validated (the test suite does the same in CI).
api-schema: install
	DEBUG=$${DEBUG:-1} $(PY) manage.py spectacular --validate --fail-on-warn --file openapi.yaml

# Both need PostgreSQL on 127.0.0.1 (their own database, sms_bench_sweep; BENCH_DATABASE_URL to change it).
bench-sweep: install
	$(PY) bench/sweep.py

# Peak memory of a project import for a data.json of 1 MB, 10 MB, 100 MB and 1 GB (bench/import_memory.py;
# PostgreSQL from DATABASE_URL, everything rolled back; writes bench/results/import-memory.json).
bench-import: install-test
	$(PY) bench/import_memory.py $(BENCH_ARGS)

bench-connectors: install-test  # needs DATABASE_URL (PostgreSQL)
	$(PY) bench/connectors_sync.py $(BENCH_ARGS)

bench-autosave: install  # and Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/7)
	$(PY) bench/autosave.py

clean:
	rm -rf .venv .venv-* db.sqlite3 media
