# Set-up and the main jobs. `make lab` and `make test` each do the whole set-up first,
# so a fresh machine with Python 3.11, git and make needs nothing else.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888

.PHONY: setup java lab test tour bench bench-smoke docs clean

setup: $(STAMP) java

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("hlsgraph needs Python >= 3.11" if sys.version_info < (3, 11) else 0)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# owlready2 runs the HermiT reasoner on Java; install a headless JRE when there is none.
java:
	@command -v java >/dev/null 2>&1 || { \
	  echo "java not found: installing a headless JRE for the HermiT reasoner"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends default-jre-headless; }

lab: setup
	@echo "Starting JupyterLab on http://127.0.0.1:$(PORT)/lab (its URL with the access token follows)"
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks --ServerApp.ip=127.0.0.1 \
	  --ServerApp.port=$(PORT) --ServerApp.open_browser=False \
	  $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

test: setup
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
