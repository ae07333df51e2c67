"""End to end: `python -m autograder release|grade|report` on a generated class.

The class (tests/autograder_class.py) holds one submission of each kind the
issue names: correct, partly correct, stub, invalid JSON, empty file, deleted
test cell, dead kernel, wrong file name, infinite loop, os._exit. Timeouts are
short so the whole module stays well under a minute of grading.
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import autograder_class as ac  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CELL_TIMEOUT = "3"
TIME_LIMIT = "40"
TEST_COLUMNS = list(ac.POINTS)

pytestmark = pytest.mark.slow


def run_cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "autograder", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check and done.returncode != 0:
        pytest.fail(f"autograder {args[0]} failed:\n{done.stdout}\n{done.stderr}")
    return done


def grade_args(course: Path, submissions: Path, *extra: str) -> list[str]:
    return [
        "grade",
        ac.ASSIGNMENT,
        str(submissions),
        "--course-dir",
        str(course),
        "--exercises",
        str(ac.FIXTURE_DIR),
        "--timeout",
        CELL_TIMEOUT,
        "--time-limit",
        TIME_LIMIT,
        *extra,
    ]


def read_grades(course: Path) -> dict[str, dict[str, str]]:
    path = course / "reports" / ac.ASSIGNMENT / "grades.csv"
    with path.open(newline="") as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    """A course directory where the fixture assignment has been released."""
    course = tmp_path_factory.mktemp("released") / "course"
    done = run_cli(
        "release",
        ac.ASSIGNMENT,
        "--course-dir",
        str(course),
        "--exercises",
        str(ac.FIXTURE_DIR),
    )
    assert f"{ac.ASSIGNMENT}.zip" in done.stdout
    return course


@pytest.fixture(scope="module")
def plan(released):
    return ac.class_plan(ac.release_notebook(released))


def copy_course(released: Path, target: Path) -> Path:
    shutil.copytree(released, target)
    return target


@pytest.fixture(scope="module")
def graded(released, plan, tmp_path_factory):
    """The class graded with two jobs: (course, CompletedProcess, seconds)."""
    work = tmp_path_factory.mktemp("graded")
    course = copy_course(released, work / "course")
    folder = ac.write_class_folder(plan, work / "class")
    start = time.monotonic()
    done = run_cli(*grade_args(course, folder, "--jobs", "2"))
    return course, done, time.monotonic() - start, folder


def test_release_is_checked_zipped_and_stripped(released):
    zip_path = released / "release" / f"{ac.ASSIGNMENT}.zip"
    import zipfile

    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
        student = archive.read(f"{ac.ASSIGNMENT}/{ac.ASSIGNMENT}.ipynb").decode()
    assert names == [f"{ac.ASSIGNMENT}/{ac.ASSIGNMENT}.ipynb"]
    assert "BEGIN SOLUTION" not in student and "BEGIN HIDDEN TESTS" not in student
    assert "rng_penalty" not in student  # a hidden-test variable
    assert "raise NotImplementedError" in student


def check_rows(rows: dict, plan) -> None:
    assert sorted(rows) == sorted(plan), "one row per submission found, no more"
    for student, (_, _, expected) in plan.items():
        row = rows[student]
        assert float(row["score"]) == expected.score, (student, row)
        assert float(row["max_score"]) == sum(ac.POINTS.values())
        assert row["status"] == expected.status, (student, row)
        if expected.reason:
            assert expected.reason in row["reason"], (student, row["reason"])
        else:
            assert row["reason"] == "", (student, row["reason"])
        got = tuple(float(row[column]) for column in TEST_COLUMNS)
        assert got == expected.cells, (student, got)
        assert row["flags"] == "", (student, row["flags"])


def test_every_submission_gets_its_row(graded, plan):
    course, done, seconds, _ = graded
    assert "bubblewrap" in done.stderr + done.stdout, "this run is under bwrap"
    check_rows(read_grades(course), plan)
    # the infinite loop cost its cell's timeout, not the submission's limit
    assert seconds < 150, f"grading took {seconds:.0f} s"


def test_grade_prints_where_outputs_are(graded):
    course, done, _, _ = graded
    for label in ("grades:", "report:", "feedback:", "gradebook:"):
        assert label in done.stdout
    assert "grades.csv" in done.stdout and "report.html" in done.stdout
    # not a TTY here: one plain progress line per submission
    progress = [
        line for line in done.stderr.splitlines() if re.match(r"\[\s*\d+/", line)
    ]
    assert len(progress) == len(read_grades(course))
    assert "ETA" in progress[0]


def test_gradebook_holds_nbgrader_scores(graded, plan):
    """formgrader and `nbgrader export` read nbgrader's own tables."""
    course, *_ = graded
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student, (_, _, expected) in plan.items():
            submission = gb.find_submission(ac.ASSIGNMENT, student)
            assert submission.score == expected.score, student


