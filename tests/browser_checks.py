"""The checks every built page must pass in a real browser.

Shared by the tests of the freshly built book and of the packed site archive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

AXE_JS = Path(__file__).resolve().parent.parent / "node_modules/axe-core/axe.min.js"

# axe-core impacts that fail a page; "minor" and "moderate" are reported only.
AXE_FAILING_IMPACTS = {"serious", "critical"}

# axe-core rules switched off on every page, each with the reason. Keep in step
# with the README ("Accessibility"). Empty: every rule runs.
AXE_DISABLED_RULES: dict[str, str] = {}

# Console messages that are not faults of the book, each with why. Empty: any
# console error fails a page (sphinx-thebe's doubled THEBE_JS_URL script, once
# listed here, is now dropped by tools/book_assets.py).
CONSOLE_ALLOW: dict[str, str] = {}

# The smallest text a frame may show, in CSS px as displayed; the frames are
# drawn to it (l2course.sliders.MIN_TEXT_PX), this checks what the reader sees.
MIN_TEXT_PX = 11.0

# WCAG 2.2 target size (minimum) for the slider handles.
MIN_TARGET_PX = 24

# Schemes that never leave the browser.
LOCAL_SCHEMES = {"data", "blob", "about"}


@dataclass
class PageVisit:
    """What a page did while it loaded and while we moved its sliders."""

    requests: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # responses with status >= 400
    console_errors: list[str] = field(default_factory=list)

    def foreign_requests(self, local_host: str) -> list[str]:
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in LOCAL_SCHEMES
            and urlsplit(url).netloc != local_host
        ]

    def unexpected_console_errors(self) -> list[str]:
        return [
            text
            for text in self.console_errors
            if not any(allowed in text for allowed in CONSOLE_ALLOW)
        ]


def open_page(
    browser,
    url: str,
    *,
    color_scheme: str = "light",
    wait_until: str = "load",
    before_load=None,
    **context_options,
):
    """Open ``url`` in a fresh context, recording every request and console error.

    ``context_options`` go to ``browser.new_context`` (a phone's viewport, touch);
    ``before_load(context)`` runs before the page is requested (to hold back a
    script, say).
    """
    context = browser.new_context(color_scheme=color_scheme, **context_options)
    if before_load is not None:
        before_load(context)
    page = context.new_page()
    visit = PageVisit()
    # Recorded at the context level so requests from workers and frames count too.
    context.on("request", lambda request: visit.requests.append(request.url))
    context.on(
        "response",
        lambda response: (
            visit.missing.append(f"{response.status} {response.url}")
            if response.status >= 400
            else None
        ),
    )
    page.on(
        "console",
        lambda msg: (
            visit.console_errors.append(msg.text) if msg.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: visit.console_errors.append(str(error)))
    page.goto(url, wait_until=wait_until)
    return context, page, visit


def wait_for_widgets(page, expected_figures: int, timeout_ms: int = 20_000) -> None:
    """Wait until every slider figure has been rendered by the widget manager."""
    page.wait_for_function(
        "n => document.querySelectorAll('.l2-slider-figure').length >= n"
        " && [...document.querySelectorAll('.l2-slider-figure')].every("
        "   f => f.querySelector('img.l2-frame') && f.querySelector('.l2-slider'))",
        arg=expected_figures,
        timeout=timeout_ms,
    )


def visible_frame(figure) -> str:
    """The src of the frame currently shown in a slider figure."""
    return figure.evaluate(
        """f => {
            const shown = [...f.querySelectorAll('img.l2-frame')]
                .filter(img => img.checkVisibility());
            if (shown.length !== 1) throw new Error(shown.length + ' frames visible');
            return shown[0].src;
        }"""
    )


def wait_for_mathjax(page, timeout_ms: int = 20_000) -> int:
    """Wait for MathJax to finish typesetting; return how many formulas it set."""
    page.wait_for_function(
        "() => window.MathJax && MathJax.startup && MathJax.startup.promise",
        timeout=timeout_ms,
    )
    page.evaluate("() => MathJax.startup.promise")
    return page.evaluate("() => document.querySelectorAll('mjx-container').length")


def accessibility_violations(page, context: str | None = None) -> list[str]:
    """Run axe-core in the page; return its serious and critical violations.

    axe is injected from node_modules as an inline script: the page still makes
    no request to another host. ``context`` limits the audit to a CSS selector.
    """
    if not AXE_JS.exists():
        raise FileNotFoundError(f"{AXE_JS} is missing: run 'npm ci' (make setup)")
    page.add_script_tag(path=str(AXE_JS))
    options = {
        "resultTypes": ["violations"],
        "rules": {rule: {"enabled": False} for rule in AXE_DISABLED_RULES},
    }
    result = page.evaluate(
        "([context, options]) => axe.run(context || document, options)",
        [context, options],
    )
    return [
        f"{violation['impact']} {violation['id']}: {violation['help']} "
        f"({len(violation['nodes'])} nodes, e.g. {violation['nodes'][0]['target']})"
        for violation in result["violations"]
        if violation["impact"] in AXE_FAILING_IMPACTS
    ]


def frame_text_sizes(page) -> list[dict]:
    """Each visible frame's smallest text as displayed, in CSS px.

    l2course.sliders records on every frame the smallest font it was drawn
    with, in pixels of the image (``data-min-text-px``); scaled by the width
    the page shows the image at, that is the size the reader sees.
    """
    return page.evaluate(
        """() => [...document.querySelectorAll(
                'img.l2-frame, img.l2-first-frame-img')]
            .filter(img => img.checkVisibility())
            .map(img => ({
                alt: img.alt.slice(0, 60),
                natural: img.naturalWidth,
                shown: img.getBoundingClientRect().width,
                text_px: Number(img.dataset.minTextPx)
                    * img.getBoundingClientRect().width / img.naturalWidth,
            }))"""
    )


def overflowing_equations(page) -> list[dict]:
    """Display equations wider than their box that cannot be scrolled into view.

    An equation is cut off when its typeset content is wider than the box it
    sits in and neither that box nor one around it inside the text column
    scrolls sideways.
    """
    return page.evaluate(
        """() => [...document.querySelectorAll('mjx-container[display="true"]')]
            .map(m => {
                const content = m.firstElementChild.getBoundingClientRect();
                const box = m.getBoundingClientRect();
                let scrolls = false;
                for (let e = m; e && !e.matches('.bd-article'); e = e.parentElement) {
                    const overflow = getComputedStyle(e).overflowX;
                    if ((overflow === 'auto' || overflow === 'scroll')
                        && e.scrollWidth > e.clientWidth) { scrolls = true; }
                }
                return {tex: (m.querySelector('mjx-assistive-mml') || m)
                            .textContent.slice(0, 60),
                        content: content.width, box: box.width, scrolls};
            })
            .filter(e => e.content > e.box + 1 && !e.scrolls)"""
    )


def equations_wider_than_their_box(page) -> list[str]:
    """Display equations that need a sideways scroll at this width."""
    return page.evaluate(
        """() => [...document.querySelectorAll('mjx-container[display="true"]')]
            .filter(m => m.firstElementChild.getBoundingClientRect().width
                         > m.getBoundingClientRect().width + 1)
            .map(m => (m.querySelector('mjx-assistive-mml') || m)
                         .textContent.slice(0, 60))"""
    )


def missing_icons(page) -> list[str]:
    """Visible Font Awesome icons that draw no glyph.

    The theme's stylesheet draws an icon as the ``::before`` content of an
    element with an ``fa-`` class, in the Font Awesome web font; the icon shows
    when that content is set, the element has a size, and the font loaded.
    """
    return page.evaluate(
        """async () => {
            await document.fonts.ready;
            const loaded = [...document.fonts]
                .filter(f => f.status === 'loaded' && /Font Awesome/.test(f.family));
            const missing = [];
            for (const el of document.querySelectorAll('[class*="fa-"]')) {
                if (!el.checkVisibility()) continue;
                const before = getComputedStyle(el, '::before');
                const box = el.getBoundingClientRect();
                const family = before.fontFamily;
                const fontLoaded = loaded.some(f => family.includes(
                    f.family.replace(/"/g, '')));
                if (before.content === 'none' || before.content === ''
                    || box.width < 1 || box.height < 1 || !fontLoaded) {
                    missing.push(el.className + ' ' + before.content + ' ' + family);
                }
            }
            return missing;
        }"""
    )
