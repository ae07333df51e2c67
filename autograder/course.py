"""The nbgrader course directory the autograder works in, and its configuration.

The course directory stays a plain nbgrader course directory (`source/`,
`release/`, `submitted/`, `autograded/`, `feedback/`, `gradebook.db`), so
`nbgrader` commands and formgrader work on it too. The autograder adds
`reports/<assignment>/` (grades.csv, report.html, logs) and a
`nbgrader_config.py` that points nbgrader at the repository's configuration.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_COURSE_DIR = REPO_ROOT / "course"
DEFAULT_EXERCISES_DIR = REPO_ROOT / "exercises"
COURSE_CONFIG = Path(__file__).resolve().parent / "nbgrader_config.py"


class UsageError(Exception):
    """A mistake the person running the command can fix; printed as one line."""


@dataclass(frozen=True)
class GradeCellInfo:
    """One autograded test cell of an assignment, as the gradebook knows it."""

    notebook: str
    name: str
    max_score: float


@dataclass
class AssignmentInfo:
    """What the gradebook knows about an assignment: notebooks and test cells."""

    name: str
    notebooks: list[str]
    grade_cells: list[GradeCellInfo] = field(default_factory=list)

    @property
    def max_score(self) -> float:
        return sum(cell.max_score for cell in self.grade_cells)

    def column(self, cell: GradeCellInfo) -> str:
        """The grades.csv column of a test cell: its grade_id, or notebook/grade_id
        when the assignment has several notebooks (grade ids are per notebook)."""
        if len(self.notebooks) == 1:
            return cell.name
        return f"{cell.notebook}/{cell.name}"


def check_source(source: Path) -> None:
    """Fail early, with one line, on a path that cannot hold submissions."""
    source = Path(source)
    if not source.exists():
        raise UsageError(
            f"no such file or folder: {source} (pass the folder or zip of submissions)"
        )
    if source.is_file() and not zipfile.is_zipfile(source):
        raise UsageError(
            f"{source} is not a zip file: pass a folder of submissions, a zip of "
            "one, or the zip your LMS exported"
        )


def venv_on_path() -> None:
    """nbgrader runs a helper program by name (`alembic`, when it creates a
    gradebook); find this Python's, even when its venv was not activated."""
    bindir = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if bindir not in parts:
        os.environ["PATH"] = os.pathsep.join([bindir, *parts])


def load_nbgrader_config(root: Path, cell_timeout: int | None = None) -> Config:
    """The course's nbgrader configuration, with the course root filled in."""
    config = Config()
    if COURSE_CONFIG.exists():
        loader = PyFileConfigLoader(COURSE_CONFIG.name, path=str(COURSE_CONFIG.parent))
        config.merge(loader.load_config())
    # The shared configuration points at the repository's course/ and
    # exercises/; a managed course directory uses itself and its source/ copy.
    config.CourseDirectory.root = str(root)
    config.CourseDirectory.source_directory = "source"
    if cell_timeout is not None:
        config.Execute.timeout = int(cell_timeout)
    return config


