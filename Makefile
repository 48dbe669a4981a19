# Service Hall — `make run` to try it, `make test` to check it. `make help` lists every target.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Django 6 needs Python 3.12 or newer: take the first one found on PATH or in pyenv.
PYTHON ?= $(shell for p in python3.13 python3.12 $$(ls -d $$HOME/.pyenv/versions/3.1[23]*/bin/python3 /root/.pyenv/versions/3.1[23]*/bin/python3 2>/dev/null); do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run test drill lint format bench messages venv services clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (Django 6); none was found." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed ## Install the Python packages into .venv

run: venv ## Install, migrate, load the demo hall, start web + Celery worker + beat
	bin/run $(HOST) $(PORT)

services: ## Make sure PostgreSQL, Redis and Chromium are there (installs with apt when missing)
	bin/ensure-services

test: venv services ## Lint, then the whole suite against real PostgreSQL and Redis
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run --settings=hall.settings.test >/dev/null
	$(VENV)/bin/pytest -p no:cacheprovider; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest ran no test: that is a failure here." >&2; exit 1; fi; exit $$status

drill: venv services ## Fault drills on the real processes: kills and restarts them (run after make test)
	$(PY) -m drills.run

lint: venv ## ruff format --check and ruff check
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

format: venv ## Format and fix what ruff can
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: venv ## Run the benchmarks and print their figures
	bin/ensure-services bench
	@for script in benchmarks/*_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

messages: venv ## Re-extract and compile the translations
	DEBUG=true $(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=static/vendor --ignore=benchmarks
	DEBUG=true $(PY) manage.py makemessages -d djangojs -l zh_Hans --ignore=.venv --ignore=static/vendor --ignore=staticfiles
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv

clean: ## Remove the virtualenv and the local run data
	rm -rf $(VENV) .run staticfiles
