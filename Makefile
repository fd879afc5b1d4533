# Set-up and the main jobs. `make lab` and `make test` each do the whole set-up first,
# so a fresh machine with Python 3.11, git and make needs nothing else.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888

.PHONY: setup system lab lint test tour bench bench-smoke docs clean

setup: $(STAMP) system

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("hlsgraph needs Python >= 3.11" if sys.version_info < (3, 11) else 0)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The Debian packages the real components need, installed when missing: a headless JRE for
# owlready2's HermiT reasoner, Virtuoso for the remote back-end's tests, and Chromium with its
# driver for the tests of what a person sees (the notebooks in JupyterLab, the published site).
SYSTEM_PACKAGES := java:default-jre-headless virtuoso-t:virtuoso-opensource \
                   chromium:chromium chromedriver:chromium-driver

system:
	@missing=""; for pair in $(SYSTEM_PACKAGES); do \
	  command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; fi

lab: setup
	@echo "Starting JupyterLab on http://127.0.0.1:$(PORT)/lab (its URL with the access token follows)"
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks --ServerApp.ip=127.0.0.1 \
	  --ServerApp.port=$(PORT) --ServerApp.open_browser=False \
	  $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

# The linter, the formatter's check and the type checker first (seconds), then the suite.
# Their settings are in pyproject.toml; `make lint` runs the first three alone.
LINTED := hlsgraph tests benchmarks

lint: setup
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

tour: setup
	$(BIN)/hlsgraph tour

bench: setup
	$(BIN)/python benchmarks/run.py

bench-smoke: setup
	$(BIN)/python benchmarks/run.py --smoke

docs: setup
	$(BIN)/hlsgraph docs docs/reference

clean:
	rm -rf $(VENV) dist build
