# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: demo test install install-dev chromium messages lint format worker beat bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

install: $(PY)
	$(PIP) install --quiet -r requirements.txt

install-dev: $(PY)
	$(PIP) install --quiet -r requirements-dev.txt

## Debian's Chromium for the browser tests (Playwright drives it; it downloads no browser).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "NOTE: the browser tests need Chromium at /usr/bin/chromium (sudo apt-get install chromium)."; \
	  fi; \
	fi

## Regenerate the compiled catalogues (needs gettext); the .mo files are committed.
messages: $(PY)
	$(PY) manage.py makemessages -l fr -l nl -l en --no-wrap --ignore=.venv --ignore=static --ignore=artifacts -v 0
	$(PY) manage.py compilemessages --ignore=.venv -v 0

## Run the app with demo data on SQLite, tasks eager (no services needed).
demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo_data
	$(PY) manage.py runserver 127.0.0.1:8000

## Run the whole test suite (PostgreSQL when DATABASE_URL is set, else SQLite).
test: install-dev chromium
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -q $(PYTEST_ARGS)

lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format: install-dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

worker:
	$(VENV)/bin/celery -A mentoring worker -l info

beat:
	$(VENV)/bin/celery -A mentoring beat -l info

bench: install-dev
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
