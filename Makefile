# Two commands for a fresh machine: `make run` starts the app, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test test-cgroup2 lint bench cluster check-python clean

run: $(VENV)/.installed
	$(PY) -m streamlit run app.py --server.port $(PORT)

test: $(VENV)/.installed-test
	$(PY) -m pytest $(PYTEST_ARGS)

# The hostile and fault suites again, on cgroup v2 only, in a virtual machine that sees this checkout.
test-cgroup2: $(VENV)/.installed-test
	scripts/cgroup2-vm.sh $(PY) -m pytest -p no:cacheprovider tests/test_sandbox_hostile.py tests/test_faults.py $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(PY) -m ruff check .

bench: $(VENV)/.installed
	$(PY) -m playground bench

# Queue mode on one machine: Redis, two judge workers and the page (see Procfile; needs redis-server).
cluster: $(VENV)/.installed
	@command -v redis-server >/dev/null 2>&1 || { echo "error: redis-server was not found. On Debian: apt-get install -y redis-server" >&2; exit 1; }
	$(VENV)/bin/honcho start -f Procfile

check-python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) was not found. Install Python 3.11 or newer (Debian: apt-get install -y python3 python3-venv)." >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || { echo "error: $(PYTHON) is $$($(PYTHON) --version 2>&1); the playground needs Python 3.11 or newer." >&2; exit 1; }
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { echo "error: Python's venv module is missing. On Debian: apt-get install -y python3-venv" >&2; exit 1; }

$(VENV)/.installed: requirements.txt | check-python
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
