# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: setup demo test lint typecheck pytest clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

demo: setup
	$(BIN)/kiemtra migrate --noinput
	$(BIN)/kiemtra compile_translations
	$(BIN)/kiemtra collectstatic --noinput --verbosity 0
	$(BIN)/kiemtra demo
	$(BIN)/kiemtra serve --port $(PORT)

test: setup lint typecheck pytest

lint:
	$(BIN)/ruff check kiemtra bench
	$(BIN)/ruff format --check kiemtra bench

typecheck:
	$(BIN)/mypy

pytest:
	$(BIN)/kiemtra compile_translations
	$(BIN)/pytest

clean:
	rm -rf $(VENV) node_modules var/static
