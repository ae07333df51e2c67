"""`python -m autograder release|grade|report`: the instructor's commands."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import defaults
from .course import (
    DEFAULT_COURSE_DIR,
    DEFAULT_EXERCISES_DIR,
    REPO_ROOT,
    Course,
    UsageError,
    check_source,
)

PROG = "python -m autograder"


class _Parser(argparse.ArgumentParser):
    """argparse, but every misuse is one line naming the fix."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a whole number, got '{text}'"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a number of seconds, got '{text}'"
        ) from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, got {text}")
    return value


def _show(path: Path) -> str:
    """Paths relative to the current folder when that is shorter."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return relative if len(relative) < len(str(path)) else str(path)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description=(
            "Release nbgrader assignments and grade a class: collect submissions, "
            "autograde them in parallel with nbgrader, write feedback without "
            "hidden tests, grades.csv and report.html."
        ),
    )
    verbs = parser.add_subparsers(dest="verb", metavar="{release,grade,report}")
    verbs.required = True

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("assignment", help="assignment name, e.g. a1_l2_penalty")
        sub.add_argument(
            "--course-dir",
            type=Path,
            default=DEFAULT_COURSE_DIR,
            help=f"nbgrader course directory (default: {_show(DEFAULT_COURSE_DIR)}, "
            "git-ignored)",
        )
        sub.add_argument(
            "--exercises",
            type=Path,
            default=DEFAULT_EXERCISES_DIR,
            help="folder of nbgrader source assignments "
            f"(default: {_show(DEFAULT_EXERCISES_DIR)})",
        )

    release = verbs.add_parser(
        "release",
        help="generate the student version, check it, and zip it",
        description=(
            "Generate the student version of exercises/<assignment> with nbgrader, "
            "check that the source passes every test and the student version fails "
            "them, and write a zip to hand out."
        ),
    )
    common(release)
    release.add_argument(
        "--no-check",
        action="store_true",
        help="skip running the source and the stubs (faster, unchecked)",
    )

    grade = verbs.add_parser(
        "grade",
        help="collect and autograde submissions; write feedback, grades.csv, report",
        description=(
            "Collect submissions into the course directory, autograde them with "
            "nbgrader in parallel, and write feedback (without hidden tests), "
            "grades.csv and report.html. Submissions already graded are skipped "
            "unless --force."
        ),
    )
    common(grade)
    grade.add_argument(
        "submissions",
        type=Path,
        help="folder of <student_id>/<notebook>.ipynb (or <student_id>/<assignment>/"
        "<notebook>.ipynb), a zip of one, or a Canvas/Moodle/Blackboard zip",
    )
    grade.add_argument(
        "--jobs",
        "-j",
        type=_positive_int,
        default=os.cpu_count() or 1,
        help="submissions graded at once, each in its own process "
        "(default: the number of cores, %(default)s here)",
    )
    grade.add_argument(
        "--timeout",
        type=_positive_int,
        default=None,
        help="seconds one cell may run before it is interrupted and scores 0 "
        "(nbgrader's Execute.timeout; default from the course config, "
        f"{defaults.CELL_TIMEOUT_SECONDS})",
    )
    grade.add_argument(
        "--time-limit",
        type=_positive_float,
        default=None,
        help="wall-clock seconds for a whole submission "
        f"(default: {defaults.WALL_CLOCK_FACTOR} x --timeout)",
    )
    grade.add_argument(
        "--force", action="store_true", help="regrade submissions already graded"
    )
    grade.add_argument(
        "--memory-limit",
        type=_positive_int,
        default=None,
        metavar="MB",
        help="address space of one graded kernel, in MiB "
        f"(default {defaults.MEMORY_MB})",
    )
    grade.add_argument(
        "--require-sandbox",
        action="store_true",
        help="refuse to grade unless kernels get filesystem and network "
        "isolation (bubblewrap or Landlock); without it a missing sandbox is "
        "only a warning",
    )

    rep = verbs.add_parser(
        "report",
        help="rebuild grades.csv and report.html from the gradebook",
        description=(
            "Rebuild grades.csv and report.html from the gradebook, e.g. after "
            "changing scores by hand in formgrader."
        ),
    )
    common(rep)
    return parser


def _print_outputs(outputs: dict[str, Path], assignment: str, notebook: str) -> None:
    print(f"  grades:    {_show(outputs['grades'])}")
    print(f"  report:    {_show(outputs['report'])}")
    feedback = outputs["feedback"] / "<student_id>" / assignment / f"{notebook}.html"
    print(f"  feedback:  {_show(feedback)}")
    print(
        f"  gradebook: {_show(outputs['gradebook'])} "
        "(nbgrader formgrader and export use it)"
    )
    if "logs" in outputs:
        print(f"  logs:      {_show(outputs['logs'])}/")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.course_dir.exists() and not args.course_dir.is_dir():
        print(
            f"{PROG}: error: --course-dir {args.course_dir} is a file, not a folder",
            file=sys.stderr,
        )
        return 2
    try:
        if args.verb == "release":
            return _release(args)
        if args.verb == "grade":
            return _grade(args)
        return _report(args)
    except UsageError as error:
        print(f"{PROG} {args.verb}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            f"\n{PROG} {args.verb}: interrupted. Every submission finished so far is "
            "saved in the gradebook; run the same command again to resume.",
            file=sys.stderr,
        )
        return 130


def _release(args) -> int:
    course = Course(args.course_dir, args.exercises)
    course.check_assignment(args.assignment)

    from .release import ReleaseError, release

    try:
        result = release(course, args.assignment, check=not args.no_check)
    except ReleaseError as error:
        print(f"{PROG} release: error: {error}", file=sys.stderr)
        return 1
    print(f"Released {args.assignment}:")
    print(f"  student version: {_show(result.release_dir)}/")
    print(f"  zip to hand out: {_show(result.zip_path)}")
    if result.checked:
        print(
            f"  checked: the source passes all {result.test_cells} test cells; the "
            "student version fails them all"
        )
    print(f"  gradebook:       {_show(course.db_path)}")
    return 0


def _grade(args) -> int:
    course = Course(args.course_dir, args.exercises, cell_timeout=args.timeout)
    # misuse is reported before the slow imports below
    course.check_assignment(args.assignment)
    check_source(args.submissions)

    from .grading import grade
    from .release import ReleaseError

    try:
        summary = grade(
            course,
            args.assignment,
            args.submissions,
            jobs=args.jobs,
            cell_timeout=args.timeout,
            wall_clock=args.time_limit,
            force=args.force,
            memory_limit_mb=args.memory_limit,
            require_sandbox=args.require_sandbox,
        )
    except ReleaseError as error:
        print(f"{PROG} grade: error: {error}", file=sys.stderr)
        return 1
    if summary.generated:
        print(
            f"Generated {args.assignment} in {_show(course.root)} "
            "(it had not been released there)."
        )
    counts = ", ".join(f"{n} {s}" for s, n in sorted(summary.statuses.items()))
    print(
        f"Found {summary.found} submissions of {args.assignment}; graded "
        f"{summary.graded} in {summary.seconds:.1f} s with {summary.jobs} jobs"
        + (f" ({counts})" if counts else "")
        + "."
    )
    if summary.skipped:
        print(
            f"  {summary.skipped} already graded and unchanged: skipped "
            "(--force regrades them)"
        )
    if summary.sandbox:
        print(f"  {summary.sandbox}")
    info_notebook = course.assignment_info(args.assignment).notebooks[0]
    _print_outputs(summary.outputs, args.assignment, info_notebook)
    return 0


def _report(args) -> int:
    course = Course(args.course_dir, args.exercises)
    course.check_assignment(args.assignment)
    if not course.db_path.exists():
        raise UsageError(
            f"nothing graded yet: no gradebook at {course.db_path} "
            f"(run `{PROG} grade {args.assignment} SUBMISSIONS` first)"
        )

    from .grading import report

    outputs = report(course, args.assignment)
    print(f"Rebuilt the report of {args.assignment} from {_show(course.db_path)}:")
    notebook = course.assignment_info(args.assignment).notebooks[0]
    _print_outputs(outputs, args.assignment, notebook)
    return 0


__all__ = ["main", "build_parser", "REPO_ROOT"]
