# Lantern developer commands. `make help` lists them.
#
# Everything runs from the project's own virtualenv in .venv, created on first use.
# Each requirements file is installed once and again only when it changes (stamp files).

PORT ?= 8000
PYTHON3 ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

.DEFAULT_GOAL := help
.PHONY: help install install-dev run test lint worker beat bench

help:
	@echo "make run          migrate, seed demo data, serve on http://127.0.0.1:$(PORT) (PORT=...)"
	@echo "make test         run the test suite (PYTEST_ARGS='...' to pass options to pytest)"
	@echo "make lint         ruff check + ruff format --check"
	@echo "make worker       Celery worker  (needs REDIS_URL)"
	@echo "make beat         Celery beat    (needs REDIS_URL)"
	@echo "make bench        load benchmarks (bench/run.py); BENCH_SCALE=large adds 1M posts (PostgreSQL)"
	@echo "make install      runtime dependencies only;  make install-dev: plus test/lint tools"

# --- virtualenv and dependencies -------------------------------------------------------------

$(PY):
	$(PYTHON3) -m venv $(VENV)

$(RUN_STAMP): requirements.txt | $(PY)
	$(PIP) install -r requirements.txt
	touch $@

# requirements-dev.txt includes requirements.txt, so either changing means a reinstall.
$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install -r requirements-dev.txt
	touch $@

install: $(RUN_STAMP)

install-dev: $(DEV_STAMP)

# --- running ---------------------------------------------------------------------------------

# Local settings whatever the shell exports: SQLite under var/, mail printed on the console,
# Celery tasks run eagerly in-process unless REDIS_URL is set. seed_demo is idempotent.
run: export DJANGO_SETTINGS_MODULE = config.settings.local
run: $(RUN_STAMP)
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Start these (each in its own terminal) with REDIS_URL set, e.g. REDIS_URL=redis://127.0.0.1:6379/0.
# The beat schedule file goes in var/ (ignored by git; writable by the app user in the image).
worker: $(RUN_STAMP)
	$(VENV)/bin/celery -A config worker -l info

beat: $(RUN_STAMP)
	mkdir -p var
	$(VENV)/bin/celery -A config beat -l info -s var/celerybeat-schedule

# --- checking --------------------------------------------------------------------------------

# Test settings (as pyproject.toml says) even when the shell exports another settings module.
# pytest exits 5 when it collects nothing: a suite that runs no tests must not pass.
test: export DJANGO_SETTINGS_MODULE = config.settings.test
test: install-dev
	@status=0; $(PY) -m pytest $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests" >&2; fi; \
	exit $$status

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Runtime dependencies are all the benchmark needs here; bench/run.py installs wrk (apt) and
# Spirit (its own virtualenv under bench/.peers/) when they are missing.
# BENCH_SCALE=large (DATABASE_URL on PostgreSQL) also measures Lantern on 1,000,000 posts.
bench: install
	BENCH_SCALE=$(BENCH_SCALE) $(PY) bench/run.py
