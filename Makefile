# Two commands for a newcomer: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
# Absolute links in emails and calendar feeds follow the port (docs/configuration.md).
DOBRY_SITE_URL ?= http://127.0.0.1:$(PORT)
# The worker's per-task and the scheduler's per-job INFO lines would push the site
# address off the screen; warnings and errors still show.
DOBRY_TASK_LOG_LEVEL ?= WARNING
# Tests run in parallel; override with `make test PYTEST_WORKERS=0` to debug.
PYTEST_WORKERS ?= auto
PYTEST := $(VENV)/bin/pytest --dist loadgroup

.PHONY: run install install-dev test test-sqlite test-postgres lint format messages coverage bench bench-reports bench-pages bench-scale drill scaleout clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_passport --if-empty
	$(PY) manage.py demo_logins
	PORT=$(PORT) DOBRY_SITE_URL=$(DOBRY_SITE_URL) DOBRY_TASK_LOG_LEVEL=$(DOBRY_TASK_LOG_LEVEL) \
		$(PY) manage.py run_platform

test: install-dev lint test-sqlite test-postgres

test-sqlite: install-dev
	DATABASE_URL= $(PYTEST) -n $(PYTEST_WORKERS)

# The PostgreSQL run needs DATABASE_URL (CI sets it); it is never skipped silently.
test-postgres: install-dev
	@if [ -z "$(DATABASE_URL)" ]; then \
		echo ""; \
		echo "*** SKIPPED: the PostgreSQL run of the suite needs DATABASE_URL"; \
		echo "*** (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/dobry make test)."; \
		echo ""; \
	else \
		DATABASE_URL="$(DATABASE_URL)" $(PYTEST) -n $(PYTEST_WORKERS); \
	fi

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	DATABASE_URL= $(PY) manage.py makemigrations --check --dry-run

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Which lines no test runs, per file (`make coverage APP=grants` for one app's own tests).
coverage: install-dev
	DATABASE_URL= $(VENV)/bin/coverage run --source=dobry/$(APP) -m pytest -p no:cacheprovider -q -n 0 \
		$(if $(APP),dobry/$(APP),) -m "not browser"
	$(VENV)/bin/coverage report --skip-covered --sort=miss

# Extract UI strings (Russian source) and compile the catalogues: English, and Russian for the
# plural forms only (the source text has two forms, Russian needs three: 1, 2–4, 5–20).
messages: install-dev
	$(PY) manage.py makemessages -l en -l ru --ignore=.venv --ignore=static --ignore=var --no-obsolete --no-location
	$(PY) manage.py compilemessages -l en -l ru --ignore=.venv

# The signup benchmark needs PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres
bench: install-dev
	$(PY) bench/hello.py
	@if [ -n "$(DATABASE_URL)" ]; then $(PY) bench/signups.py; else echo "*** bench/signups.py skipped: set DATABASE_URL to PostgreSQL"; fi

# The reports at region scale (generates 1,000,000 residents' records once with generate_data).
bench-reports: install-dev
	$(PY) bench/reports.py --residents 1000000

# Fault drills on a private PostgreSQL cluster started on a free port with Debian's binaries
# (docs/operations.md, «Fault drills»); not part of `make test`. `make drill DRILLS=mail_down`
# runs one; `DRILLS=scaleout` the scale-out layout's (nginx-light, wrk).
drill: install-dev
	$(PY) -m bench.drills $(DRILLS)

# The scale-out layout on this machine (docs/deployment.md «Scale-out»): nginx in front of two
# gunicorn instances, three workers and the scheduler on DATABASE_URL (PostgreSQL), production
# settings; REDIS=1 adds a Redis cache (redis-server). Ctrl+C stops everything.
scaleout: install
	$(PY) -m bench.scaleout $(if $(REDIS),--redis,)

# Key pages at city (SCALE=region for ten cities) against /bench/hello, with the page cache on
# and off; needs wrk (apt-get install wrk). On PostgreSQL: DATABASE_URL names an empty database
# the first run fills (e.g. postgres://postgres@127.0.0.1:5432/dobry_pages); else SQLite in var/.
SCALE ?= city
bench-pages: install-dev
	$(PY) bench/pages.py --scale $(SCALE)

# Each key page's latency with the region's data ÷ with the city's (target ≤ 1.5 ×), the two
# served side by side and measured in turns. DATABASE_URL: the city's database as above;
# REGION_DATABASE_URL: the region's (both filled on the first run); else SQLite in var/.
bench-scale: install-dev
	$(PY) bench/pages.py --scale city --against region $(if $(REGION_DATABASE_URL),--against-database $(REGION_DATABASE_URL),)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
