# One entry point per job; each target installs what it needs first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench bench-quick bench-fix bench-corpus bench-review install bytecode deps clean

$(STAMP): pyproject.toml setup.py src/cleantext/_tokenset.c
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,bench,grammar,corpus]'
	touch $(STAMP)

install: $(STAMP)

## bytecode: compile cleantext's modules, as installing a wheel does (an editable install
## does not, and where PYTHONDONTWRITEBYTECODE is set every command compiled them again:
## 60 ms of each start); a stale file is ignored by Python, so this is always safe
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q src/cleantext

## deps: the Debian programs the tests drive for real (tmux, headless chromium) and the C
## compiler the install builds the extension with, if missing
DEBS := $(if $(shell command -v tmux),,tmux) $(if $(shell command -v chromium),,chromium) \
        $(if $(shell command -v gcc),,gcc)
deps:
ifneq ($(strip $(DEBS)),)
	@if [ "$$(id -u)" = 0 ]; then \
	  apt-get install -y -q $(DEBS) >/dev/null 2>&1 || \
	  { apt-get update -q >/dev/null && apt-get install -y -q $(DEBS) >/dev/null; }; \
	else echo "missing: $(DEBS); install them with: sudo apt-get install -y $(DEBS)"; exit 2; fi
endif

## run: clean the bundled seeds and show what changed (exit 1 = there were changes)
run: bytecode
	$(BIN)/cleantext fix seeds/ --diff --unsafe || test $$? -eq 1

## lint: ruff (lint and format) and mypy --strict
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

## test: lint, then the whole suite (doctests included)
test: deps lint
	$(BIN)/pytest -q

## bench: every benchmark, full size (fix 100 MB, corpus 500 MB, review 1 MB; ~20 minutes)
bench: bench-fix bench-corpus bench-review

## bench-quick: the same benchmarks on small inputs (a smoke run, ~2 minutes)
bench-quick: bytecode
	$(BIN)/python benchmarks/bench_fix.py --quick
	$(BIN)/python benchmarks/bench_corpus.py --quick
	$(BIN)/python benchmarks/bench_review.py --mb 0.2 --proposals 400

## bench-fix: `fix` against glossary size, beside codespell and typos
bench-fix: bytecode
	$(BIN)/python benchmarks/bench_fix.py

## bench-corpus: `corpus` on 1 and 2 jobs beside codespell and typos, peak memory
bench-corpus: bytecode
	$(BIN)/python benchmarks/bench_corpus.py

## bench-review: the review app's first screen and keystroke latency on 1 MB
bench-review: bytecode
	$(BIN)/python benchmarks/bench_review.py

clean:
	rm -rf $(VENV) benchmarks/out .pytest_cache .mypy_cache .ruff_cache
