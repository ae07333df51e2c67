"""tools/book_assets.py: one copy of each script on a page."""

from __future__ import annotations

import sys
from pathlib import Path

from sphinx.builders.html._assets import _JavaScript

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

from book_assets import drop_duplicate_scripts  # noqa: E402


def test_identical_inline_scripts_are_kept_once_in_order():
    thebe = 'const THEBE_JS_URL = "x"'
    # The two copies jupyter-book 1 adds differ only in None against "".
    scripts = [
        _JavaScript("_static/doctools.js", priority=200),
        _JavaScript(None, body=thebe),
        _JavaScript("_static/sphinx-thebe.js", **{"async": "async"}),
        _JavaScript("", body=thebe),
        _JavaScript("", body="let other = 1"),
    ]
    context = {"script_files": scripts}
    drop_duplicate_scripts(None, "page", "page.html", context, None)
    assert context["script_files"] == [scripts[0], scripts[1], scripts[2], scripts[4]]


def test_scripts_that_differ_in_attributes_are_both_kept():
    plain = _JavaScript("_static/a.js")
    deferred = _JavaScript("_static/a.js", defer="defer")
    context = {"script_files": [plain, deferred]}
    drop_duplicate_scripts(None, "page", "page.html", context, None)
    assert context["script_files"] == [plain, deferred]
