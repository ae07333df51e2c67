"""Write the nbgrader source notebooks from their text sources.

Each assignment is written as a plain Python file in "percent" format,
``exercises/<name>.py``, so that it can be read, diffed and linted like code.
This script turns it into ``exercises/<name>/<name>.ipynb``, the notebook
nbgrader reads, with nbgrader's cell metadata and no outputs.

    python exercises/build_notebooks.py           # rewrite every notebook
    python exercises/build_notebooks.py --check   # fail if one is out of date

Cell headers (one line, starting a cell):

    # %% [markdown] locked=<id>       read-only text
    # %% locked=<id>                  read-only code (set-up, the final plot)
    # %% solution=<function name>     the student writes this cell
    # %% test=test_<function> points=<n>   autograded, read-only

Markdown lines carry a leading "# ". In markdown, ``{chapter:gradient}``
becomes a reference to ``book/gradient.md``.

The text sources sit next to the assignment folders, not inside them:
nbgrader copies everything inside an assignment folder to the students,
and these files hold the solutions.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

EXERCISES = Path(__file__).resolve().parent
ASSIGNMENTS = ("a1_l2_penalty", "a2_weight_decay", "a3_l1_sparsity", "a4_ridge_bayes")

# If the book gets a public address, set it here and every chapter reference in
# every assignment becomes a link to the built page.
BOOK_URL: str | None = None

HEADER = re.compile(r"^# %%(?P<markdown> \[markdown\])?(?P<options>( \w+=\S+)*)\s*$")
CHAPTER = re.compile(r"\{chapter:(?P<page>[\w-]+)\}")


def chapter_reference(match: re.Match[str]) -> str:
    """A chapter named by its source file, and linked when the book has a URL."""
    page = match["page"]
    if BOOK_URL:
        return f"[`book/{page}.md`]({BOOK_URL.rstrip('/')}/book/{page}.html)"
    return f"`book/{page}.md`"


def nbgrader_metadata(options: dict[str, str], where: str) -> dict | None:
    """nbgrader's cell metadata (schema 3) for one cell's header options."""
    if not options:
        return None
    base = {"grade": False, "locked": False, "schema_version": 3,
            "solution": False, "task": False}
    if "solution" in options:
        return base | {"grade_id": options["solution"], "solution": True}
    if "test" in options:
        if "points" not in options:
            raise ValueError(f"{where}: a test cell needs points=<n>")
        return base | {
            "grade": True,
            "grade_id": options["test"],
            "locked": True,
            "points": int(options["points"]),
        }
    if "locked" in options:
        return base | {"grade_id": options["locked"], "locked": True}
    raise ValueError(f"{where}: unknown cell options {sorted(options)}")


def parse_cells(text: str, name: str) -> list[nbformat.NotebookNode]:
    """Split a percent-format source into notebook cells."""
    cells: list[nbformat.NotebookNode] = []
    header: re.Match[str] | None = None
    body: list[str] = []
    header_line = 0

    def flush() -> None:
        if header is None:
            return  # the file's own preamble, before the first cell
        where = f"exercises/{name}.py:{header_line}"
        options = dict(opt.split("=", 1) for opt in header["options"].split())
        source = "\n".join(body).strip("\n")
        if header["markdown"]:
            lines = []
            for line in source.splitlines():
                if not (line == "#" or line.startswith("# ")):
                    raise ValueError(f"{where}: markdown line without '# ': {line!r}")
                lines.append(line[2:])
            source = CHAPTER.sub(chapter_reference, "\n".join(lines))
            cell = new_markdown_cell(source)
        else:
            cell = new_code_cell(source)
        metadata = nbgrader_metadata(options, where)
        if metadata:
            cell.metadata["nbgrader"] = metadata
        # Stable ids keep the committed notebook byte-for-byte reproducible.
        cell.id = metadata["grade_id"] if metadata else f"cell-{len(cells)}"
        cells.append(cell)

    for number, line in enumerate(text.splitlines(), start=1):
        match = HEADER.match(line)
        if match:
            flush()
            header, body, header_line = match, [], number
        elif line.startswith("# %%"):
            raise ValueError(f"exercises/{name}.py:{number}: bad cell header {line!r}")
        else:
            body.append(line)
    flush()
    return cells


def build(name: str) -> str:
    """The notebook for one assignment, as the JSON text nbformat writes."""
    text = (EXERCISES / f"{name}.py").read_text(encoding="utf-8")
    notebook = new_notebook(cells=parse_cells(text, name))
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="only report notebooks that differ from their source")
    parser.add_argument("names", nargs="*", default=list(ASSIGNMENTS))
    args = parser.parse_args(argv)
    stale = []
    for name in args.names:
        path = notebook_path(name)
        text = build(name)
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if text == current:
            continue
        if args.check:
            stale.append(name)
        else:
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(EXERCISES.parent)}")
    if stale:
        print("out of date (run python exercises/build_notebooks.py): "
              + ", ".join(f"exercises/{n}/{n}.ipynb" for n in stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
