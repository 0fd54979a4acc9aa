# Two entry points for a fresh machine: `make run` (the main job) and `make test` (the whole test suite).
# Both create .venv with Python 3.12 and install the project; `make test` also installs Debian's chromium
# for the browser tests when it is missing (needs root or sudo, as on these machines).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench baseline mutations clean chromium

$(STAMP): pyproject.toml
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { echo "Python >= 3.12 is required: .python-version asks pyenv for 3.12 (or set PY=python3.12)"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/leadsim run scenarios/baseline.yaml

test: $(STAMP) chromium
	LEADSIM_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -q

# The browser test drives Debian's chromium through Playwright (browser downloads fail on these machines).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
chromium:
	@[ -x /usr/bin/chromium ] || { echo "installing Debian's chromium for the browser test"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update -q >/dev/null && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }; }
	@[ -x /usr/bin/chromium ] || { echo "could not install chromium (apt-get install chromium)"; exit 1; }

lint: $(STAMP)
	$(BIN)/ruff check simulation tests benchmarks

# Regenerate the regression baseline (tests/baseline.json) on purpose: commit it alone and say what moved and why.
baseline: $(STAMP)
	$(BIN)/python tests/baselines.py --refresh

# The mutation check (docs/validation.md): each wrong mechanism of tests/mutations.py, applied to a scratch copy
# of the tracked files, must make the validation suite fail (a few minutes a mutation on 2 cores).
mutations: $(STAMP)
	$(BIN)/python tests/mutations.py

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_model.py

clean:
	rm -rf $(VENV)
