"""A downloaded chapter runs in JupyterLab, and its sliders work there.

JupyterLab (from requirements.txt) is started on 127.0.0.1 in an empty folder
holding only the chapter's downloaded notebook; headless Chromium opens it,
runs every cell, and moves each slider of the first figure with the keyboard.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from book_pages import chapters
from browser_checks import visible_frame

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WITH_SLIDERS = [chapter for chapter in chapters() if chapter.slider_figures]
START_TIMEOUT_S = 120
RUN_TIMEOUT_MS = 300_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"JupyterLab exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer:\n{log.read_text()[-3000:]}")


def test_downloaded_chapter_runs_in_jupyterlab_and_sliders_move(
    browser, built_book, tmp_path
):
    assert WITH_SLIDERS, "no chapter has a slider figure"
    chapter = WITH_SLIDERS[0]
    name = Path(chapter.html).with_suffix(".ipynb").name
    work = tmp_path / "student"
    work.mkdir()
    download = built_book / "_sources" / chapter.html.replace(".html", ".ipynb")
    shutil.copyfile(download, work / name)

    # A private settings folder: no windowing, so every output stays in the DOM.
    settings = tmp_path / "lab-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(
        json.dumps({"windowingMode": "none"})
    )
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "lab-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
    }
    port, token = free_port(), secrets.token_hex(16)
    log = tmp_path / "jupyterlab.log"
    with log.open("w") as log_file:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyterlab",
                "--no-browser",
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={port}",
                "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={token}",
                f"--ServerApp.root_dir={work}",
                # This machine and CI run as root; a user account needs no flag.
                "--ServerApp.allow_root=True",
            ],
            cwd=work,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    context = None
    try:
        wait_until_up(f"{base}/api/status?token={token}", process, log)
        context = browser.new_context()
        # JupyterLab may look for news or extensions online; this machine has
        # no internet and the test needs none.
        context.route(lambda url: not url.startswith(base), lambda route: route.abort())
        page = context.new_page()
        page.goto(f"{base}/lab/tree/{name}?token={token}")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        # Run All before the kernel is connected runs nothing: wait for it.
        page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=60_000)
        page.locator(".jp-Notebook").first.click()
        page.keyboard.press("Escape")  # command mode; keep focus in the notebook
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.locator("li[data-command='runmenu:run-all']").click()
        # Run All has finished when no code cell waits ([*]) and some have run;
        # after an error the cells below it stay unnumbered.
        prompts = "[...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]"
        page.wait_for_function(
            f"""() => {{
                const texts = {prompts}.map(p => p.textContent);
                return !texts.some(t => t.includes('*'))
                    && texts.some(t => /\\d/.test(t));
            }}""",
            timeout=RUN_TIMEOUT_MS,
        )
        unrun = page.evaluate(
            f"{prompts}.filter(p => !/\\d/.test(p.textContent)).length"
        )
        stderr = page.locator(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
        ).all_inner_texts()
        assert unrun == 0, f"{unrun} code cells did not run; stderr:\n{stderr}"
        figures = page.locator(".l2-slider-figure")
        assert figures.count() == chapter.slider_figures

        figure = page.locator(".l2-slider-figure").first
        figure.scroll_into_view_if_needed()
        handles = figure.locator(".l2-slider [role=slider]")
        for j in range(handles.count()):
            before = visible_frame(figure)
            handles.nth(j).focus()
            page.keyboard.press("ArrowRight")
            page.wait_for_function(
                "([f, src]) => [...f.querySelectorAll('img.l2-frame')]"
                ".some(i => i.checkVisibility() && i.src !== src)",
                arg=[figure.element_handle(), before],
                timeout=10_000,
            )
    finally:
        if context is not None:
            context.close()
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
