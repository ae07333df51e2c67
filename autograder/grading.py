"""`grade` and `report`: the pipeline around nbgrader, end to end."""

from __future__ import annotations

import errno
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import defaults
from .course import AssignmentInfo, Course, UsageError, check_source
from .intake import collect_into_course, find_submissions
from .isolation import sandbox
from .outputs import feedback
from .outputs.gradebook import GradebookWriter, read_rows, snapshot, test_sources
from .outputs.report import write_csv, write_html
from .progress import Progress
from .release import generate
from .result import Result
from .runner import run_all
from .worker import GradeSettings, GradeTask, release_setup, release_sources, warm_up

DEFAULT_WALL_CLOCK_FACTOR = defaults.WALL_CLOCK_FACTOR


@dataclass
class GradeSummary:
    assignment: str
    found: int
    graded: int
    skipped: int
    seconds: float
    jobs: int
    statuses: dict[str, int] = field(default_factory=dict)
    generated: bool = False
    sandbox: str = ""  # one sentence: which protection graded kernels ran under
    outputs: dict[str, Path] = field(default_factory=dict)


def ensure_generated(course: Course, assignment: str) -> tuple[AssignmentInfo, bool]:
    """The assignment as the gradebook knows it, generating it on first use."""
    course.check_assignment(assignment)
    info = course.assignment_info(assignment)
    generated = False
    if info is None:
        generate(course, assignment)
        info = course.assignment_info(assignment)
        generated = True
    if info is None or not info.notebooks:
        raise UsageError(f"nbgrader knows no notebook for assignment '{assignment}'")
    return info, generated


def grade(
    course: Course,
    assignment: str,
    submissions: Path,
    *,
    jobs: int | None = None,
    cell_timeout: int | None = None,
    wall_clock: float | None = None,
    force: bool = False,
    memory_limit_mb: int | None = None,
    require_sandbox: bool = False,
    stream=None,
) -> GradeSummary:
    stream = stream or sys.stderr
    started = time.monotonic()
    jobs = jobs or os.cpu_count() or 1
    course.check_assignment(assignment)
    check_source(Path(submissions))
    info, generated = ensure_generated(course, assignment)
    course.write_nbgrader_config()
    found = find_submissions(course, assignment, info.notebooks, Path(submissions))
    if not found:
        raise UsageError(
            f"no submissions in {submissions}: expected <student_id>/"
            f"{info.notebooks[0]}.ipynb, a zip of such folders, or an LMS zip"
        )
    # after the misuse checks, whose errors stay one line
    sandbox_sentence = check_sandbox(require_sandbox, stream)
    fingerprints = {sub.student_id: sub.fingerprint() for sub in found}
    cell_timeout = int(
        cell_timeout
        or course.config.Execute.get("timeout", defaults.CELL_TIMEOUT_SECONDS)
        or defaults.CELL_TIMEOUT_SECONDS
    )
    wall_clock = float(wall_clock or DEFAULT_WALL_CLOCK_FACTOR * cell_timeout)
    reports = course.reports_dir(assignment)
    summary = GradeSummary(assignment, len(found), 0, 0, 0.0, jobs, generated=generated)
    summary.sandbox = sandbox_sentence

    with GradebookWriter(course, info) as writer:
        done = writer.fingerprints()
        todo = [
            sub
            for sub in found
            if force or done.get(sub.student_id) != fingerprints[sub.student_id]
        ]
        summary.skipped = len(found) - len(todo)
        collect_into_course(course, assignment, todo)
        snapshot_path = reports / ".gradebook-snapshot.db"
        settings = GradeSettings(
            course_root=str(course.root),
            source_dir=str(course.source_dir(assignment)),
            snapshot_url=snapshot(course, snapshot_path),
            config=course.config,
            cell_timeout=cell_timeout,
            wall_clock=wall_clock,
            log_dir=str(reports / "logs"),
            release_sources=release_sources(course.release_dir(assignment)),
            release_setup=release_setup(course.release_dir(assignment)),
            test_sources=test_sources(course, info),
            sandbox_options=sandbox_options(memory_limit_mb, wall_clock),
        )
        tasks = [
            GradeTask(
                student_id=sub.student_id,
                assignment=assignment,
                notebooks={name: str(path) for name, path in sub.notebooks.items()},
                expected=list(info.notebooks),
                notes=list(sub.notes),
                problem=sub.problem,
                fingerprint=fingerprints[sub.student_id],
                timestamp=sub.timestamp,
            )
            for sub in todo
        ]
        # compiled and cached once here, inherited by every forked worker
        feedback.warm_up()
        warm_up(settings, assignment, course.release_dir(assignment))
        progress = Progress(len(tasks), stream)

        def store(result: Result) -> None:
            try:
                writer.record(result)
            except Exception as error:
                if is_disk_full(error):
                    raise DiskFull(summary.graded) from error
                raise
            summary.graded += 1
            status = result.status
            summary.statuses[status] = summary.statuses.get(status, 0) + 1
            progress.finished(result)

        try:
            run_all(tasks, settings, jobs, on_result=store, tick=progress.draw)
        except DiskFull as full:
            raise UsageError(
                f"the disk holding {course.root} is full: grading stopped after "
                f"{full.graded} submissions, which are kept in the gradebook. Free "
                "some space and run the same command again: it resumes with the "
                "submissions not graded yet"
            ) from None
        finally:
            progress.close()
            snapshot_path.unlink(missing_ok=True)

    summary.outputs = write_reports(course, info)
    summary.seconds = time.monotonic() - started
    return summary


