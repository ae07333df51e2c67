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

# Console messages that are not faults of the book. Each entry names why.
CONSOLE_ALLOW = {
    # sphinx-thebe (bundled with jupyter-book 1.0.4) writes its configuration
    # script twice on every page; the second copy fails to redeclare a const.
    # Thebe (live code in the page) is not used by this book.
    "Identifier 'THEBE_JS_URL' has already been declared": "sphinx-thebe duplicate",
}

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


def open_page(browser, url: str, *, color_scheme: str = "light"):
    """Open ``url`` in a fresh context, recording every request and console error."""
    context = browser.new_context(color_scheme=color_scheme)
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
    page.goto(url, wait_until="load")
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
