"""Make a plain ``.ipynb`` of every chapter, for download and for launch buttons.

The chapters are MyST Markdown notebooks. Readers want a notebook they can open
in JupyterLab, so this module converts each chapter with jupytext into a
notebook with no outputs (the reader runs it) and puts it in two places:

* ``book/<name>.ipynb``, beside its source and ignored by git and by Sphinx.
  sphinx-book-theme's launch buttons (Binder, JupyterHub, Colab) link to the
  ``.ipynb`` when one exists beside the source, and the GitHub workflow
  publishes these files on the ``notebooks`` branch that the buttons open.
* ``_build/html/_sources/book/<name>.ipynb``, the file behind the page's
  download button. sphinx-book-theme puts myst-nb's *executed* notebook there
  (megabytes of frames and widget state); the clean one replaces it when the
  build finishes.

As a Sphinx extension (``sphinx.local_extensions`` in ``_config.yml``) it does
both during ``jupyter-book build``. As a script it writes the first set only:
``python tools/chapter_notebooks.py`` (what ``make notebooks`` runs).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import jupytext
import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent

#: Tag on the cell that only Colab runs; tests and readers can find it by it.
COLAB_TAG = "colab-setup"

#: The Colab cell installs the repository's root project, the course package
#: alone: the instructor's grader is another distribution (autograder/pyproject.toml).
COLAB_CELL = """\
# Runs on Google Colab only: Colab lacks this course's package and needs its
# widget manager switched on. JupyterLab and Binder have both already.
import sys

if "google.colab" in sys.modules:
    %pip install --quiet "l2course @ git+{repository_url}@{branch}"
    from google.colab import output

    output.enable_custom_widget_manager()
"""


def is_chapter_notebook(source: Path) -> bool:
    """A MyST Markdown notebook: a ``.md`` file whose header names a kernel."""
    if source.suffix != ".md":
        return False
    text = source.read_text(encoding="utf-8")
    return text.startswith("---") and "kernelspec:" in text.split("\n---", 1)[0]


def to_notebook(
    source: Path, repository_url: str, branch: str
) -> nbformat.NotebookNode:
    """The chapter as a notebook with no outputs, plus a Colab-only set-up cell."""
    notebook = jupytext.read(source)
    # The jupytext header says "I am a Markdown file"; this copy is not.
    notebook.metadata.pop("jupytext", None)
    setup = nbformat.v4.new_code_cell(
        COLAB_CELL.format(repository_url=repository_url.rstrip("/"), branch=branch),
        metadata={"tags": [COLAB_TAG]},
    )
    notebook.cells.insert(0, setup)
    for cell in notebook.cells:
        # A `:load: _shared/x.py` cell is empty in the Markdown; myst-nb fills it
        # when it builds. The reader's notebook must run on its own, so inline it.
        loaded = cell.metadata.pop("load", None)
        if loaded:
            cell.source = (source.parent / loaded).read_text(encoding="utf-8").strip()
    for position, cell in enumerate(notebook.cells):
        # Ids are random by default; derive them from the position so that an
        # unchanged chapter gives a byte-identical notebook.
        cell.id = f"cell-{position}"
    return notebook


def write_if_changed(notebook: nbformat.NotebookNode, target: Path) -> bool:
    text = nbformat.writes(notebook) + "\n"
    if target.exists() and target.read_text(encoding="utf-8") == text:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return True


def toc_sources(root: Path = ROOT) -> list[Path]:
    """The chapter sources listed in ``_toc.yml`` that are notebooks."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    names = [toc["root"]]
    names += [entry["file"] for entry in toc.get("chapters", [])]
    for part in toc.get("parts", []):
        names += [entry["file"] for entry in part.get("chapters", [])]
    sources = [root / f"{name}.md" for name in names]
    return [source for source in sources if is_chapter_notebook(source)]


def repository(root: Path = ROOT) -> tuple[str, str]:
    """(url, branch) from ``_config.yml``: the one place they are set."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    repo = config.get("repository", {})
    return repo.get("url", ""), repo.get("branch", "main")


# --- Sphinx extension -------------------------------------------------------


def _notebook_docs(app) -> list[str]:
    docs = []
    for docname in sorted(app.env.found_docs):
        if is_chapter_notebook(Path(app.env.doc2path(docname))):
            docs.append(docname)
    return docs


def _write_beside_sources(app, env) -> None:
    """Before pages are written, so the launch buttons see the ``.ipynb``."""
    options = app.config.html_theme_options
    url = options.get("repository_url", "")
    branch = options.get("repository_branch", "main")
    for docname in _notebook_docs(app):
        source = Path(env.doc2path(docname))
        write_if_changed(to_notebook(source, url, branch), source.with_suffix(".ipynb"))


def _replace_downloads(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for docname in _notebook_docs(app):
        notebook = Path(app.env.doc2path(docname)).with_suffix(".ipynb")
        target = Path(app.outdir) / "_sources" / f"{docname}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(notebook, target)


def setup(app) -> dict:
    app.connect("env-updated", _write_beside_sources)
    app.connect("build-finished", _replace_downloads)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def main() -> None:
    url, branch = repository()
    for source in toc_sources():
        target = source.with_suffix(".ipynb")
        changed = write_if_changed(to_notebook(source, url, branch), target)
        print(f"{'wrote' if changed else 'kept '} {target.relative_to(ROOT)}")


if __name__ == "__main__":
    if len(sys.argv) != 1:
        sys.exit(__doc__.strip().splitlines()[0])
    main()
