"""Measure the book: build times, chapter execution, page weight, slider latency.

Run after `make setup` (it builds the book itself):

    .venv/bin/python benchmarks/book.py              # builds, measures, writes results
    .venv/bin/python benchmarks/book.py --pages-only # measures the existing _build/html

Pages are served the way GitHub Pages serves them: text compressed with gzip,
and ``Cache-Control: max-age=600``. Chromium reports, per response, the bytes
that crossed the wire (``encodedDataLength``) and the decoded body; a page's
*first visit* starts from an empty cache, its *second-chapter* visit comes
right after another chapter in the same browser context, so shared assets come
from the cache.

Timings depend on the machine and its load (which is recorded); they are
written to results/book.json, never asserted in tests.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from book_pages import chapters  # noqa: E402
from conftest import CHROMIUM_ARGS, chromium_path  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "book.json"
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"

# What GitHub Pages compresses: text formats. Images and woff2 are compressed
# already and are sent as they are.
COMPRESSED_SUFFIXES = {".html", ".js", ".css", ".json", ".svg", ".txt", ".ttf", ".eot"}


class _PagesLikeHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with gzip and a 10-minute cache lifetime, like GitHub Pages."""

    def log_message(self, *args) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.is_file() and path.suffix in COMPRESSED_SUFFIXES):
            return super().do_GET()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class PagesLikeServer:
    def __init__(self, folder: Path) -> None:
        handler = functools.partial(_PagesLikeHandler, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> PagesLikeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def timed_build() -> tuple[float, float]:
    """Wall-clock and CPU seconds of ``make book`` (CPU: every process it ran).

    The CPU time barely depends on what else the machine runs; on an idle
    2-core machine the wall clock of a parallel build is about half of it.
    """
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(["make", "book"], cwd=ROOT, check=True, capture_output=True)
    wall = time.perf_counter() - start
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (
        cpu_after.ru_stime - cpu_before.ru_stime
    )
    return wall, cpu


def execution_seconds() -> dict[str, float]:
    """Per-chapter execution time, as recorded by the execution cache."""
    from jupyter_cache import get_cache

    cache = get_cache(ROOT / "_build" / ".jupyter_cache")
    times = {}
    for record in cache.list_cache_records():
        seconds = (record.data or {}).get("execution_seconds")
        if seconds is not None:
            times[Path(record.uri).name] = round(seconds, 2)
    return times


# Records the time a frame change is painted, relative to the key event.
LATENCY_PROBE = """
figure => new Promise(resolve => {
    const shown = () => [...figure.querySelectorAll('img.l2-frame')]
        .find(img => img.checkVisibility());
    const before = shown();
    let pressed = null;
    figure.addEventListener('keydown', e => { pressed = e.timeStamp; },
                            {capture: true, once: true});
    const observer = new MutationObserver(() => {
        if (pressed !== null && shown() !== before) {
            observer.disconnect();
            requestAnimationFrame(() => resolve(performance.now() - pressed));
        }
    });
    observer.observe(figure, {attributes: true, childList: true, subtree: true});
    setTimeout(() => { observer.disconnect(); resolve(null); }, 5000);
})
"""


class Traffic:
    """Per-request wire and body bytes, from Chromium's own network events."""

    def __init__(self, page) -> None:
        self.wire: dict[str, int] = {}
        self.body: dict[str, int] = {}
        self.urls: dict[str, str] = {}
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.dataReceived", self._data)
        cdp.on("Network.loadingFinished", self._finished)
        self.cdp = cdp

    def _sent(self, event) -> None:
        url = event["request"]["url"]
        if not url.startswith("data:"):
            self.urls[event["requestId"]] = url

    def _data(self, event) -> None:
        rid = event["requestId"]
        self.body[rid] = self.body.get(rid, 0) + event["dataLength"]

    def _finished(self, event) -> None:
        self.wire[event["requestId"]] = int(event["encodedDataLength"])

    def reset(self) -> None:
        self.wire.clear()
        self.body.clear()
        self.urls.clear()

    def summary(self) -> dict:
        ids = [rid for rid in self.urls if rid in self.wire]
        largest = sorted(
            ((self.body.get(rid, 0), self.urls[rid].split("/", 3)[-1]) for rid in ids),
            reverse=True,
        )[:4]
        return {
            "requests": len(ids),
            "requests_over_network": sum(1 for rid in ids if self.wire[rid] > 0),
            "wire_bytes": sum(self.wire[rid] for rid in ids),
            "raw_bytes": sum(self.body.get(rid, 0) for rid in ids),
            "largest_raw": largest,
        }


def slider_latencies(page) -> list[float]:
    latencies = []
    page.wait_for_selector(".l2-slider-figure img.l2-frame")
    figures = page.locator(".l2-slider-figure")
    for i in range(figures.count()):
        figure = figures.nth(i)
        handle = figure.locator("[role=slider]").first
        for _ in range(3):
            handle.focus()
            # Start the probe without waiting for it, then press.
            figure.evaluate(f"f => {{ window.l2Probe = ({LATENCY_PROBE})(f); }}")
            page.keyboard.press("ArrowRight")
            value = page.evaluate("() => window.l2Probe")
            if value is not None:
                latencies.append(value)
    return latencies


def visit(page, traffic: Traffic, url: str) -> dict:
    traffic.reset()
    page.goto(url, wait_until="networkidle")
    return traffic.summary()


def browse(html_root: Path) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    pages = {}
    book = chapters()
    with PagesLikeServer(html_root) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        for chapter in book:
            # First visit: a fresh context has an empty cache.
            context = browser.new_context()
            page = context.new_page()
            traffic = Traffic(page)
            first = visit(page, traffic, f"{server.url}/{chapter.html}")
            latencies = slider_latencies(page) if chapter.slider_figures else []
            context.close()

            # Second chapter: another chapter with sliders first, then this one.
            before = next(
                c for c in book if c.slider_figures and c.html != chapter.html
            )
            context = browser.new_context()
            page = context.new_page()
            traffic = Traffic(page)
            visit(page, traffic, f"{server.url}/{before.html}")
            second = visit(page, traffic, f"{server.url}/{chapter.html}")
            context.close()

            pages[chapter.html] = {
                "first_visit_gzip_bytes": first["wire_bytes"],
                "second_chapter_gzip_bytes": second["wire_bytes"],
                "raw_bytes": first["raw_bytes"],
                "requests": first["requests"],
                "second_chapter_requests_over_network": second["requests_over_network"],
                "largest_raw": first["largest_raw"],
                "slider_ms_median": round(statistics.median(latencies), 1)
                if latencies
                else None,
                "slider_ms_max": round(max(latencies), 1) if latencies else None,
            }
        browser.close()
    return pages


def print_table(pages: dict[str, dict]) -> None:
    print(
        f"{'page':28} {'first gzip':>11} {'2nd gzip':>10} {'raw':>10} "
        f"{'requests':>8} {'slider ms':>9}"
    )
    for name, p in pages.items():
        slider = "-" if p["slider_ms_median"] is None else f"{p['slider_ms_median']}"
        print(
            f"{name:28} {p['first_visit_gzip_bytes']:>11,} "
            f"{p['second_chapter_gzip_bytes']:>10,} {p['raw_bytes']:>10,} "
            f"{p['requests']:>8} {slider:>9}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="measure the pages of the existing _build/html; do not build",
    )
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()

    results: dict = {
        "machine": f"{platform.machine()}, {platform.python_version()}, "
        f"{len(os.sched_getaffinity(0))} cores",
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    if not args.pages_only:
        shutil.rmtree(ROOT / "_build", ignore_errors=True)
        clean_wall, clean_cpu = timed_build()
        rebuild_wall, rebuild_cpu = timed_build()
        results["clean_build_s"] = round(clean_wall, 1)
        results["clean_build_cpu_s"] = round(clean_cpu, 1)
        results["no_change_rebuild_s"] = round(rebuild_wall, 1)
        results["no_change_rebuild_cpu_s"] = round(rebuild_cpu, 1)
        results["chapter_execution_s"] = execution_seconds()
        results["load_average_after_builds"] = [round(x, 2) for x in os.getloadavg()]
    results["pages"] = browse(args.html)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps({k: v for k, v in results.items() if k != "pages"}, indent=2))
    print_table(results["pages"])


if __name__ == "__main__":
    main()
