# The two commands of the README: `make demo` runs the whole console, `make test` runs every test.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
HUBSIM_PORT ?= 8765

.PHONY: demo test bench lint format install clean

$(INSTALLED): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(INSTALLED)

install: $(INSTALLED)

demo: export HF_ENDPOINT := http://127.0.0.1:$(HUBSIM_PORT)
demo: export HF_ENDPOINTS_API_URL := http://127.0.0.1:$(HUBSIM_PORT)/v2
demo: $(INSTALLED)
	$(PY) manage.py demo

test: $(INSTALLED)
	$(PY) -m pytest $(PYTEST_ARGS)

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
