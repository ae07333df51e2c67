"""End to end: a class with hostile submissions, graded by `python -m autograder
grade` next to honest ones.

Every file in tests/hostile/ becomes one student's first solution cell. For
each, the test checks that:

- the honest submissions' grades are what they earn, unflagged;
- the hostile one gets no points it did not earn;
- it is flagged, or errored with a reason;
- the gradebook is intact (integrity, hidden tests, other students' grades),
  and so are the other students' files and the course's own files;
- the whole class is graded within its time limits.

The hostile code runs only if the sandbox offers filesystem and network
isolation here: on a machine without one this test fails rather than let a
fork bomb or `rmtree` loose.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import autograder_class as ac  # noqa: E402

from autograder.isolation import sandbox  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).resolve().parent / "hostile"
CELL_TIMEOUT = 4
TIME_LIMIT = 30
MEMORY_MB = 1024
# Generous: two jobs, a dozen submissions, two of which use their full timeout.
CLASS_TIME_LIMIT = 240

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Case:
    earned: float  # what the code in it earns honestly (the most it may get)
    exact: bool = True  # False when the attack may also cost its own points
    status: str | None = None  # the status it must get, if one in particular
    evidence: tuple[str, ...] = ()  # if any: one must be in its flags or reason


# A wrong answer earns 0; a correct l2_penalty earns test_l2_penalty's 2 points.
# The attacks on the grading itself (forging) come first: each has a wrong
# answer and must earn exactly 0, however it tampers with its own kernel,
# because the tests run in another one.
HOSTILE_CASES = {
    "print_self": Case(0),
    "contextlib_exit": Case(0),
    "ast_parse": Case(0),
    "gc_edit": Case(0),
    "weakref_finalize": Case(0),
    "signal_timer": Case(0),
    "trace_function": Case(0),
    "lying_eq": Case(0),
    "array_ufunc": Case(0),
    "time_magic": Case(0),
    "visible_only": Case(0),
    "request_handlers": Case(0),
    # a cell the student added, whose metadata claims it is a test cell
    "fake_test_cell": Case(0, evidence=("not a cell of the assignment",)),
    "input_transformer": Case(0),
    "monkeypatch": Case(0),
    "kernel_tricks": Case(0),
    # leaking: nothing of the hidden tests reaches them (see test_no_leak)
    "print_in": Case(0),
    "read_files": Case(0),
    "read_gradebook": Case(0),
    "write_gradebook": Case(0),
    "socket_localhost": Case(0),
    # the host's resources
    "connection_fill": Case(2, exact=False),
    "log_symlink": Case(2),
    "huge_result": Case(2, evidence=("truncated",)),
    "sys_exit": Case(2),
    "os_exit": Case(0, status="kernel_died", evidence=("kernel died",)),
    "fork_bomb": Case(2, exact=False),
    "memory_bomb": Case(2, exact=False, evidence=("memory limit",)),
    # Printing faster than the kernel can send fills its output buffer: the
    # memory limit or the cell timeout stops it, whichever comes first.
    "infinite_print": Case(
        # Under load the wall clock can stop it before the cell timeout does.
        2,
        exact=False,
        evidence=("timeout", "truncated", "memory limit", "limit per submission"),
    ),
    "delete_files": Case(2),
}
SECRET = "l2course-secret-9f3b2c"
# Cases whose file is an added cell rather than the l2_penalty solution.
EXTRA_CELL = {"fake_test_cell"}


def with_forged_test_cell(release_nb: dict, code: str) -> dict:
    """A wrong l2_penalty, then a new cell whose metadata says it is a test."""
    nb = ac._submission(
        release_nb, {"l2_penalty": "def l2_penalty(w, lam):\n    return 0.0"}
    )
    forged = {
        "cell_type": "code",
        "execution_count": None,
        "id": "forged-test",
        "metadata": {
            "nbgrader": {
                "grade": True,
                "grade_id": "test_bonus",
                "locked": True,
                "points": 10,
                "schema_version": 3,
                "solution": False,
            }
        },
        "outputs": [],
        "source": code,
    }
    position = next(
        i
        for i, cell in enumerate(nb["cells"])
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "l2_penalty"
    )
    nb["cells"].insert(position + 1, forged)
    return nb


EARLIER = "h_earlier"
HONEST = {
    "h_correct": (ac.CORRECT, 5.0),
    "h_partly": ({**ac.CORRECT, "l2_grad": ac.MISSING_TWO}, 3.0),
    "h_stub": ({}, 0.0),
}


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "autograder", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def gradebook_state(db_path: Path) -> dict:
    """What must not change: integrity, tables, hidden tests, honest grades."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
        tables = sorted(
            row[0]
            for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        )
        return {
            "integrity": db.execute("PRAGMA integrity_check").fetchone()[0],
            "tables": tables,
            "source_cells": sorted(
                db.execute("SELECT name, source, checksum FROM source_cell").fetchall()
            ),
        }


