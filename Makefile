# Every target wraps the documented tool (jupyter-book, nbgrader, pytest, npm).
# `make book` and `make test` work on a fresh machine: they set up what they need.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
JB_FLAGS := -W -n --keep-going
PORT ?= 8000
PYTEST_FLAGS ?= -n auto

# Every exercises/a<number>_<topic>.py is an assignment (exercises/README.md).
ASSIGNMENTS := $(sort $(basename $(notdir $(wildcard exercises/a[0-9]*_*.py))))

.PHONY: help setup book notebooks test lint serve site clean exercises release
.PHONY: system page test-fast FORCE

help:
	@echo "make book   set up .venv and node_modules, then build the HTML book"
	@echo "make test   run every test (builds the book first)"
	@echo "make test-fast  the tests that need no built book and no browser"
	@echo "make page PAGE=penalty  build one chapter into $(PAGE_DIR)/_build/html"
	@echo "make system install Chromium and bubblewrap if missing (make test does)"
	@echo "make serve  serve _build/html on http://127.0.0.1:$(PORT)"
	@echo "make site   pack the built site into _build/site.tar.gz"
	@echo "make notebooks  write book/<chapter>.ipynb (the build does this too)"
	@echo "make lint   ruff check and ruff format --check"
	@echo "make exercises  rewrite exercises/*/*.ipynb from exercises/*.py"
	@echo "make release    nbgrader generate_assignment for every assignment (course/release/)"
	@echo "make clean  remove everything generated"

setup: $(VENV)/.installed node_modules/.installed _vendor/.installed

# Installs only into a virtualenv it created, and only when a requirement is
# missing: a virtualenv made by hand is checked, never changed.
$(VENV)/.installed: requirements.txt pyproject.toml autograder/pyproject.toml
	$(PYTHON) tools/setup_venv.py $(VENV) requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "make needs npm: install Node.js 20 or later, with npm"; exit 1; }
	npm ci --no-audit --no-fund
	touch $@

# The JavaScript the site serves itself, copied from node_modules. Sphinx copies
# _vendor/ into _build/html/_static/ (html_static_path in _config.yml).
_vendor/.installed: node_modules/.installed
	$(BIN)/python tools/vendor_js.py node_modules _vendor
	touch $@

# The execution cache keys a chapter on its own code only, so a change to the
# l2course package it imports would leave stale frames. Drop the cache then.
# The stamp holds a digest of the package, not a file time: a cache restored on
# another machine (the publishing workflow) is kept when the package is the same.
L2COURSE_DIGEST = $(shell find l2course -name '*.py' | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-16)
_build/.l2course-stamp: FORCE | $(VENV)/.installed
	@if [ "$$(cat $@ 2>/dev/null)" != "$(L2COURSE_DIGEST)" ]; then \
	  echo "l2course changed: dropping the execution cache"; \
	  rm -rf _build/.jupyter_cache _build/.doctrees $(PAGE_DIR); \
	  mkdir -p _build && echo "$(L2COURSE_DIGEST)" > $@; \
	fi

FORCE:

book: setup _build/.l2course-stamp
	@$(BIN)/python tools/check_placeholders.py
	$(BIN)/jupyter-book build . $(JB_FLAGS)
	@echo "Book built: open _build/html/index.html, or run 'make serve'."

# make page PAGE=<chapter>: one chapter of book/, built into $(PAGE_DIR).
PAGE ?= penalty
PAGE_DIR ?= _build/page
# One chapter on its own, to see an edit in seconds: a table of contents with
# only that chapter, and the book's own _config.yml (vendored JavaScript,
# favicon, and the execution cache that make book fills). Not -W: a link to a
# chapter left out of this build is only a warning here.
page: setup _build/.l2course-stamp
	@test -f book/$(PAGE).md || { echo "no chapter book/$(PAGE).md: PAGE names a file in book/, e.g. PAGE=penalty"; exit 1; }
	rm -rf $(PAGE_DIR)/_build/html
	mkdir -p $(PAGE_DIR)
	printf 'format: jb-book\nroot: book/$(PAGE)\n' > $(PAGE_DIR)/_toc.yml
	$(BIN)/jupyter-book build . --toc $(PAGE_DIR)/_toc.yml --path-output $(PAGE_DIR) -n --keep-going
	@echo "Page built: open $(PAGE_DIR)/_build/html/book/$(PAGE).html"

# Chromium and bubblewrap come from the system (apt, sudo, or Playwright's
# Chromium); this stops at once, with one line, when they cannot be had.
system: $(VENV)/.installed
	$(BIN)/python tools/ensure_system.py

# system comes first so that a missing browser stops the run before the build.
# The browser tests check the packed site too, so test needs it.
test: system site
	CHROMIUM="$$($(BIN)/python tools/ensure_system.py --print-chromium)" \
	  $(BIN)/python -m pytest $(PYTEST_FLAGS)

# Unit tests and everything else that needs no built book and no browser
# (the book marker: tests/conftest.py).
FAST_TESTS := not slow and not browser and not book
test-fast: $(VENV)/.installed
	$(BIN)/python -m pytest -m "$(FAST_TESTS)" $(PYTEST_FLAGS)

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
	$(BIN)/ruff format --check .

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