class DiskFull(Exception):
    """The gradebook could not be written: no space left."""

    def __init__(self, graded: int) -> None:
        super().__init__(graded)
        self.graded = graded


def is_disk_full(error: BaseException) -> bool:
    """sqlite's "database or disk is full", or ENOSPC, anywhere in the chain."""
    while error is not None:
        if isinstance(error, OSError) and error.errno == errno.ENOSPC:
            return True
        if "disk is full" in str(error) or "No space left" in str(error):
            return True
        error = error.__cause__ or error.__context__
    return False


def check_sandbox(require: bool, stream) -> str:
    """Say which protection graded kernels get; refuse without one if asked."""
    isolation = sandbox.detect()
    sentence = isolation.sentence()
    if require and not isolation.complete:
        raise UsageError(
            f"{sentence} --require-sandbox refuses to grade without filesystem "
            "and network isolation: install bubblewrap (apt-get install "
            "bubblewrap) or use a Linux kernel with Landlock"
        )
    print(sentence, file=stream)
    if not isolation.complete:
        print(
            "warning: submissions can read and change what this user can; "
            "pass --require-sandbox to refuse instead",
            file=stream,
        )
    return sentence


def sandbox_options(memory_limit_mb: int | None, wall_clock: float) -> dict:
    """Per-kernel limits for the sandbox."""
    memory = (memory_limit_mb or defaults.MEMORY_MB) * 1024**2
    # CPU seconds of the kernel process: never the binding limit for a kernel
    # that stays within its wall-clock time, but it stops one that leaks.
    cpu = max(defaults.CPU_SECONDS, int(wall_clock) + 30)
    return {"limits": sandbox.Limits(memory_bytes=memory, cpu_seconds=cpu)}


def write_reports(course: Course, info: AssignmentInfo) -> dict[str, Path]:
    rows = read_rows(course, info)
    reports = course.reports_dir(info.name)
    outputs = {
        "grades": reports / "grades.csv",
        "report": reports / "report.html",
    }
    write_csv(outputs["grades"], info, rows)
    write_html(outputs["report"], course, info, rows)
    outputs["feedback"] = course.root / "feedback"
    outputs["gradebook"] = course.db_path
    outputs["logs"] = reports / "logs"
    return outputs


def report(course: Course, assignment: str) -> dict[str, Path]:
    course.check_assignment(assignment)
    if not course.db_path.exists():
        raise UsageError(
            f"nothing graded yet: no gradebook at {course.db_path} "
            f"(run `python -m autograder grade {assignment} SUBMISSIONS` first)"
        )
    info = course.assignment_info(assignment)
    if info is None:
        raise UsageError(
            f"assignment '{assignment}' is not in {course.db_path} "
            f"(run `python -m autograder grade {assignment} SUBMISSIONS` first)"
        )
    if not read_rows(course, info):
        raise UsageError(
            f"nothing graded yet for '{assignment}' in {course.db_path} "
            f"(run `python -m autograder grade {assignment} SUBMISSIONS` first)"
        )
    return write_reports(course, info)
