# discovery-workbench: `make run` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP_RUN  := $(VENV)/.installed-run
STAMP_DEV  := $(VENV)/.installed-dev

.PHONY: run test bench bench-full venv dev clean latex

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(VENV)/bin/python
	$(PIP) install --quiet -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(VENV)/bin/python
	$(PIP) install --quiet -e '.[dev,cluster]'
	touch $@ $(STAMP_RUN)

venv: $(STAMP_RUN)
dev: $(STAMP_DEV)

run: $(STAMP_RUN)
	$(VENV)/bin/discover demo

test: $(STAMP_DEV)
	$(PY) -m pytest -q

bench: $(STAMP_DEV)
	$(PY) benchmarks/run_all.py --quick

bench-full: $(STAMP_DEV)
	$(PY) benchmarks/run_all.py

# Optional: a TeX installation so that exported LaTeX can be compiled (and its test runs).
latex:
	command -v pdflatex >/dev/null || (apt-get update && apt-get install -y --no-install-recommends texlive-latex-base texlive-latex-recommended texlive-fonts-recommended)

clean:
	rm -rf $(VENV) build *.egg-info
