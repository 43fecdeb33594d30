# claimex — two commands for a new user: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.claimex-installed
BENCHMARKS ?= ../shared/benchmarks
OUT    ?= data/processed

.PHONY: run test bench eval fuzz install lock clean help

help:
	@echo "make run    - set up .venv and run claimex over data/raw into $(OUT)"
	@echo "make test   - set up .venv and run the whole test suite"
	@echo "make bench  - speed, memory and scaling benchmarks (prints ratios)"
	@echo "make eval   - benchmark evaluations (BENCHMARKS=$(BENCHMARKS))"
	@echo "make lexicon - rebuild the ontology lexicon from VOCAB=../shared/vocab"
	@echo "make fuzz   - coverage-guided fuzzing with atheris for a fixed time"
	@echo "make lock   - regenerate requirements/*.txt from pyproject.toml (LOCK_ARGS=--upgrade to take new releases)"

LOCK     := requirements/dev-lock.txt
# pip-compile (pip-tools) writes the exact versions; `make lock LOCK_ARGS=--upgrade`
# (or --upgrade-package NAME) moves pins within pyproject.toml's ranges.
LOCK_ARGS ?=
COMPILE  := $(BIN)/pip-compile --quiet --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)

# The stamp is newer than pyproject.toml and the lock once the install
# succeeded, so a second call installs nothing.  Dependencies come from the
# lock (exact versions); claimex itself is installed editable on top.
$(STAMP): pyproject.toml $(LOCK)
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; set PYTHON=/path/to/python3.11" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24,<27"
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "pip-tools>=7.4,<8"
	$(COMPILE) --output-file requirements/lock.txt pyproject.toml
	$(COMPILE) --extra dev --output-file $(LOCK) pyproject.toml
	@# dev's claimex[dask,train] pins claimex itself as `claimex @ file:///<this folder>`: drop it
	sed -i -e '/^claimex @ /,/^[^ #]/{/^claimex @ /d;/^[^ #]/!d;}' requirements/lock.txt $(LOCK)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/claimex run data/raw --out $(OUT)

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py --benchmarks $(BENCHMARKS)

eval: $(STAMP)
	$(BIN)/python benchmarks/evaluate_all.py --benchmarks $(BENCHMARKS)

# Rebuild pipelines/lexicons/ontology.jsonl from the open vocabularies (docs/lexicon.md).
VOCAB ?= ../shared/vocab
lexicon: $(STAMP)
	@# the `lexicon` extra of pyproject.toml; not in the lock: only this target needs it
	$(BIN)/python -m pip install --quiet "obonet>=1.3,<2" "wordfreq>=3.1,<4"
	$(BIN)/python scripts/build_lexicon.py --vocab $(VOCAB)

fuzz: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[fuzz]"
	$(BIN)/python tests/fuzz/fuzz_pipeline.py -max_total_time=$${FUZZ_SECONDS:-120}

clean:
	rm -rf $(VENV) build src/*.egg-info
