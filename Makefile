# The two commands of the README: `make run` and `make test`.
# Both need only Python 3.11, pip and make; everything else installs into .venv.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install run test lint typecheck browser unit e2e faults fuzz asyncapi clean

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

## What the console's browser tests drive (tests/console): Debian's chromium, chromium-driver
## and fonts-noto-cjk. As root it apt-get installs what is missing; otherwise it prints the
## command to run and fails.
browser:
	sh tools/install-browser.sh

## The whole test suite: lint, type check, then every test against a private Postgres and broker.
## pytest exits 5 when it collected no test; make treats any non-zero exit as a failure.
test: lint typecheck browser
	$(BIN)/python -m pytest -q

## The tests that need no database, broker or process of their own (domain rules, schemas,
## architecture checks): seconds, for the edit-test loop. `make test` runs them too.
unit: install
	$(BIN)/python -m pytest -q -m unit

e2e: install
	$(BIN)/python -m pytest -q -m e2e

## The fault campaign (docs/reliability.md): each scenario breaks a real process tree (a
## stalled broker, killed services, failing receivers, conflicting commands, poisoned
## records), checks the invariants and prints its figures; the table closes the run.
## FAULTS_STALL_S, FAULTS_WRITES, FAULTS_FAILING_S scale it. `make test` leaves it out.
faults: install
	$(BIN)/python -m pytest -q -s -m faults tests/faults

## The fuzzing stage, thorough: schemathesis sends every operation of the five services (real
## processes, demo data loaded) as every role, FUZZ_EXAMPLES generated requests each plus its
## coverage phase, and fails on any 5xx. `make test` runs a short derandomized pass of it.
## FUZZ_KEEP_GOING=1 lists every distinct 5xx of an operation instead of the first.
## FUZZ_SELECT picks operations by pytest -k (each is a test named after the service and
## the operation): FUZZ_SELECT='test_listing and (inventory or evaluations or tier)'.
FUZZ_EXAMPLES ?= 100
FUZZ_SELECT ?=
fuzz: install
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_PHASES=examples,coverage,fuzzing $(BIN)/python -m pytest -q tests/fuzz $(if $(FUZZ_SELECT),-k "$(FUZZ_SELECT)")

## Regenerate docs/asyncapi.json from the event models (a test checks it is current).
asyncapi: install
	$(BIN)/python -m shared.events.asyncapi > docs/asyncapi.json

clean:
	rm -rf $(VENV) .devstack .pytest_cache .mypy_cache .ruff_cache .hypothesis .schemathesis
