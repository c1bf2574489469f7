# Shuanglian: the commands a developer and CI run. `make help` lists them.
#
#   make demo    install, migrate, load the demo district, serve http://127.0.0.1:8000
#   make test    the whole suite: SQLite (with browser tests), then a real PostgreSQL

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
# The first interpreter found that is Python 3.11 or newer (override: make PYTHON=/path/python3).
ifndef PYTHON
PYTHON  := $(shell for p in python3.13 python3.12 python3.11 python3; do \
             command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
             2>/dev/null && { command -v $$p; break; }; done)
endif
PYTEST  := $(BIN)/pytest
# Extra pytest arguments, e.g. make test-sqlite PYTEST_ARGS="-k audit -x"
PYTEST_ARGS ?=
# Parallel workers (pytest-xdist); `make test XDIST=0` runs in one process. On an idle 2-core
# machine two workers halve the time (SQLite 115 s vs 224 s, PostgreSQL 145 s vs 318 s); on a
# machine busy with other work they gain nothing.
XDIST   ?= 2
ifeq ($(XDIST),0)
  XDIST_ARGS :=
else
  XDIST_ARGS := -n $(XDIST) --dist loadfile
endif
CI_ON   := $(filter 1 true TRUE True yes on,$(CI))

.PHONY: help install demo test test-sqlite test-pg test-slow pg-start pg-stop lint bench bench-import messages clean

help:
	@echo "make demo         install, migrate, load the demo district, serve http://127.0.0.1:8000"
	@echo "make test         the whole suite: SQLite (with browser tests), then PostgreSQL"
	@echo "make test-sqlite  the suite on in-memory SQLite, browser tests included"
	@echo "make test-pg      the suite on a throwaway PostgreSQL under var/pgtest (no browser tests)"
	@echo "make test-slow    the slow tests (the whole demo county) on SQLite and PostgreSQL; CI runs them"
	@echo "make pg-start     start the test PostgreSQL and print its DATABASE_URL; make pg-stop stops it"
	@echo "make lint         ruff, the import layers contract (lint-imports) and mypy for core, divisions, access"
	@echo "make messages     update and compile the zh_Hans translation catalog (needs gettext)"
	@echo "make install      create .venv from requirements.lock (done by the others as needed)"
	@echo "make bench        benchmarks (not tests)"
	@echo "make bench-import the 1,000,000-person import against PostgreSQL COPY (PostgreSQL needed)"

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@if [ -z "$(PYTHON)" ]; then \
	  echo "error: Python 3.11 or newer is needed (none of python3.13/3.12/3.11/python3 is)." >&2; \
	  echo "       Debian/Ubuntu: apt-get install -y python3 python3-venv; or make PYTHON=/path/to/python3.11" >&2; \
	  exit 1; fi
	@if [ ! -x $(BIN)/python ]; then \
	  echo "creating $(VENV) with $(PYTHON) ($$($(PYTHON) --version))"; \
	  $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	    echo "error: '$(PYTHON) -m venv' failed; on Debian/Ubuntu: apt-get install -y python3-venv" >&2; exit 1; }; \
	fi
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

# A local trial: the second factor is off (MFA_REQUIRED=0) so the printed accounts sign in at once;
# every page says so in a banner.
demo: install
	$(BIN)/shuanglian migrate --noinput
	$(BIN)/shuanglian demo
	MFA_REQUIRED=0 $(BIN)/shuanglian runserver 127.0.0.1:8000

test: test-sqlite test-pg

# Starts (or reuses) the test PostgreSQL and sets $$url; without server binaries the recipe stops
# there with a message (exit 0), except under CI, where it fails.
PG_URL = rc=0; url=$$(scripts/pg-test-server) || rc=$$?; \
	if [ $$rc -eq 3 ] && [ -z "$(CI_ON)" ]; then \
	  echo "SKIPPED the PostgreSQL pass: no PostgreSQL server binaries (apt-get install -y postgresql-15)."; \
	  exit 0; \
	elif [ $$rc -ne 0 ]; then \
	  echo "error: the test PostgreSQL could not be started (exit $$rc)$(if $(CI_ON), and CI requires it,)." >&2; \
	  exit 1; \
	fi;

# Django's test database for SQLite is in memory; DATABASE_URL is cleared so a developer's own
# setting cannot send this pass elsewhere.
test-sqlite: install
	@echo "== pytest on SQLite (in memory), browser tests included =="
	env -u DATABASE_URL $(PYTEST) $(XDIST_ARGS) --nomigrations -m "not slow" $(PYTEST_ARGS)

# The browser tests ran in the SQLite pass; this pass is about the database.
test-pg: install
	@echo "== pytest on PostgreSQL (scripts/pg-test-server) =="
	@$(PG_URL) \
	echo "DATABASE_URL=$$url"; \
	DATABASE_URL=$$url $(PYTEST) $(XDIST_ARGS) -m "not browser and not slow" $(PYTEST_ARGS)

# The slow tests (the whole demo county, about two minutes a build), on SQLite then PostgreSQL.
test-slow: install
	@echo "== slow tests on SQLite =="
	env -u DATABASE_URL $(PYTEST) --nomigrations -m slow $(PYTEST_ARGS)
	@echo "== slow tests on PostgreSQL =="
	@$(PG_URL) \
	DATABASE_URL=$$url $(PYTEST) -m slow $(PYTEST_ARGS)

pg-start:
	@scripts/pg-test-server

pg-stop:
	@scripts/pg-test-server stop

# Style (ruff), the layers contract (import-linter, [tool.importlinter] in pyproject.toml) and types
# for the lower layers (mypy, [tool.mypy]). A gate in CI.
lint: install
	$(BIN)/ruff check src
	$(BIN)/lint-imports
	$(BIN)/mypy src/shuanglian/core src/shuanglian/divisions src/shuanglian/access

# Translations: source strings are English; the zh_Hans catalog and its compiled .mo are committed.
messages: install
	cd src/shuanglian && ../../$(BIN)/shuanglian makemessages -l zh_Hans --no-obsolete \
	  --ignore 'testing/*' --ignore '*/tests/*' --ignore 'static/*'
	cd src/shuanglian && ../../$(BIN)/shuanglian compilemessages -l zh_Hans

# The 1,000,000-person household import against PostgreSQL's COPY, and search times (issue 3).
bench-import: install
	$(BIN)/python bench/bench_import_households.py

bench: install
	@if ls bench/bench_*.py >/dev/null 2>&1; then \
	  for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f; done; \
	else echo "no benchmarks yet (bench/bench_*.py); results go to bench/RESULTS.md"; fi

clean:
	-scripts/pg-test-server destroy
	rm -rf $(VENV) build dist src/*.egg-info
