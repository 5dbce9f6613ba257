# Two commands for a new user (see README.md):
#   make run   — install, migrate, load the reference and the seeds, serve on 127.0.0.1:8000
#   make test  — install and run the whole test suite (DATABASE_URL=postgres://… for PostgreSQL)
# make serve runs the production path (collectstatic, gunicorn, DEBUG off) on this machine.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# make serve: gunicorn's address and worker processes.
BIND ?= $(HOST):$(PORT)
WORKERS ?= 2

.PHONY: install run serve superuser editor demo-data test lint migrations-check bench-territories bench-import bench-web bench-http eval clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The local settings (DEBUG=1, a fresh secret key), written once and never overwritten.
.env: | $(STAMP)
	$(BIN)/python -c "from config.environment import new_env_file_text as t; open('.env', 'x').write(t())"

# axe-core, injected into pages by the browser tests (package.json). Without npm the browser
# tests that check accessibility are skipped locally and fail on CI.
node_modules/.installed-stamp: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --ignore-scripts --loglevel=error && touch $@; \
	else \
		echo "npm not found: the accessibility checks of the browser tests will not run"; \
	fi

install: $(STAMP) .env node_modules/.installed-stamp

demo-data: install
	DEBUG=1 $(MANAGE) migrate --noinput
	DEBUG=1 $(MANAGE) setupeditors
	DEBUG=1 $(MANAGE) loadterritories
	DEBUG=1 $(MANAGE) loadseeds --publish seeds/

run: demo-data
	@echo ""
	@echo "Site public :      http://$(HOST):$(PORT)/"
	@echo "Administration :   http://$(HOST):$(PORT)/admin/"
	@echo "  (créez d'abord un compte : make superuser)"
	@echo "Arrêt : Ctrl-C"
	@echo ""
	exec env DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

# The production path on this machine: DEBUG off unless the environment says otherwise,
# static files collected for WhiteNoise, gunicorn on SQLite or DATABASE_URL.
serve: export DEBUG ?= 0
serve: install
	$(MANAGE) collectstatic --noinput -v0
	$(MANAGE) migrate --noinput
	$(MANAGE) loadterritories --if-missing
	exec $(BIN)/gunicorn config.wsgi --bind $(BIND) --workers $(WORKERS) \
		--access-logfile - --error-logfile - $(GUNICORN_ARGS)

superuser: install
	DEBUG=1 $(MANAGE) migrate --noinput -v0
	DEBUG=1 $(MANAGE) createsuperuser

# make editor USER=claire: creates the account if needed (asks for its password), then makes
# it a staff member of the "Éditeurs" group.
editor: install
	@test "$(origin USER)" = "command line" || { echo "usage: make editor USER=<identifiant>"; exit 2; }
	DEBUG=1 $(MANAGE) migrate --noinput -v0
	DEBUG=1 $(MANAGE) setupeditors --create "$(USER)"

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

migrations-check: install
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run

# The importer's scores on the team's annotated pages (tests/news/ingest/eval/).
eval: install
	@DEBUG=1 $(MANAGE) migrate --noinput -v0
	@DEBUG=1 $(MANAGE) loadterritories -v0
	DEBUG=1 $(MANAGE) evaluateimporter $(EVAL_ARGS)

bench-territories: install
	$(BIN)/python bench/bench_territories.py

bench-import: install
	$(BIN)/python bench/bench_import.py

bench-web: install
	$(BIN)/python bench/bench_web.py

# Readers under load (PostgreSQL): gunicorn and wrk on 50,000 articles, hot and cold pages
# against a no-database ceiling (bench/bench_http.py; BENCH_SECONDS shortens each run).
bench-http: install
	$(BIN)/python bench/bench_http.py

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm .pytest_cache
