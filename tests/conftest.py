"""Shared fixtures: the built book, a local server for it, and headless Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILT_HTML = ROOT / "_build" / "html"
CHROMIUM_ARGS = [
    # Without these, Chromium phones home at start-up (update checks, sync),
    # which this machine's closed network refuses and which the tests would
    # count as requests to another host.
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    """Debian's Chromium; Playwright's own browser download does not work here."""
    path = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not path:
        # Failing, not skipping: a skipped browser test would look like a pass.
        pytest.fail("Chromium not found: install Debian's 'chromium' (see .ci/run)")
    return path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep pytest output readable
        pass


class StaticServer:
    """Serve a folder on 127.0.0.1 in a background thread."""

    def __init__(self, folder: Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.host = f"127.0.0.1:{self.httpd.server_port}"
        self.url = f"http://{self.host}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> StaticServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def built_book() -> Path:
    """The HTML book that `make book` built; the browser tests share it."""
    if not (BUILT_HTML / "index.html").exists():
        pytest.fail(f"{BUILT_HTML} has no index.html: run 'make book' first")
    return BUILT_HTML


@pytest.fixture(scope="session")
def book_server(built_book: Path) -> Iterator[StaticServer]:
    with StaticServer(built_book) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def pytest_collection_modifyitems(items) -> None:
    """Mark ``book`` every test that reads the built book, directly or through
    another fixture, so that ``make test-fast`` can leave them all out."""
    for item in items:
        if "built_book" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.book)