def _visible_text(path: Path) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text()))


def _leaks(text: str, hidden: list[str]) -> list[str]:
    return [line for line in hidden if line in text]


def test_feedback_never_shows_hidden_tests(graded, plan):
    course, *_ = graded
    hidden = ac.hidden_test_lines(
        ac.FIXTURE_DIR / ac.ASSIGNMENT / f"{ac.ASSIGNMENT}.ipynb"
    )
    assert len(hidden) > 10
    for student in plan:
        page = course / "feedback" / student / ac.ASSIGNMENT / f"{ac.ASSIGNMENT}.html"
        assert page.exists(), f"no feedback for {student}"
        text = _visible_text(page)
        assert not _leaks(text, hidden), (student, _leaks(text, hidden))
    # what the feedback does show: each test's name, points and result sentence
    text = _visible_text(
        course / "feedback" / "s11_half_decay" / ac.ASSIGNMENT / f"{ac.ASSIGNMENT}.html"
    )
    for name in TEST_COLUMNS:
        assert name in text
    assert "Score: 0.0 / 1.0" in text
    assert "decay_factor(0.1, 0.5) should be 0.9" in text
    text = _visible_text(
        course
        / "feedback"
        / "s09_infinite_loop"
        / ac.ASSIGNMENT
        / f"{ac.ASSIGNMENT}.html"
    )
    assert "timed out" in text


def test_nbgrader_generate_feedback_is_redacted_too(graded):
    """The course config adds RedactTests to `nbgrader generate_feedback`; and
    the leak check above can fail: without it, nbgrader's feedback leaks."""
    course, *_ = graded
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    from autograder.course import Course

    hidden = ac.hidden_test_lines(
        ac.FIXTURE_DIR / ac.ASSIGNMENT / f"{ac.ASSIGNMENT}.ipynb"
    )
    page = course / "feedback" / "s02_partly" / ac.ASSIGNMENT / f"{ac.ASSIGNMENT}.html"

    def nbgrader_feedback(config) -> str:
        api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
        outcome = api.generate_feedback(ac.ASSIGNMENT, "s02_partly", force=True)
        assert outcome["success"], outcome.get("error")
        return _visible_text(page)

    configured = Course(course).config
    assert not _leaks(nbgrader_feedback(configured), hidden)

    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades

    stock = Course(course).config
    stock.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor]
    assert _leaks(nbgrader_feedback(stock), hidden), (
        "stock nbgrader feedback should leak"
    )


def test_report_html_is_self_contained(graded, plan):
    course, *_ = graded
    page = (course / "reports" / ac.ASSIGNMENT / "report.html").read_text()
    assert page.count("<svg") >= 3  # histogram, pass rates, slowest
    assert "<script" not in page and "<link" not in page
    assert not re.search(r"""(src|href)=["']https?:""", page)
    errored = page.split("Submissions that errored")[1].split("<h2>")[0]
    for student, (_, _, expected) in plan.items():
        if expected.status != "graded":
            assert student in errored
            assert html.escape(expected.reason) in errored or expected.reason in errored
    assert "s01_correct" not in errored


def test_report_rebuilds_from_gradebook(graded):
    course, *_ = graded
    csv_path = course / "reports" / ac.ASSIGNMENT / "grades.csv"
    before = csv_path.read_text()
    csv_path.unlink()
    done = run_cli(
        "report",
        ac.ASSIGNMENT,
        "--course-dir",
        str(course),
        "--exercises",
        str(ac.FIXTURE_DIR),
    )
    assert "grades.csv" in done.stdout and "report.html" in done.stdout
    assert csv_path.read_text() == before


