"""Running a class on JupyterHub: the exchange configuration and formgrader.

The hub-wide ``autograder/jupyterhub/nbgrader_config.py`` must load with
nbgrader and say what the README says. A tiny assignment of this test's own
then goes the whole way through nbgrader's exchange, with the real CLI, in a
temporary exchange folder: release, fetch, submit, collect, autograde. Last,
the Jupyter server with nbgrader's formgrader extension serves that course
directory on 127.0.0.1.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT
from traitlets.config.loader import PyFileConfigLoader

HUB_CONFIG = ROOT / "autograder" / "jupyterhub" / "nbgrader_config.py"
README = ROOT / "README.md"
# What the README documents; the configuration must agree.
COURSE_ID = "l2-course"
EXCHANGE_ROOT = "/srv/nbgrader/exchange"
ASSIGNMENT = "hello"
COLLECTED = "collected"
COLLECTED_FLAG = f"--CourseDirectory.submitted_directory={COLLECTED}"
SERVER_TIMEOUT_S = 120
# nbgrader's gradebook runs the ``alembic`` command by name, so the venv's bin
# folder must be on PATH even when Python is started as .venv/bin/python.
ENV = {
    **os.environ,
    "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
}


def test_hub_config_loads_and_points_where_documented():
    config = PyFileConfigLoader(
        HUB_CONFIG.name, path=str(HUB_CONFIG.parent)
    ).load_config()
    assert config.CourseDirectory.course_id == COURSE_ID
    assert config.Exchange.root == EXCHANGE_ROOT
    readme = README.read_text(encoding="utf-8")
    heading = "## Running a class on JupyterHub"
    assert heading in readme, f"README has no section {heading!r}"
    section = readme.split(heading, 1)[1].split("\n## ")[0]
    for documented in (
        COURSE_ID,
        EXCHANGE_ROOT,
        "autograder/jupyterhub/nbgrader_config.py",
    ):
        assert documented in section, f"README's JupyterHub section lacks {documented}"


def tiny_assignment() -> nbformat.NotebookNode:
    """One function to write and one autograded test, in nbgrader's markup."""

    def meta(**nbgrader) -> dict:
        base = {
            "schema_version": 3,
            "solution": False,
            "grade": False,
            "locked": False,
            "task": False,
        }
        return {"nbgrader": {**base, **nbgrader}}

    solution = (
        "def square(x):\n"
        '    """Return x times x."""\n'
        "    ### BEGIN SOLUTION\n"
        "    return x * x\n"
        "    ### END SOLUTION"
    )
    test = (
        '"""square works on a few numbers."""\n'
        "assert square(3) == 9\n"
        "assert square(-2) == 4"
    )
    notebook = nbformat.v4.new_notebook()
    notebook.metadata.kernelspec = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.cells = [
        nbformat.v4.new_code_cell(
            solution, metadata=meta(solution=True, grade_id="square")
        ),
        nbformat.v4.new_code_cell(
            test,
            metadata=meta(grade=True, locked=True, points=1, grade_id="test_square"),
        ),
    ]
    return notebook


