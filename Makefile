# Every target creates or refreshes .venv itself: a fresh clone needs only
# Python 3.11+, git and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST_PORT ?= 127.0.0.1:8000

.PHONY: run serve test lint format bench screenshots clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.run-installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py load_roadmap
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST_PORT)

# Production settings on plain HTTP for a local look; a real deploy sits behind TLS.
serve: $(VENV)/.run-installed
	DJANGO_DEBUG=0 DJANGO_HTTPS=0 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=0 DJANGO_HTTPS=0 $(PY) manage.py load_roadmap
	DJANGO_DEBUG=0 DJANGO_HTTPS=0 $(PY) manage.py collectstatic --noinput -v0
	# The web workers and one task worker (outgoing mail); stopping make stops both.
	DJANGO_DEBUG=0 DJANGO_HTTPS=0 $(PY) manage.py mail_worker & worker=$$!; \
	trap 'kill $$worker' EXIT INT TERM; \
	DJANGO_DEBUG=0 DJANGO_HTTPS=0 $(VENV)/bin/gunicorn config.wsgi --bind $(HOST_PORT) --workers 2 --access-logfile -

test: $(VENV)/.dev-installed
	$(PY) -m pytest -n 2

# Needs PostgreSQL and Redis on 127.0.0.1 and Debian's wrk; see README "Benchmark".
bench: $(VENV)/.run-installed
	@command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 1; }
	$(PY) -m bench.run $(BENCH_ARGS)
	$(PY) -m bench.soak $(SOAK_ARGS)

# The README's screenshots, taken again from the current code (needs Debian's chromium).
screenshots: $(VENV)/.dev-installed
	$(PY) docs/screenshots.py

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

format: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
