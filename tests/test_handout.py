"""What students are handed runs anywhere.

For every assignment, ``python -m autograder release`` writes the zip to hand
out. Unpacked into an empty folder, its notebook must run top to bottom in a
kernel whose environment has only numpy, matplotlib and ipykernel (no
``l2course``, no scikit-learn, nothing from this repository): with the
student's answers filled in it runs without an error, plot included, and as
released every error is the stubs' ``NotImplementedError``.

That environment is a virtualenv made once, under ``_build/``, from the
versions pinned in requirements.txt (pip installs them from its cache or the
local index), and made again only when those pins change.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from exercise_grading import ASSIGNMENTS, EXERCISES, ROOT
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("handout")]

HANDOUT_PACKAGES = ("numpy", "matplotlib", "ipykernel")
VENV = ROOT / "_build" / "handout-venv"


def pins() -> list[str]:
    """requirements.txt's exact pins of the packages a student needs."""
    found = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        name, _, version = line.partition("==")
        if name.strip().lower() in HANDOUT_PACKAGES and version:
            found[name.strip().lower()] = f"{name.strip()}=={version.strip()}"
    missing = set(HANDOUT_PACKAGES) - set(found)
    assert not missing, f"requirements.txt pins no version of {sorted(missing)}"
    return [found[name] for name in HANDOUT_PACKAGES]


def _make_venv(wanted: str) -> None:
    shutil.rmtree(VENV, ignore_errors=True)
    steps = [
        [sys.executable, "-m", "venv", str(VENV)],
        [str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", *pins()],
    ]
    for step in steps:
        run = subprocess.run(step, capture_output=True, text=True)
        if run.returncode != 0:
            shutil.rmtree(VENV, ignore_errors=True)
            pytest.fail(
                f"could not make the student's environment in {VENV} with "
                f"`{' '.join(step)}`; it needs Python's venv module and pip "
                f"reaching {', '.join(pins())} (from its cache or an index):\n"
                f"{run.stderr[-2000:]}",
                pytrace=False,
            )
    (VENV / ".pins").write_text(wanted)


@pytest.fixture(scope="session")
def student_python() -> Path:
    """The interpreter of a virtualenv holding only numpy, matplotlib, ipykernel."""
    VENV.parent.mkdir(parents=True, exist_ok=True)
    wanted = "\n".join(pins())
    with open(VENV.parent / "handout-venv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one xdist worker makes it, others wait
        stamp = VENV / ".pins"
        if not (stamp.exists() and stamp.read_text() == wanted):
            _make_venv(wanted)
    return VENV / "bin" / "python"


@pytest.fixture(scope="session")
def student_kernels(student_python, tmp_path_factory) -> KernelSpecManager:
    """A kernelspec, ``handout``, that runs ipykernel in that virtualenv."""
    folder = tmp_path_factory.mktemp("kernels") / "handout"
    folder.mkdir()
    spec = {
        "argv": [
            str(student_python),
            "-m",
            "ipykernel_launcher",
            "-f",
            "{connection_file}",
        ],
        "display_name": "numpy + matplotlib only",
        "language": "python",
    }
    (folder / "kernel.json").write_text(json.dumps(spec))
    return KernelSpecManager(kernel_dirs=[str(folder.parent)])


def test_the_student_environment_has_only_what_students_have(student_python):
    probe = (
        "import importlib.util as u, json; print(json.dumps({name: u.find_spec(name) "
        "is not None for name in ['numpy', 'matplotlib', 'ipykernel', 'l2course', "
        "'sklearn', 'scipy', 'nbgrader', 'autograder']}))"
    )
    run = subprocess.run(
        [str(student_python), "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=VENV,
    )
    found = json.loads(run.stdout)
    assert found == {
        "numpy": True,
        "matplotlib": True,
        "ipykernel": True,
        "l2course": False,
        "sklearn": False,
        "scipy": False,
        "nbgrader": False,
        "autograder": False,
    }


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def handout(request, tmp_path_factory) -> Path:
    """The released zip of one assignment, unpacked into an empty folder."""
    assignment = request.param
    work = tmp_path_factory.mktemp(f"handout-{assignment}")
    env = dict(os.environ)
    # nbgrader runs `alembic` from PATH: put this interpreter's scripts first.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "autograder",
            "release",
            assignment,
            "--course-dir",
            str(work / "course"),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    archive = work / "course" / "release" / f"{assignment}.zip"
    empty = work / "downloads"
    empty.mkdir()
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(empty)
    return empty / assignment


def execute(notebook, folder: Path, kernels: KernelSpecManager, allow_errors: bool):
    manager = KernelManager(kernel_name="handout", kernel_spec_manager=kernels)
    client = NotebookClient(
        notebook,
        km=manager,
        timeout=180,
        allow_errors=allow_errors,
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute()
    return notebook


def notebook_of(folder: Path) -> tuple[Path, nbformat.NotebookNode]:
    (path,) = folder.glob("*.ipynb")
    return path, nbformat.read(path, as_version=4)


def test_the_handout_holds_the_notebook_and_nothing_from_the_repository(handout):
    path, notebook = notebook_of(handout)
    assert path.name == f"{handout.name}.ipynb"
    assert "l2course" not in path.read_text(encoding="utf-8")
    assert "BEGIN HIDDEN TESTS" not in path.read_text(encoding="utf-8")
    assert sorted(p.name for p in handout.iterdir()) == [
        path.name,
        "nbgrader_config.py",
    ]


def answered(handout: Path) -> tuple[Path, nbformat.NotebookNode]:
    """The handout's notebook with the reference answers filled in."""
    path, notebook = notebook_of(handout)
    source = nbformat.read(EXERCISES / handout.name / path.name, as_version=4)
    answers = {
        cell.metadata.nbgrader.grade_id: cell.source
        for cell in source.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return path, notebook


def test_the_handout_with_answers_runs_top_to_bottom(handout, student_kernels):
    """A student who fills in every function can run it all, plot included."""
    _, notebook = answered(handout)
    execute(notebook, handout, student_kernels, allow_errors=False)
    plot = notebook.cells[-1]
    assert any("image/png" in output.get("data", {}) for output in plot.outputs), (
        "the last cell draws the plot"
    )


NO_CONFIG = "No nbgrader_config.py file found"
OVER_TCP = "Kernel is running over TCP without encryption"


def validate_in(folder: Path, notebook: str) -> str:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    run = subprocess.run(
        ["nbgrader", "validate", notebook],
        capture_output=True,
        text=True,
        cwd=folder,
        env=env,
    )
    return run.stdout + run.stderr


def test_nbgrader_validate_in_the_handout_folder_says_only_what_matters(
    handout, tmp_path
):
    folder = tmp_path / handout.name
    shutil.copytree(handout, folder)
    path, notebook = answered(folder)
    nbformat.write(notebook, path)
    said = validate_in(folder, path.name)
    assert "Success! Your notebook passes all the tests." in said, said
    assert NO_CONFIG not in said and OVER_TCP not in said, said
    if handout.name == ASSIGNMENTS[0]:
        # Without the handed-out config, both warnings are back: it is what
        # silences them.
        (folder / "nbgrader_config.py").unlink()
        said = validate_in(folder, path.name)
        assert NO_CONFIG in said and OVER_TCP in said, said


def test_the_handout_as_released_fails_only_on_its_stubs(handout, student_kernels):
    _, notebook = notebook_of(handout)
    execute(notebook, handout, student_kernels, allow_errors=True)
    errors = [
        output.ename
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert errors, "the stubs raise"
    assert set(errors) == {"NotImplementedError"}, errors
