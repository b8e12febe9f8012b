# The two commands of the README: `make run` and `make test`.
# Both need only Python 3.11, pip and make; everything else installs into .venv.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install run test lint typecheck unit e2e bench asyncapi clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Run the whole system on the embedded defaults (Postgres + Tansu + five services, demo data).
run: install
	$(BIN)/python -m devstack run

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy

## The whole test suite: lint, type check, then every test against a private Postgres and broker.
## pytest exits 5 when it collected no test; make treats any non-zero exit as a failure.
test: lint typecheck
	$(BIN)/python -m pytest -q

e2e: install
	$(BIN)/python -m pytest -q -m e2e

## Regenerate docs/asyncapi.json from the event models (a test checks it is current).
asyncapi: install
	$(BIN)/python -m shared.events.asyncapi > docs/asyncapi.json

clean:
	rm -rf $(VENV) .devstack .pytest_cache .mypy_cache .ruff_cache .hypothesis .schemathesis