class Listener:
    """A service on the grader's loopback that counts who connects."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.accept, daemon=True)
        self.thread.start()

    def accept(self) -> None:
        while not self.stop.is_set():
            try:
                connection, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.server.close()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    isolation = sandbox.detect()
    if not isolation.complete:
        pytest.fail(
            f"{isolation.sentence()} The hostile corpus is only run inside a "
            "sandbox: install bubblewrap (apt-get install bubblewrap)."
        )
    work = tmp_path_factory.mktemp("hostile")
    course = work / "course"
    done = run_cli(
        "release",
        ac.ASSIGNMENT,
        "--course-dir",
        str(course),
        "--exercises",
        str(ac.FIXTURE_DIR),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    release_nb = ac.release_notebook(course)
    listener = Listener()
    secret = work / "secret.txt"
    secret.write_text(SECRET)
    source = ac.FIXTURE_DIR / ac.ASSIGNMENT / f"{ac.ASSIGNMENT}.ipynb"
    folder = work / "class"
    for student, (solutions, _) in HONEST.items():
        target = folder / student / f"{ac.ASSIGNMENT}.ipynb"
        target.parent.mkdir(parents=True)
        target.write_text(json.dumps(ac._submission(release_nb, solutions)))
    # A student graded in an earlier run: nothing in this run may touch their
    # files (their submission, a file planted next to it, their feedback).
    earlier = work / "earlier"
    (earlier / EARLIER).mkdir(parents=True)
    (earlier / EARLIER / f"{ac.ASSIGNMENT}.ipynb").write_text(
        json.dumps(ac._submission(release_nb, ac.CORRECT))
    )
    for name in HOSTILE_CASES:
        code = (HOSTILE / f"{name}.py").read_text()
        code = code.replace("{course}", str(course))
        code = code.replace("{port}", str(listener.port))
        code = code.replace("{secret}", str(secret))
        code = code.replace("{source}", str(source))
        target = folder / f"x_{name}" / f"{ac.ASSIGNMENT}.ipynb"
        target.parent.mkdir(parents=True)
        if name in EXTRA_CELL:
            nb = with_forged_test_cell(release_nb, code)
        else:
            nb = ac._submission(release_nb, {"l2_penalty": code})
        target.write_text(json.dumps(nb))

    first = run_cli(
        "grade",
        ac.ASSIGNMENT,
        str(earlier),
        "--course-dir",
        str(course),
        "--exercises",
        str(ac.FIXTURE_DIR),
    )
    assert first.returncode == 0, first.stdout + first.stderr
    canary = course / "submitted" / EARLIER / ac.ASSIGNMENT / "canary.txt"
    canary.write_text("another student's file")
    # Everything but what this run writes: reports, the gradebook, and the
    # folders of the students it grades.
    graded_now = set(HONEST) | {f"x_{name}" for name in HOSTILE_CASES}
    protected = {
        path: digest(path)
        for path in course.rglob("*")
        if path.is_file()
        and "reports" not in path.parts
        and not path.name.startswith("gradebook.db")
        and not graded_now & set(path.parts)
    }
    assert any(EARLIER in path.parts for path in protected)
    before = gradebook_state(course / "gradebook.db")

    start = time.monotonic()
    done = run_cli(
        "grade",
        ac.ASSIGNMENT,
        str(folder),
        "--course-dir",
        str(course),
        "--exercises",
        str(ac.FIXTURE_DIR),
        "--jobs",
        "2",
        "--timeout",
        str(CELL_TIMEOUT),
        "--time-limit",
        str(TIME_LIMIT),
        "--memory-limit",
        str(MEMORY_MB),
        "--require-sandbox",
        "--force",
    )
    seconds = time.monotonic() - start
    listener.close()
    with (course / "reports" / ac.ASSIGNMENT / "grades.csv").open(newline="") as f:
        rows = {row["student_id"]: row for row in csv.DictReader(f)}
    return {
        "course": course,
        "done": done,
        "seconds": seconds,
        "rows": rows,
        "listener": listener,
        "protected": protected,
        "before": before,
        "canary": canary,
    }


def test_grading_succeeds_and_says_which_sandbox(graded):
    done = graded["done"]
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Sandbox: " in done.stdout + done.stderr
    assert "NO filesystem" not in done.stdout + done.stderr


def test_every_submission_has_a_row(graded):
    expected = set(HONEST) | {f"x_{name}" for name in HOSTILE_CASES}
    assert expected <= set(graded["rows"]) <= expected | {EARLIER}


@pytest.mark.parametrize("student", list(HONEST))
def test_honest_grades_are_unchanged(graded, student):
    row = graded["rows"][student]
    assert row["status"] == "graded", row
    assert float(row["score"]) == HONEST[student][1], row
    assert row["flags"] == "", row


@pytest.mark.parametrize("name", list(HOSTILE_CASES))
def test_hostile_submission_gets_no_unearned_points(graded, name):
    case = HOSTILE_CASES[name]
    row = graded["rows"][f"x_{name}"]
    score = float(row["score"])
    assert score <= case.earned, row
    if case.exact:
        assert score == case.earned, row
    if case.status:
        assert row["status"] == case.status, row


@pytest.mark.parametrize(
    "name", [name for name, case in HOSTILE_CASES.items() if case.evidence]
)
def test_hostile_submission_says_what_happened(graded, name):
    row = graded["rows"][f"x_{name}"]
    said = row["flags"] + " " + row["reason"]
    assert any(word in said for word in HOSTILE_CASES[name].evidence), row


def _student_files(course: Path, student: str) -> dict[Path, str]:
    """What a student (feedback) or the instructor (log) gets from a run."""
    paths = list((course / "feedback" / student).rglob("*.html"))
    paths.append(course / "reports" / ac.ASSIGNMENT / "logs" / f"{student}.log")
    return {p: p.read_text(errors="replace") for p in paths if p.is_file()}


@pytest.mark.parametrize("name", list(HOSTILE_CASES))
def test_no_hidden_test_reaches_the_student(graded, name):
    """Neither the feedback nor the kernel's log holds a line of a hidden test,
    nor the host's secret file, whatever the student printed or raised."""
    hidden = ac.hidden_test_lines(
        ac.FIXTURE_DIR / ac.ASSIGNMENT / f"{ac.ASSIGNMENT}.ipynb"
    )
    files = _student_files(graded["course"], f"x_{name}")
    assert files, "feedback was written"
    for path, text in files.items():
        leaked = [line for line in hidden if line in text]
        assert leaked == [], (path, leaked[:3])
        assert SECRET not in text, path


