PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8169

.PHONY: install test lint demo bench clean

$(BIN)/odooconf: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,lint]'
	touch $@

install: $(BIN)/odooconf

test: install
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check odooconf tests benchmarks
	$(BIN)/ruff format --check odooconf tests benchmarks
	$(BIN)/mypy odooconf tests benchmarks

demo: install
	bash scripts/demo.sh $(PORT)

bench: install
	$(BIN)/python -m benchmarks $(SIZES)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
