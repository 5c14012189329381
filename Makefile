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
# The next Django (requirements-next.txt) beside the project's own, for make test-next. Django 6
# needs Python 3.12; pyenv's shim finds it with PYENV_VERSION (PYTHON_NEXT=... to use another).
VENV_NEXT := .venv-next
PYTHON_NEXT ?= python3.12
PYENV_VERSION_NEXT ?= 3.12.1
PY_NEXT := $(VENV_NEXT)/bin/python
NEXT_STAMP := $(VENV_NEXT)/.installed-next
# axe-core (npm, pinned) for the browser tests' accessibility checks (tests/e2e/pages.py),
# installed on first use where npm exists. Without it the browser tests run without axe, except
# under REQUIRE_SERVICES=1 (CI), where that fails them. AXE_CORE_JS=... uses another copy.
AXE_VERSION := 4.14.1
AXE_STAMP := var/axe/.installed-$(AXE_VERSION)
AXE_JS := var/axe/node_modules/axe-core/axe.min.js
WITH_AXE = AXE_CORE_JS="$${AXE_CORE_JS:-$$(test -f $(AXE_STAMP) && echo $(CURDIR)/$(AXE_JS))}"

.DEFAULT_GOAL := help
.PHONY: help install install-dev run test coverage test-next lint lint-ruff lint-format lint-mypy \
	lint-imports lint-migrations worker worker-main worker-mail beat bench faults axe security-probe

help:
	@echo "make run          migrate, seed demo data, serve on http://127.0.0.1:$(PORT) (PORT=...)"
	@echo "make test         run the test suite (PYTEST_ARGS='...' to pass options to pytest)"
	@echo "make coverage     the whole suite with line coverage of the apps, failing below the floor"
	@echo "make test-next    the suite on Python 3.12 and the next Django (.venv-next)"
	@echo "make lint         ruff, ruff format, mypy, import contracts, makemigrations --check"
	@echo "make worker       Celery workers, restarted if they die: worker-main + worker-mail (needs REDIS_URL)"
	@echo "make beat         Celery beat, restarted if it dies (needs REDIS_URL)"
	@echo "make bench        load benchmarks (bench/run.py); BENCH_SCALE=large adds 1M posts (PostgreSQL)"
	@echo "make faults       the production topology here, each fault injected (bench/faults/run.py)"
	@echo "make security-probe  issue 10's eleven holes tried from outside against gunicorn (bench/security_probe.py)"
	@echo "make install      runtime dependencies only;  make install-dev: plus test/lint tools"
	@echo "make axe          axe-core for the browser tests' accessibility checks (make test does it)"

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

$(PY_NEXT):
	PYENV_VERSION=$(PYENV_VERSION_NEXT) $(PYTHON_NEXT) -m venv $(VENV_NEXT)

$(NEXT_STAMP): requirements-next.txt | $(PY_NEXT)
	$(PY_NEXT) -m pip install -r requirements-next.txt
	touch $@

install: $(RUN_STAMP)

install-dev: $(DEV_STAMP)

# --- running ---------------------------------------------------------------------------------

# Local settings whatever the shell exports: SQLite under var/, each email printed on the
# console as one readable block, links in emails on PORT (SITE_URL, if set, wins). Without
# REDIS_URL, Celery tasks run eagerly and the beat schedule runs inside the server process
# (config/local_scheduler.py); with it, start `make worker` and `make beat` too. seed_demo is
# idempotent.
run: export DJANGO_SETTINGS_MODULE = config.settings.local
run: export PORT := $(PORT)
run: $(RUN_STAMP)
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Start these (each in its own terminal) with REDIS_URL set, e.g. REDIS_URL=redis://127.0.0.1:6379/0.
# `make worker` runs both workers of the production topology side by side: worker-main on the
# default and moderation queues (fan-out, sweeps, review items, alerts) and worker-mail on the
# mail queue, so a slow mail server never holds up the rest. bin/supervise starts each again when
# it exits (a broker outage can kill a Celery worker); Ctrl-C stops them all. The commands are
# the ones docker-compose.yml runs (tests/test_deploy.py checks).
# The beat schedule file goes in var/ (ignored by git; writable by the app user in the image).
worker: $(RUN_STAMP)
	$(MAKE) --no-print-directory -j2 worker-main worker-mail

worker-main: $(RUN_STAMP)
	bin/supervise $(VENV)/bin/celery -A config worker -Q default,moderation -n main@%h -l info

worker-mail: $(RUN_STAMP)
	bin/supervise $(VENV)/bin/celery -A config worker -Q mail -n mail@%h -l info