def test_serial_run_gives_the_same_grades(released, graded, tmp_path):
    """--jobs 1 and --jobs 2 agree row for row, reasons included (repeatable)."""
    course_parallel, _, _, folder = graded
    course = copy_course(released, tmp_path / "course")
    run_cli(*grade_args(course, folder, "--jobs", "1"))
    assert read_grades(course) == read_grades(course_parallel)


def _results(course: Path) -> dict[str, str]:
    with sqlite3.connect(course / "gradebook.db") as db:
        return dict(db.execute("SELECT student_id, graded_at FROM autograder_result"))


def test_rerun_resumes_without_regrading(released, plan, tmp_path):
    subset = {k: plan[k] for k in ("s01_correct", "s02_partly", "s05_empty")}
    folder = ac.write_class_folder(subset, tmp_path / "class")
    course = copy_course(released, tmp_path / "course")
    run_cli(*grade_args(course, folder))
    first = _results(course)
    time.sleep(1.1)  # graded_at has one-second resolution

    done = run_cli(*grade_args(course, folder))
    assert "3 already graded and unchanged: skipped" in done.stdout
    assert _results(course) == first

    # a changed submission is graded again; the others are not
    target = folder / "s02_partly" / f"{ac.ASSIGNMENT}.ipynb"
    target.write_bytes(plan["s01_correct"][1])
    done = run_cli(*grade_args(course, folder))
    assert "graded 1 in" in done.stdout
    after = _results(course)
    assert after["s01_correct"] == first["s01_correct"]
    assert after["s02_partly"] != first["s02_partly"]
    assert read_grades(course)["s02_partly"]["score"] == "5"

    done = run_cli(*grade_args(course, folder, "--force"))
    assert "graded 3 in" in done.stdout


