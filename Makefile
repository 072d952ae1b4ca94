# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Each step says what it does: a fresh machine's set-up takes minutes and must never look stuck.
STEP = @printf '\n== %s %s\n' "$$(date +%T)" 

.PHONY: setup setup-dev demo test lint typecheck pytest classifier clean system-packages-demo system-packages-test help-media

# Debian packages (Tesseract, WeasyPrint's libraries, chromium, …): the list is in the script.
system-packages-demo system-packages-test:
	$(STEP)"Debian packages for 'make $(@:system-packages-%=%)' (scripts/system-packages.sh)"
	@PYTHON=$(PYTHON) scripts/system-packages.sh $(@:system-packages-%=%)

setup: $(VENV)/.installed node_modules/.installed
setup-dev: setup $(VENV)/.installed-dev

$(VENV)/.installed: pyproject.toml
	$(STEP)"Python packages into $(VENV) (pip)"
	$(PYTHON) -m venv $(VENV)
	@# --no-compile: Python compiles what it imports on first use, not all of every package now.
	$(BIN)/pip install --quiet --disable-pip-version-check --no-compile -e .
	touch $@

# The test tools (pytest, Playwright, mypy, locust…): not needed to run the demo.
$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(STEP)"Python test tools into $(VENV) (pip, the [dev] extra)"
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	$(STEP)"Front-end libraries (npm ci: Bootstrap, Bootstrap Icons, htmx, ECharts)"
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

demo: system-packages-demo setup
	$(STEP)"Database: migrations"
	$(BIN)/kiemtra migrate --noinput
	$(STEP)"Translations"
	$(BIN)/kiemtra compile_translations
	$(MAKE) --no-print-directory classifier
	$(STEP)"Static files (only the files the pages load), beside the demo data: the national tree, the accounts, a reporting period, the decisions"
	@# Side by side: collectstatic touches no database, the demo load no static file; two cores, two jobs.
	@mkdir -p var; $(BIN)/kiemtra collectstatic --noinput --verbosity 1 > var/collectstatic.log 2>&1 & static=$$!; \
	  $(BIN)/kiemtra demo; demo=$$?; \
	  wait $$static; collected=$$?; cat var/collectstatic.log; \
	  test $$demo -eq 0 -a $$collected -eq 0
	$(STEP)"Serving on http://127.0.0.1:$(PORT)/ (Ctrl-C to stop); 'make demo' again keeps the data"
	$(BIN)/kiemtra serve --port $(PORT)

test: system-packages-test setup-dev lint typecheck pytest

# The letters' classification assist (scikit-learn), trained on the project's written examples;
# rebuilt when they change. Nothing is downloaded; the file stays in var/ (not committed).
classifier: var/letters_classifier.pkl
var/letters_classifier.pkl: kiemtra/letters/classifier/training.py kiemtra/letters/classifier/model.py
	$(STEP)"Letters: training the classification assist (kind and field; held-out figures below)"
	@mkdir -p var; $(BIN)/kiemtra letters train-classifier

lint:
	$(STEP)"ruff"
	$(BIN)/ruff check kiemtra bench
	$(BIN)/ruff format --check kiemtra bench

typecheck:
	$(STEP)"mypy"
	$(BIN)/mypy

pytest: classifier
	$(STEP)"pytest"
	$(BIN)/kiemtra compile_translations
	$(BIN)/pytest

# The help pages' screenshots and videos, taken by the browser tests that walk each task
# (kiemtra/help/tests/test_walks_*.py) and saved into var/help-media/, which the help app serves.
# Videos need Debian's ffmpeg (apt-get install ffmpeg); without it only the screenshots are made.
help-media: setup-dev
	$(BIN)/kiemtra compile_translations
	@command -v ffmpeg >/dev/null || echo "ffmpeg not found: screenshots only (apt-get install ffmpeg for the videos)"
	KIEMTRA_HELP_MEDIA=$(CURDIR)/var/help-media $(BIN)/pytest -q -p no:cacheprovider kiemtra/help/tests

clean:
	rm -rf $(VENV) node_modules var/static
