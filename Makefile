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

# The sandbox's suites again, on cgroup v2 only, in a virtual machine that sees this checkout, run
# from a delegated child cgroup as a systemd unit with Delegate=yes would be. Emulated (no KVM that
# runs Debian's kernel here), JAX is far too slow for the 10 s wall limits the hostile and fault
# suites test, so there only the cgroup and seccomp suites run, and it says so.
CGROUP2_KERNEL_SUITES := tests/sandbox/test_cgroups.py tests/sandbox/test_syscall_filter.py
CGROUP2_SANDBOX_SUITES := tests/sandbox/test_sandbox_hostile.py tests/sandbox/test_faults.py
test-cgroup2: $(VENV)/.installed-test
	@if [ "$$(scripts/cgroup2-vm.sh --accel)" = kvm ]; then suites="$(CGROUP2_KERNEL_SUITES) $(CGROUP2_SANDBOX_SUITES)"; \
	else suites="$(CGROUP2_KERNEL_SUITES)"; \
	  echo "test-cgroup2: WARNING: no KVM here that runs Debian's kernel, so the guest is emulated and $(CGROUP2_SANDBOX_SUITES) are left out (their wall limits need KVM)" >&2; fi; \
	scripts/cgroup2-vm.sh scripts/cgroup2-vm/delegated.sh $(PY) -m pytest -p no:cacheprovider $$suites $(PYTEST_ARGS)

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
