# pciplan — the whole set-up is `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export PYTHONUNBUFFERED := 1

.PHONY: run test install lint bench demo clean fuzz

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Cần Python 3.11 ($(PYTHON)) — Python 3.11 is required"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip "setuptools>=68,<81" wheel
	# XStatic-Bootstrap ships only an sdist that needs setuptools' pkg_resources at build time.
	$(BIN)/pip install -q --no-build-isolation "xstatic-bootstrap>=5.3"
	$(BIN)/pip install -q -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/pciplan migrate --noinput -v0
	$(BIN)/pciplan load_catalog
	$(BIN)/pciplan load_demo

run: demo
	$(BIN)/pciplan demo_logins --url http://$(HOST):$(PORT)
	PCIPLAN_TODAY=$${PCIPLAN_TODAY-2020-11-20} $(BIN)/pciplan runserver $(HOST):$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pciplan makemigrations --check --dry-run >/dev/null || { echo "Thiếu migration: chạy 'pciplan makemigrations'"; exit 1; }
	$(BIN)/pytest -m "not browser"
	$(BIN)/pytest -m browser

# Coverage-guided fuzzing of the file and text parsers (atheris), each harness in turn; exit 1 on a crash.
FUZZ_SECONDS ?= 60
fuzz: $(STAMP)
	$(BIN)/python -c "import atheris" 2>/dev/null || $(BIN)/pip install -q -e ".[fuzz]"
	$(BIN)/python fuzz/run.py --seconds $(FUZZ_SECONDS)

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) db.sqlite3 var
