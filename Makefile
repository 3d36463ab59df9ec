# Gold Rush: every entry point sets itself up (virtual environment from pyproject.toml, pinned by
# requirements.lock; Chromium from Debian when a test or benchmark needs a browser).
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
# npm tools for the reader checks: axe-core (tests) and Lighthouse (bench), in a local folder
TOOLS := .tools
NPM_TOOLS := lighthouse@13.5.0 axe-core@4.14.1
NPM_STAMP := $(TOOLS)/.installed-lighthouse-13.5.0-axe-4.14.1

.PHONY: book test chapter data verify bench browser npm-tools pdf clean

$(STAMP): pyproject.toml requirements.lock
	@echo "==> creating $(VENV) (Python packages pinned in pyproject.toml and requirements.lock)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	@touch $@

browser:
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "==> installing Chromium from Debian (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

npm-tools: $(NPM_STAMP)

$(NPM_STAMP):
	@if ! command -v npm >/dev/null; then \
		echo "==> installing Node.js and npm from Debian (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	fi
	@echo "==> installing $(NPM_TOOLS) into $(TOOLS)/ (npm)"
	mkdir -p $(TOOLS)
	npm install --prefix $(TOOLS) --no-audit --no-fund --silent $(NPM_TOOLS)
	@touch $@

## make book: execute every chapter from the embedded snapshot and build the site into _build/html
book: $(STAMP)
	$(BIN)/goldrush book

## make test: unit tests, nbval on every chapter, CLI bad-input matrix, built-site test in Chromium
test: $(STAMP) browser npm-tools
	$(BIN)/pytest

## make chapter CH=five-trillion AS_OF=2025-07-10 [SINCE=...] [START=...] [END=...] [SOURCE=live]
chapter: $(STAMP)
	@if [ -z "$(CH)" ]; then echo "error: set CH, for example: make chapter CH=five-trillion AS_OF=2025-07-10" >&2; exit 2; fi
	$(BIN)/goldrush run $(CH) $(if $(AS_OF),--as-of $(AS_OF)) $(if $(SINCE),--since $(SINCE)) \
		$(if $(START),--start $(START)) $(if $(END),--end $(END)) $(if $(SOURCE),--source $(SOURCE))

## make data: rebuild data/ from ../shared/data; make verify: check hashes and schemas
data: $(STAMP)
	$(BIN)/goldrush data build

verify: $(STAMP)
	$(BIN)/goldrush data verify

## make bench: build and page timings, page sizes (results kept in benchmarks/)
bench: $(STAMP) browser npm-tools
	$(BIN)/python benchmarks/run.py

## make pdf: the whole book as one PDF (bookmarks, linked contents, page numbers), _build/html/goldrush.pdf
pdf: book browser
	$(BIN)/python -m goldrush.pdf

clean:
	rm -rf _build book/chapters book/_static/vega
