# The two set-up commands of the README:
#   make demo   create the environment (first run) and run the main job on the local lake
#   make test   create the environment (first run) and run the test suite (what CI runs)
# Extras: make test-slow (soak, long fault runs, full learning check), make ui (Dagster UI + daemon).

PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: env demo test test-slow ui bench clean-lake

env: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -U pip
	$(PY) -m pip install -q -e '.[test,dev]' -c constraints.txt
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/ringrift-lake demo

test: $(STAMP)
	bash scripts/install_chromium.sh
	bash scripts/install_postgres.sh
	$(PY) -m pytest -m "not slow" --timeout=900

test-slow: $(STAMP)
	bash scripts/install_postgres.sh
	$(PY) -m pytest -m slow --timeout=3600

ui: $(STAMP)
	bash scripts/ui.sh

bench: $(STAMP)
	$(PY) bench/engine_speed.py
	$(PY) bench/lake.py --scale 0.1
	$(PY) bench/export.py
	$(PY) bench/train.py
	$(PY) bench/gauntlet.py
	$(PY) bench/fleet.py --quick
	$(PY) bench/boards.py

clean-lake:
	rm -rf lake
