"""Round trips of the exercises through nbgrader, for tests/test_exercises.py.

For one assignment, in a course directory of its own, this module:

1. validates the source notebook with nbgrader's Validator (every test passes);
2. generates the student version with ``NbGraderAPI.generate_assignment``;
3. validates the student version with ``invert=True`` (no test passes);
4. writes one submission per simulated student, each the student version with
   some solution cells replaced, and autogrades them all in one
   ``NbGraderAPI.autograde`` call;
5. reads every score from the gradebook and every failure message from the
   autograded notebooks.

It runs as a script in a fresh Python process (``python exercise_grading.py
job.json result.json``), so that the test session can grade the four
assignments side by side on separate cores, and nbgrader's global state stays
out of pytest's process.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"


def load_build_notebooks() -> ModuleType:
    """exercises/build_notebooks.py as a module (exercises/ is not a package).

    No bytecode is written: nbgrader would take an exercises/__pycache__/
    folder for an assignment.
    """
    spec = importlib.util.spec_from_file_location(
        "build_notebooks", EXERCISES / "build_notebooks.py"
    )
    module = importlib.util.module_from_spec(spec)
    writes, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        spec.loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = writes
    return module


VARIANTS = Path(__file__).resolve().parent / "exercise_variants"
CONFIG = ROOT / "autograder" / "nbgrader_config.py"

# The contract of each assignment: the names tests and instructors rely on.
# Assignments are discovered from exercises/; test_exercises.py checks that
# each one has its contract here.
CONTRACT: dict[str, dict[str, str]] = {
    "a1_l2_penalty": {
        "l2_penalty": "w, lam",
        "l2_grad": "w, lam",
        "penalized_loss": "data_loss, weights, lam",
        "numerical_grad": "f, w, eps=1e-06",
    },
    "a2_weight_decay": {
        "decay_factor": "lr, lam",
        "sgd_step": "w, grad, lr, lam",
        "decayed_weights": "w0, lr, lam, steps",
        "steps_to_shrink": "lr, lam, fraction",
        "adam_step": (
            "w, grad, m, v, t, lr, lam, decoupled, beta1=0.9, beta2=0.999, eps=1e-08"
        ),
    },
    "a3_l1_sparsity": {
        "l1_penalty": "w, lam",
        "l1_subgrad": "w, lam",
        "soft_threshold": "w, t",
        "proximal_l1_step": "w, grad, lr, lam",
        "elastic_net_penalty": "w, lam1, lam2",
    },
    "a4_ridge_bayes": {
        "ridge_fit": "X, y, lam",
        "ridge_fit_intercept": "X, y, lam",
        "map_estimate": "X, y, noise_var, prior_var",
        "shrinkage_factors": "X, lam",
        "effective_dof": "X, lam",
    },
    "a5_choosing_lambda": {
        "kfold_indices": "n, k, seed",
        "cv_error": "X, y, lam, folds",
        "one_se_lambda": "lams, fold_errors",
        "torch_weight_decay_to_lambda": "weight_decay",
        "lasso_alpha": "lam, n",
        "map_lambda": "noise_var, prior_var, n, mean_loss",
    },
}
ASSIGNMENTS = load_build_notebooks().assignments()

VARIANT_NAME = re.compile(r"^(?P<function>\w+?)__(?P<kind>wrong|right)_(?P<label>\w+)$")


@dataclass(frozen=True)
class Variant:
    """One implementation of one contract function, kept in exercise_variants/."""

    assignment: str
    function: str
    kind: str  # "wrong" or "right"
    label: str
    source: str  # a complete ``def <function>(...)`` ready for the solution cell

    @property
    def id(self) -> str:
        return f"{self.assignment}:{self.function}:{self.kind}_{self.label}"


def load_variants(assignment: str) -> list[Variant]:
    """Every variant in exercise_variants/<assignment>.py, renamed to its contract."""
    path = VARIANTS / f"{assignment}.py"
    text = path.read_text(encoding="utf-8")
    variants = []
    for node in ast.parse(text).body:
        if not isinstance(node, ast.FunctionDef):
            continue
        match = VARIANT_NAME.match(node.name)
        if not match:
            raise ValueError(f"{path}: {node.name} is not <function>__<kind>_<label>")
        source = ast.get_source_segment(text, node)
        source = source.replace(f"def {node.name}(", f"def {match['function']}(", 1)
        variants.append(
            Variant(
                assignment, match["function"], match["kind"], match["label"], source
            )
        )
    return variants


def plan_students(assignment: str, solutions: dict[str, str]) -> dict[str, dict]:
    """Which solution cells each simulated student fills in, and with what.

    ``reference`` hands in the source's own solutions, ``stub`` the untouched
    student version. The variants are dealt out in rounds: student
    ``wrong_<k>`` carries the k-th wrong variant of *every* function at once,
    and the reference solution where a function has fewer variants. That is
    sound because each test cell calls only its own function (checked by the
    test suite), and it grades a hundred variants with a handful of kernels.
    Each test cell's score is then the score of the one variant in its
    function's cell.
    """
    students: dict[str, dict] = {
        "reference": {"cells": dict(solutions), "variants": {}},
        "stub": {"cells": {}, "variants": {}},
    }
    variants = load_variants(assignment)
    for kind in ("wrong", "right"):
        by_function: dict[str, list[Variant]] = {}
        for variant in variants:
            if variant.kind == kind:
                by_function.setdefault(variant.function, []).append(variant)
        rounds = max((len(v) for v in by_function.values()), default=0)
        for k in range(rounds):
            cells = dict(solutions)
            chosen = {}
            for function, options in by_function.items():
                if k < len(options):
                    cells[function] = options[k].source
                    chosen[function] = options[k].id
            students[f"{kind}_{k}"] = {"cells": cells, "variants": chosen}
    return students


# --- what runs in the worker process ------------------------------------------


def _cells_by_id(notebook) -> dict:
    return {
        cell.metadata.nbgrader["grade_id"]: cell
        for cell in notebook.cells
        if "nbgrader" in cell.metadata and "grade_id" in cell.metadata.nbgrader
    }


def _error_of(cell) -> dict | None:
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            return {
                "ename": output.ename,
                "evalue": output.evalue,
                "traceback_lines": len(output.traceback),
            }
        if output.output_type == "stream" and output.name == "stderr":
            return {"ename": "stderr", "evalue": output.text, "traceback_lines": 0}
    return None


def run_job(assignment: str, course: Path) -> dict:
    """Validate, generate, submit, autograde and read back one assignment."""
    import nbformat
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI
    from nbgrader.validator import Validator
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    config.merge(PyFileConfigLoader(CONFIG.name, path=str(CONFIG.parent)).load_config())
    # The committed configuration, except that the course directory is ours.
    config.CourseDirectory.root = str(course)
    config.Execute.timeout = 60
    source_nb = EXERCISES / assignment / f"{assignment}.ipynb"
    result: dict = {"assignment": assignment, "course": str(course)}

    result["source_validation"] = Validator(config=config, validate_all=True).validate(
        str(source_nb)
    )

    api = NbGraderAPI(config=config)
    generated = api.generate_assignment(assignment)
    if not generated["success"]:
        raise RuntimeError(
            f"generate_assignment {assignment} failed:\n"
            f"{generated.get('error')}\n{generated.get('log')}"
        )
    release_nb = course / "release" / assignment / f"{assignment}.ipynb"
    result["release"] = str(release_nb)
    result["release_validation"] = Validator(config=config, invert=True).validate(
        str(release_nb)
    )

    source = nbformat.read(source_nb, as_version=4)
    solutions = {
        grade_id: cell.source
        for grade_id, cell in _cells_by_id(source).items()
        if cell.metadata.nbgrader.get("solution")
    }
    students = plan_students(assignment, solutions)
    release = nbformat.read(release_nb, as_version=4)
    for student, plan in students.items():
        submission = nbformat.from_dict(json.loads(nbformat.writes(release)))
        for grade_id, cell in _cells_by_id(submission).items():
            if grade_id in plan["cells"]:
                cell.source = plan["cells"][grade_id]
        folder = course / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(submission, folder / f"{assignment}.ipynb")

    graded = api.autograde(assignment, "*")
    if not graded["success"]:
        # The log is long; its tracebacks say why, so they go first.
        log = graded.get("log") or ""
        tracebacks = [part for part in log.split("[ERROR]") if "Traceback" in part]
        raise RuntimeError(
            f"autograde {assignment} failed:\n{graded.get('error')}\n"
            + "\n".join(tracebacks)[:6000]
            + "\n...\n"
            + log[-2000:]
        )

    db_url = f"sqlite:///{course / 'gradebook.db'}"
    result["students"] = {}
    with Gradebook(db_url) as gradebook:
        for student, plan in students.items():
            notebook = gradebook.find_submission_notebook(
                assignment, assignment, student
            )
            autograded = nbformat.read(
                course / "autograded" / student / assignment / f"{assignment}.ipynb",
                as_version=4,
            )
            cells = _cells_by_id(autograded)
            result["students"][student] = {
                "variants": plan["variants"],
                "score": notebook.score,
                "max_score": notebook.max_score,
                "grades": {
                    grade.name: [grade.score, grade.max_score]
                    for grade in notebook.grades
                },
                "errors": {
                    grade_id: _error_of(cell)
                    for grade_id, cell in cells.items()
                    if cell.metadata.nbgrader.get("grade")
                },
            }
    return result


if __name__ == "__main__":
    job_file, result_file = sys.argv[1:3]
    job = json.loads(Path(job_file).read_text())
    outcome = run_job(job["assignment"], Path(job["course"]))
    Path(result_file).write_text(json.dumps(outcome, indent=1))
