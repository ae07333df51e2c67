"""``make page PAGE=<chapter>``: one chapter built on its own is a working page.

The build goes to a scratch folder (``PAGE_DIR``) and shares the execution
cache with ``make book``, as a maintainer's edit-and-look loop would.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from book_pages import Chapter, chapters
from browser_checks import open_page, visible_frame, wait_for_widgets
from conftest import ROOT, StaticServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def smallest_chapter_with_sliders() -> Chapter:
    with_sliders = [c for c in chapters() if c.slider_figures]
    return min(with_sliders, key=lambda c: (c.slider_figures, c.source.stat().st_size))


CHAPTER = smallest_chapter_with_sliders()
NAME = CHAPTER.source.stem


def sphinx_warnings(log: str) -> list[str]:
    # pip's "WARNING: Location ... is ignored" (this machine's package index
    # settings) is not the build's. A reference to a label on another page
    # (each chapter's "Practise it" line points at the landing page) cannot
    # resolve in a one-chapter build; the Makefile builds without -W for that.
    return [
        line
        for line in log.splitlines()
        if "WARNING:" in line
        and not line.startswith("WARNING: Location ")
        and "undefined label" not in line
    ]


@pytest.fixture(scope="module")
def page_build(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("page")
    done = subprocess.run(
        ["make", "page", f"PAGE={NAME}", f"PAGE_DIR={out}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-4000:]
    return out / "_build" / "html", log


def test_only_that_chapter_is_built_without_warnings(page_build):
    html, log = page_build
    assert sorted(p.name for p in (html / "book").glob("*.html")) == [f"{NAME}.html"]
    assert not sphinx_warnings(log), sphinx_warnings(log)
    # The favicon and the vendored JavaScript were found where _config.yml says.
    assert (html / "_static" / "favicon.svg").is_file()
    assert (html / "_static" / "vendor" / "widgets" / "embed.js").is_file()


def test_the_page_loads_its_widget_scripts_and_its_sliders_move(browser, page_build):
    html, _ = page_build
    with StaticServer(html) as server:
        context, page, visit = open_page(browser, f"{server.url}/book/{NAME}.html")
        try:
            wait_for_widgets(page, CHAPTER.slider_figures)
            figures = page.locator(".l2-slider-figure")
            assert figures.count() == CHAPTER.slider_figures
            for i in range(figures.count()):
                figure = figures.nth(i)
                handle = figure.locator(".l2-slider [role=slider]").first
                before = visible_frame(figure)
                handle.focus()
                at_end = handle.get_attribute("aria-valuenow") == (
                    handle.get_attribute("aria-valuemax")
                )
                page.keyboard.press("ArrowLeft" if at_end else "ArrowRight")
                page.wait_for_timeout(50)
                assert visible_frame(figure) != before, f"figure {i} did not move"
            assert not visit.missing, f"missing files: {visit.missing[:5]}"
            foreign = visit.foreign_requests(server.host)
            assert not foreign, f"requests left the page: {foreign[:5]}"
            errors = visit.unexpected_console_errors()
            assert not errors, f"console errors: {errors[:5]}"
        finally:
            context.close()


def test_an_unknown_chapter_stops_with_one_line(tmp_path):
    done = subprocess.run(
        ["make", "--no-print-directory", "page", "PAGE=no-such-chapter"]
        + [f"PAGE_DIR={tmp_path}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode != 0
    assert "no chapter book/no-such-chapter.md" in done.stdout
    assert not (tmp_path / "_build").exists()