def test_outputs_stay_within_the_cap(graded):
    """A 60 MB execute_result is stored shortened, once."""
    course = graded["course"]
    autograded = course / "autograded" / "x_huge_result" / ac.ASSIGNMENT
    feedback = course / "feedback" / "x_huge_result" / ac.ASSIGNMENT
    for path in [*autograded.glob("*.ipynb"), *feedback.glob("*.html")]:
        assert path.stat().st_size < 2_000_000, path


def test_gradebook_is_intact(graded):
    after = gradebook_state(graded["course"] / "gradebook.db")
    before = graded["before"]
    assert after["integrity"] == "ok"
    assert "pwned" not in after["tables"]
    assert after["source_cells"] == before["source_cells"]
    with sqlite3.connect(graded["course"] / "gradebook.db") as db:
        manual = db.execute(
            "SELECT COUNT(*) FROM grade WHERE manual_score IS NOT NULL"
        ).fetchone()[0]
    assert manual == 0


def test_other_students_and_course_files_are_intact(graded):
    assert graded["canary"].read_text() == "another student's file"
    changed = [
        str(path)
        for path, before in graded["protected"].items()
        if not path.exists() or digest(path) != before
    ]
    assert changed == []


def test_nothing_reached_the_loopback_service(graded):
    assert graded["listener"].connections == 0


def test_grading_stays_within_its_time_limits(graded):
    assert graded["seconds"] < CLASS_TIME_LIMIT


def test_require_sandbox_refuses_to_grade_without_one(tmp_path):
    folder = tmp_path / "class" / "someone"
    folder.mkdir(parents=True)
    source = ac.FIXTURE_DIR / ac.ASSIGNMENT / f"{ac.ASSIGNMENT}.ipynb"
    (folder / f"{ac.ASSIGNMENT}.ipynb").write_bytes(source.read_bytes())
    course = tmp_path / "course"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "autograder",
            "grade",
            ac.ASSIGNMENT,
            str(tmp_path / "class"),
            "--course-dir",
            str(course),
            "--exercises",
            str(ac.FIXTURE_DIR),
            "--require-sandbox",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "AUTOGRADER_SANDBOX": "none"},
    )
    assert done.returncode == 2
    message = done.stderr.strip()
    assert "\n" not in message, message
    assert "NO filesystem" in message and "--require-sandbox refuses" in message
    assert not (course / "reports" / ac.ASSIGNMENT / "grades.csv").exists()
