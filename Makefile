# Two commands: `make run` (Torg with demo data on the embedded default) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test test-sqlite test-postgres browser-deps lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(STAMP)

run: $(STAMP)
	$(BIN)/torg setup
	$(BIN)/torg demo
	$(BIN)/torg run

# Debian's Chromium drives the browser tests; it is installed when missing (as root, as in CI).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; }

test: $(TEST_STAMP) browser-deps
	$(BIN)/ruff check .
	TORG_TEST_POSTGRES=0 $(BIN)/python manage.py makemigrations --check --dry-run --settings=torg.settings_test
	TORG_TEST_POSTGRES=0 $(BIN)/pytest -q
	@if [ "$$TORG_TEST_POSTGRES" = 1 ]; then echo "--- again on PostgreSQL"; TORG_TEST_POSTGRES=1 $(BIN)/pytest -q; fi

lint: $(TEST_STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) var build *.egg-info
