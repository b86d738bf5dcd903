# One entry point per job; each target installs what it needs first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench install clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,bench,grammar]'
	touch $(STAMP)

install: $(STAMP)

## run: clean the bundled seeds and show what changed (exit 1 = there were changes)
run: $(STAMP)
	$(BIN)/cleantext fix seeds/ --diff --unsafe || test $$? -eq 1

## lint: ruff (lint and format) and mypy --strict
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

## test: lint, then the whole suite (doctests included)
test: lint
	$(BIN)/pytest -q

## bench: generate the benchmark corpus and time cleantext against codespell and typos
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_fix.py

clean:
	rm -rf $(VENV) benchmarks/out .pytest_cache .mypy_cache .ruff_cache
