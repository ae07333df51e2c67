"""A printed page shows a small grid of each slider figure's frames.

book/static/print-frames.css, under @media print, hides the slider and its
single frame and shows the grid of evenly spaced, labelled frames that
l2course/sliders.py adds to each figure (hidden on screen).
"""

from __future__ import annotations

import pytest
from book_pages import chapters
from browser_checks import open_page, wait_for_widgets

pytestmark = pytest.mark.browser

WITH_SLIDERS = [chapter for chapter in chapters() if chapter.slider_figures]


@pytest.mark.parametrize("chapter", WITH_SLIDERS, ids=[c.html for c in WITH_SLIDERS])
def test_slider_figures_print_a_grid_of_frames(browser, book_server, chapter):
    context, page, _ = open_page(browser, f"{book_server.url}/{chapter.html}")
    try:
        wait_for_widgets(page, chapter.slider_figures)
        figures = page.locator(".l2-slider-figure")
        # On screen the grid is hidden: one frame, one slider.
        assert not figures.first.locator(".l2-print-grid").is_visible()

        page.emulate_media(media="print")
        for i in range(figures.count()):
            figure = figures.nth(i)
            assert not figure.locator(".l2-slider").first.is_visible(), (
                f"figure {i}: a slider is printed"
            )
            shown = figure.evaluate(
                """f => [...f.querySelectorAll('.l2-print-cell')]
                    .filter(cell => cell.checkVisibility())
                    .map(cell => {
                        const img = cell.querySelector('img');
                        const box = img.getBoundingClientRect();
                        return {label: cell.innerText.trim(), top: box.top,
                                width: box.width, loaded: img.naturalWidth > 0};
                    })"""
            )
            total = figure.locator("img.l2-print-frame").count()
            positions = figure.evaluate(
                """f => [...f.querySelectorAll('[role=slider]')].reduce(
                    (n, h) => n * (Number(h.getAttribute('aria-valuemax')) + 1), 1)"""
            )
            assert len(shown) == total, f"figure {i}: printed frames are hidden"
            assert min(3, positions) <= total <= 4, (
                f"figure {i}: prints {total} frames of {positions} positions"
            )
            assert all(cell["loaded"] and cell["width"] > 100 for cell in shown)
            labels = [cell["label"] for cell in shown]
            assert len(set(labels)) == len(labels) and all("=" in x for x in labels), (
                f"figure {i}: printed frames need distinct value labels: {labels}"
            )
            tops = [round(cell["top"]) for cell in shown]
            assert len(set(tops)) < len(tops), f"figure {i}: no frames side by side"
            assert not figure.locator(".l2-frames").first.is_visible()
    finally:
        context.close()
