"""Write the nbgrader source notebooks from their text sources.

Each assignment is a plain Python file in jupytext's percent format,
``exercises/<name>.py``, so that it can be read, diffed and linted like code.
This script reads it with jupytext and writes ``exercises/<name>/<name>.ipynb``,
the notebook nbgrader reads, with nbgrader's cell metadata and no outputs.
The format is described in exercises/README.md.

    python exercises/build_notebooks.py           # rewrite every notebook
    python exercises/build_notebooks.py --check   # fail if one is out of date
    python exercises/build_notebooks.py --list    # the assignments, one a line

The text sources sit next to the assignment folders, not inside them:
nbgrader copies everything inside an assignment folder to the students,
and these files hold the solutions.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import jupytext
import nbformat
import yaml
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

EXERCISES = Path(__file__).resolve().parent
ROOT = EXERCISES.parent
BOOK = ROOT / "book"

# An assignment is a source file named a<number>_<topic>.py in this folder.
SOURCE_GLOB = "a[0-9]*_*.py"
SOURCE_NAME = re.compile(r"^a\d+_\w+$")

# Handed out beside each notebook (nbgrader copies the assignment's folder).
HANDOUT_CONFIG = """\
# Handed out with the notebook, so that `nbgrader validate` run in this folder
# finds a configuration (no "No nbgrader_config.py file found" warning) and
# talks to its kernel over local sockets (no "Kernel is running over TCP
# without encryption" warning). The course's own settings are elsewhere.
c = get_config()  # noqa: F821
c.KernelManager.transport = "ipc"
"""

CHAPTER = re.compile(r"\{chapter:(?P<page>[\w-]+)\}")
# The keys a cell header may carry, and what each makes of the cell.
ROLES = ("solution", "test", "locked")


def assignments() -> tuple[str, ...]:
    """Every assignment, discovered from the sources in exercises/, in order."""
    names = (path.stem for path in EXERCISES.glob(SOURCE_GLOB))
    return tuple(sorted(name for name in names if SOURCE_NAME.match(name)))


def book_url() -> str:
    """The published book's address, from _config.yml.

    ``html: baseurl`` wins when set; otherwise the GitHub Pages address of
    ``repository: url`` (where .github/workflows/book.yml publishes the book).
    """
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    baseurl = (config.get("html") or {}).get("baseurl")
    if baseurl:
        return baseurl.rstrip("/") + "/"
    repository = config["repository"]["url"].rstrip("/")
    match = re.fullmatch(
        r"https://github\.com/(?P<owner>[^/]+)/(?P<repo>[^/]+)", repository
    )
    if not match:
        raise ValueError(
            f"set html: baseurl in _config.yml: {repository} is not on "
            "GitHub, so the book's address cannot be derived from it"
        )
    return f"https://{match['owner'].lower()}.github.io/{match['repo']}/"


def chapter_title(page: str) -> str:
    """The first heading of book/<page>.md, outside its front matter and code."""
    text = (BOOK / f"{page}.md").read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
    in_code = False
    for line in body.splitlines():
        if line.startswith(("```", ":::")):
            in_code = not in_code
        elif not in_code and line.startswith("# "):
            return line[2:].strip()
    raise ValueError(f"book/{page}.md has no '# ' heading")


def chapter_link(match: re.Match[str]) -> str:
    """``{chapter:page}`` as the chapter's title, linked to its page in the book."""
    page = match["page"]
    return f"[*{chapter_title(page)}*]({book_url()}book/{page}.html)"


def nbgrader_metadata(metadata: dict, where: str) -> dict | None:
    """nbgrader's cell metadata (schema 3) for one cell's header keys."""
    if "incorrectly_encoded_metadata" in metadata:
        raise ValueError(
            f"{where}: jupytext could not read the header "
            f"{metadata['incorrectly_encoded_metadata']!r}: quote "
            'string values, e.g. solution="l2_grad"'
        )
    keys = {
        key: value for key, value in metadata.items() if key != "lines_to_next_cell"
    }
    if not keys:
        return None
    roles = [role for role in ROLES if role in keys]
    unknown = set(keys) - set(ROLES) - {"points"}
    if len(roles) != 1 or unknown:
        raise ValueError(f"{where}: a cell has one of {ROLES}, got {sorted(keys)}")
    (role,) = roles
    base = {
        "grade": False,
        "locked": False,
        "schema_version": 3,
        "solution": False,
        "task": False,
        "grade_id": str(keys[role]),
    }
    if role == "solution":
        return base | {"solution": True}
    if role == "test":
        if not isinstance(keys.get("points"), int) or keys["points"] <= 0:
            raise ValueError(f"{where}: a test cell needs points=<positive int>")
        return base | {"grade": True, "locked": True, "points": keys["points"]}
    return base | {"locked": True}


def read_cells(name: str) -> list[nbformat.NotebookNode]:
    """The notebook cells of one source, with nbgrader's metadata."""
    source = jupytext.read(EXERCISES / f"{name}.py", fmt="py:percent")
    cells: list[nbformat.NotebookNode] = []
    for number, parsed in enumerate(source.cells):
        where = f"exercises/{name}.py, cell {number}"
        metadata = nbgrader_metadata(dict(parsed.metadata), where)
        if (
            metadata is None
            and number == 0
            and parsed.cell_type == "code"
            and all(line.startswith("#") for line in parsed.source.splitlines())
        ):
            continue  # the file's own comment preamble, for maintainers only
        if metadata is None:
            raise ValueError(f"{where}: every cell needs a header key {ROLES}")
        if parsed.cell_type == "markdown":
            cell = new_markdown_cell(CHAPTER.sub(chapter_link, parsed.source))
        else:
            cell = new_code_cell(parsed.source)
        cell.metadata["nbgrader"] = metadata
        # Stable ids keep the committed notebook byte-for-byte reproducible.
        cell.id = metadata["grade_id"]
        cells.append(cell)
    return cells


def build(name: str) -> str:
    """The notebook for one assignment, as the JSON text nbformat writes."""
    notebook = new_notebook(cells=read_cells(name))
    notebook.metadata = {
        "kernelspec": {
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        },
        "language_info": {"name": "python"},
    }
    nbformat.validate(notebook)
    return nbformat.writes(notebook) + "\n"


def notebook_path(name: str) -> Path:
    return EXERCISES / name / f"{name}.ipynb"


def generated(name: str) -> dict[Path, str]:
    """Every file written for one assignment, with its text."""
    return {
        notebook_path(name): build(name),
        EXERCISES / name / "nbgrader_config.py": HANDOUT_CONFIG,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="only report notebooks that differ from their source",
    )
    parser.add_argument(
        "--list",
        action="store_true",
        help="print the assignments found in exercises/ and stop",
    )
    parser.add_argument("names", nargs="*", default=list(assignments()))
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(args.names))
        return 0
    stale = []
    for name in args.names:
        for path, text in generated(name).items():
            current = path.read_text(encoding="utf-8") if path.exists() else None
            if text == current:
                continue
            if args.check:
                stale.append(path.relative_to(ROOT))
            else:
                path.parent.mkdir(exist_ok=True)
                path.write_text(text, encoding="utf-8")
                print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print(
            "out of date (run python exercises/build_notebooks.py): "
            + ", ".join(f"exercises/{n}/{n}.ipynb" for n in stale),
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