beat: $(RUN_STAMP)
	mkdir -p var
	bin/supervise $(VENV)/bin/celery -A config beat -l info -s var/celerybeat-schedule

# --- checking --------------------------------------------------------------------------------

axe:
	@if [ -f $(AXE_STAMP) ]; then :; \
	elif command -v npm >/dev/null; then \
		npm install --no-save --no-audit --no-fund --loglevel=error --prefix var/axe \
			axe-core@$(AXE_VERSION) && touch $(AXE_STAMP); \
	else echo "make axe: npm not found; the browser tests run without axe" >&2; fi

# Test settings (as pyproject.toml says) even when the shell exports another settings module.
# pytest exits 5 when it collects nothing: a suite that runs no tests must not pass.
test: export DJANGO_SETTINGS_MODULE = config.settings.test
test: install-dev axe
	@status=0; $(WITH_AXE) $(PY) -m pytest $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests" >&2; fi; \
	exit $$status

# The whole suite, measuring which lines of accounts, forum and community run; fails below
# [tool.coverage.report] fail_under in pyproject.toml. CI runs this instead of make test, so the
# suite runs once. Select tests with make test: a part of the suite covers less than the floor.
coverage: export DJANGO_SETTINGS_MODULE = config.settings.test
coverage: install-dev axe
	@status=0; $(WITH_AXE) $(PY) -m pytest --cov --cov-report=term:skip-covered $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then echo "make coverage: pytest collected no tests" >&2; fi; \
	exit $$status

# The suite on the next Django (requirements-next.txt) in its own virtualenv, to see what moving
# would break before deciding to move (docs/operations.md, "Django 6.x").
test-next: export DJANGO_SETTINGS_MODULE = config.settings.test
test-next: $(NEXT_STAMP) axe
	$(PY_NEXT) -m django --version
	@status=0; $(WITH_AXE) $(PY_NEXT) -m pytest $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test-next: pytest collected no tests" >&2; fi; \
	exit $$status

# Every check runs, even after one fails, so one run shows everything; lint fails if any did.
LINT_STEPS := lint-ruff lint-format lint-mypy lint-imports lint-migrations

lint: install-dev
	@failed=""; \
	for step in $(LINT_STEPS); do \
		$(MAKE) --no-print-directory $$step || failed="$$failed $$step"; \
	done; \
	if [ -n "$$failed" ]; then echo "make lint: FAILED:$$failed" >&2; exit 1; fi; \
	echo "make lint: all checks passed"

lint-ruff: install-dev
	$(VENV)/bin/ruff check .

lint-format: install-dev
	$(VENV)/bin/ruff format --check .

# Types, with the django-stubs plugin reading the test settings ([tool.mypy] in pyproject.toml).
lint-mypy: install-dev
	$(VENV)/bin/mypy

# accounts <- forum <- community, and no import cycles inside an app ([tool.importlinter]).
lint-imports: install-dev
	$(VENV)/bin/lint-imports --no-logo

# Every model change has its migration. An in-memory database: nothing to connect to or create.
lint-migrations: export DJANGO_SETTINGS_MODULE = config.settings.test
lint-migrations: install-dev
	DATABASE_URL=sqlite://:memory: $(PY) manage.py makemigrations --check --dry-run

# Runtime dependencies are all the benchmark needs here; bench/run.py installs wrk (apt) and
# Spirit (its own virtualenv under bench/.peers/) when they are missing.
# BENCH_SCALE=large (DATABASE_URL on PostgreSQL) also measures Lantern on 1,000,000 posts.
bench: install
	BENCH_SCALE=$(BENCH_SCALE) $(PY) bench/run.py

# Production settings, gunicorn as docker-compose.yml runs it, `make worker` and `make beat`,
# a private Redis and SMTP sink and a fresh <name>_faults_suite database on DATABASE_URL's
# PostgreSQL server; injects each fault, writes the table to docs/operations.md ("Faults") and
# fails when a goal is missed. About 15 minutes.
faults: install-dev
	$(PY) bench/faults/run.py

# Production settings behind gunicorn (config/gunicorn.py) on 127.0.0.1, a fresh
# <name>_security_probe database on DATABASE_URL's PostgreSQL server and Redis database 9
# (PROBE_REDIS_URL=... for another); makes the requests of each item of issue 10, prints the
# table and fails when a row does not hold. About three minutes. docs/security.md, "Probing from
# outside".
security-probe: install
	$(PY) bench/security_probe.py
