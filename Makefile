PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8169
# The Odoo versions the integration tests run on against the emulator (README, Odoo versions):
# every profile, or one (ODOO_VERSIONS=18.0) or a few (16.0,19.0); test processes (pytest-xdist).
ODOO_VERSIONS ?= all
JOBS ?= auto

.PHONY: install test test-odoo lint demo bench schemas clean

$(BIN)/odooconf: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,lint]'
	touch $@

install: $(BIN)/odooconf

test: install
	ODOOCONF_TEST_EMULATOR_VERSION=$(ODOO_VERSIONS) $(BIN)/pytest -q -n $(JOBS)

# The integration tests against a real Odoo (README, Development): needs ODOOCONF_TEST_ODOO_URL,
# ODOOCONF_TEST_ODOO_MASTER_PASSWORD and ODOOCONF_TEST_ODOO_TEMPLATE. Copying a database and loading
# its registry count in a test's time, hence the longer timeout.
test-odoo: install
	@test -n "$$ODOOCONF_TEST_ODOO_URL" || { echo "set ODOOCONF_TEST_ODOO_URL (see README, Development)"; exit 2; }
	$(BIN)/pytest -q tests/integration -o timeout=600 $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check odooconf tests benchmarks
	$(BIN)/ruff format --check odooconf tests benchmarks
	$(BIN)/mypy odooconf tests benchmarks

demo: install
	bash scripts/demo.sh $(PORT)

# The JSON Schemas of blueprints and environments, from the specs (a test keeps them in step).
schemas: install
	$(BIN)/python -m odooconf.schema schemas

bench: install
	$(BIN)/python -m benchmarks $(SIZES)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
