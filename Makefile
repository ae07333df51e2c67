# Every target wraps the documented tool (jupyter-book, nbgrader, pytest, npm).
# `make book` and `make test` work on a fresh machine: they set up what they need.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
JB_FLAGS := -W -n --keep-going
PORT ?= 8000
PYTEST_FLAGS ?= -n auto

ASSIGNMENTS := a1_l2_penalty a2_weight_decay a3_l1_sparsity a4_ridge_bayes

.PHONY: help setup book notebooks test lint serve site clean exercises release

help:
	@echo "make book   set up .venv and node_modules, then build the HTML book"
	@echo "make test   run every test (builds the book first)"
	@echo "make serve  serve _build/html on http://127.0.0.1:$(PORT)"
	@echo "make site   pack the built site into _build/site.tar.gz"
	@echo "make notebooks  write book/<chapter>.ipynb (the build does this too)"
	@echo "make lint   ruff"
	@echo "make exercises  rewrite exercises/*/*.ipynb from exercises/*.py"
	@echo "make release    nbgrader generate_assignment for every assignment (course/release/)"
	@echo "make clean  remove everything generated"

setup: $(VENV)/.installed node_modules/.installed _vendor/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# The JavaScript the site serves itself, copied from node_modules. Sphinx copies
# _vendor/ into _build/html/_static/ (html_static_path in _config.yml).
_vendor/.installed: node_modules/.installed
	$(BIN)/python tools/vendor_js.py node_modules _vendor
	touch $@

# The execution cache keys a chapter on its own code only, so a change to the
# l2course package it imports would leave stale frames. Drop the cache then.
_build/.l2course-stamp: $(shell find l2course -name '*.py') | $(VENV)/.installed
	rm -rf _build/.jupyter_cache _build/.doctrees
	mkdir -p _build && touch $@

book: setup _build/.l2course-stamp
	@$(BIN)/python tools/check_placeholders.py
	$(BIN)/jupyter-book build . $(JB_FLAGS)
	@echo "Book built: open _build/html/index.html, or run 'make serve'."

# The browser tests check the packed site too, so test needs it.
test: site
	$(BIN)/python -m pytest $(PYTEST_FLAGS)

# One archive of the built site; unpacked (into html/), any static server can
# serve it: the site loads nothing from another host.
site: book
	tar -czf _build/site.tar.gz -C _build html
	@echo "Site packed: _build/site.tar.gz"

# The .ipynb beside each chapter that launch buttons open (tools/chapter_notebooks.py).
notebooks: $(VENV)/.installed
	$(BIN)/python tools/chapter_notebooks.py

lint: $(VENV)/.installed
	$(BIN)/ruff check .

exercises: $(VENV)/.installed
	$(BIN)/python exercises/build_notebooks.py

# nbgrader reads autograder/nbgrader_config.py from its working directory and
# runs `alembic` from PATH, hence the cd and the PATH.
release: $(VENV)/.installed
	cd autograder && for a in $(ASSIGNMENTS); do \
	  PATH="$(abspath $(BIN)):$$PATH" nbgrader generate_assignment $$a --force || exit 1; \
	done

serve:
	@echo "Serving _build/html on http://127.0.0.1:$(PORT)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

# Fails while _config.yml still holds a placeholder address (make book only
# warns); the publishing workflow runs it before it deploys.
.PHONY: check-publishable
check-publishable: $(VENV)/.installed
	$(BIN)/python tools/check_placeholders.py --strict

clean:
	rm -rf _build _vendor course .pytest_cache book/*.ipynb
