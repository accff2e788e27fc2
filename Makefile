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

.PHONY: run test install install-test system-deps messages migrate seed worker lint bench bench-pages bench-pages-quick bench-sweep bench-autosave bench-api bench-import bench-connectors bench-cache api-schema clean

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

# The catalogues compiled (.po -> .mo) whenever one changed (docs/i18n.md); msgfmt comes with system-deps.
I18N_IGNORE := --ignore '.venv*' --ignore node_modules --ignore tests --ignore bench --ignore staticfiles
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po identity/locale/*/LC_MESSAGES/*.po)
$(VENV)/.messages: $(PO_FILES) $(VENV)/.installed | system-deps
	DEBUG=1 $(PY) manage.py compilemessages $(I18N_IGNORE) --verbosity 0
	touch $@

install: $(VENV)/.installed system-deps $(VENV)/.messages
install-test: $(VENV)/.installed-test system-deps $(AXE) $(VENV)/.messages

# The project's catalogues brought up to date with the strings marked in the code and templates
# (django: Python and templates; djangojs: static JavaScript), for every language in LANGUAGES but
# English, the source language. Translate the new entries, then `make install` compiles them.
I18N_LANGUAGES := de fr es zh_Hans
messages: install
	DEBUG=1 $(PY) manage.py makemessages $(addprefix -l ,$(I18N_LANGUAGES)) $(I18N_IGNORE) --no-obsolete --add-location file
	DEBUG=1 $(PY) manage.py makemessages -d djangojs $(addprefix -l ,$(I18N_LANGUAGES)) $(I18N_IGNORE) \
		--ignore 'static/vendor' --ignore '*.min.js' --no-obsolete --add-location file


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

# Page throughput as a ratio to the login page and to the yardsticks (a bare AuthenticationForm page,
# a plain 25-row list), warm and cold: 100x data on PostgreSQL, gunicorn, DEBUG off (bench/pages.py;
# BENCH_DATABASE_URL, BENCH_PORT and BENCH_PORT+1). The quick variant: demo data, no server
# (BENCH_ARGS=--grow adds the 99,000-row project).
bench-pages: install
	$(PY) bench/pages.py $(BENCH_ARGS)

bench-pages-quick: install
	$(PY) bench/pages.py --in-process $(BENCH_ARGS)

# Other projects' dashboards while someone edits a task in one project and others sign in: hit rate
# and times, 50 projects, real Redis (bench/cache.py; BENCH_DATABASE_URL, BENCH_REDIS_URL; --root DIR
# measures another checkout, e.g. main, on the same data).
bench-cache: install
	$(PY) bench/cache.py $(BENCH_ARGS)

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
