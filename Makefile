# `make test` and `make demo` each set up .venv by themselves on a fresh machine.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: test demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test,full]'
	touch $(STAMP)

test: $(STAMP)
	$(VENV)/bin/python -m pytest

# OpenBLAS threads spin for a long while after each matrix product; on a small machine that
# slows the many small NumPy ops in between (measured: the demo's seed CNN, 13.6 s -> 10.6 s).
demo: $(STAMP)
	OPENBLAS_THREAD_TIMEOUT=$${OPENBLAS_THREAD_TIMEOUT:-4} $(VENV)/bin/chainrule demo

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
