"""Grade one submission: runs in its own process, forked by `autograder.runner`.

The steps are nbgrader's `autograde`, run on one notebook with nbgrader's own
preprocessors, minus its per-run bookkeeping:

1. sanitize (ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells,
   CheckCellMetadata), reading a snapshot of the gradebook;
2. execute: the student's cells in a fresh sandboxed kernel, the test cells in
   a trusted one (`autograder.grade_notebook`), in scratch folders outside
   the course directory;
3. post-process (IgnorePattern, ClearMetadataPreprocessor, LimitOutput) and
   score every test cell with `nbgrader.utils.determine_grade`.

Nothing here writes the gradebook: the scores go back to the parent, the one
writer. This process writes only files that belong to this one student: the
autograded notebook and the feedback page.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import sqlalchemy
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbformat import NotebookNode
from nbgrader import api as nbgrader_api
from nbgrader import utils
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    IgnorePattern,
    LimitOutput,
    OverwriteCells,
    OverwriteKernelspec,
)
from traitlets.config import Config

from .grade_notebook import execute
from .isolation.sandbox import limit_evidence
from .outputs import feedback
from .result import CellScore, NotebookResult, Result
from .trusted.names import bound_names, free_names


@dataclass
class GradeTask:
    """What the parent sends: one student's collected notebooks."""

    student_id: str
    assignment: str
    notebooks: dict[str, str]  # expected notebook name -> path in submitted/
    expected: list[str]
    notes: list[str] = field(default_factory=list)
    problem: str | None = None
    fingerprint: str = ""
    timestamp: str | None = None
    scratch: str = ""  # a folder outside the course for this task's kernels
    # connection info of a trusted kernel the runner keeps for this worker
    # slot; None: this task starts its own
    trusted: dict | None = None
    trusted_dirty: bool = False  # set when that kernel must be replaced


@dataclass
class GradeSettings:
    """Run-wide settings, shared by every worker."""

    course_root: str
    source_dir: str  # the assignment's source folder (data files to copy)
    snapshot_url: str  # read-only copy of the gradebook
    config: Config
    cell_timeout: int
    wall_clock: float
    log_dir: str
    # notebook -> grade_id -> released source of each locked cell
    release_sources: dict[str, dict[str, str]] = field(default_factory=dict)
    # notebook -> the release's instructor-written code cells that are not
    # tests (imports, data): the trusted kernel runs them before the tests
    release_setup: dict[str, list[str]] = field(default_factory=dict)
    # notebook -> grade_id -> the gradebook's source of each test cell: what
    # the trusted kernel runs (a submission's cells never get there)
    test_sources: dict[str, dict[str, str]] = field(default_factory=dict)
    # keyword arguments for sandbox.wrap_kernel_command (limits); None: defaults
    sandbox_options: dict[str, Any] | None = None


@dataclass
class NotebookOutcome:
    status: str  # graded | error | missing | kernel_died | timeout
    reason: str = ""
    cells: dict[str, CellScore] = field(default_factory=dict)
    comments: dict[str, str | None] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def grade_task(
    task: GradeTask,
    settings: GradeSettings,
    on_kernel: Callable[[int], None] | None = None,
) -> Result:
    """Grade every notebook of one submission (its picklable arguments and
    result let it run in any process: a forked worker, or a Dask worker)."""
    start = time.monotonic()
    deadline = start + settings.wall_clock
    outcomes: dict[str, NotebookOutcome] = {}
    for name in task.expected:
        path = task.notebooks.get(name)
        if task.problem is not None:
            outcomes[name] = NotebookOutcome("error", task.problem)
            _write_problem_feedback(task, settings, name, task.problem)
        elif path is None:
            outcomes[name] = NotebookOutcome("missing", f"no {name}.ipynb submitted")
        else:
            outcomes[name] = _grade_notebook(
                task, settings, name, Path(path), deadline, on_kernel
            )
    summary = _summarise(task, settings, outcomes, time.monotonic() - start)
    # CPU seconds: this worker, and its kernels (reaped, so counted as children)
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    summary.timings["cpu_worker"] = own.ru_utime + own.ru_stime
    summary.timings["cpu_kernel"] = kids.ru_utime + kids.ru_stime
    return summary


