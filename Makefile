# claimex — two commands for a new user: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.claimex-installed
BENCHMARKS ?= ../shared/benchmarks
OUT    ?= data/processed

.PHONY: run test bench eval fuzz install clean help

help:
	@echo "make run    - set up .venv and run claimex over data/raw into $(OUT)"
	@echo "make test   - set up .venv and run the whole test suite"
	@echo "make bench  - speed, memory and scaling benchmarks (prints ratios)"
	@echo "make eval   - benchmark evaluations (BENCHMARKS=$(BENCHMARKS))"
	@echo "make fuzz   - coverage-guided fuzzing with atheris for a fixed time"

# The stamp is newer than pyproject.toml once the install succeeded, so a
# second call installs nothing.
$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; set PYTHON=/path/to/python3.11" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/claimex run data/raw --out $(OUT)

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py --benchmarks $(BENCHMARKS)

eval: $(STAMP)
	$(BIN)/python benchmarks/evaluate_all.py --benchmarks $(BENCHMARKS)

fuzz: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[fuzz]"
	$(BIN)/python tests/fuzz/fuzz_pipeline.py -max_total_time=$${FUZZ_SECONDS:-120}

clean:
	rm -rf $(VENV) build src/*.egg-info
