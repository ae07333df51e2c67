"""Drive headless Chromium against the book, served on 127.0.0.1 twice over.

``book``: the freshly built ``_build/html``. ``archive``: ``_build/site.tar.gz``
(``make site``) unpacked into an empty folder and served by a plain static
server, as anyone hosting it would. Both must pass the same checks, at
Playwright's default 1280 x 720 window. The book is also read on a 390 px
touch screen, and with the widget script held back.
"""

from __future__ import annotations

import re
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from book_pages import chapters
from browser_checks import (
    CONSOLE_ALLOW,
    MIN_TARGET_PX,
    MIN_TEXT_PX,
    accessibility_violations,
    equations_wider_than_their_box,
    frame_text_sizes,
    missing_icons,
    open_page,
    overflowing_equations,
    visible_frame,
    wait_for_mathjax,
    wait_for_widgets,
)
from conftest import ROOT, StaticServer
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CHAPTERS = chapters()
WITH_SLIDERS = [chapter for chapter in CHAPTERS if chapter.slider_figures]
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
            # At a laptop's width every display equation fits its column.
            wide = equations_wider_than_their_box(page)
            assert not wide, f"display equations wider than the text: {wide}"

        # Font Awesome's script is not loaded: its CSS and fonts draw the icons.
        assert not missing_icons(page), f"icons without a glyph: {missing_icons(page)}"

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

            # Frames are shown at the size they were drawn, text legible.
            sizes = frame_text_sizes(page)
            assert len(sizes) == chapter.slider_figures
            small = [s for s in sizes if s["text_px"] < MIN_TEXT_PX - 0.01]
            assert not small, f"frame text below {MIN_TEXT_PX} px as shown: {small}"
            # The widget has taken over from the plain first frames.
            assert not page.locator(".l2-first-frame").first.is_visible()

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


def test_console_errors_are_never_allowed():
    assert CONSOLE_ALLOW == {}, "every console error is a fault of the book"


@pytest.mark.parametrize("chapter", WITH_SLIDERS, ids=[c.html for c in WITH_SLIDERS])
def test_first_frames_show_before_the_widget_script_runs(browser, book_server, chapter):
    def hold_back_widget_script(context) -> None:
        context.route("**/embed.js*", lambda route: route.abort())

    context, page, _ = open_page(
        browser,
        f"{book_server.url}/{chapter.html}",
        before_load=hold_back_widget_script,
    )
    try:
        # The widget script never blocks the first paint: it is deferred.
        scripts = page.locator('script[src*="embed.js"]')
        assert scripts.count() == 1
        assert scripts.first.get_attribute("defer") is not None
        assert page.locator(".l2-slider-figure").count() == 0, "widgets rendered"
        copies = page.locator("img.l2-first-frame-img")
        assert copies.count() == chapter.slider_figures
        for i in range(copies.count()):
            copy = copies.nth(i)
            expect(copy).to_be_visible()
            assert copy.evaluate("img => img.complete && img.naturalWidth > 0")
            assert len(copy.get_attribute("alt")) > 20
        sizes = frame_text_sizes(page)
        small = [s for s in sizes if s["text_px"] < MIN_TEXT_PX - 0.01]
        assert not small, f"first-frame text below {MIN_TEXT_PX} px: {small}"
        first_srcs = [copies.nth(i).get_attribute("src") for i in range(copies.count())]
    finally:
        context.close()

    # With the script, each figure starts on the very frame shown before it.
    context, page, _ = open_page(browser, f"{book_server.url}/{chapter.html}")
    try:
        wait_for_widgets(page, chapter.slider_figures)
        figures = page.locator(".l2-slider-figure")
        shown = [visible_frame(figures.nth(i)) for i in range(figures.count())]
        assert shown == first_srcs
    finally:
        context.close()


PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 1,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.html for c in CHAPTERS])
def test_a_phone_scrolls_only_vertically_and_can_touch_the_sliders(
    browser, book_server, chapter
):
    context, page, visit = open_page(
        browser, f"{book_server.url}/{chapter.html}", **PHONE
    )
    try:
        if chapter.has_math:
            wait_for_mathjax(page)
        if chapter.slider_figures:
            wait_for_widgets(page, chapter.slider_figures)
            handles = page.locator(".l2-slider [role=slider]")
            for i in range(handles.count()):
                box = handles.nth(i).bounding_box()
                assert (
                    box["width"] >= MIN_TARGET_PX and box["height"] >= MIN_TARGET_PX
                ), f"slider handle {i} is {box['width']}x{box['height']} px"
            # Frames of several panels keep their drawn width (and text size)
            # and scroll inside the figure; one-panel frames fit the screen.
            for size, panels in zip(
                frame_text_sizes(page),
                page.evaluate(
                    "() => [...document.querySelectorAll('img.l2-frame')]"
                    ".filter(i => i.checkVisibility()).map(i => i.dataset.panels)"
                ),
                strict=True,
            ):
                if panels != "1":
                    assert size["text_px"] >= MIN_TEXT_PX - 0.01, size
                else:
                    assert size["shown"] <= 390, size
        cut = overflowing_equations(page)
        assert not cut, f"display equations cut off on a phone: {cut}"
        width = page.evaluate(
            "() => [document.scrollingElement.scrollWidth, window.innerWidth]"
        )
        assert width[0] <= width[1], f"the page scrolls sideways: {width}"
        errors = visit.unexpected_console_errors()
        assert not errors, f"console errors: {errors[:5]}"
    finally:
        context.close()
