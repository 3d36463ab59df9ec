# Gold Rush: every entry point sets itself up (virtual environment from pyproject.toml, pinned by
# requirements.lock; Chromium from Debian when a test or benchmark needs a browser).
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium

.PHONY: book test chapter data verify bench browser clean coursepack release

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

## make book: execute every chapter from the embedded snapshot and build the site into _build/html
book: $(STAMP)
	$(BIN)/goldrush book

## make test: unit tests, nbval on every chapter, CLI bad-input matrix, built-site test in Chromium
test: $(STAMP) browser
	$(BIN)/pytest

## make chapter CH=five-trillion AS_OF=2025-07-10 [SINCE=...] [START=...] [END=...] [SOURCE=live]
chapter: $(STAMP)
	@if [ -z "$(CH)" ]; then echo "error: set CH, for example: make chapter CH=five-trillion AS_OF=2025-07-10" >&2; exit 2; fi
	$(BIN)/goldrush run $(CH) $(if $(AS_OF),--as-of $(AS_OF)) $(if $(SINCE),--since $(SINCE)) \
		$(if $(START),--start $(START)) $(if $(END),--end $(END)) $(if $(SOURCE),--source $(SOURCE))

## make data: rebuild data/ from the reference copies in data/reference/; make verify: check hashes and schemas
data: $(STAMP)
	$(BIN)/goldrush data build

verify: $(STAMP)
	$(BIN)/goldrush data verify

## make coursepack: student notebooks, data, claims register and a wheel in _build/coursepack/goldrush-coursepack-<version>.zip
coursepack: $(STAMP)
	$(BIN)/python -m goldrush.coursepack

## make bench: build and page timings, page sizes (results kept in benchmarks/)
bench: $(STAMP) browser
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf _build book/chapters book/_static/vega
	rm -rf book/claims

## make record-fixtures: (maintainers, needs the network) record one small real answer per live endpoint
## into tests/fixtures/live/<provider>/recorded/, which the tests then parse beside the generated fixtures
.PHONY: record-fixtures
record-fixtures: $(STAMP)
	$(BIN)/python -m goldrush.live.record

## make release [PART=major|minor|patch]: bump the version, store the default-parameter claims.json
## as the corrections baseline (book/corrections/), and print the tag to push
release: $(STAMP)
	$(BIN)/python -m goldrush.release --bump $(or $(PART),minor)
