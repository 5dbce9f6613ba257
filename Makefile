# Two commands for a new user (see README.md):
#   make run   — install, migrate, load the reference and the seeds, serve on 127.0.0.1:8000
#   make test  — install and run the whole test suite (DATABASE_URL=postgres://… for PostgreSQL)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve demo-data test lint migrations-check bench-territories bench-import bench-web clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo-data: install
	DEBUG=1 $(MANAGE) migrate --noinput
	DEBUG=1 $(MANAGE) setupeditors
	DEBUG=1 $(MANAGE) loadterritories
	DEBUG=1 $(MANAGE) loadseeds --publish seeds/

run: demo-data
	@echo ""
	@echo "Site public :      http://$(HOST):$(PORT)/"
	@echo "Administration :   http://$(HOST):$(PORT)/admin/"
	@echo "  (créez d'abord un compte : $(MANAGE) createsuperuser)"
	@echo ""
	DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

migrations-check: install
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run

bench-territories: install
	$(BIN)/python bench/bench_territories.py

bench-import: install
	$(BIN)/python bench/bench_import.py

bench-web: install
	$(BIN)/python bench/bench_web.py

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm .pytest_cache
