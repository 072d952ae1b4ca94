# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: setup demo test lint typecheck pytest clean help-media

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

# The help pages' screenshots and videos, taken by the browser tests that walk each task
# (kiemtra/help/tests/test_walks_*.py) and saved into var/help-media/, which the help app serves.
# Videos need Debian's ffmpeg (apt-get install ffmpeg); without it only the screenshots are made.
help-media: setup
	$(BIN)/kiemtra compile_translations
	@command -v ffmpeg >/dev/null || echo "ffmpeg not found: screenshots only (apt-get install ffmpeg for the videos)"
	KIEMTRA_HELP_MEDIA=$(CURDIR)/var/help-media $(BIN)/pytest -q -p no:cacheprovider kiemtra/help/tests

clean:
	rm -rf $(VENV) node_modules var/static
