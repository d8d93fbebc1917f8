# The two commands of the README: `make demo` runs the whole console, `make test` runs every test.
# `make test` first installs or starts what the machine lacks (tests/prepare-machine.sh), then runs the
# suite on SQLite and its concurrency tests on PostgreSQL; `make test-postgres` runs the whole suite on
# PostgreSQL. PYTEST_ARGS go to pytest; JUNIT_DIR=dir writes a JUnit report per run there.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
HUBSIM_PORT ?= 8765
PORT ?= 8000
TEST_POSTGRES_URL ?= postgresql://postgres:postgres@127.0.0.1:5432/postgres
export TEST_POSTGRES_URL
JUNIT_DIR ?=
junit = $(if $(JUNIT_DIR),--junitxml=$(JUNIT_DIR)/$(1).xml)

.PHONY: demo test test-postgres test-machine screenshots bench lint format install clean

$(INSTALLED): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(INSTALLED)

install: $(INSTALLED)

demo: export HF_ENDPOINT := http://127.0.0.1:$(HUBSIM_PORT)
demo: export HF_ENDPOINTS_API_URL := http://127.0.0.1:$(HUBSIM_PORT)/v2
demo: export HF_INFERENCE_CATALOG_URL := http://127.0.0.1:$(HUBSIM_PORT)/api/catalog
demo: $(INSTALLED)
	$(PY) manage.py demo --port $(PORT)

test: test-machine $(INSTALLED)
	$(PY) -m pytest $(call junit,sqlite) $(PYTEST_ARGS)
	@# Exit status 5: no concurrency test among those PYTEST_ARGS selected.
	TEST_DATABASE_URL=$(TEST_POSTGRES_URL) $(PY) -m pytest -m concurrency \
		$(call junit,postgres-concurrency) $(PYTEST_ARGS) || [ $$? -eq 5 ]

test-postgres: test-machine $(INSTALLED)
	TEST_DATABASE_URL=$(TEST_POSTGRES_URL) $(PY) -m pytest $(call junit,postgres) $(PYTEST_ARGS)

test-machine:
	PYTHON=$(PYTHON) bash tests/prepare-machine.sh

# Refreshes the README's pictures on purpose (tests write theirs under var/screenshots/).
screenshots: test-machine $(INSTALLED)
	$(PY) -m tests.browser.screenshots

bench: $(INSTALLED)
	$(PY) -m bench

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(INSTALLED)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
