"""axe-core audits every built page.

Chapters are audited inside test_browser.py (after their sliders have moved,
on the built site and on the packed archive); this covers the other pages the
build writes (search, index of terms). The rules and the impacts that fail are
in browser_checks.py, with every disabled rule and its reason.
"""

from __future__ import annotations

import pytest
from book_pages import chapters
from browser_checks import accessibility_violations, open_page
from conftest import BUILT_HTML

pytestmark = pytest.mark.browser

CHAPTER_PAGES = {chapter.html for chapter in chapters()}


def other_pages() -> list[str]:
    """Built HTML pages that are not chapters, skipping redirects and assets."""
    pages = []
    for path in sorted(BUILT_HTML.rglob("*.html")):
        relative = path.relative_to(BUILT_HTML).as_posix()
        if relative.startswith(("_static/", "_sources/")) or relative in CHAPTER_PAGES:
            continue
        if 'http-equiv="Refresh"' in path.read_text(encoding="utf-8")[:500]:
            continue  # the root index.html only redirects to the first chapter
        pages.append(relative)
    return pages


def test_every_other_built_page_passes_axe(browser, book_server):
    pages = other_pages()
    assert pages, f"no pages besides the chapters in {BUILT_HTML}"
    failures = {}
    for relative in pages:
        context, page, _ = open_page(browser, f"{book_server.url}/{relative}")
        try:
            page.wait_for_load_state("networkidle")
            violations = accessibility_violations(page)
            if violations:
                failures[relative] = violations
        finally:
            context.close()
    assert not failures, f"accessibility (axe-core): {failures}"
