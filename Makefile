# One entry point per job; each target installs what it needs first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench install deps clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,bench,grammar,corpus]'
	touch $(STAMP)

install: $(STAMP)

## deps: the Debian programs the tests drive for real (tmux, headless chromium), if missing
DEBS := $(if $(shell command -v tmux),,tmux) $(if $(shell command -v chromium),,chromium)
deps:
ifneq ($(strip $(DEBS)),)
	@if [ "$$(id -u)" = 0 ]; then \
	  apt-get install -y -q $(DEBS) >/dev/null 2>&1 || \
	  { apt-get update -q >/dev/null && apt-get install -y -q $(DEBS) >/dev/null; }; \
	else echo "missing: $(DEBS); install them with: sudo apt-get install -y $(DEBS)"; exit 2; fi
endif

## run: clean the bundled seeds and show what changed (exit 1 = there were changes)
run: $(STAMP)
	$(BIN)/cleantext fix seeds/ --diff --unsafe || test $$? -eq 1

## lint: ruff (lint and format) and mypy --strict
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

## test: lint, then the whole suite (doctests included)
test: deps lint
	$(BIN)/pytest -q

## bench: generate the benchmark corpus and time cleantext against codespell and typos
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_fix.py

clean:
	rm -rf $(VENV) benchmarks/out .pytest_cache .mypy_cache .ruff_cache
