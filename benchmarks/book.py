"""Measure the book: build times, chapter execution, page weight, slider latency.

Run after `make setup` (it builds the book itself):

    .venv/bin/python benchmarks/book.py   # prints and writes results/book.json

Timings depend on the machine and its load; they are recorded here, never
asserted in tests.
"""

from __future__ import annotations

import json
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from book_pages import chapters  # noqa: E402
from conftest import CHROMIUM_ARGS, StaticServer, chromium_path  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "book.json"
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"


def timed_build() -> float:
    start = time.perf_counter()
    subprocess.run(
        [str(JUPYTER_BOOK), "build", ".", "-W", "-n", "--keep-going"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


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


def browse(html_root: Path) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    pages = {}
    with StaticServer(html_root) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        for chapter in chapters():
            context = browser.new_context()
            page = context.new_page()
            sizes: dict[str, int] = {}
            page.on(
                "requestfinished",
                lambda r, sizes=sizes: sizes.__setitem__(
                    r.url, r.sizes()["responseBodySize"]
                ),
            )
            page.goto(f"{server.url}/{chapter.html}", wait_until="networkidle")
            latencies = []
            if chapter.slider_figures:
                page.wait_for_selector(".l2-slider-figure img.l2-frame")
                figures = page.locator(".l2-slider-figure")
                for i in range(figures.count()):
                    figure = figures.nth(i)
                    handle = figure.locator("[role=slider]").first
                    for _ in range(3):
                        handle.focus()
                        # Start the probe without waiting for it, then press.
                        figure.evaluate(
                            f"f => {{ window.l2Probe = ({LATENCY_PROBE})(f); }}"
                        )
                        page.keyboard.press("ArrowRight")
                        value = page.evaluate("() => window.l2Probe")
                        if value is not None:
                            latencies.append(value)
            pages[chapter.html] = {
                "requests": len(sizes),
                "bytes": sum(sizes.values()),
                "largest": sorted(
                    ((size, url.split("/", 3)[-1]) for url, size in sizes.items()),
                    reverse=True,
                )[:4],
                "slider_ms_median": round(statistics.median(latencies), 1)
                if latencies
                else None,
                "slider_ms_max": round(max(latencies), 1) if latencies else None,
            }
            context.close()
        browser.close()
    return pages


def main() -> None:
    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    clean = timed_build()
    rebuild = timed_build()
    results = {
        "machine": f"{platform.machine()}, {platform.python_version()}, "
        f"{len(__import__('os').sched_getaffinity(0))} cores",
        "clean_build_s": round(clean, 1),
        "no_change_rebuild_s": round(rebuild, 1),
        "chapter_execution_s": execution_seconds(),
        "pages": browse(ROOT / "_build" / "html"),
    }
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
