# The two commands: `make run` and `make test`. Both create .venv and install what is missing.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test install install-test system-deps migrate seed worker lint bench bench-sweep bench-autosave clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(PIP) install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed system-deps
install-test: $(VENV)/.installed-test system-deps

system-deps:
	@scripts/system-deps.sh

migrate: install
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput

run: install
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver 127.0.0.1:8000

# Tests run on PostgreSQL when it answers on 127.0.0.1 (as on the project's machines and CI),
# otherwise on SQLite; DATABASE_URL in the environment wins.
test: install-test
	@if [ -z "$$DATABASE_URL" ] && pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
		export DATABASE_URL=postgres://postgres@127.0.0.1:5432/sms_tracker; \
		echo "Testing against PostgreSQL on 127.0.0.1:5432"; \
	fi; \
	$(PY) -m pytest $(PYTEST_ARGS)

worker: install
	$(VENV)/bin/celery -A sms_tracker worker --loglevel=info

lint: install-test
	$(VENV)/bin/ruff check .

bench: install
	$(PY) bench/report_render.py

# Both need PostgreSQL on 127.0.0.1 (their own database, sms_bench_sweep; BENCH_DATABASE_URL to change it).
bench-sweep: install
	$(PY) bench/sweep.py

bench-autosave: install  # and Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/7)
	$(PY) bench/autosave.py

clean:
	rm -rf $(VENV) db.sqlite3 media