def _grade_notebook(task, settings, name, path, deadline, on_kernel) -> NotebookOutcome:
    timings: dict[str, float] = {}
    tick = time.monotonic()
    nb, problem = read_submission(path, name)
    if problem:
        outcome = NotebookOutcome("error", problem)
        _write_problem_feedback(task, settings, name, problem)
        return outcome
    flags: list[str] = []

    resources = {
        "unique_key": name,
        "output_files_dir": f"{name}_files",
        "nbgrader": {
            "student": task.student_id,
            "assignment": task.assignment,
            "notebook": name,
            "db_url": settings.snapshot_url,
        },
    }
    before = {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells}
    edited = _edited_locked_cells(nb, settings.release_sources.get(name, {}))
    overwrite = ReportingOverwriteCells(config=settings.config)
    try:
        nb, resources = sanitize(nb, resources, settings.config, overwrite)
    except Exception as error:  # nbgrader refuses the notebook: say why
        reason = (
            "nbgrader could not match the notebook's cells to the assignment: "
            + _one_line(error)
        )
        _write_problem_feedback(task, settings, name, reason)
        return NotebookOutcome("error", reason, flags=flags)
    # OverwriteCells re-inserts the instructor's version of every locked cell
    # (that is how the hidden tests come back); a student's edit is lost there.
    nb = nbformat.from_dict(nb)  # cells nbgrader re-added are plain dicts
    notes = [
        f"cell '{grade_id}' was edited; nbgrader restored the original"
        for grade_id in edited
    ]
    notes += overwrite.changes
    restored = [
        c.metadata.nbgrader["grade_id"]
        for c in nb.cells
        if utils.is_grade(c) and c.metadata.nbgrader.get("grade_id") not in before
    ]
    notes += [
        f"test cell '{cell}' was missing; nbgrader restored it" for cell in restored
    ]
    timings["sanitize"] = time.monotonic() - tick

    status, reason, exec_timings, evidence = execute_notebook(
        nb, resources, settings, task, deadline, on_kernel
    )
    flags += evidence
    timings.update(exec_timings)

    tick = time.monotonic()
    # nbgrader's autograde also re-runs CheckCellMetadata here; the kernel
    # cannot touch cell metadata, so the check made before execution stands.
    for pp in (
        IgnorePattern(config=settings.config),
        ClearMetadataPreprocessor(config=settings.config),
        LimitOutput(config=settings.config),
    ):
        nb, resources = pp(nb, resources)

    cells: dict[str, CellScore] = {}
    comments: dict[str, str | None] = {}
    for cell in nb.cells:
        if feedback.is_autograded_test(cell):
            score, max_score = utils.determine_grade(cell)
            cells[cell.metadata.nbgrader["grade_id"]] = CellScore(
                float(score or 0.0),
                float(max_score),
                feedback.outcome_of(cell, settings.cell_timeout),
            )
        if utils.is_solution(cell) or utils.is_task(cell):
            unchanged = cell.metadata.nbgrader.get(
                "checksum"
            ) == utils.compute_checksum(cell)
            comments[cell.metadata.nbgrader["grade_id"]] = (
                "No response." if unchanged and not utils.is_task(cell) else None
            )
    timed_out = [
        grade_id for grade_id, c in cells.items() if c.outcome.startswith("timed out")
    ]
    if timed_out:
        notes.append(
            f"cell timeout ({settings.cell_timeout} s) in: " + ", ".join(timed_out)
        )

    _write_autograded(task, settings, name, nb)
    html = feedback.render_feedback(
        nb,
        student=task.student_id,
        assignment=task.assignment,
        notebook=name,
        scores={k: (v.score, v.max_score) for k, v in cells.items()},
        cell_timeout=settings.cell_timeout,
    )
    _write_feedback(task, settings, name, html)
    timings["postprocess"] = time.monotonic() - tick
    return NotebookOutcome(status, reason, cells, comments, notes, flags, timings)


