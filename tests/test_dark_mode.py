"""Figures stay legible in the theme's dark mode.

Not a pixel diff: the frame a reader sees is sampled, and its background must
be light, its ink dark, and their contrast at least WCAG's 4.5:1. The theme's
dark-mode image filter and padded grey card must not apply to frames: they
show as drawn, a white card with a clean edge on the dark page. The text
around the frame (slider label, readout, caption) is audited by axe-core's
colour-contrast rule in dark mode.
"""

from __future__ import annotations

import io

import pytest
from book_pages import chapters
from browser_checks import accessibility_violations, open_page, wait_for_widgets
from PIL import Image

pytestmark = pytest.mark.browser

WITH_SLIDERS = [chapter for chapter in chapters() if chapter.slider_figures]


def luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG relative luminance of an sRGB colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(l1: float, l2: float) -> float:
    light, dark = max(l1, l2), min(l1, l2)
    return (light + 0.05) / (dark + 0.05)


def background_and_ink(png: bytes) -> tuple[float, float]:
    """Luminance of the most common colour, and of the darkest 1% of pixels."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=image.width * image.height)
    background = max(colours)[1]
    values = sorted(luminance(rgb) for count, rgb in colours for _ in range(count))
    ink = values[len(values) // 100]
    return luminance(background), ink


def test_background_and_ink_measure_what_they_claim():
    """The sampler itself: black text on white is 21:1, on mid-grey much less."""
    image = Image.new("RGB", (100, 100), "white")
    image.paste((0, 0, 0), (10, 10, 30, 30))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    bg, ink = background_and_ink(buffer.getvalue())
    assert contrast(bg, ink) == pytest.approx(21.0)
    assert contrast(luminance((118, 118, 118)), luminance((0, 0, 0))) < 4.5 * 1.1


def test_frames_are_legible_in_dark_mode(browser, book_server):
    assert WITH_SLIDERS, "no chapter has a slider figure to check"
    chapter = WITH_SLIDERS[0]
    url = f"{book_server.url}/{chapter.html}"
    context, page, _ = open_page(browser, url, color_scheme="dark")
    try:
        wait_for_widgets(page, chapter.slider_figures)
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        page_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
        rgb = tuple(int(c) for c in page_bg[page_bg.index("(") + 1 : -1].split(","))
        assert luminance(rgb[:3]) < 0.05, f"the page is not dark: {page_bg}"

        figure = page.locator(".l2-slider-figure").first
        frame = figure.locator("img.l2-frame").first
        # What the reader sees: the theme would dim images in dark mode.
        assert frame.evaluate("img => getComputedStyle(img).opacity") == "1"
        look = frame.evaluate(
            """img => {
                const s = getComputedStyle(img);
                const card = getComputedStyle(img.closest('.widget-subarea'));
                return {filter: s.filter, padding: s.padding,
                        card: card.backgroundColor, cardPadding: card.padding};
            }"""
        )
        assert look["filter"] == "none", f"frames are filtered: {look}"
        assert look["padding"] == "0px", f"frames are padded: {look}"
        assert look["card"] == "rgba(0, 0, 0, 0)", f"grey card around frame: {look}"
        assert look["cardPadding"] == "0px", f"padded card around frame: {look}"
        background, ink = background_and_ink(frame.screenshot())
        assert background > 0.5, f"frame background is not light ({background:.2f})"
        assert ink < 0.1, f"frame lines and text are not dark ({ink:.2f})"
        ratio = contrast(background, ink)
        assert ratio >= 4.5, f"frame contrast {ratio:.1f}:1 is below 4.5:1"

        # The frame's surroundings: the slider label, its value, the caption.
        violations = accessibility_violations(page, context=".l2-slider-figure")
        assert not violations, f"dark mode, around the figure: {violations}"
    finally:
        context.close()
