"""A generated class of submissions for the autograder's tests and benchmark.

Every submission starts from the *student version* of the fixture assignment
(`tests/autograder_fixture/toy_l2`), as a student would receive it, and puts
code into its solution cells. `EXPECTED` says what each must get.
"""

from __future__ import annotations

import copy
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

ASSIGNMENT = "toy_l2"
FIXTURE_DIR = Path(__file__).resolve().parent / "autograder_fixture"
POINTS = {"test_l2_penalty": 2.0, "test_l2_grad": 2.0, "test_decay_factor": 1.0}

CORRECT = {
    "l2_penalty": '''def l2_penalty(w, lam):
    """Return lam * sum(w**2)."""
    w = np.asarray(w, dtype=float)
    return float(lam * np.linalg.norm(w.ravel()) ** 2)''',
    "l2_grad": '''def l2_grad(w, lam):
    """Return 2 * lam * w."""
    return 2 * lam * np.array(w, dtype=float)''',
    "decay_factor": '''def decay_factor(lr, lam):
    """Return 1 - 2 * lr * lam."""
    return 1 - 2 * lr * lam''',
}
MISSING_TWO = '''def l2_grad(w, lam):
    """The classic slip: the derivative of lam * w**2 without its 2."""
    return lam * np.array(w, dtype=float)'''
HALF_DECAY = '''def decay_factor(lr, lam):
    """A stray 1/2 from the other convention."""
    return 1 - lr * lam'''
ENDLESS = '''def l2_grad(w, lam):
    """Never returns."""
    while True:
        pass'''
SELF_KILL = '''def decay_factor(lr, lam):
    """Kills its own kernel when called (like a segfault would)."""
    import os
    import signal
    os.kill(os.getpid(), signal.SIGKILL)'''
OS_EXIT = (
    CORRECT["l2_grad"]
    + """

import os
os._exit(0)"""
)


@dataclass(frozen=True)
class Expected:
    score: float
    status: str
    reason: str = ""  # a phrase the reason must contain ("" = reason empty)
    cells: tuple[float, float, float] | None = None  # per test, in POINTS order