_SNAPSHOT_ENGINES: dict[tuple, Any] = {}


@contextlib.contextmanager
def _shared_snapshot_engine():
    """Let nbgrader's preprocessors share one SQLAlchemy engine per snapshot.

    Each of them opens its own `Gradebook`, which creates a new engine, whose
    SQL compilation cache starts empty: about a tenth of a second of CPU per
    notebook went to compiling the same queries again. The snapshot is
    read-only, so sharing its engine is safe; `Gradebook.close()` still returns
    the connections. Created in the parent's warm-up, the engine (and its
    compiled queries) is inherited by every forked worker.
    """

    def create_engine(url, **kwargs):
        key = (str(url), tuple(sorted(kwargs.items())))
        if key not in _SNAPSHOT_ENGINES:
            _SNAPSHOT_ENGINES[key] = sqlalchemy.create_engine(url, **kwargs)
        return _SNAPSHOT_ENGINES[key]

    original = nbgrader_api.create_engine
    nbgrader_api.create_engine = create_engine
    try:
        yield
    finally:
        nbgrader_api.create_engine = original


def sanitize(nb, resources, config, overwrite=None):
    """nbgrader autograde's first pass: outputs cleared, grade ids deduplicated,
    kernelspec, locked cells and test cells overwritten from the gradebook."""
    with _shared_snapshot_engine():
        for pp in (
            ClearOutput(config=config),
            DeduplicateIds(config=config),
            _forget_duplicates,
            OverwriteKernelspec(config=config),
            overwrite or ReportingOverwriteCells(config=config),
            CheckCellMetadata(config=config),
        ):
            nb, resources = pp(nb, resources)
    return nb, resources


def _forget_duplicates(nb, resources):
    """A cell pasted twice: DeduplicateIds leaves the copy nbgrader metadata
    without a grade id, on which OverwriteCells fails. The copy becomes an
    ordinary cell (the original is graded once)."""
    for cell in nb.cells:
        meta = cell.get("metadata", {})
        if "nbgrader" in meta and "grade_id" not in meta["nbgrader"]:
            del meta["nbgrader"]
    return nb, resources