class Course:
    """Paths and nbgrader handles of one course directory."""

    def __init__(
        self,
        root: Path | str | None = None,
        exercises: Path | str | None = None,
        cell_timeout: int | None = None,
    ) -> None:
        venv_on_path()
        self.root = Path(root or DEFAULT_COURSE_DIR).resolve()
        self.exercises = Path(exercises or DEFAULT_EXERCISES_DIR).resolve()
        self._cell_timeout = cell_timeout
        self.db_path = self.root / "gradebook.db"
        self.db_url = f"sqlite:///{self.db_path}"

    @functools.cached_property
    def config(self) -> Config:
        """Loaded on first use: the course config imports nbgrader, which takes
        a second or two, and a misuse message should not wait for it."""
        return load_nbgrader_config(self.root, self._cell_timeout)

    @property
    def course_id(self) -> str:
        return str(self.config.CourseDirectory.get("course_id", ""))

    # --- layout --------------------------------------------------------------
    def source_dir(self, assignment: str) -> Path:
        return self.root / "source" / assignment

    def release_dir(self, assignment: str) -> Path:
        return self.root / "release" / assignment

    def release_zip(self, assignment: str) -> Path:
        return self.root / "release" / f"{assignment}.zip"

    def submitted_dir(self, student: str, assignment: str) -> Path:
        return self.root / "submitted" / student / assignment

    def autograded_dir(self, student: str, assignment: str) -> Path:
        return self.root / "autograded" / student / assignment

    def feedback_dir(self, student: str, assignment: str) -> Path:
        return self.root / "feedback" / student / assignment

    def reports_dir(self, assignment: str) -> Path:
        return self.root / "reports" / assignment

    def downloaded_dir(self, assignment: str) -> Path:
        """nbgrader zip_collect's `{downloaded}/{assignment_id}` folder."""
        return self.root / "downloaded" / assignment

    # --- assignments -----------------------------------------------------------
    def known_assignments(self) -> list[str]:
        names: set[str] = set()
        for parent in (self.exercises, self.root / "source"):
            if parent.is_dir():
                names.update(
                    p.name
                    for p in parent.iterdir()
                    if p.is_dir() and any(p.glob("*.ipynb"))
                )
        return sorted(names)

    def check_assignment(self, assignment: str) -> None:
        """Fail with a one-line message unless the assignment has a source."""
        if (self.exercises / assignment).is_dir() or self.source_dir(
            assignment
        ).is_dir():
            return
        known = ", ".join(self.known_assignments()) or "none"
        raise UsageError(
            f"unknown assignment '{assignment}': "
            f"no folder {self.exercises / assignment}"
            f" (known assignments: {known}; pass --exercises DIR for another folder)"
        )

    def sync_source(self, assignment: str) -> Path:
        """Copy exercises/<assignment> into the course's source/ folder.

        nbgrader reads sources from `<course>/source/<assignment>/`; copying
        (rather than pointing nbgrader at exercises/) keeps the course folder
        self-contained and movable, and records what was released.
        """
        origin = self.exercises / assignment
        target = self.source_dir(assignment)
        if not origin.is_dir():
            return target  # only the course copy exists; use it as it is
        if target.exists():
            shutil.rmtree(target)
        ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
        shutil.copytree(origin, target, ignore=ignore)
        return target

    def write_nbgrader_config(self) -> Path:
        """A course-level nbgrader_config.py so `nbgrader ...` run inside the
        course directory (and formgrader) use the same settings as the autograder."""
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / "nbgrader_config.py"
        lines = [
            "# Written by `python -m autograder`; it is rewritten on every run.",
            "# Run nbgrader from this folder: the course root is the current one.",
            "c = get_config()  # noqa: F821",
        ]
        lines += [
            # The course's settings, from wherever the autograder package is
            # installed when nbgrader loads this file: no path to one checkout.
            "import importlib.util",
            "import os.path",
            "_autograder = importlib.util.find_spec('autograder')",
            "if _autograder is not None and _autograder.origin:",
            "    load_subconfig(  # noqa: F821",
            "        os.path.join(os.path.dirname(_autograder.origin), "
            "'nbgrader_config.py')",
            "    )",
            # This folder, wherever it is moved or copied to.
            "c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))",
            'c.CourseDirectory.source_directory = "source"',
        ]
        path.write_text("\n".join(lines) + "\n")
        return path

    def assignment_info(self, assignment: str) -> AssignmentInfo | None:
        """Notebooks and test cells of an assignment, or None if the gradebook
        has never seen it (it has not been generated yet)."""
        if not self.db_path.exists():
            return None
        from nbgrader.api import Gradebook, MissingEntry

        with Gradebook(self.db_url, self.course_id) as gb:
            try:
                found = gb.find_assignment(assignment)
            except MissingEntry:
                return None
            info = AssignmentInfo(assignment, [nb.name for nb in found.notebooks])
            for notebook in found.notebooks:
                # source_cells keeps notebook order; grade cells are a subset
                grade = {cell.name: cell for cell in notebook.grade_cells}
                ordered = [c.name for c in notebook.source_cells if c.name in grade]
                ordered += sorted(set(grade) - set(ordered))
                for name in ordered:
                    cell = grade[name]
                    # manually graded answers need a person; the autograder
                    # reports only the cells it can score
                    if cell.cell_type == "code" and not _is_solution(notebook, name):
                        info.grade_cells.append(
                            GradeCellInfo(notebook.name, name, float(cell.max_score))
                        )
        return info


def _is_solution(notebook, name: str) -> bool:
    return any(cell.name == name for cell in notebook.solution_cells)