def _submission(release_nb: dict, solutions: dict[str, str]) -> dict:
    nb = copy.deepcopy(release_nb)
    for cell in nb["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in solutions:
            cell["source"] = solutions[grade_id]
    return nb


def _with_cell_twice(nb: dict, grade_id: str) -> dict:
    """An honest slip: a test cell copied (JupyterLab's copy and paste)."""
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb["cells"]:
        cells.append(cell)
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            cells.append(copy.deepcopy(cell))
    nb["cells"] = cells
    return nb


def _without_cell(nb: dict, grade_id: str) -> dict:
    nb = copy.deepcopy(nb)
    nb["cells"] = [
        c
        for c in nb["cells"]
        if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") != grade_id
    ]
    return nb


# student id -> (file name, content builder, expectation)
def class_plan(release_nb: dict) -> dict[str, tuple[str, bytes, Expected]]:
    def dump(nb: dict) -> bytes:
        return json.dumps(nb, indent=1).encode()

    nb_name = f"{ASSIGNMENT}.ipynb"
    return {
        "s01_correct": (
            nb_name,
            dump(_submission(release_nb, CORRECT)),
            Expected(5, "graded", "", (2, 2, 1)),
        ),
        "s02_partly": (
            nb_name,
            dump(_submission(release_nb, {**CORRECT, "l2_grad": MISSING_TWO})),
            Expected(3, "graded", "", (2, 0, 1)),
        ),
        "s03_stub": (nb_name, dump(release_nb), Expected(0, "graded", "", (0, 0, 0))),
        "s04_invalid_json": (
            nb_name,
            b'{"cells": [ {"cell_type": "code", ',
            Expected(0, "error", "invalid JSON", (0, 0, 0)),
        ),
        "s05_empty": (nb_name, b"", Expected(0, "error", "empty", (0, 0, 0))),
        "s06_deleted_test": (
            nb_name,
            dump(_without_cell(_submission(release_nb, CORRECT), "test_l2_grad")),
            Expected(5, "graded", "'test_l2_grad' was missing", (2, 2, 1)),
        ),
        "s07_dead_kernel": (
            nb_name,
            dump(_submission(release_nb, {**CORRECT, "decay_factor": SELF_KILL})),
            Expected(4, "kernel_died", "kernel died", (2, 2, 0)),
        ),
        "s08_wrong_name": (
            "my_homework_final.ipynb",
            dump(_submission(release_nb, CORRECT)),
            Expected(5, "graded", "submitted as 'my_homework_final.ipynb'", (2, 2, 1)),
        ),
        "s09_infinite_loop": (
            nb_name,
            dump(_submission(release_nb, {**CORRECT, "l2_grad": ENDLESS})),
            # a student function that never returns stops the tests: its
            # kernel is killed, so the later test cells score 0 too
            Expected(2, "graded", "cell timeout", (2, 0, 0)),
        ),
        "s10_os_exit": (
            nb_name,
            dump(_submission(release_nb, {**CORRECT, "l2_grad": OS_EXIT})),
            Expected(2, "kernel_died", "kernel died", (2, 0, 0)),
        ),
        "s12_duplicated_test": (
            nb_name,
            dump(_with_cell_twice(_submission(release_nb, CORRECT), "test_l2_grad")),
            Expected(5, "graded", "", (2, 2, 1)),
        ),
        "s11_half_decay": (
            nb_name,
            dump(_submission(release_nb, {**CORRECT, "decay_factor": HALF_DECAY})),
            Expected(4, "graded", "", (2, 2, 0)),
        ),
    }


def release_notebook(course_dir: Path) -> dict:
    path = course_dir / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    return json.loads(path.read_text())


def write_class_folder(plan, folder: Path, nested: bool = False) -> Path:
    """`<student>/<notebook>.ipynb`, or `<student>/<assignment>/...` when nested."""
    for student, (name, content, _) in plan.items():
        target = folder / student / (ASSIGNMENT if nested else "") / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return folder


def write_canvas_zip(plan, path: Path) -> dict[str, str]:
    """Canvas's flat zip: lastfirst_[LATE_]userid_submissionid_filename.
    Returns Canvas user id -> our student name."""
    ids = {}
    with zipfile.ZipFile(path, "w") as archive:
        for number, (student, (name, content, _)) in enumerate(sorted(plan.items())):
            user_id = str(1000 + number)
            ids[user_id] = student
            late = "LATE_" if number % 3 == 0 else ""
            arcname = (
                f"{student.replace('_', '')}_{late}{user_id}_{55000 + number}_{name}"
            )
            archive.writestr(arcname, content)
    return ids


def write_moodle_zip(plan, path: Path) -> dict[str, str]:
    """Moodle's zip with one folder per submission:
    'Full Name_participantid_assignsubmission_file_/filename'."""
    ids = {}
    with zipfile.ZipFile(path, "w") as archive:
        for number, (student, (name, content, _)) in enumerate(sorted(plan.items())):
            participant = str(2000 + number)
            ids[participant] = student
            folder = f"Student {student.title()}_{participant}_assignsubmission_file_"
            archive.writestr(f"{folder}/{name}", content)
    return ids


def hidden_test_lines(source_nb_path: Path) -> list[str]:
    """Code lines inside the source's hidden-test blocks, without their string
    literals (the assertion messages are meant to be shown)."""
    nb = nbformat.read(source_nb_path, as_version=4)
    lines = []
    for cell in nb.cells:
        inside = False
        for line in cell.source.splitlines():
            if "### BEGIN HIDDEN TESTS" in line:
                inside = True
                continue
            if "### END HIDDEN TESTS" in line:
                inside = False
                continue
            if not inside:
                continue
            code = line.split('"', 1)[0].split("'", 1)[0].strip()
            if len(code) >= 12:
                lines.append(code)
    return lines
