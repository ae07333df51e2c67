"""Intake (folders, zips, LMS zips) and the command line's misuse messages."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import autograder_class as ac  # noqa: E402
from hostile_archives import builders  # noqa: E402

from autograder.course import Course, UsageError  # noqa: E402
from autograder.intake import LmsFileNameCollector, find_submissions  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NB = f"{ac.ASSIGNMENT}.ipynb"
# small stand-ins: intake never reads notebooks, it only sorts files
PLAN = {
    "alice": (NB, b'{"cells": []}', None),
    "bob": (NB, b'{"cells": [1]}', None),
    "carol": ("Copy of homework.ipynb", b'{"cells": [2]}', None),
}


def course(tmp_path: Path) -> Course:
    return Course(tmp_path / "course", ac.FIXTURE_DIR)


def found(tmp_path: Path, source: Path) -> dict[str, object]:
    subs = find_submissions(course(tmp_path), ac.ASSIGNMENT, [ac.ASSIGNMENT], source)
    return {sub.student_id: sub for sub in subs}


def contents(sub) -> bytes:
    return sub.notebooks[ac.ASSIGNMENT].read_bytes()


@pytest.mark.parametrize("nested", [False, True])
def test_folder_layouts(tmp_path, nested):
    folder = ac.write_class_folder(PLAN, tmp_path / "class", nested=nested)
    subs = found(tmp_path, folder)
    assert sorted(subs) == ["alice", "bob", "carol"]
    assert contents(subs["bob"]) == b'{"cells": [1]}'
    assert "submitted as 'Copy of homework.ipynb'" in " ".join(subs["carol"].notes)
    assert not subs["alice"].notes


def test_zip_of_a_wrapped_folder(tmp_path):
    folder = ac.write_class_folder(PLAN, tmp_path / "wrap" / "submissions", nested=True)
    archive = shutil.make_archive(str(tmp_path / "class"), "zip", folder.parent)
    subs = found(tmp_path, Path(archive))
    assert sorted(subs) == ["alice", "bob", "carol"]
    # unpacked where nbgrader zip_collect would: downloaded/<assignment>/extracted
    extracted = tmp_path / "course" / "downloaded" / ac.ASSIGNMENT / "extracted"
    assert subs["alice"].notebooks[ac.ASSIGNMENT].is_relative_to(extracted)


def test_canvas_zip(tmp_path):
    ids = ac.write_canvas_zip(PLAN, tmp_path / "canvas.zip")
    subs = found(tmp_path, tmp_path / "canvas.zip")
    assert sorted(subs) == sorted(ids)
    for user_id, student in ids.items():
        assert contents(subs[user_id]) == PLAN[student][1]


def test_canvas_resubmission_keeps_the_latest(tmp_path):
    with zipfile.ZipFile(tmp_path / "canvas.zip", "w") as archive:
        archive.writestr(f"doejane_1234_900_{NB}", b"first")
        archive.writestr(f"doejane_LATE_1234_901_{ac.ASSIGNMENT}-2.ipynb", b"third")
        archive.writestr(f"doejane_1234_902_{ac.ASSIGNMENT}-1.ipynb", b"second")
    subs = found(tmp_path, tmp_path / "canvas.zip")
    assert list(subs) == ["1234"]
    assert contents(subs["1234"]) == b"third"
    assert "3 versions" in " ".join(subs["1234"].notes)


def test_moodle_zip_with_folders(tmp_path):
    ids = ac.write_moodle_zip(PLAN, tmp_path / "moodle.zip")
    subs = found(tmp_path, tmp_path / "moodle.zip")
    assert sorted(subs) == sorted(ids)
    for participant, student in ids.items():
        assert contents(subs[participant]) == PLAN[student][1]


def test_moodle_flat_and_zip_inside_zip(tmp_path):
    inner = tmp_path / "work.zip"
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr(f"homework/{NB}", b"zipped by the student")
    with zipfile.ZipFile(tmp_path / "moodle.zip", "w") as archive:
        archive.writestr(f"Ann Lee_77_assignsubmission_file_{NB}", b"flat")
        archive.write(inner, "Bo Chen_78_assignsubmission_file_/work.zip")
    subs = found(tmp_path, tmp_path / "moodle.zip")
    assert contents(subs["77"]) == b"flat"
    assert contents(subs["78"]) == b"zipped by the student"


def test_blackboard_names_from_nbgrader_docs():
    collector = LmsFileNameCollector()
    collector.assignment_id = "ps1"
    info = collector.collect(
        "ps1_bit_diddle_attempt_2016-01-30-15-00-00_problem1.ipynb"
    )
    assert info["student_id"] == "bit_diddle"
    assert info["file_id"] == "problem1.ipynb"
    assert info["timestamp"] == "2016-01-30 15:00:00"


def test_nothing_is_dropped(tmp_path):
    """A folder without a notebook, a lone notebook and two misnamed notebooks
    are all submissions, each with a reason."""
    folder = tmp_path / "class"
    (folder / "dave").mkdir(parents=True)
    (folder / "dave" / "answers.pdf").write_bytes(b"%PDF")
    (folder / "erin").mkdir()
    (folder / "erin" / "a.ipynb").write_text("{}")
    (folder / "erin" / "b.ipynb").write_text("{}")
    (folder / "frank.ipynb").write_text("{}")
    (folder / "gina").mkdir()
    (folder / "gina" / NB).write_text("{}")
    subs = found(tmp_path, folder)
    assert sorted(subs) == ["dave", "erin", "frank", "gina"]
    assert "no notebook (.ipynb)" in subs["dave"].problem
    assert "answers.pdf" in subs["dave"].problem
    assert f"no notebook named {NB}" in subs["erin"].problem
    assert "student id from the file name" in " ".join(subs["frank"].notes)
    assert subs["gina"].problem is None


def test_not_a_zip_and_missing_folder(tmp_path):
    fake = tmp_path / "class.zip"
    fake.write_text("this is not a zip")
    with pytest.raises(UsageError, match="is not a zip file"):
        found(tmp_path, fake)
    with pytest.raises(UsageError, match="no such file or folder"):
        found(tmp_path, tmp_path / "nowhere")


# --- the command line ----------------------------------------------------------
def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "autograder", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def assert_one_line_error(done: subprocess.CompletedProcess, phrase: str) -> None:
    assert done.returncode != 0
    message = done.stderr.strip()
    assert "\n" not in message, message
    assert phrase in message, message
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("verb", ["release", "grade", "report"])
def test_every_verb_has_help(verb):
    done = cli(verb, "--help")
    assert done.returncode == 0
    assert "--course-dir" in done.stdout


def test_misuse_messages(tmp_path):
    where = [
        "--course-dir",
        str(tmp_path / "course"),
        "--exercises",
        str(ac.FIXTURE_DIR),
    ]
    assert_one_line_error(
        cli("grade", "no_such_hw", str(tmp_path), *where), "unknown assignment"
    )
    assert_one_line_error(cli("release", "no_such_hw", *where), "unknown assignment")
    assert_one_line_error(
        cli("grade", ac.ASSIGNMENT, str(tmp_path / "missing"), *where),
        "no such file or folder",
    )
    fake = tmp_path / "class.zip"
    fake.write_text("not a zip")
    assert_one_line_error(
        cli("grade", ac.ASSIGNMENT, str(fake), *where), "is not a zip file"
    )
    assert_one_line_error(cli("report", ac.ASSIGNMENT, *where), "nothing graded yet")
    assert_one_line_error(
        cli("grade", ac.ASSIGNMENT, str(tmp_path), "--jobs", "0", *where), "--jobs"
    )
    assert_one_line_error(cli("grade"), "required")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert_one_line_error(
        cli("grade", ac.ASSIGNMENT, str(empty), *where), "no submissions"
    )


@pytest.mark.slow
def test_lms_zip_end_to_end(tmp_path):
    """A Canvas zip through `grade`: rows are keyed by the Canvas user id."""
    where = [
        "--course-dir",
        str(tmp_path / "course"),
        "--exercises",
        str(ac.FIXTURE_DIR),
    ]
    released = cli("release", ac.ASSIGNMENT, "--no-check", *where)
    assert released.returncode == 0, released.stderr
    plan = ac.class_plan(ac.release_notebook(tmp_path / "course"))
    subset = {k: plan[k] for k in ("s01_correct", "s02_partly", "s08_wrong_name")}
    ids = ac.write_canvas_zip(subset, tmp_path / "canvas.zip")
    done = cli(
        "grade", ac.ASSIGNMENT, str(tmp_path / "canvas.zip"), "--timeout", "5", *where
    )
    assert done.returncode == 0, done.stderr
    grades = tmp_path / "course" / "reports" / ac.ASSIGNMENT / "grades.csv"
    with grades.open(newline="") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert sorted(rows) == sorted(ids)
    for user_id, student in ids.items():
        assert float(rows[user_id]["score"]) == subset[student][2].score


@pytest.mark.slow
def test_hostile_lms_zip_end_to_end(tmp_path):
    """Through `grade`: an inner zip naming two classmates and a corrupt member
    change no one's row but their sender's, and the run goes on."""
    where = [
        "--course-dir",
        str(tmp_path / "course"),
        "--exercises",
        str(ac.FIXTURE_DIR),
    ]
    released = cli("release", ac.ASSIGNMENT, "--no-check", *where)
    assert released.returncode == 0, released.stderr
    plan = ac.class_plan(ac.release_notebook(tmp_path / "course"))
    correct, partly, stub = (
        plan[k][1] for k in ("s01_correct", "s02_partly", "s03_stub")
    )
    claims = builders.zip_bytes(
        [
            (f"alicelee_1001_777_{NB}", stub),
            (f"Bob Ray_1002_assignsubmission_file_/{NB}", stub),
        ]
    )
    archive = builders.write_zip(
        tmp_path / "canvas.zip",
        [
            (f"alicelee_1001_501_{NB}", correct),
            (f"bobray_1002_502_{NB}", partly),
            ("evehall_1003_503_work.zip", claims),
            (f"fredkay_1004_504_{NB}", correct),
        ],
    )
    builders.patch_central(archive, f"fredkay_1004_504_{NB}", crc=0)
    done = cli("grade", ac.ASSIGNMENT, str(archive), "--timeout", "5", *where)
    assert done.returncode == 0, done.stderr
    grades = tmp_path / "course" / "reports" / ac.ASSIGNMENT / "grades.csv"
    with grades.open(newline="") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert sorted(rows) == ["1001", "1002", "1003", "1004"]
    expected = {"1001": plan["s01_correct"][2], "1002": plan["s02_partly"][2]}
    for student, outcome in expected.items():
        assert float(rows[student]["score"]) == outcome.score
        assert rows[student]["status"] == "graded"
    assert float(rows["1003"]["score"]) == 0  # her own entry: the stub
    assert rows["1004"]["status"] == "error"
    assert "corrupt" in rows["1004"]["reason"]
