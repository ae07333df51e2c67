"""Drive headless Chromium against the book, served on 127.0.0.1 twice over.

``book``: the freshly built ``_build/html``. ``archive``: ``_build/site.tar.gz``
(``make site``) unpacked into an empty folder and served by a plain static
server, as anyone hosting it would. Both must pass the same checks.
"""

from __future__ import annotations

import re
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from book_pages import chapters
from browser_checks import (
    accessibility_violations,
    open_page,
    visible_frame,
    wait_for_mathjax,
    wait_for_widgets,
)
from conftest import ROOT, StaticServer
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CHAPTERS = chapters()
SITE_ARCHIVE = ROOT / "_build" / "site.tar.gz"
SITES = ["book", "archive"]


@pytest.fixture(scope="session")
def archive_server(built_book: Path, tmp_path_factory) -> Iterator[StaticServer]:
    """The packed site, unpacked into a temporary folder and served."""
    if not SITE_ARCHIVE.exists():
        pytest.fail(f"{SITE_ARCHIVE} is missing: run 'make site'")
    newest = max(path.stat().st_mtime for path in built_book.rglob("*"))
    if SITE_ARCHIVE.stat().st_mtime < newest:
        pytest.fail(f"{SITE_ARCHIVE} is older than {built_book}: run 'make site'")
    folder = tmp_path_factory.mktemp("unpacked-site")
    with tarfile.open(SITE_ARCHIVE) as archive:
        archive.extractall(folder, filter="data")
    with StaticServer(folder / "html") as server:
        yield server


@pytest.fixture
def site(request) -> StaticServer:
    return request.getfixturevalue(f"{request.param}_server")


@pytest.mark.parametrize("site", SITES, indirect=True)
@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.html for c in CHAPTERS])
def test_page_is_self_contained_and_sliders_move(browser, site, chapter):
    context, page, visit = open_page(browser, f"{site.url}/{chapter.html}")
    try:
        if chapter.has_math:
            assert wait_for_mathjax(page) > 0, "MathJax typeset no formula"

        if chapter.slider_figures:
            wait_for_widgets(page, chapter.slider_figures)
            figures = page.locator(".l2-slider-figure")
            assert figures.count() == chapter.slider_figures
            for i in range(figures.count()):
                figure = figures.nth(i)
                handles = figure.locator(".l2-slider [role=slider]")
                assert 1 <= handles.count() <= 2, "a slider figure has 1 or 2 sliders"
                for j in range(handles.count()):
                    before = visible_frame(figure)
                    handle = handles.nth(j)
                    handle.focus()
                    # A slider that starts at its last value steps back instead.
                    at_end = handle.get_attribute("aria-valuenow") == (
                        handle.get_attribute("aria-valuemax")
                    )
                    page.keyboard.press("ArrowLeft" if at_end else "ArrowRight")
                    page.wait_for_timeout(50)
                    after = visible_frame(figure)
                    assert after != before, (
                        f"figure {i}, slider {j}: arrow key did not move the frame"
                    )
                    alt = figure.evaluate(
                        "f => [...f.querySelectorAll('img.l2-frame')]"
                        ".filter(i => i.checkVisibility())[0].alt"
                    )
                    assert len(alt) > 20, "the visible frame has no useful alt text"
                    # Screen readers: a name, and the value the reader sees.
                    handle = handles.nth(j)
                    readout = figure.locator(".l2-slider .widget-readout").nth(j)
                    expect(readout).to_be_visible()
                    expect(handle).to_have_accessible_name(re.compile(r"\S"))
                    expect(handle).to_have_attribute(
                        "aria-valuetext", readout.inner_text().strip()
                    )

        violations = accessibility_violations(page)
        assert not violations, f"accessibility (axe-core): {violations}"

        foreign = visit.foreign_requests(site.host)
        assert not foreign, f"requests left the site: {foreign[:5]}"
        assert visit.requests, "no request was recorded at all"
        assert not visit.missing, f"missing files: {visit.missing[:5]}"
        errors = visit.unexpected_console_errors()
        assert not errors, f"console errors: {errors[:5]}"
    finally:
        context.close()