def write_config(folder: Path, exchange: Path) -> None:
    """What /etc/jupyter/nbgrader_config.py gives each account, with a temp exchange."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"load_subconfig({str(HUB_CONFIG)!r})\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
    )


def nbgrader(*args: str, cwd: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=cwd,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, (
        f"nbgrader {' '.join(args)} failed in {cwd}:\n{result.stdout}\n{result.stderr}"
    )
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def hub_course(tmp_path_factory) -> Path:
    """A course taken through release, fetch, submit, collect and autograde."""
    base = tmp_path_factory.mktemp("hub")
    exchange, course, student = base / "exchange", base / "course", base / "student"
    write_config(course, exchange)
    write_config(student, exchange)
    source = course / "source" / ASSIGNMENT
    source.mkdir(parents=True)
    nbformat.write(tiny_assignment(), source / f"{ASSIGNMENT}.ipynb")

    nbgrader("generate_assignment", ASSIGNMENT, cwd=course)
    nbgrader("release_assignment", ASSIGNMENT, cwd=course)
    assert (exchange / COURSE_ID / "outbound" / ASSIGNMENT).is_dir()

    nbgrader("fetch_assignment", ASSIGNMENT, cwd=student)
    fetched = student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    notebook = nbformat.read(fetched, as_version=4)
    assert "return x * x" not in notebook.cells[0].source, "the solution was released"
    notebook.cells[
        0
    ].source = 'def square(x):\n    """Return x times x."""\n    return x**2'
    nbformat.write(notebook, fetched)
    nbgrader("submit", ASSIGNMENT, cwd=student)

    # As the README says: collect into collected/, a folder of its own, so that
    # grading (python -m autograder grade) copies from it into submitted/.
    nbgrader("collect", ASSIGNMENT, COLLECTED_FLAG, cwd=course)
    # The course as the instructor has it before grading, for the hand-off test.
    shutil.copytree(course, base / "course-after-collect")

    # Grading. python -m autograder grade copies collected/ into submitted/ and
    # autogrades there (test below); plain nbgrader stands in for it here, so
    # that formgrader has a graded class to show whether or not it is merged.
    shutil.copytree(course / COLLECTED, course / "submitted")
    nbgrader("autograde", ASSIGNMENT, cwd=course)
    return course


def collected_students(course: Path) -> list[Path]:
    return [p for p in (course / COLLECTED).iterdir() if (p / ASSIGNMENT).is_dir()]


@pytest.mark.slow  # the nbgrader round trip on a hub course
def test_release_fetch_submit_collect_round_trip(hub_course):
    (student,) = collected_students(hub_course)
    collected = student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert "return x**2" in nbformat.read(collected, as_version=4).cells[0].source
    assert (student / ASSIGNMENT / "timestamp.txt").is_file()

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{hub_course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, student.name)
        assert (submission.score, submission.max_score) == (1, 1)


@pytest.mark.slow  # the nbgrader round trip on a hub course
@pytest.mark.skipif(
    not (ROOT / "autograder" / "__main__.py").exists(),
    reason="hand-off: runs once python -m autograder (issue 6) is merged",
)
def test_collected_folder_grades_with_python_m_autograder(hub_course, tmp_path):
    """The README's last step: ``python -m autograder grade`` on collected/."""
    course = tmp_path / "graded-course"
    shutil.copytree(hub_course.parent / "course-after-collect", course)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "autograder",
            "grade",
            ASSIGNMENT,
            str(course / COLLECTED),
            "--course-dir",
            str(course),
        ],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (student,) = collected_students(course)
    grades = list(course.rglob("grades.csv"))
    assert grades, f"no grades.csv under {course}:\n{result.stdout}"
    with grades[0].open(newline="") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert rows[student.name]["status"] == "graded"
    assert float(rows[student.name]["score"]) == 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow  # the nbgrader round trip on a hub course
def test_formgrader_serves_the_course_directory(hub_course, tmp_path):
    """Manual grading: formgrader opens the course directory and lists the class."""
    port, token = free_port(), secrets.token_hex(16)
    env = {
        **ENV,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
    }
    log = tmp_path / "server.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyter_server",
                "--no-browser",
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={port}",
                "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={token}",
                f"--ServerApp.root_dir={hub_course}",
                # This machine and CI run as root; a user account needs no flag.
                "--ServerApp.allow_root=True",
            ],
            cwd=hub_course,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"

    def get(path: str) -> tuple[int, str, str]:
        # A header, unlike ?token=, survives formgrader's redirects.
        request = urllib.request.Request(
            f"{base}{path}", headers={"Authorization": f"token {token}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.url, response.read().decode("utf-8")

    try:
        deadline = time.monotonic() + SERVER_TIMEOUT_S
        while True:
            try:
                get("/api/status")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        f"Jupyter server did not start:\n{log.read_text()[-3000:]}"
                    )
                time.sleep(0.5)

        status, url, page = get("/formgrader")
        assert status == 200 and url.endswith("/formgrader/manage_assignments"), url
        assert "Manage Assignments" in page, page[:2000]

        status, _, body = get("/formgrader/api/assignments")
        assignments = {a["name"]: a for a in json.loads(body)}
        assert ASSIGNMENT in assignments, f"formgrader lists {list(assignments)}"
        assert assignments[ASSIGNMENT]["num_submissions"] == 1
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