def warm_up(settings: GradeSettings, assignment: str, release_dir: Path) -> None:
    """Sanitize the released notebooks once in the parent, before forking:
    SQLAlchemy's statement caches and the metadata schemas are then ready in
    every worker instead of being rebuilt in each."""
    for path in sorted(release_dir.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        resources = {
            "nbgrader": {
                "student": "warm-up",
                "assignment": assignment,
                "notebook": path.stem,
                "db_url": settings.snapshot_url,
            }
        }
        sanitize(nb, resources, settings.config)


def read_submission(path: Path, name: str) -> tuple[NotebookNode | None, str | None]:
    """The notebook, or the reason it cannot be read."""
    raw = path.read_bytes()
    if not raw.strip():
        return None, f"{name}.ipynb is empty ({len(raw)} bytes)"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, f"{name}.ipynb is not a notebook: it is not UTF-8 text"
    try:
        nb = nbformat.reads(text, as_version=4)
    except nbformat.reader.NotJSONError as error:
        return (
            None,
            f"{name}.ipynb is not a notebook: invalid JSON ({_one_line(error)})",
        )
    except Exception as error:
        return None, f"{name}.ipynb is not a notebook: {_one_line(error)}"
    if not isinstance(nb.get("cells"), list):
        return None, f"{name}.ipynb is not a notebook: it has no list of cells"
    return nb, None


class ReportingOverwriteCells(OverwriteCells):
    """nbgrader's OverwriteCells, remembering when its protections fired."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.changes: list[str] = []

    def preprocess_cell(self, cell, resources, index):
        had = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        cell, resources = super().preprocess_cell(cell, resources, index)
        meta = cell.get("metadata", {})
        if had and "nbgrader" in meta and "grade_id" not in meta["nbgrader"]:
            # a grade id the assignment does not have (nbgrader drops the id
            # and then fails on the cell): an ordinary cell of the student's
            del meta["nbgrader"]
            self.changes.append(
                f"cell '{had}' is not a cell of the assignment; it was run as "
                "the student's own code and scored nothing"
            )
        return cell, resources

    def report_change(self, name: str, attr: str, old: Any, new: Any) -> None:
        super().report_change(name, attr, old, new)
        if attr == "checksum":
            # fires for every cell with hidden tests, whose source in the
            # gradebook differs from the released one; real edits are found
            # by comparing with the released notebook instead
            return
        what = {
            "cell_type": "had its type changed; nbgrader restored it",
            "points": "had its points changed; nbgrader restored them",
            "locked": "had its lock changed; nbgrader restored it",
        }.get(attr, f"had '{attr}' changed; nbgrader restored it")
        self.changes.append(f"cell '{name}' {what}")


def _edited_locked_cells(nb: NotebookNode, released: dict[str, str]) -> list[str]:
    """Locked cells whose source differs from the version students were given."""
    edited = []
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = meta.get("grade_id")
        if (
            grade_id in released
            and cell.get("source", "").strip() != released[grade_id]
        ):
            edited.append(grade_id)
    return edited


def release_setup(release_dir: Path) -> dict[str, list[str]]:
    """notebook -> source of each code cell of the release that is neither a
    solution nor a test, and reads nothing a solution cell defines (imports,
    data; not a closing plot drawn from the student's functions): what the
    trusted kernel runs before the tests."""
    setup: dict[str, list[str]] = {}
    for path in sorted(release_dir.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        answers: set[str] = set()
        for cell in nb.cells:
            if cell.cell_type == "code" and utils.is_solution(cell):
                answers |= bound_names(cell.source)
        setup[path.stem] = [
            cell.source
            for cell in nb.cells
            if cell.cell_type == "code"
            and not utils.is_solution(cell)
            and not utils.is_grade(cell)
            and cell.source.strip()
            and not answers & set(free_names(cell.source))
        ]
    return setup


def release_sources(release_dir: Path) -> dict[str, dict[str, str]]:
    """notebook -> grade_id -> source of each locked cell, as released."""
    sources: dict[str, dict[str, str]] = {}
    for path in sorted(release_dir.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        sources[path.stem] = {
            cell.metadata.nbgrader["grade_id"]: cell.source.strip()
            for cell in nb.cells
            if utils.is_locked(cell) and "grade_id" in cell.metadata.get("nbgrader", {})
        }
    return sources


def execute_notebook(nb, resources, settings, task, deadline, on_kernel):
    """Run the notebook's cells in the student's kernel and its tests in the
    trusted kernel (`autograder.execute`).

    Returns (status, reason, timings, evidence): evidence is what the
    sandbox's limits saw (truncated output, a filled connection folder).
    """
    # Under the task's scratch folder when the runner made one (it removes it
    # even if this process is killed), else a private temporary folder.
    base = Path(task.scratch) if task.scratch else None
    if base is not None:
        base.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="ag-", dir=base))
    workdir = scratch / "work"
    workdir.mkdir()
    _copy_support_files(Path(settings.source_dir), workdir)
    notebook = resources["nbgrader"]["notebook"]
    try:
        outcome = asyncio.run(
            execute(
                nb,
                workdir=workdir,
                scratch=scratch,
                setup_cells=settings.release_setup.get(notebook, []),
                test_sources=settings.test_sources.get(notebook, {}),
                cell_timeout=settings.cell_timeout,
                deadline=deadline,
                sandbox_options=settings.sandbox_options,
                trusted_connection=task.trusted,
                on_kernel=on_kernel,
            )
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    task.trusted_dirty = task.trusted_dirty or outcome.trusted_dirty
    status, reason = outcome.status, outcome.reason
    if status == "graded" and time.monotonic() > deadline:
        status = "timeout"
        reason = (
            f"the last cell ran past the {settings.wall_clock:g} s limit per submission"
        )
    return status, reason, outcome.timings, outcome.evidence + limit_evidence(nb)


def _copy_support_files(source: Path, workdir: Path) -> None:
    """Data files that ship with the assignment; never its notebooks (which
    hold solutions and hidden tests)."""
    if not source.is_dir():
        return
    for path in source.rglob("*"):
        if (
            path.is_file()
            and path.suffix != ".ipynb"
            and ".ipynb_checkpoints" not in path.parts
        ):
            target = workdir / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


def _write_autograded(task, settings, name, nb) -> None:
    """nbgrader's autograded/<student>/<assignment>/<notebook>.ipynb, read-only
    like nbgrader writes it, so formgrader shows the graded notebook."""
    folder = (
        Path(settings.course_root) / "autograded" / task.student_id / task.assignment
    )
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.ipynb"
    _replace_file(target, nbformat.writes(nb), mode=0o444)
    submitted = (
        Path(settings.course_root) / "submitted" / task.student_id / task.assignment
    )
    stamp = submitted / "timestamp.txt"
    if stamp.exists():
        _replace_file(folder / "timestamp.txt", stamp.read_text(), mode=0o444)


def _write_feedback(task, settings, name, html: str) -> None:
    folder = Path(settings.course_root) / "feedback" / task.student_id / task.assignment
    folder.mkdir(parents=True, exist_ok=True)
    _replace_file(folder / f"{name}.html", html, mode=0o644)


def _write_problem_feedback(task, settings, name, reason: str) -> None:
    html = feedback.render_problem_page(
        student=task.student_id,
        assignment=task.assignment,
        notebook=name,
        reason=reason,
    )
    _write_feedback(task, settings, name, html)
    stale = (
        Path(settings.course_root) / "autograded" / task.student_id / task.assignment
    )
    stale_nb = stale / f"{name}.ipynb"
    if stale_nb.exists():
        stale_nb.unlink()


def _replace_file(target: Path, text: str, mode: int) -> None:
    """Write atomically: a crash leaves the old file or the new one, not half."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.chmod(tmp, mode)
    os.replace(tmp, target)


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    name = type(error).__name__
    text = text or name
    return text if len(text) <= 240 else text[:239] + "…"


def _summarise(task, settings, outcomes: dict[str, NotebookOutcome], duration: float):
    """Combine the notebooks' outcomes into the submission's row."""
    order = ["error", "kernel_died", "timeout", "missing", "graded"]
    statuses = [o.status for o in outcomes.values()]
    status = min(statuses, key=order.index) if statuses else "error"
    if status == "missing" and all(s == "missing" for s in statuses):
        status = "error"
    elif status == "missing":
        status = "graded"
    reasons = []
    for name, outcome in outcomes.items():
        prefix = f"{name}: " if len(outcomes) > 1 else ""
        if outcome.reason:
            reasons.append(prefix + outcome.reason)
    notes = list(task.notes)
    for outcome in outcomes.values():
        notes.extend(outcome.notes)
    timings: dict[str, float] = {}
    for outcome in outcomes.values():
        for key, value in outcome.timings.items():
            timings[key] = timings.get(key, 0.0) + value
    return Result(
        student_id=task.student_id,
        status=status,
        reason="; ".join(reasons + notes),
        notebooks={
            name: NotebookResult(o.status, o.cells, o.comments)
            for name, o in outcomes.items()
        },
        flags=[flag for o in outcomes.values() for flag in o.flags],
        fingerprint=task.fingerprint,
        timestamp=task.timestamp,
        duration=duration,
        timings=timings,
        trusted_dirty=task.trusted_dirty,
    )