def test_killed_run_leaves_a_consistent_gradebook(released, plan, tmp_path):
    """SIGKILL the grader mid-run: the gradebook passes SQLite's integrity
    check, every recorded submission is complete, and a re-run finishes the
    rest without regrading what was recorded."""
    students = [
        "s01_correct",
        "s02_partly",
        "s03_stub",
        "s11_half_decay",
        "s08_wrong_name",
    ]
    folder = ac.write_class_folder({k: plan[k] for k in students}, tmp_path / "class")
    course = copy_course(released, tmp_path / "course")
    # a killed grader cannot remove its scratch folders: keep them in one we
    # remove (short, for IPC socket paths)
    scratch = Path(tempfile.mkdtemp(prefix="agt-"))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "autograder",
            *grade_args(course, folder, "--jobs", "1"),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    recorded: dict[str, str] = {}
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            try:
                recorded = _results(course)
            except sqlite3.Error:
                recorded = {}
            if len(recorded) >= 2:
                break
            time.sleep(0.2)
    finally:
        # the whole session: the grader and the worker it forked
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert 2 <= len(recorded) < len(students), "the kill should land mid-run"

    with sqlite3.connect(course / "gradebook.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        recorded = _results(course)
        for student in recorded:
            nulls = db.execute(
                "SELECT COUNT(*) FROM grade JOIN submitted_notebook sn ON "
                "grade.notebook_id = sn.id JOIN submitted_assignment sa ON "
                "sn.assignment_id = sa.id WHERE sa.student_id = ? AND "
                "grade.auto_score IS NULL",
                (student,),
            ).fetchone()[0]
            assert nulls == 0, f"{student} recorded with missing scores"

    time.sleep(2)  # the killed worker's kernel notices its parent is gone
    shutil.rmtree(scratch, ignore_errors=True)
    done = run_cli(*grade_args(course, folder))
    assert f"{len(recorded)} already graded and unchanged: skipped" in done.stdout
    rows = read_grades(course)
    assert sorted(rows) == sorted(students)
    for student in students:
        assert float(rows[student]["score"]) == plan[student][2].score


def test_kernel_runs_in_a_scratch_folder(released, plan, tmp_path):
    """Student code runs outside the course folder, away from the gradebook,
    the source notebook and other students."""
    nb = ac.release_notebook(released)
    probe = ac.CORRECT["l2_penalty"] + (
        "\n\nimport os\n"
        "print('CWD=' + os.getcwd())\n"
        "print('LS=' + repr(os.listdir('.')))"
    )
    content = json.dumps(
        ac._submission(nb, {**ac.CORRECT, "l2_penalty": probe})
    ).encode()
    folder = ac.write_class_folder(
        {"probe": (f"{ac.ASSIGNMENT}.ipynb", content, None)}, tmp_path / "class"
    )
    course = copy_course(released, tmp_path / "course")
    run_cli(*grade_args(course, folder))
    graded_nb = json.loads(
        (
            course / "autograded" / "probe" / ac.ASSIGNMENT / f"{ac.ASSIGNMENT}.ipynb"
        ).read_text()
    )
    printed = "".join(
        "".join(output.get("text", ""))
        for cell in graded_nb["cells"]
        for output in cell.get("outputs", [])
    )
    cwd = re.search(r"CWD=(.*)", printed).group(1)
    listing = re.search(r"LS=(.*)", printed).group(1)
    assert not Path(cwd).resolve().is_relative_to(course.resolve())
    assert listing == "[]", "the scratch folder holds no notebook and no gradebook"
    assert not Path(cwd).exists(), "the scratch folder is removed afterwards"


FALLBACKS = ("landlock+unshare", "landlock", "none")


@pytest.mark.parametrize("method", FALLBACKS)
def test_the_class_gets_the_same_rows_under_each_fallback_sandbox(
    method, released, plan, tmp_path
):
    """Without bubblewrap (the sandbox module's own choice, forced): the same
    scores and statuses, a dead kernel included (`kernel_died`)."""
    from autograder.isolation import sandbox

    try:
        sandbox.detect(method)
    except sandbox.SandboxUnavailable as error:
        pytest.skip(f"{method} does not run on this machine: {error}")
    course = copy_course(released, tmp_path / "course")
    folder = ac.write_class_folder(plan, tmp_path / "class")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "autograder",
            *grade_args(course, folder, "--jobs", "2"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "AUTOGRADER_SANDBOX": method},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "bubblewrap namespaces" not in done.stdout + done.stderr
    check_rows(read_grades(course), plan)


def test_course_config_names_no_checkout(graded):
    """The course folder's nbgrader_config.py finds the course settings where
    the autograder is installed, so a moved checkout or course still works."""
    course, *_ = graded
    text = (course / "nbgrader_config.py").read_text()
    assert str(ROOT) not in text
    assert "find_spec('autograder')" in text


def test_full_disk_stops_the_run_and_the_next_run_resumes(
    released, plan, tmp_path, monkeypatch
):
    """The gradebook write fails with sqlite's "disk is full" on the second
    submission: the run stops with a reason, the first row is kept, and the
    next run grades only what is left."""
    import io
    import sqlite3 as sqlite

    from autograder.course import Course, UsageError
    from autograder.grading import grade
    from autograder.outputs import gradebook

    course_dir = copy_course(released, tmp_path / "course")
    few = {k: plan[k] for k in ("s01_correct", "s02_partly", "s03_stub")}
    folder = ac.write_class_folder(few, tmp_path / "class")
    course = Course(course_dir, ac.FIXTURE_DIR, cell_timeout=int(CELL_TIMEOUT))
    record = gradebook.GradebookWriter.record
    calls = []

    def full_after_one(self, result):
        calls.append(result.student_id)
        if len(calls) > 1:
            raise sqlite.OperationalError("database or disk is full")
        return record(self, result)

    monkeypatch.setattr(gradebook.GradebookWriter, "record", full_after_one)
    with pytest.raises(UsageError, match="is full: grading stopped after 1"):
        grade(course, ac.ASSIGNMENT, folder, jobs=1, stream=io.StringIO())
    monkeypatch.setattr(gradebook.GradebookWriter, "record", record)
    summary = grade(course, ac.ASSIGNMENT, folder, jobs=1, stream=io.StringIO())
    assert summary.skipped == 1 and summary.graded == 2
    rows = read_grades(course_dir)
    check_rows(rows, few)
