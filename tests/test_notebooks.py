"""Every chapter offers its notebook, and that notebook runs on its own.

The download button serves ``_sources/<chapter>.ipynb`` and the launch buttons
open ``<chapter>.ipynb`` in the repository (tools/chapter_notebooks.py writes
both from the MyST source). Here each one is executed with nbclient in a fresh
kernel, in an empty folder, as a student who downloaded it would run it: only
the environment from requirements.txt, no book around it.
"""

from __future__ import annotations

import re
import shutil
import sys
from html import unescape
from pathlib import Path

import nbformat
import pytest
import yaml
from book_pages import Chapter, chapters
from conftest import ROOT
from nbclient import NotebookClient

sys.path.insert(0, str(ROOT / "tools"))
from chapter_notebooks import COLAB_TAG, is_chapter_notebook  # noqa: E402

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
ROOT_PAGE = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))["root"]
CHAPTERS = [c for c in chapters() if c.html != f"{ROOT_PAGE}.html"]
NOTEBOOK_CHAPTERS = [c for c in chapters() if is_chapter_notebook(c.source)]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# A chapter may take this long to run top to bottom in a fresh kernel.
CELL_TIMEOUT_S = 300


def download_of(built_book: Path, chapter: Chapter) -> Path:
    return built_book / "_sources" / chapter.html.replace(".html", ".ipynb")


def links(page: Path) -> list[str]:
    return [unescape(href) for href in re.findall(r'href="([^"]+)"', page.read_text())]


def test_every_chapter_is_a_notebook():
    """Buttons appear only on notebook pages, so every chapter must be one."""
    plain = [c.source.name for c in CHAPTERS if not is_chapter_notebook(c.source)]
    assert not plain, f"chapters without a jupytext kernelspec header: {plain}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.html for c in CHAPTERS])
def test_chapter_offers_download_and_launch_buttons(built_book, chapter):
    page = built_book / chapter.html
    hrefs = links(page)
    name = chapter.html.replace(".html", ".ipynb")  # book/penalty.ipynb

    download = [h for h in hrefs if h.endswith(f"_sources/{name}")]
    assert download, f"{chapter.html}: no .ipynb download link"
    assert download_of(built_book, chapter).is_file()

    launch = CONFIG["launch_buttons"]
    hub = [h for h in hrefs if h.startswith(launch["jupyterhub_url"].rstrip("/"))]
    binder = [h for h in hrefs if h.startswith(launch["binderhub_url"].rstrip("/"))]
    colab = [h for h in hrefs if h.startswith(launch["colab_url"].rstrip("/"))]
    for service, found in [("JupyterHub", hub), ("Binder", binder), ("Colab", colab)]:
        assert len(found) == 1, f"{chapter.html}: {len(found)} {service} buttons"
        # They open the generated notebook, not the Markdown source.
        assert name in found[0], f"{service} does not open {name}: {found[0]}"
    branch = CONFIG["repository"]["branch"]
    assert f"branch={branch}" in hub[0] and "/hub/user-redirect/git-pull?" in hub[0]
    assert f"/{branch}?urlpath=lab/tree/{name}" in binder[0]
    assert colab[0].endswith(f"/blob/{branch}/{name}")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.html for c in CHAPTERS])
def test_download_is_the_clean_notebook_the_launch_buttons_open(built_book, chapter):
    download = download_of(built_book, chapter)
    beside_source = chapter.source.with_suffix(".ipynb")
    assert download.read_bytes() == beside_source.read_bytes()
    notebook = nbformat.read(download, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    assert "jupytext" not in notebook.metadata, "the copy must not claim to be .md"
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(not cell.outputs for cell in code), "downloads carry no outputs"
    assert COLAB_TAG in notebook.cells[0].metadata.get("tags", [])


@pytest.mark.slow
@pytest.mark.parametrize(
    "chapter", NOTEBOOK_CHAPTERS, ids=[c.html for c in NOTEBOOK_CHAPTERS]
)
def test_downloaded_notebook_runs_top_to_bottom(built_book, chapter, tmp_path):
    """A fresh kernel in an empty folder; the sliders come out as live widgets."""
    notebook_path = tmp_path / Path(chapter.html).with_suffix(".ipynb").name
    shutil.copyfile(download_of(built_book, chapter), notebook_path)
    notebook = nbformat.read(notebook_path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError, with the cell, on any error

    views = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if WIDGET_VIEW in output.get("data", {})
    ]
    assert len(views) == chapter.slider_figures, (
        f"{chapter.html}: {len(views)} widget outputs, "
        f"{chapter.slider_figures} slider figures"
    )
    if chapter.slider_figures:
        state = notebook.metadata.widgets["application/vnd.jupyter.widget-state+json"]
        models = {model["model_name"] for model in state["state"].values()}
        assert {"StackModel", "SelectionSliderModel"} <= models


def test_load_cells_are_inlined_in_the_readers_notebook(tmp_path):
    """A chapter's `:load: _shared/x.py` cell must carry the file's code, since
    the downloaded notebook runs with no book folder around it."""
    from chapter_notebooks import to_notebook

    (tmp_path / "_shared").mkdir()
    helper = tmp_path / "_shared" / "helper.py"
    helper.write_text("def helper():\n    return 41 + 1\n")
    source = tmp_path / "chapter.md"
    source.write_text(
        "---\njupytext:\n  text_representation:\n    extension: .md\n"
        "    format_name: myst\nkernelspec:\n  display_name: Python 3\n"
        "  language: python\n  name: python3\n---\n\n# A chapter\n\n"
        "```{code-cell} ipython3\n:load: _shared/helper.py\n```\n\n"
        "```{code-cell} ipython3\nhelper()\n```\n"
    )
    notebook = to_notebook(source, "https://example.org/repo", "main")
    code = [cell for cell in notebook.cells if cell.cell_type == "code"][1:]
    assert code[0].source == "def helper():\n    return 41 + 1"
    assert "load" not in code[0].metadata
    assert code[1].source == "helper()"


@pytest.mark.parametrize(
    "chapter", NOTEBOOK_CHAPTERS, ids=[c.html for c in NOTEBOOK_CHAPTERS]
)
def test_every_loaded_file_exists(chapter):
    """A `:load:` path that does not resolve would fail the build; say which."""
    text = chapter.source.read_text()
    for path in re.findall(r"^:load: (\S+)$", text, flags=re.M):
        loaded = chapter.source.parent / path
        assert loaded.is_file(), f"{chapter.source.name}: {path}"
