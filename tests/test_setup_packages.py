"""Students install the course package only; the grader is its own distribution.

The wheels are built from copies of the two project folders, so that the build
leaves nothing behind in the checkout.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
from chapter_notebooks import COLAB_CELL  # noqa: E402

COPY_IGNORE = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")


def project_name(folder: Path) -> str:
    pyproject = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))
    return pyproject["project"]["name"]


def wheel_files(project: Path, out: Path) -> list[str]:
    """The files in the wheel that pip builds from ``project``."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps"]
        + ["--no-build-isolation", "--wheel-dir", str(out), str(project)],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return [name for name in archive.namelist() if ".dist-info/" not in name]


@pytest.fixture(scope="module")
def checkout_copy(tmp_path_factory) -> Path:
    """The root project (with the grader's folder beside it, as in the repo)."""
    copy = tmp_path_factory.mktemp("checkout")
    shutil.copy(ROOT / "pyproject.toml", copy)
    for package in ("l2course", "autograder"):
        shutil.copytree(ROOT / package, copy / package, ignore=COPY_IGNORE)
    return copy


def test_the_course_package_ships_without_the_grader(checkout_copy, tmp_path):
    files = wheel_files(checkout_copy, tmp_path)
    assert "l2course/__init__.py" in files
    sources = {p.relative_to(ROOT).as_posix() for p in ROOT.glob("l2course/**/*.py")}
    assert sources <= set(files), "a module of l2course is missing from its wheel"
    assert not [name for name in files if not name.startswith("l2course/")]


def test_the_grader_ships_its_code_and_templates_without_the_course(
    checkout_copy, tmp_path
):
    files = wheel_files(checkout_copy / "autograder", tmp_path)
    # Every module of every subpackage (intake/, trusted/, ...), not just the top.
    modules = {
        f"autograder/{p.relative_to(ROOT / 'autograder').as_posix()}"
        for p in (ROOT / "autograder").glob("**/*.py")
        if (p.parent / "__init__.py").exists() and p.name != "nbgrader_config.py"
    }
    assert modules <= set(files)
    templates = ROOT / "autograder" / "outputs" / "templates"
    assert {
        f"autograder/{p.relative_to(ROOT / 'autograder').as_posix()}"
        for p in templates.rglob("*")
        if p.is_file()
    } <= set(files)
    assert not [name for name in files if name.startswith("l2course/")]


def test_the_colab_cell_installs_the_course_package_from_the_repository_root():
    # "<name> @ git+<url>@<branch>" with no subdirectory: the root project.
    spec = COLAB_CELL.split("%pip install --quiet ", 1)[1].splitlines()[0]
    name, _, source = spec.strip('"').partition(" @ ")
    assert name == project_name(ROOT) != project_name(ROOT / "autograder")
    assert source.startswith("git+") and "subdirectory" not in source


def test_the_repository_install_has_both_editable():
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert {"-e .", "-e ./autograder"} <= set(lines)
