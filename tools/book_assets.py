"""Sphinx extension: chapters executed in parallel; what every page loads, trimmed.

myst-nb executes the chapters one after another while Sphinx reads them, and
most of a chapter's time is drawing frames, on one core. Before Sphinx reads,
this fills myst-nb's execution cache instead with jupyter-cache's own parallel
executor (one chapter per core); myst-nb then finds every chapter in the cache.
A chapter that fails there is left out of the cache, so myst-nb runs it again
itself and reports the error as usual.

jupyter-book 1 sets up sphinx-thebe and sphinx-togglebutton so that their
inline configuration scripts are added to every page twice. The second
``const THEBE_JS_URL = ...`` cannot redeclare the constant and logs an error in
the console of every page. The copies are identical, so keeping the first of
each is lossless.

It also tells the chapters' kernels that they run for the static book
(``L2COURSE_STATIC_PAGE``), so ``l2course.slider_figure`` adds each figure's
first frame as a plain image that shows before the widget script has run.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sphinx.util import logging

logger = logging.getLogger(__name__)

# Read by l2course.sliders; kernels inherit the environment of the build.
STATIC_PAGE_ENV = "L2COURSE_STATIC_PAGE"


def _script_key(script: Any) -> tuple:
    attributes = getattr(script, "attributes", {}) or {}
    return (
        # An inline script has no file name: None from some extensions, "" from
        # others.
        getattr(script, "filename", str(script)) or "",
        tuple(sorted((str(k), str(v)) for k, v in attributes.items())),
    )


def drop_duplicate_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple] = set()
    unique = []
    for script in scripts:
        key = _script_key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


# jupyter-cache reads a MyST chapter with the same reader as myst-nb, so both
# compute the same hash for it and the cache record matches.
MYST_READER = {"type": "plugin", "name": "myst_nb_md"}


def _is_myst_notebook(path: Path) -> bool:
    from myst_nb.core.read import is_myst_markdown_notebook

    return path.suffix == ".md" and is_myst_markdown_notebook(path.read_text("utf8"))


def execute_in_parallel(app, env, docnames: list[str]) -> None:
    """Execute the chapters Sphinx is about to read that the cache lacks."""
    config = app.config
    if config.nb_execution_mode != "cache" or not docnames:
        return
    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor

    cache = get_cache(config.nb_execution_cache_path)
    pks = []
    for docname in docnames:
        path = Path(env.doc2path(docname))
        if _is_myst_notebook(path):
            pks.append(cache.add_nb_to_project(str(path), read_data=MYST_READER).pk)
    pending = cache.list_unexecuted(filter_pks=pks) if pks else []
    if len(pending) < 2:
        return  # nothing to share out; myst-nb runs a single chapter itself
    logger.info(f"[book_assets] executing {len(pending)} chapters in parallel")
    # Run where myst-nb would: in the chapter's folder, or in a scratch one.
    executor = "temp-parallel" if config.nb_execution_in_temp else "local-parallel"
    result = load_executor(executor, cache=cache).run_and_cache(
        filter_pks=[record.pk for record in pending],
        timeout=config.nb_execution_timeout,
        allow_errors=config.nb_execution_allow_errors,
    )
    if result.excepted or result.errored:
        # Not a warning here: myst-nb re-runs these and reports the error.
        logger.info(
            f"[book_assets] left for myst-nb: {result.excepted + result.errored}"
        )


def setup(app) -> dict[str, Any]:
    os.environ.setdefault(STATIC_PAGE_ENV, "1")
    app.connect("env-before-read-docs", execute_in_parallel)
    # After the theme and the other extensions have added their scripts.
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
