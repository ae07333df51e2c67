"""The parent's side of the gradebook: the one process that writes it.

Workers never open the live gradebook. They read a snapshot taken before
grading starts (`snapshot`), and send their scores back; `GradebookWriter`
stores each submission through nbgrader's API, together with the autograder's
own row (status, reason, flags, timing) in an extra table, `autograder_result`,
in the same transaction. A crash therefore leaves every submission either
fully recorded or not recorded at all; an unrecorded one is graded again on
the next run. nbgrader ignores tables it does not know, so formgrader and
`nbgrader export` keep working.
"""

from __future__ import annotations

import json
import sqlite3
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy import text
from sqlalchemy.exc import SAWarning

from ..course import AssignmentInfo, Course
from ..result import Result

RESULT_TABLE = """
CREATE TABLE IF NOT EXISTS autograder_result (
    assignment TEXT NOT NULL,
    student_id TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    flags TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    duration REAL,
    detail TEXT NOT NULL,
    graded_at TEXT NOT NULL,
    PRIMARY KEY (assignment, student_id)
)
"""


def snapshot(course: Course, target: Path) -> str:
    """A consistent read-only copy of the gradebook for the workers; its URL."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.unlink()
    source = sqlite3.connect(course.db_path)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    return f"sqlite:///{target}"


class GradebookWriter:
    """Stores graded submissions; the only writer during a run."""

    def __init__(self, course: Course, info: AssignmentInfo) -> None:
        self.course = course
        self.info = info
        self.gb = Gradebook(course.db_url, course.course_id)
        self.gb.db.execute(text(RESULT_TABLE))
        self.gb.db.commit()

    def close(self) -> None:
        self.gb.close()

    def __enter__(self) -> GradebookWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def fingerprints(self) -> dict[str, str]:
        """Submissions already recorded for this assignment: student -> hash."""
        rows = self.gb.db.execute(
            text(
                "SELECT student_id, fingerprint FROM autograder_result "
                "WHERE assignment = :a"
            ),
            {"a": self.info.name},
        )
        return {student: fingerprint for student, fingerprint in rows}

    def record(self, result: Result) -> None:
        """Write one submission's grades and status in a single transaction."""
        with warnings.catch_warnings():
            # nbgrader's add_submission builds objects under autoflush, which
            # SQLAlchemy warns about; nbgrader's own autograde does the same
            warnings.simplefilter("ignore", SAWarning)
            try:
                self._write(result)
            except Exception:
                self.gb.db.rollback()
                raise

    def _write(self, result: Result) -> None:
        gb, assignment = self.gb, self.info.name
        student = result.student_id
        try:
            gb.find_student(student)
        except MissingEntry:
            gb.add_student(student)
        kwargs = {"timestamp": result.timestamp} if result.timestamp else {}
        gb.update_or_create_submission(assignment, student, **kwargs)
        flagged = bool(result.flags)
        for notebook in self.info.notebooks:
            graded = result.notebooks.get(notebook)
            cells = graded.cells if graded is not None else {}
            for cell in self.info.grade_cells:
                if cell.notebook != notebook:
                    continue
                grade = gb.find_grade(cell.name, notebook, assignment, student)
                # a test cell that never ran (unreadable notebook) scores 0,
                # as nbgrader scores a notebook that was not submitted
                found = cells.get(cell.name)
                grade.auto_score = found.score if found is not None else 0.0
                grade.needs_manual_grade = grade.manual_score is not None
            comments = graded.comments if graded is not None else {}
            for grade_id, comment in comments.items():
                try:
                    found = gb.find_comment(grade_id, notebook, assignment, student)
                except MissingEntry:
                    continue
                found.auto_comment = comment
            submitted = gb.find_submission_notebook(notebook, assignment, student)
            submitted.flagged = flagged
        detail = result.detail()
        gb.db.execute(
            text(
                "INSERT OR REPLACE INTO autograder_result (assignment, student_id,"
                " status, reason, flags, fingerprint, duration, detail, graded_at)"
                " VALUES (:a, :s, :status, :reason, :flags, :fp, :duration,"
                " :detail, :at)"
            ),
            {
                "a": assignment,
                "s": student,
                "status": result.status,
                "reason": result.reason,
                "flags": json.dumps(result.flags),
                "fp": result.fingerprint,
                "duration": result.duration,
                "detail": json.dumps(detail),
                "at": datetime.now(UTC).isoformat(timespec="seconds"),
            },
        )
        gb.db.commit()


@dataclass
class Row:
    """One submission as the report shows it, rebuilt from the gradebook."""

    student_id: str
    score: float
    max_score: float
    status: str
    reason: str
    flags: list[str]
    cells: dict[str, float]  # grades.csv column -> score
    outcomes: dict[str, str] = field(default_factory=dict)  # column -> sentence
    duration: float | None = None
    timings: dict[str, float] = field(default_factory=dict)
    graded_at: str = ""


def read_rows(course: Course, info: AssignmentInfo) -> list[Row]:
    """Every submission of the assignment, with scores as the gradebook holds
    them (a grader's manual score overrides the autograder's)."""
    rows: list[Row] = []
    with Gradebook(course.db_url, course.course_id) as gb:
        gb.db.execute(text(RESULT_TABLE))
        extra = {
            student: (status, reason, flags, duration, detail, at)
            for student, status, reason, flags, duration, detail, at in gb.db.execute(
                text(
                    "SELECT student_id, status, reason, flags, duration, detail,"
                    " graded_at FROM autograder_result WHERE assignment = :a"
                ),
                {"a": info.name},
            )
        }
        try:
            submissions = gb.find_assignment(info.name).submissions
        except MissingEntry:
            submissions = []
        for submission in submissions:
            student = submission.student.id
            scores: dict[str, float] = {}
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    scores[(notebook.name, grade.cell.name)] = float(grade.score or 0.0)
            cells = {
                info.column(cell): scores.get((cell.notebook, cell.name), 0.0)
                for cell in info.grade_cells
            }
            status, reason, flags, duration, detail, at = extra.get(
                student,
                (
                    "graded",
                    "graded by nbgrader, not by the autograder",
                    "[]",
                    None,
                    "{}",
                    "",
                ),
            )
            detail = json.loads(detail)
            outcomes = {}
            for cell in info.grade_cells:
                graded = detail.get("notebooks", {}).get(cell.notebook, {})
                found = graded.get("cells", {}).get(cell.name)
                if found:
                    outcomes[info.column(cell)] = found.get("outcome", "")
            rows.append(
                Row(
                    student_id=student,
                    score=float(submission.score or 0.0),
                    max_score=float(info.max_score),
                    status=status,
                    reason=reason,
                    flags=json.loads(flags),
                    cells=cells,
                    outcomes=outcomes,
                    duration=duration,
                    timings=detail.get("timings", {}),
                    graded_at=at,
                )
            )
    rows.sort(key=lambda row: row.student_id)
    return rows


def test_sources(course: Course, info: AssignmentInfo) -> dict[str, dict[str, str]]:
    """notebook -> grade_id -> the instructor's source of each autograded test
    cell, hidden tests included, as the gradebook holds it. Only these ever
    run in the trusted kernel: never the text of a cell from a submission."""
    from nbgrader.api import Gradebook

    sources: dict[str, dict[str, str]] = {}
    with Gradebook(course.db_url, course.course_id) as gb:
        for cell in info.grade_cells:
            found = gb.find_source_cell(cell.name, cell.notebook, info.name)
            sources.setdefault(cell.notebook, {})[cell.name] = found.source
    return sources
