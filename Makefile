# pubcredit: `make run` serves the demo platform (web server + one background worker), `make test` runs every test
# on SQLite and PostgreSQL.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_ENV := PUBCREDIT_DEBUG=1

.PHONY: run test install install-test serve migrate demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[test]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

migrate: install
	$(DEMO_ENV) $(BIN)/pubcredit migrate --noinput

demo: migrate
	$(DEMO_ENV) $(BIN)/pubcredit seed_demo --if-empty
	$(DEMO_ENV) $(BIN)/pubcredit report_signing_demo

run: demo
	@echo "pubcredit is serving at http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/api/v1/docs)"
	@echo "with one background worker (uploads, daily jobs, audit sealing); Ctrl-C stops both"
	$(DEMO_ENV) scripts/run-web-and-worker $(BIN)/pubcredit $(HOST):$(PORT)

test: install-test
	CI=$(CI) scripts/run-tests

clean:
	rm -rf $(VENV) var .pytest_cache
