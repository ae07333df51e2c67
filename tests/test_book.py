"""The book builds cleanly, every chapter executes, nothing generated is tracked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from book_pages import ROOT, chapters
from jupyter_cache import get_cache

pytestmark = pytest.mark.slow


def tracked_files(pattern: str) -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", pattern],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [ROOT / name for name in listed]


def test_rebuild_has_no_warnings(built_book, tmp_path):
    # Into a scratch folder, so the built book other tests serve stays as it
    # is; the execution cache is shared, so no chapter runs again.
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run(
        [
            str(jupyter_book),
            "build",
            ".",
            "-W",
            "-n",
            "--keep-going",
            "--path-output",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "build succeeded" in result.stdout
    assert "WARNING" not in result.stdout.replace("[IPKernelApp] WARNING", "")


def test_every_chapter_executed_without_error(built_book):
    cache = get_cache(ROOT / "_build" / ".jupyter_cache")
    cached = {Path(record.uri).resolve() for record in cache.list_cache_records()}
    for chapter in chapters():
        if "code-cell" not in chapter.source.read_text():
            continue
        assert chapter.source.resolve() in cached, (
            f"{chapter.source.name} never executed"
        )
        assert (built_book / chapter.html).exists()
    reports = list((built_book / "reports").rglob("*.err.log"))
    assert not reports, f"execution errors logged: {reports}"


def test_every_chapter_is_a_myst_notebook_without_outputs():
    sources = tracked_files("book/*.md")
    assert sources, "no chapter is tracked"
    for source in sources:
        text = source.read_text()
        if "code-cell" in text:
            assert text.startswith("---\njupytext:"), (
                f"{source.name}: no jupytext header"
            )


def test_no_tracked_notebook_has_outputs():
    for notebook in tracked_files("*.ipynb"):
        nb = json.loads(notebook.read_text())
        assert "widgets" not in nb.get("metadata", {}), f"{notebook}: widget state"
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert not cell.get("outputs"), f"{notebook}: committed outputs"
                assert cell.get("execution_count") is None, (
                    f"{notebook}: execution count"
                )


def test_toc_lists_only_existing_chapters():
    for chapter in chapters():
        assert chapter.source.exists(), f"_toc.yml lists a missing {chapter.source}"
