"""Drive headless Chromium against the built book (served on 127.0.0.1)."""

from __future__ import annotations

import pytest
from book_pages import chapters
from browser_checks import open_page, visible_frame, wait_for_mathjax, wait_for_widgets

pytestmark = pytest.mark.browser

CHAPTERS = chapters()


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.html for c in CHAPTERS])
def test_page_is_self_contained_and_sliders_move(browser, book_server, chapter):
    context, page, visit = open_page(browser, f"{book_server.url}/{chapter.html}")
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

        foreign = visit.foreign_requests(book_server.host)
        assert not foreign, f"requests left the site: {foreign[:5]}"
        assert visit.requests, "no request was recorded at all"
        assert not visit.missing, f"missing files: {visit.missing[:5]}"
        errors = visit.unexpected_console_errors()
        assert not errors, f"console errors: {errors[:5]}"
    finally:
        context.close()
