"""`release`: the student version of an assignment, checked and zipped.

nbgrader does the work: `generate_assignment` strips solutions and hidden
tests and records the source cells in the gradebook; its `Validator` runs the
source (every test must pass) and the student version (every test must fail
while the stubs are in place).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader import utils
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import CheckCellMetadata, ClearOutput, Execute
from nbgrader.validator import Validator

from .course import Course, UsageError


class IsolatedExecute(Execute):
    """nbgrader's Execute, with kernels started like graded ones
    (autograder.isolation.kernel)."""

    def __init__(self, **kwargs) -> None:
        from .isolation.kernel import GradingKernelManager

        kwargs.setdefault("kernel_manager_class", GradingKernelManager)
        super().__init__(**kwargs)


def _validator(course: Course, invert: bool = False) -> Validator:
    validator = Validator(config=course.config, invert=invert)
    validator.preprocessors = [CheckCellMetadata, ClearOutput, IsolatedExecute]
    return validator


class ReleaseError(Exception):
    """nbgrader refused, or the checks failed; the message says which."""


@dataclass
class ReleaseResult:
    release_dir: Path
    zip_path: Path | None
    test_cells: int
    checked: bool


def generate(course: Course, assignment: str) -> None:
    """nbgrader generate_assignment, into the course directory and gradebook."""
    course.check_assignment(assignment)
    course.write_nbgrader_config()
    source = course.sync_source(assignment)
    if not any(source.glob("*.ipynb")):
        raise UsageError(f"no notebook in {source}: an assignment needs one .ipynb")
    coursedir = CourseDirectory(config=course.config)
    api = NbGraderAPI(coursedir=coursedir, config=course.config)
    outcome = api.generate_assignment(assignment, force=True, create=True)
    if not outcome["success"]:
        log = course.reports_dir(assignment) / "generate_assignment.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(outcome.get("log", "") + "\n" + outcome.get("error", ""))
        detail = _cause(outcome.get("log", "") + "\n" + outcome.get("error", ""))
        raise ReleaseError(
            f"nbgrader generate_assignment failed for '{assignment}': {detail} "
            f"(full log: {log})"
        )


def _cause(log: str) -> str:
    """The most telling line of an nbgrader log: the last exception that is not
    nbgrader's generic 'see the traceback above'."""
    found = re.findall(r"^\s*([A-Za-z_.]*(?:Error|Exception)\b:.*)$", log, re.M)
    specific = [line for line in found if "NbGraderException" not in line]
    chosen = (specific or found or ["see the log"])[-1].strip()
    return chosen if len(chosen) < 300 else chosen[:299] + "…"


def _grade_ids(path: Path, sources: list[str]) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    wanted = {source.strip() for source in sources}
    return [
        cell.metadata.nbgrader.get("grade_id", "?")
        for cell in nb.cells
        if utils.is_grade(cell) and cell.source.strip() in wanted
    ]


def validate(course: Course, assignment: str) -> int:
    """The source passes every test; the student version fails every test.

    Returns the number of autograded test cells checked.
    """
    problems = []
    tests = 0
    for source_nb in sorted(course.source_dir(assignment).glob("*.ipynb")):
        nb = nbformat.read(source_nb, as_version=4)
        tests += sum(
            1
            for cell in nb.cells
            if utils.is_grade(cell) and not utils.is_solution(cell)
        )
        result = _validator(course).validate(str(source_nb))
        if result.get("failed"):
            ids = _grade_ids(source_nb, [c["source"] for c in result["failed"]])
            problems.append(f"the source {source_nb.name} fails {', '.join(ids)}")
        released = course.release_dir(assignment) / source_nb.name
        stubbed = _validator(course, invert=True).validate(str(released))
        if stubbed.get("passed"):
            ids = _grade_ids(released, [c["source"] for c in stubbed["passed"]])
            problems.append(
                f"the student version {released.name} already passes {', '.join(ids)} "
                "with its stubs (those tests check nothing the stub lacks)"
            )
    if problems:
        raise ReleaseError("release check failed: " + "; ".join(problems))
    return tests


def zip_release(course: Course, assignment: str) -> Path:
    folder = course.release_dir(assignment)
    target = course.release_zip(assignment)
    tmp = target.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and ".ipynb_checkpoints" not in path.parts:
                archive.write(path, Path(assignment) / path.relative_to(folder))
    tmp.replace(target)
    return target


def release(course: Course, assignment: str, check: bool = True) -> ReleaseResult:
    generate(course, assignment)
    tests = validate(course, assignment) if check else 0
    return ReleaseResult(
        course.release_dir(assignment), zip_release(course, assignment), tests, check
    )
