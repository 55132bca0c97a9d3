# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
DB ?= svodka.db
export OPENBLAS_NUM_THREADS := 1

# The demo corpus: the seed pages plus factRuEval and NEREL texts when ../shared exists,
# otherwise the sample pages that ship inside the package.
DEMO := $(if $(wildcard $(SHARED)/seeds),$(SHARED)/seeds $(wildcard $(SHARED)/benchmarks/factru/*.jsonl) $(wildcard $(SHARED)/benchmarks/nerel/*.jsonl),svodka/data/samples)

.PHONY: run test install lint clean

$(BIN)/svodka: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[test]'
	touch $(BIN)/svodka

install: $(BIN)/svodka

run: install
	$(BIN)/svodka ingest --db $(DB) $(DEMO)
	$(BIN)/svodka digest --db $(DB)
	$(BIN)/svodka serve --db $(DB)

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check svodka tests bench
	$(BIN)/mypy svodka

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm
