"""Keep a submission from making hidden tests pass without doing the work.

nbgrader already restores every instructor cell (tests and read-only cells)
from the gradebook before execution (`OverwriteCells`, checked by checksums).
That stops a student from *editing* a test, but not code that ran earlier from
changing how the test runs: an input transformer that blanks asserts, a
patched `numpy.testing`, a `pre_run_cell` hook, a custom exception handler.

Around the execution of a notebook the grader therefore:

- `seal_notebook(nb)`: replaces the source of each instructor code cell by a
  call into the in-kernel guard (`_guard.run_trusted`), which restores a
  pristine interpreter and compiles the original source itself;
- `unseal_notebook(nb, sealed)`: puts the original sources back (nbgrader saves
  and scores the notebook as usual), removes the guard's reports from the
  outputs and turns them into evidence for the review flag;
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Any

from autograder._guard import MIME

SEAL = "_l2course_guard.run_trusted({source!r}, {name!r}, {test!r}, {preamble!r})"


def _nbgrader(cell: Mapping[str, Any]) -> Mapping[str, Any]:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def is_test_cell(cell: Mapping[str, Any]) -> bool:
    meta = _nbgrader(cell)
    return (
        cell.get("cell_type") == "code"
        and bool(meta.get("grade"))
        and not meta.get("solution")
    )


def is_instructor_cell(cell: Mapping[str, Any]) -> bool:
    """A code cell whose source nbgrader takes from the gradebook."""
    meta = _nbgrader(cell)
    return (
        cell.get("cell_type") == "code"
        and not meta.get("solution")
        and bool(meta.get("grade") or meta.get("locked"))
    )


def _name(cell: Mapping[str, Any], index: int) -> str:
    return str(_nbgrader(cell).get("grade_id") or f"cell-{index + 1}")


def import_preamble(release_nb: Any) -> str:
    """The import statements of the released notebook's own code cells.

    A set-up cell such as `import numpy as np` is often an ordinary cell, which
    nbgrader does not protect: a submission could rebind `np` to an object
    whose `isclose` always says yes. Before each instructor cell the guard
    re-runs these imports, taken from the *release* (not the submission).
    """
    lines: list[str] = []
    for cell in release_nb.get("cells", []):
        meta = _nbgrader(cell)
        if cell.get("cell_type") != "code" or meta.get("solution"):
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import) or (
                isinstance(node, ast.ImportFrom) and not node.level
            ):
                line = ast.unparse(node)
                if line not in lines:
                    lines.append(line)
    return "\n".join(lines)


def seal_notebook(nb: Any, preamble: str = "") -> dict[int, str]:
    """Route every instructor code cell through the guard; return the originals.

    Call after nbgrader's OverwriteCells (so the sources are the gradebook's)
    and before execution, and only for kernels started with the guard.
    `preamble` (see `import_preamble`) runs before each of them.
    """
    sealed: dict[int, str] = {}
    for index, cell in enumerate(nb["cells"]):
        if not is_instructor_cell(cell):
            continue
        source = cell["source"]
        source = "".join(source) if isinstance(source, list) else source
        if not source.strip():
            continue
        sealed[index] = source
        cell["source"] = SEAL.format(
            source=source,
            name=_name(cell, index),
            test=is_test_cell(cell),
            preamble=preamble,
        )
    return sealed


def unseal_notebook(
    nb: Any, sealed: Mapping[int, str], stopped_at: int | None = None
) -> list[str]:
    """Restore the original sources and collect the guard's evidence.

    Returns evidence sentences such as "before test cell 'test_l2': numpy.testing
    .assert_allclose replaced". A sealed cell that ran but never reached the
    guard means the kernel's execution was intercepted; that is evidence too,
    except from the cell where execution stopped on (`stopped_at`: the kernel
    died or timed out there, and its report may simply not have arrived).
    """
    evidence: list[str] = []
    for index, source in sealed.items():
        cell = nb["cells"][index]
        cell["source"] = source
        name = _name(cell, index)
        kind = "test cell" if is_test_cell(cell) else "read-only cell"
        outputs = cell.get("outputs") or []
        reports = [
            output
            for output in outputs
            if output.get("output_type") == "display_data"
            and MIME in (output.get("data") or {})
        ]
        cell["outputs"] = [output for output in outputs if output not in reports]
        ran = cell.get("execution_count") is not None
        stopped = stopped_at is not None and index >= stopped_at
        if ran and not reports and not stopped:
            evidence.append(
                f"{kind} '{name}' ran without the guard (execution intercepted)"
            )
        failed = any(output.get("output_type") == "error" for output in outputs)
        if is_test_cell(cell) and not reports and not failed:
            # nbgrader gives full marks to a test cell without an error, so a
            # test that never reached the guard (intercepted, or never run
            # because the kernel died first) must carry one.
            why = (
                "the submission intercepted the test's execution"
                if ran
                else "the test did not run (the kernel died or timed out earlier)"
            )
            cell["outputs"].append(_grader_error(why))
        for report in reports:
            for item in report["data"][MIME].get("tampering", []):
                sentence = f"before {kind} '{name}': {item}"
                if sentence not in evidence:
                    evidence.append(sentence)
    return evidence


def _grader_error(reason: str) -> dict[str, Any]:
    from nbformat.v4 import new_output

    return new_output(
        "error",
        ename="GradingError",
        evalue=f"not scored: {reason}",
        traceback=[f"GradingError: not scored: {reason}"],
    )
